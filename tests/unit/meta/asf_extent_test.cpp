// check_asf_extent: a File Size in the File Properties Object larger than the file is a file
// cut short; a whole file, a stream's Broadcast flag, a header without the object and broken
// object sizes say nothing. Also through walk_container (the sniff) on an ASF file written by
// ffmpeg, whole and cut in two.
#include "meta/asf_extent.h"

#include <gtest/gtest.h>

#include "meta/walk.h"
#include "unit/meta/walker_test_util.h"

namespace wm::meta {
namespace {

using namespace testing_util;  // NOLINT: Bytes, cat, walk_file, issues_text

const Bytes kHeaderGuid{0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                        0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};
const Bytes kFilePropertiesGuid{0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11,
                                0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65};
const Bytes kOtherGuid(16, 0x5A);

Bytes le(std::uint64_t v, int bytes) {
  Bytes out;
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return out;
}

Bytes object(const Bytes& guid, const Bytes& payload) { return cat({guid, le(24 + payload.size(), 8), payload}); }

// File ID, File Size, five 64-bit times and counts, Flags, three 32-bit sizes and rates.
Bytes file_properties(std::uint64_t file_size, std::uint32_t flags) {
  return object(kFilePropertiesGuid, cat({Bytes(16, 0x11), le(file_size, 8), Bytes(40, 0), le(flags, 4), Bytes(12, 0)}));
}

// A Header Object with `children`, then `body_bytes` of data.
Bytes asf(const std::vector<Bytes>& children, std::size_t body_bytes) {
  Bytes payload = cat({le(children.size(), 4), {0x01, 0x02}});
  for (const Bytes& c : children) payload = cat({payload, c});
  return cat({object(kHeaderGuid, payload), Bytes(body_bytes, 0x00)});
}

WalkResult check(const Bytes& bytes) {
  return walk_file(bytes, [](core::FileReader& r, std::uint64_t) { return check_asf_extent(r); }, 0);
}

TEST(AsfExtentTest, AStatedFileSizeLargerThanTheFileIsCutShort) {
  const Bytes cut = asf({object(kOtherGuid, Bytes(10, 0)), file_properties(5000, 0x2)}, 1000);
  const WalkResult r = check(cut);
  ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
  EXPECT_TRUE(r.issues[0].truncated);
  EXPECT_EQ(r.issues[0].message, "the ASF header states a file of 5000 bytes, the file holds " +
                                     std::to_string(cut.size()) + " of them: the file is cut short");
  EXPECT_TRUE(r.fields.empty());
}

TEST(AsfExtentTest, AWholeFileABroadcastAndBrokenHeadersSayNothing) {
  const Bytes whole = asf({file_properties(0, 0x2)}, 1000);
  const std::uint64_t size = whole.size();
  EXPECT_TRUE(check(asf({file_properties(size, 0x2)}, 1000)).issues.empty());
  EXPECT_TRUE(check(asf({file_properties(size - 500, 0x2)}, 1000)).issues.empty());  // trailing bytes
  EXPECT_TRUE(check(asf({file_properties(size + 5000, 0x3)}, 1000)).issues.empty());  // a stream: size invalid
  EXPECT_TRUE(check(asf({object(kOtherGuid, Bytes(10, 0))}, 1000)).issues.empty());   // no File Properties
  // A child whose size runs past the header hides the object after it.
  Bytes broken = asf({object(kOtherGuid, Bytes(10, 0)), file_properties(size + 5000, 0x2)}, 1000);
  broken[30 + 16] = 0xFF;
  EXPECT_TRUE(check(broken).issues.empty());
  EXPECT_TRUE(check(Bytes(kHeaderGuid)).issues.empty());  // too short to say
  EXPECT_TRUE(check(Bytes(200, 0x30)).issues.empty());    // not ASF
}

TEST(AsfExtentTest, AnAsfFileFfmpegWroteIsWholeAndItsFirstHalfIsCutShort) {
  const Bytes bytes = ffmpeg_written(
      "-f lavfi -i testsrc=s=160x120:d=2 -f lavfi -i sine=duration=2 -c:v wmv2 -c:a wmav2", ".wmv");
  ASSERT_GT(bytes.size(), 10000u);
  const WalkResult cut = walk_whole_then_first_half(bytes, walk_container);
  ASSERT_EQ(cut.issues.size(), 1u) << issues_text(cut);
  EXPECT_TRUE(cut.issues[0].truncated);
  EXPECT_NE(cut.issues[0].message.find("the ASF header states a file of " + std::to_string(bytes.size())),
            std::string::npos)
      << cut.issues[0].message;
}

}  // namespace
}  // namespace wm::meta
