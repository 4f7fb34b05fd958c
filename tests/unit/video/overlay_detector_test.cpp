#include "video/overlay_detector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/video/synthetic_frames.h"
#include "video/family.h"

namespace wm::video {
namespace {

using testing::blend;
using testing::make_content;
using testing::make_tiled_layer;

// Runs the detector over `count` frames made by `make(i)` at 1 s spacing.
template <class Make>
core::DetectorOutput run(int width, int height, int count, Make make) {
  OverlaySettings settings;
  std::unique_ptr<core::VideoDetector> detector = make_overlay_detector(settings);
  core::VideoStreamFormat format{2 * width, 2 * height, width, height, 30.0, static_cast<double>(count)};
  EXPECT_TRUE(detector->start(format).is_ok());
  for (int i = 0; i < count; ++i) {
    const cv::Mat frame = make(i);
    const FrameView view{frame.data, frame.cols, frame.rows, static_cast<int>(frame.step), PixelFormat::kGray8, 1.0 * i};
    EXPECT_TRUE(detector->feed(view).is_ok());
  }
  return detector->finish(true);
}

const Finding* find(const core::DetectorOutput& out, const std::string& id) {
  for (const Finding& f : out.findings) {
    if (f.detector == id) return &f;
  }
  return nullptr;
}

std::string evidence_text(const Finding& f, const std::string& key) {
  for (const EvidenceField& e : f.evidence) {
    if (e.key == key && std::holds_alternative<std::string>(e.value)) return std::get<std::string>(e.value);
  }
  return {};
}

TEST(OverlayDetectorTest, TiledEmailOverChangingContentIsFoundAndRead) {
  const int w = 640, h = 360;
  const cv::Mat layer = make_tiled_layer(w, h, "jane.doe@example.com", 15.0, 0.8, 330, 90);
  const core::DetectorOutput out =
      run(w, h, 24, [&](int i) { return blend(make_content(w, h, i, 1), layer, 0.3, 120.0); });
  const Finding* f = find(out, "video.tiled_text");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(evidence_text(*f, "text"), "jane.doe@example.com");
  ASSERT_TRUE(f->region.has_value());
  EXPECT_GT(f->region->width, w);  // source pixels: twice the analysed size
  EXPECT_FALSE(f->artifacts.empty());
  for (const EvidenceField& e : f->evidence) {
    if (e.key == "text") {
      EXPECT_TRUE(e.personal);
    }
  }
}

TEST(OverlayDetectorTest, OpaqueToolbarIsOnlyInfo) {
  const int w = 640, h = 360;
  cv::Mat bar(40, w, CV_8UC1, cv::Scalar(60));
  for (int x = 10; x < w; x += 50) cv::rectangle(bar, cv::Rect(x, 8, 30, 24), cv::Scalar(220), 2);
  const core::DetectorOutput out = run(w, h, 20, [&](int i) {
    cv::Mat frame = make_content(w, h, i, 2);
    bar.copyTo(frame(cv::Rect(0, 0, w, 40)));
    return frame;
  });
  ASSERT_FALSE(out.findings.empty());
  for (const Finding& f : out.findings) {
    EXPECT_EQ(f.detector, "video.static_ui");
    EXPECT_EQ(f.severity, Severity::kInfo);
  }
  EXPECT_NE(find(out, "video.static_ui"), nullptr);
}

TEST(OverlayDetectorTest, BurnedInNameLabelIsRead) {
  // A participant label: white text in an opaque dark box, over content that keeps changing.
  const int w = 640, h = 360;
  cv::Mat label(34, 190, CV_8UC1, cv::Scalar(32));
  cv::putText(label, "Maria Keller", cv::Point(8, 24), cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(240), 2, cv::LINE_AA);
  const core::DetectorOutput out = run(w, h, 20, [&](int i) {
    cv::Mat frame = make_content(w, h, i, 6);
    label.copyTo(frame(cv::Rect(12, h - 50, label.cols, label.rows)));
    return frame;
  });
  const Finding* f = find(out, "video.burned_in_text");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(evidence_text(*f, "text"), "Maria Keller");
  EXPECT_EQ(f->severity, Severity::kHigh);  // a person-like name
  ASSERT_TRUE(f->region.has_value());
  EXPECT_NEAR(f->region->x, 2 * 12, 16);  // source pixels: twice the analysed size
  EXPECT_NEAR(f->region->y, 2 * (h - 50), 16);
  EXPECT_EQ(find(out, "video.tiled_text"), nullptr);
}

TEST(OverlayDetectorTest, CleanContentHasNoMark) {
  const int w = 640, h = 360;
  const core::DetectorOutput out = run(w, h, 20, [&](int i) { return make_content(w, h, i, 4); });
  EXPECT_EQ(find(out, "video.tiled_text"), nullptr);
  EXPECT_EQ(find(out, "video.text_overlay"), nullptr);
  EXPECT_TRUE(out.not_checked.empty());
}

TEST(OverlayDetectorTest, StillSlideIsUndecidableNotClean) {
  const int w = 640, h = 360;
  const cv::Mat slide = make_content(w, h, 0, 5);
  const core::DetectorOutput out = run(w, h, 20, [&](int) { return slide; });
  EXPECT_TRUE(out.findings.empty());
  ASSERT_FALSE(out.not_checked.empty());
  EXPECT_NE(out.not_checked.front().reason.find("could not separate overlays from content"), std::string::npos);
}

TEST(OverlayDetectorTest, IncompleteStreamIsSaid) {
  const int w = 320, h = 180;
  const core::DetectorOutput out = run(w, h, 2, [&](int i) { return make_content(w, h, i, 6); });
  bool ended_early = false;
  OverlaySettings settings;
  std::unique_ptr<core::VideoDetector> d = make_overlay_detector(settings);
  ASSERT_TRUE(d->start({w, h, w, h, 30.0, 2.0}).is_ok());
  for (const NotChecked& n : d->finish(false).not_checked) ended_early |= n.reason.find("ended early") != std::string::npos;
  EXPECT_TRUE(ended_early);
  EXPECT_FALSE(out.not_checked.empty());
}

TEST(VideoFamilyTest, DescribesItselfAndValidatesParameters) {
  const DetectorDescription d = describe_video_family();
  EXPECT_EQ(d.id, "video");
  EXPECT_FALSE(d.parameters.empty());
  ScanOptions options;
  options.parameters["video.reservoir_frames"] = "12";
  EXPECT_TRUE(make_video_detectors(options).is_ok());
  options.parameters["video.reservoir_frames"] = "lots";
  EXPECT_FALSE(make_video_detectors(options).is_ok());
  options.parameters.erase("video.reservoir_frames");
  options.parameters["video.nonsense"] = "1";
  EXPECT_FALSE(make_video_detectors(options).is_ok());
}

TEST(VideoFamilyTest, BadFramesAreErrorsNotCrashes) {
  std::unique_ptr<core::VideoDetector> d = make_overlay_detector(OverlaySettings{});
  EXPECT_FALSE(d->feed(FrameView{}).is_ok());
  EXPECT_FALSE(d->start({}).is_ok());
}

}  // namespace
}  // namespace wm::video
