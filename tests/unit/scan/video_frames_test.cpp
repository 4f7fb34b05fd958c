// The video family's frame choice through the whole scan (video.frames): the pipeline reads the
// container's key-frame index before decoding and decodes key frames only when the detector
// asked for that and the index lists enough of them. The report's run parameters say which.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "unit/io/io_test_util.h"
#include "wm/scan.h"

namespace wm {
namespace {

using io::testing::TempDir;

std::string run_parameter(const Report& report, const std::string& family, const std::string& key) {
  for (const DetectorRun& run : report.detectors) {
    if (run.id != family) continue;
    for (const auto& [k, v] : run.parameters) {
      if (k == key) return v;
    }
  }
  return {};
}

class VideoFramesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_TRUE(dir_->ok());
    // 12 s at 4 fps with a key frame every 4 frames: the MP4 index lists 12 key frames.
    ASSERT_TRUE(io::testing::make_media("-f lavfi -i testsrc2=size=320x180:rate=4:duration=12 "
                                        "-c:v libx264 -preset ultrafast -g 4 -keyint_min 4 -sc_threshold 0 "
                                        "-pix_fmt yuv420p",
                                        *dir_ / "gop4.mp4"));
    // The same stream in MPEG-TS: no index to read.
    ASSERT_TRUE(io::testing::make_media("-i " + io::testing::quoted(*dir_ / "gop4.mp4") + " -c copy",
                                        *dir_ / "gop4.ts"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::string decoded(const std::string& file, std::map<std::string, std::string> parameters) {
    ScanOptions options;
    options.detectors = {"video"};
    options.parameters = std::move(parameters);
    options.parameters["video.ocr"] = "false";
    Result<Report> report = scan_file(*dir_ / file, options);
    if (!report.is_ok()) return "error: " + report.status().message();
    return run_parameter(*report, "video", "decoded");
  }

  static TempDir* dir_;
};

TempDir* VideoFramesTest::dir_ = nullptr;

TEST_F(VideoFramesTest, AutoDecodesKeyFramesOnlyWhenTheIndexListsReservoirFramesOfThem) {
  EXPECT_EQ(decoded("gop4.mp4", {{"video.reservoir_frames", "12"}}), "key frames only (index lists 12 key frames)");
  EXPECT_EQ(decoded("gop4.mp4", {{"video.reservoir_frames", "13"}}), "every frame (index lists 12 key frames)");
  EXPECT_EQ(decoded("gop4.mp4", {}), "every frame (index lists 12 key frames)");  // default 40
}

TEST_F(VideoFramesTest, ExplicitChoicesAreObeyed) {
  EXPECT_EQ(decoded("gop4.mp4", {{"video.reservoir_frames", "4"}, {"video.frames", "all"}}),
            "every frame (index lists 12 key frames)");
  EXPECT_EQ(decoded("gop4.ts", {{"video.frames", "keyframes"}}), "key frames only (index lists 0 key frames)");
  EXPECT_EQ(decoded("gop4.ts", {{"video.reservoir_frames", "4"}}), "every frame (index lists 0 key frames)");
}

TEST_F(VideoFramesTest, UnknownChoiceIsAnErrorNamingTheParameter) {
  const std::string result = decoded("gop4.mp4", {{"video.frames", "some"}});
  EXPECT_NE(result.find("video.frames"), std::string::npos) << result;
}

}  // namespace
}  // namespace wm
