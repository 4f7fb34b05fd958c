#include "video/scroll_residual.h"

#include <gtest/gtest.h>

#include <vector>

#include <opencv2/core.hpp>

#include "unit/video/synthetic_frames.h"

namespace wm::video {
namespace {

using testing::blend;
using testing::make_tall_light_page;
using testing::make_tiled_layer;
using testing::scroll_window;

constexpr int kWidth = 640, kHeight = 360;

// Scroll offsets with pauses (repeated offsets) and uneven steps, down the page.
std::vector<int> scroll_offsets(int count) {
  std::vector<int> offsets;
  for (int i = 0; i < count; ++i) offsets.push_back(31 * i + 9 * (i % 3) - 7 * (i % 2));
  return offsets;
}

TEST(ScrollResidualTest, FindsTheOffsetBetweenTwoViewsOfAScrolledPage) {
  const cv::Mat page = make_tall_light_page(kWidth, 1200, 3);
  const cv::Mat earlier = scroll_window(page, kHeight, 100);
  EXPECT_EQ(scroll_offset_px(earlier, scroll_window(page, kHeight, 100)), 0);
  EXPECT_EQ(scroll_offset_px(earlier, scroll_window(page, kHeight, 137)), 37);
  EXPECT_EQ(scroll_offset_px(earlier, scroll_window(page, kHeight, 351)), 251);
  EXPECT_EQ(scroll_offset_px(earlier, scroll_window(page, kHeight, 59)), -41);
  // Another page entirely (a slide change), or one scrolled past the whole frame: no offset.
  EXPECT_FALSE(scroll_offset_px(earlier, scroll_window(make_tall_light_page(kWidth, 1200, 4), kHeight, 100)));
  EXPECT_FALSE(scroll_offset_px(earlier, scroll_window(page, kHeight, 800)));
}

// A white mark at 0.2 over a white page: each frame shows it only where ink passes under it, and
// the frames less their page give its opacity there, and nothing off its strokes.
TEST(ScrollResidualTest, GivesTheOpacityOfAWhiteMarkOverInk) {
  const cv::Mat page = make_tall_light_page(kWidth, 1400, 5);
  const cv::Mat layer = make_tiled_layer(kWidth, kHeight, "jane.doe@example.com", 15.0, 0.8, 330, 90);
  std::vector<cv::Mat> frames;
  std::vector<double> times_s;
  for (const int offset : scroll_offsets(24)) {
    frames.push_back(blend(scroll_window(page, kHeight, offset), layer, 0.2, 255.0));
    times_s.push_back(static_cast<double>(frames.size()));
  }
  const std::optional<ScrollResidual> residual = compute_scroll_residual(frames, times_s, {});
  ASSERT_TRUE(residual.has_value());
  EXPECT_GE(residual->scroll_positions, 20);
  const cv::Mat on_strokes = (layer > 0.9) & residual->lighter_known;
  const cv::Mat off_strokes = (layer < 0.01) & residual->lighter_known;
  ASSERT_GT(cv::countNonZero(on_strokes), 500);
  ASSERT_GT(cv::countNonZero(off_strokes), 5000);
  EXPECT_NEAR(cv::mean(residual->lighter_alpha, on_strokes)[0], 0.2, 0.05);
  EXPECT_NEAR(cv::mean(residual->lighter_alpha, off_strokes)[0], 0.0, 0.02);
}

// A neighbourhood's opacity is its pixels' estimates weighed by how much page passed under each:
// a well-measured pixel at 0.2 beside poorly measured ones that read 0.9 (codec noise) keeps the
// neighbourhood near 0.2, where averaging the estimates alike would not.
TEST(ScrollResidualTest, PooledOpacityCountsEachPixelByItsWeight) {
  cv::Mat alpha(9, 9, CV_32F, cv::Scalar(0.9)), weight(9, 9, CV_32F, cv::Scalar(100.0));
  alpha.at<float>(4, 4) = 0.2f;
  weight.at<float>(4, 4) = 1.0e6f;
  const cv::Mat pooled = pooled_alpha(alpha, weight, 1.0);
  EXPECT_NEAR(pooled.at<float>(4, 4), 0.2, 0.01);
  EXPECT_NEAR(pooled.at<float>(4, 5), 0.2, 0.02);
  // Far from it, only the noisy pixels are left.
  EXPECT_NEAR(pooled.at<float>(0, 0), 0.9, 0.01);
  // Where no page passed, nothing to estimate: no division by zero.
  const cv::Mat none = pooled_alpha(alpha, cv::Mat::zeros(9, 9, CV_32F), 1.0);
  EXPECT_EQ(cv::countNonZero(none), 0);
}

// Frames that do not scroll (a picture that changes in place) give no estimate.
TEST(ScrollResidualTest, NothingWhenThePictureDoesNotScroll) {
  std::vector<cv::Mat> frames;
  std::vector<double> times_s;
  for (int i = 0; i < 12; ++i) {
    frames.push_back(testing::make_content(kWidth, kHeight, i, 9));
    times_s.push_back(i);
  }
  EXPECT_FALSE(compute_scroll_residual(frames, times_s, {}).has_value());
}

}  // namespace
}  // namespace wm::video
