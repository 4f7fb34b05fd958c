// A file cut short that the demuxer takes for a clean end of file (an MP3 with a Xing header,
// FLAC, Matroska with its muxer's DURATION tags, FLV) gets a report marked incomplete, whichever
// families run; the whole file does not. An AVI is caught by meta alone. Files made by the
// ffmpeg CLI, then cut in half.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "unit/io/io_test_util.h"
#include "wm/scan.h"

namespace wm {
namespace {

using io::testing::TempDir;

class CutShortTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_TRUE(dir_->ok());
    const std::string sine = "-f lavfi -i sine=frequency=440:duration=8 ";
    ASSERT_TRUE(io::testing::make_media(sine + "-c:a libmp3lame -b:a 64k", *dir_ / "whole.mp3"));
    ASSERT_TRUE(io::testing::make_media(sine + "-c:a flac", *dir_ / "whole.flac"));
    ASSERT_TRUE(io::testing::make_media("-f lavfi -i testsrc2=size=160x120:rate=10:duration=8 "
                                        "-c:v libx264 -preset ultrafast -g 10 -pix_fmt yuv420p",
                                        *dir_ / "whole.mkv"));
    const std::string clip = "-f lavfi -i testsrc2=size=160x120:rate=10:duration=8 " + sine +
                             "-c:v mpeg4 -c:a pcm_s16le -f avi ";
    ASSERT_TRUE(io::testing::make_media(clip, *dir_ / "whole.avi"));
    // Written to a pipe, the muxer cannot go back to fill in its sizes and frame counts.
    ASSERT_TRUE(io::testing::make_media(clip + "- >", *dir_ / "piped.avi"));
    const std::string picture = "-f lavfi -i testsrc2=size=160x120:rate=10:duration=8 ";
    const std::string codecs = "-c:v libx264 -preset ultrafast -c:a aac";
    ASSERT_TRUE(io::testing::make_media(picture + sine + codecs, *dir_ / "whole.flv"));
    ASSERT_TRUE(io::testing::make_media(picture + "-f lavfi -i sine=duration=3 " + codecs, *dir_ / "short_audio.flv"));
    for (const char* name : {"whole.mp3", "whole.flac", "whole.mkv", "whole.avi", "whole.flv"}) {
      const std::vector<std::uint8_t> bytes = io::testing::read_bytes(*dir_ / name);
      ASSERT_GT(bytes.size(), 1000u);
      const std::vector<std::uint8_t> half(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 2));
      ASSERT_TRUE(io::testing::write_bytes(*dir_ / ("half" + std::string(name).substr(5)), half));
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static Report scan(const std::string& name, const std::set<std::string>& detectors) {
    ScanOptions options;
    options.detectors = detectors;
    options.parameters["video.ocr"] = "false";
    Result<Report> report = scan_file(*dir_ / name, options);
    EXPECT_TRUE(report.is_ok()) << report.status().message();
    return report.is_ok() ? *report : Report{};
  }

  static TempDir* dir_;
};

TempDir* CutShortTest::dir_ = nullptr;

TEST_F(CutShortTest, AStreamEndingLongBeforeItsDeclaredDurationIsCutShort) {
  const std::vector<std::pair<std::string, std::set<std::string>>> cases = {
      {".mp3", {"audio"}}, {".flac", {"audio"}}, {".mkv", {"video"}}};  // meta off: its Matroska check is not this one
  for (const auto& [extension, detectors] : cases) {
    const Report whole = scan("whole" + extension, detectors);
    EXPECT_TRUE(whole.complete) << extension;
    EXPECT_TRUE(whole.errors.empty()) << extension << ": " << whole.errors.front();
    const Report half = scan("half" + extension, detectors);
    EXPECT_FALSE(half.complete) << extension;
    EXPECT_EQ(half.status, ScanStatus::kPartial) << extension;
    ASSERT_EQ(half.errors.size(), 1u) << extension;
    const std::string& error = half.errors[0];
    EXPECT_NE(error.find("half" + extension + ": "), std::string::npos) << error;
    EXPECT_NE(error.find(" s its container declares: the file is cut short"), std::string::npos) << error;
  }
}

// An FLV's streams have no duration of their own; the file's (its onMetaData) is compared with
// where the audio and video end. An audio track that ends early is no cut.
TEST_F(CutShortTest, AnFlvIsCutShortByItsFilesDuration) {
  const std::set<std::string> detectors = {"audio", "video"};
  EXPECT_TRUE(scan("whole.flv", detectors).complete);
  const Report short_audio = scan("short_audio.flv", detectors);
  EXPECT_TRUE(short_audio.complete);
  EXPECT_TRUE(short_audio.errors.empty()) << short_audio.errors.front();
  const Report half = scan("half.flv", detectors);
  EXPECT_FALSE(half.complete);
  ASSERT_EQ(half.errors.size(), 1u);
  EXPECT_NE(half.errors[0].find("half.flv: its audio and video end at "), std::string::npos) << half.errors[0];
  EXPECT_NE(half.errors[0].find(" s its container declares: the file is cut short"), std::string::npos)
      << half.errors[0];
}

// FFmpeg declares a cut AVI's duration as the part present, so the duration rule cannot see the
// cut; meta's check of the RIFF sizes does. An AVI written to a pipe declares a nonsense duration
// (2^30 frames scaled down) and is whole: no family may call it cut short.
TEST_F(CutShortTest, AnAviIsCutShortByItsRiffSizesAndAPipedOneIsWhole) {
  for (const std::set<std::string>& detectors : {std::set<std::string>{"meta", "video"}, {"video"}, {"audio"}}) {
    const Report piped = scan("piped.avi", detectors);
    EXPECT_TRUE(piped.complete) << *detectors.begin();
    EXPECT_TRUE(piped.errors.empty()) << *detectors.begin() << ": " << piped.errors.front();
  }
  const Report whole = scan("whole.avi", {"meta", "video"});
  EXPECT_TRUE(whole.complete);
  const Report half = scan("half.avi", {"meta", "video"});
  EXPECT_FALSE(half.complete);
  EXPECT_EQ(half.status, ScanStatus::kPartial);
  ASSERT_EQ(half.errors.size(), 1u);
  EXPECT_NE(half.errors[0].find("half.avi: the AVI's RIFF 'AVI ' chunk at byte 0 declares "), std::string::npos)
      << half.errors[0];
  EXPECT_NE(half.errors[0].find(": the file is cut short"), std::string::npos) << half.errors[0];
}

}  // namespace
}  // namespace wm
