// The video family's frame choice through the whole scan (video.frames): the pipeline reads the
// container's key-frame index before decoding and decodes key frames only when the detector
// asked for that and the index lists enough of them. The report's run parameters say which.
// Frames are turned as the stream's display matrix says before any detector sees them.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

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
    // Bit errors in the second frame of the second GOP (1.25 s), which the decoder conceals.
    ASSERT_TRUE(io::testing::write_with_damaged_packets(*dir_ / "gop4.mp4", 0, {5}, 8, *dir_ / "gop4_damaged.mp4"));
    // The same stream in MPEG-TS: no index to read.
    ASSERT_TRUE(io::testing::make_media("-i " + io::testing::quoted(*dir_ / "gop4.mp4") + " -c copy",
                                        *dir_ / "gop4.ts"));
    // A phone held upright: the picture is stored turned a quarter to the right and a display
    // matrix turns it back; a semi-transparent line of text is drawn upright on what is shown.
    ASSERT_TRUE(io::testing::make_media(
        "-f lavfi -i \"gradients=s=640x360:c0=0x806050:c1=0x304060:speed=0.08:seed=7:r=10:d=8,"
        "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='jane.doe@example.com':"
        "fontsize=36:fontcolor=white@0.4:x=(w-tw)/2:y=(h-th)/2,transpose=1\" "
        "-c:v libx264 -preset ultrafast -crf 18 -pix_fmt yuv420p",
        *dir_ / "stored_sideways.mp4"));
    ASSERT_TRUE(io::testing::make_media(
        "-i " + io::testing::quoted(*dir_ / "stored_sideways.mp4") + " -c copy -metadata:s:v rotate=90",
        *dir_ / "phone.mp4"));
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

TEST_F(VideoFramesTest, DetectorsSeeThePictureTurnedAsPlayersShowIt) {
  ScanOptions options;
  options.detectors = {"video"};
  Result<Report> report = scan_file(*dir_ / "phone.mp4", options);
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  ASSERT_FALSE(report->streams.empty());
  EXPECT_EQ(report->streams[0].width, 360);  // as stored
  EXPECT_EQ(report->streams[0].rotation_deg, 270);
  const Finding* text = nullptr;
  for (const Finding& f : report->findings) {
    if (f.detector == "video.text_overlay" || f.detector == "video.burned_in_text") text = &f;
  }
  // Stored sideways, the line is a column of letters that reads as nothing (logo pieces).
  ASSERT_NE(text, nullptr) << "no text finding: the frames were not turned";
  ASSERT_TRUE(text->region.has_value());
  // A line across the shown picture: wider than tall. Only the part read is its region (since
  // video 0.29, MarkText::read_at): over this drifting picture the matte keeps "jane" and "com"
  // of the address, and "jane" is read — a 90 x 41 box upright, 41 x 90 if the frames were not
  // turned.
  EXPECT_GT(text->region->width, 2 * text->region->height);
  EXPECT_LE(text->region->x + text->region->width, 640);
  EXPECT_LE(text->region->y + text->region->height, 360);
  std::string read;
  for (const EvidenceField& e : text->evidence) {
    if (e.key == "text") read = std::get<std::string>(e.value);
  }
  // (Over this drifting picture the line is read in part, a piece of the address; upright
  // or turned alike.)
  EXPECT_GE(read.size(), 4u);
  EXPECT_NE(std::string("jane.doe@example.com").find(read), std::string::npos) << read;
}

// A damaged stretch is left out and said: the report stays complete (the rest was analysed) but
// never reads as if every frame had been looked at. An intact file says nothing of the kind.
TEST_F(VideoFramesTest, DamagedFramesAreLeftOutAndSaid) {
  ScanOptions options;
  options.detectors = {"video"};
  options.parameters["video.frames"] = "all";
  options.parameters["video.ocr"] = "false";
  for (const char* name : {"gop4_damaged.mp4", "gop4.mp4"}) {
    Result<Report> report = scan_file(*dir_ / name, options);
    ASSERT_TRUE(report.is_ok()) << report.status().message();
    EXPECT_TRUE(report->complete);
    std::vector<std::string> damage_notes;
    for (const NotChecked& n : report->not_checked) {
      if (n.reason.find("damaged data") != std::string::npos) damage_notes.push_back(n.detector + ": " + n.reason);
    }
    if (std::string(name) == "gop4.mp4") {
      EXPECT_TRUE(damage_notes.empty()) << damage_notes.front();
      continue;
    }
    ASSERT_EQ(damage_notes.size(), 1u);
    // Frames 5, 6 and 7 of 48 (1.25 s to 1.75 s); the key frame at 2 s ends the stretch.
    EXPECT_EQ(damage_notes[0].rfind("video: 3 of 48 decoded video frames (1.25 s to 1.75 s)", 0), 0u) << damage_notes[0];
  }
}

}  // namespace
}  // namespace wm
