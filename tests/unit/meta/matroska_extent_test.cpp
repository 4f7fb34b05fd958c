// check_matroska_extent: a Segment that declares more bytes than the file holds is a file cut
// short; a whole file, a live recording's "unknown size" and other layouts say nothing. Also
// through walk_container (the sniff) and on a real file written by ffmpeg, cut in two.
#include "meta/matroska_extent.h"

#include <gtest/gtest.h>

#include "meta/walk.h"
#include "unit/meta/walker_test_util.h"

namespace wm::meta {
namespace {

using namespace testing_util;  // NOLINT: Bytes, cat, walk_file, issues_text

const Bytes kEbmlHeaderId{0x1A, 0x45, 0xDF, 0xA3};
const Bytes kSegmentId{0x18, 0x53, 0x80, 0x67};

// An EBML header (a 1-byte size, 3 bytes of content) and a Segment header with `size_vint`,
// followed by `present` bytes of segment data.
Bytes matroska(const Bytes& size_vint, std::size_t present) {
  return cat({kEbmlHeaderId, {0x83, 0x42, 0x86, 0x81}, kSegmentId, size_vint, Bytes(present, 0xEC)});
}

WalkResult check(const Bytes& bytes) {
  return walk_file(bytes, [](core::FileReader& r, std::uint64_t) { return check_matroska_extent(r); }, 0);
}

TEST(MatroskaExtentTest, ASegmentLongerThanTheFileIsCutShort) {
  // 0x43E8: a 2-byte size of 1000.
  const WalkResult r = check(matroska({0x43, 0xE8}, 600));
  ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
  EXPECT_TRUE(r.issues[0].truncated);
  EXPECT_EQ(r.issues[0].message,
            "the Matroska segment at byte 8 declares 1000 bytes, the file holds 600 of them: the file is cut short");
  EXPECT_TRUE(r.fields.empty());
}

TEST(MatroskaExtentTest, AWholeFileAndAnUnknownSizeSayNothing) {
  EXPECT_TRUE(check(matroska({0x43, 0xE8}, 1000)).issues.empty());
  EXPECT_TRUE(check(matroska({0x43, 0xE8}, 1200)).issues.empty());  // trailing bytes are not our concern
  // All value bits set, in 1 and in 8 bytes: written before the size was known.
  EXPECT_TRUE(check(matroska({0xFF}, 10)).issues.empty());
  EXPECT_TRUE(check(matroska({0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, 10)).issues.empty());
  // An 8-byte size of 100 000 with 10 bytes present is cut short.
  EXPECT_EQ(check(matroska({0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xA0}, 10)).issues.size(), 1u);
}

TEST(MatroskaExtentTest, OtherLayoutsAndBrokenHeadersSayNothing) {
  EXPECT_TRUE(check(Bytes{'R', 'I', 'F', 'F', 0, 0, 0, 0}).issues.empty());
  EXPECT_TRUE(check(cat({kEbmlHeaderId, {0x00}})).issues.empty());            // no valid size
  EXPECT_TRUE(check(cat({kEbmlHeaderId, {0x90}, Bytes(4, 0)})).issues.empty());  // header past the end
  EXPECT_TRUE(check(cat({kEbmlHeaderId, {0x81, 0x00}, {0x1F, 0x43, 0xB6, 0x75}, {0x43, 0xE8}})).issues.empty());
}

TEST(MatroskaExtentTest, AFileFfmpegWroteIsWholeAndItsFirstHalfIsCutShort) {
  const Bytes bytes = ffmpeg_written("-f lavfi -i sine=duration=2 -c:a pcm_s16le", ".mkv");
  ASSERT_GT(bytes.size(), 1000u);
  const WalkResult cut = walk_whole_then_first_half(bytes, walk_container);
  ASSERT_EQ(cut.issues.size(), 1u) << issues_text(cut);
  EXPECT_TRUE(cut.issues[0].truncated);
}

}  // namespace
}  // namespace wm::meta
