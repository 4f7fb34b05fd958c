// check_avi_extent: a RIFF chunk that declares more bytes than the file holds is a file cut
// short, in the first chunk or in an OpenDML 'AVIX' chunk after it; a whole file, a size never
// written (0, 0xFFFFFFFF) and trailing data say nothing. Also through walk_container (the sniff)
// on a real AVI written by ffmpeg, whole and cut in two.
#include "meta/avi_extent.h"

#include <gtest/gtest.h>

#include "meta/walk.h"
#include "unit/meta/walker_test_util.h"

namespace wm::meta {
namespace {

using namespace testing_util;  // NOLINT: Bytes, cat, str, walk_file, issues_text

Bytes le32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 24)};
}

// A RIFF chunk of form `form` whose header declares `declared` bytes, with `present` bytes of
// payload after the form (so a whole chunk has present == declared - 4).
Bytes riff(const char* form, std::uint32_t declared, std::size_t present) {
  return cat({str("RIFF"), le32(declared), str(form), Bytes(present, 0x00)});
}

WalkResult check(const Bytes& bytes) {
  return walk_file(bytes, [](core::FileReader& r, std::uint64_t) { return check_avi_extent(r); }, 0);
}

TEST(AviExtentTest, AChunkLongerThanTheFileIsCutShort) {
  const WalkResult r = check(riff("AVI ", 1000, 500));
  ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
  EXPECT_TRUE(r.issues[0].truncated);
  EXPECT_EQ(r.issues[0].message,
            "the AVI's RIFF 'AVI ' chunk at byte 0 declares 1000 bytes, the file holds 504 of them: the file is "
            "cut short");
  EXPECT_TRUE(r.fields.empty());
  // The second chunk of an OpenDML file; an odd size is padded to the next even byte.
  const WalkResult second = check(cat({riff("AVI ", 1001, 997), {0x00}, riff("AVIX", 5000, 100)}));
  ASSERT_EQ(second.issues.size(), 1u) << issues_text(second);
  EXPECT_EQ(second.issues[0].message,
            "the AVI's RIFF 'AVIX' chunk at byte 1010 declares 5000 bytes, the file holds 104 of them: the file is "
            "cut short");
}

TEST(AviExtentTest, AWholeFileASizeNeverWrittenAndTrailingDataSayNothing) {
  EXPECT_TRUE(check(riff("AVI ", 1000, 996)).issues.empty());
  EXPECT_TRUE(check(cat({riff("AVI ", 1000, 996), riff("AVIX", 2000, 1996)})).issues.empty());
  EXPECT_TRUE(check(cat({riff("AVI ", 1000, 996), str("JUNKJUNKJUNK"), Bytes(9000, 0)})).issues.empty());
  // A writer that could not seek back to fill in the size.
  EXPECT_TRUE(check(riff("AVI ", 0xFFFFFFFF, 500)).issues.empty());
  EXPECT_TRUE(check(riff("AVI ", 0, 500)).issues.empty());
  EXPECT_TRUE(check(cat({riff("AVI ", 1000, 996), riff("AVIX", 0xFFFFFFFF, 50)})).issues.empty());
  EXPECT_TRUE(check(Bytes{'R', 'I', 'F', 'F', 0xE8, 0x03}).issues.empty());  // too short to say
}

TEST(AviExtentTest, AnAviFfmpegWroteIsWholeAndItsFirstHalfIsCutShort) {
  const Bytes bytes =
      ffmpeg_written("-f lavfi -i testsrc=s=160x120:d=2 -f lavfi -i sine=duration=2 -c:v mpeg4 -c:a pcm_s16le", ".avi");
  ASSERT_GT(bytes.size(), 10000u);
  const WalkResult cut = walk_whole_then_first_half(bytes, walk_container);
  ASSERT_EQ(cut.issues.size(), 1u) << issues_text(cut);
  EXPECT_TRUE(cut.issues[0].truncated);
  EXPECT_NE(cut.issues[0].message.find("RIFF 'AVI ' chunk at byte 0"), std::string::npos) << cut.issues[0].message;
}

}  // namespace
}  // namespace wm::meta
