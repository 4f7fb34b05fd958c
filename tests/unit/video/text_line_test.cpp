#include "video/text_line.h"

#include <gtest/gtest.h>

#include <vector>

#include <opencv2/imgproc.hpp>

#include "video/gradient_stats.h"

namespace wm::video {
namespace {

constexpr int kWidth = 640, kHeight = 360;

// Consistent-gradient fields of `image` (CV_32FC1, gray levels) with what a median keeps of
// content that changes everywhere: Gaussian residue of `residue_gray` per pixel.
void fields_of(const cv::Mat& image, double residue_gray, std::uint64_t seed, cv::Mat& gx, cv::Mat& gy) {
  cv::Mat residue(image.size(), CV_32F);
  cv::RNG rng(seed);
  rng.fill(residue, cv::RNG::NORMAL, 0.0, residue_gray);
  forward_differences(image + residue, gx, gy);
}

// A line of text drawn `level_gray` above the ground.
cv::Mat text_line_image(double level_gray) {
  cv::Mat image = cv::Mat::zeros(kHeight, kWidth, CV_32F);
  cv::putText(image, "jane.doe@example.com", cv::Point(170, 200), cv::FONT_HERSHEY_SIMPLEX, 0.9,
              cv::Scalar(level_gray), 2, cv::LINE_AA);
  return image;
}

const cv::Mat kAllValid(kHeight, kWidth, CV_8UC1, cv::Scalar(255));

TEST(TextLineTest, FaintLineOverResidueGetsAWindowAroundIt) {
  // 0.3 white over mid-gray moves the strokes by ~38 gray; the residue's gradients (σ ≈ 11 gray
  // per pixel) are as large as the strokes' edges pixel by pixel.
  cv::Mat gx, gy;
  fields_of(text_line_image(38.0), 8.0, 1, gx, gy);
  const std::vector<cv::Rect> windows = find_line_windows(gx, gy, kAllValid);
  ASSERT_FALSE(windows.empty());
  const cv::Rect line(170, 180, 330, 25);  // where putText drew (about)
  EXPECT_EQ((windows[0] & line).area(), line.area()) << windows[0];
  EXPECT_LT(windows[0].area(), kWidth * kHeight / 4);
}

TEST(TextLineTest, ResidueAloneGivesNoWindow) {
  cv::Mat gx, gy;
  fields_of(cv::Mat::zeros(kHeight, kWidth, CV_32F), 8.0, 2, gx, gy);
  EXPECT_TRUE(find_line_windows(gx, gy, kAllValid).empty());
}

TEST(TextLineTest, FlatFieldGivesNoWindow) {
  const cv::Mat zero = cv::Mat::zeros(kHeight, kWidth, CV_32F);
  EXPECT_TRUE(find_line_windows(zero, zero, kAllValid).empty());
}

TEST(TextLineTest, CompactShapeIsNoLine) {
  cv::Mat image = cv::Mat::zeros(kHeight, kWidth, CV_32F);
  cv::circle(image, cv::Point(320, 180), 40, cv::Scalar(38.0), 3, cv::LINE_AA);
  cv::Mat gx, gy;
  fields_of(image, 8.0, 3, gx, gy);
  EXPECT_TRUE(find_line_windows(gx, gy, kAllValid).empty());
}

TEST(TextLineTest, LineOutsideTheValidPixelsIsNotSeen) {
  cv::Mat gx, gy;
  fields_of(text_line_image(38.0), 8.0, 4, gx, gy);
  cv::Mat valid = kAllValid.clone();
  valid(cv::Rect(0, 150, kWidth, 80)).setTo(0);
  EXPECT_TRUE(find_line_windows(gx, gy, valid).empty());
}

}  // namespace
}  // namespace wm::video
