// Still text lines told apart by whether their letters let the picture through (see_through.h).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "video/see_through.h"

namespace wm::video {
namespace {

constexpr int kWidth = 360, kHeight = 120;

// Camera-like frames: a shaded ground whose brightness and slope drift from frame to frame,
// with sensor noise, under `text` (DejaVu-sized Hershey letters, 3 px strokes) of `colour_gray`
// at `opacity`. `ground_drift_gray` 0 gives a ground that stands still.
struct LineFrames {
  std::vector<cv::Mat> frames;  // CV_8UC1
  cv::Mat mean;                 // CV_32FC1
  cv::Rect letters;
};

LineFrames make_line_frames(double opacity, double colour_gray, double ground_drift_gray) {
  LineFrames out;
  cv::Mat ink = cv::Mat::zeros(kHeight, kWidth, CV_8UC1);
  const char* text = "k.berg@mail.example";
  const cv::Point origin(20, 75);
  cv::putText(ink, text, origin, cv::FONT_HERSHEY_SIMPLEX, 0.95, cv::Scalar(255), 3, cv::LINE_AA);
  cv::Mat cover;
  ink.convertTo(cover, CV_32F, opacity / 255.0);
  out.letters = cv::boundingRect(ink);
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.0f, 2.0f);
  out.mean = cv::Mat::zeros(kHeight, kWidth, CV_32FC1);
  const int count = 24;
  for (int t = 0; t < count; ++t) {
    const double level = 110.0 + ground_drift_gray * std::sin(0.7 * t);
    const double slope = 0.1 + 0.002 * ground_drift_gray * std::cos(0.45 * t);
    cv::Mat ground(kHeight, kWidth, CV_32FC1);
    for (int y = 0; y < kHeight; ++y) {
      for (int x = 0; x < kWidth; ++x) {
        ground.at<float>(y, x) = static_cast<float>(level + slope * (x - kWidth / 2)) + noise(rng);
      }
    }
    const cv::Mat frame = ground.mul(1.0f - cover) + cover * colour_gray;
    cv::Mat frame8;
    frame.convertTo(frame8, CV_8U);
    out.frames.push_back(frame8);
    cv::Mat back;
    frame8.convertTo(back, CV_32F);
    out.mean += back / count;
  }
  return out;
}

TEST(SeeThroughTest, SemiTransparentLettersFollowThePicture) {
  const LineFrames line = make_line_frames(0.35, 0.0, 20.0);
  const SeeThrough s = measure_see_through(line.frames, line.mean, line.letters);
  ASSERT_TRUE(s.measured);
  EXPECT_GT(s.correlation, 0.9);
  EXPECT_NEAR(s.alpha, 0.35, 0.12);
  EXPECT_LT(s.colour_gray, 40.0);
}

TEST(SeeThroughTest, OpaqueLettersDoNotFollowIt) {
  const LineFrames line = make_line_frames(1.0, 240.0, 20.0);
  const SeeThrough s = measure_see_through(line.frames, line.mean, line.letters);
  ASSERT_TRUE(s.measured);
  EXPECT_GT(s.alpha, 0.85);
}

// Over a ground that stands still, following it cannot be told from not following it.
TEST(SeeThroughTest, OverAStillGroundNothingIsMeasured) {
  const LineFrames line = make_line_frames(0.35, 0.0, 0.0);
  EXPECT_FALSE(measure_see_through(line.frames, line.mean, line.letters).measured);
}

}  // namespace
}  // namespace wm::video
