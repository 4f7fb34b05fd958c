#include "video/logo.h"

#include <gtest/gtest.h>

#include <vector>

#include <opencv2/imgproc.hpp>

#include "unit/video/synthetic_frames.h"
#include "video/gradient_stats.h"

namespace wm::video {
namespace {

using testing::blend;
using testing::make_content;
using testing::make_logo_layer;

// The detector's soft mask: pixels that are not static, eroded by 3 px.
cv::Mat soft_mask(const GradientStatistics& stats) {
  cv::Mat soft = stats.stddev_gray > 2.0;
  cv::erode(soft, soft, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  return soft;
}

// A picture-in-picture tile of a test pattern: a dark field with a bright quarter disc in its
// corner, and a bright band sweeping across it. The disc's arc stays put while the band makes
// every pixel vary: consistent gradients along an open edge.
void draw_pattern_tile(cv::Mat& frame, const cv::Rect& tile, int index) {
  cv::Mat t = frame(tile);
  t.setTo(70);
  cv::circle(t, cv::Point(tile.width, tile.height), tile.height - 20, cv::Scalar(190), cv::FILLED, cv::LINE_AA);
  const int band_x = (index * 37) % tile.width;
  cv::line(t, cv::Point(band_x - 40, 0), cv::Point(band_x + 40, tile.height), cv::Scalar(255), 14);
}

TEST(LogoTest, ClosedSemiTransparentShapeIsALogoAndAnOpenEdgeIsNot) {
  const int w = 640, h = 360;
  const cv::Mat layer = make_logo_layer(w, h, cv::Point(120, 110), 40);
  const cv::Rect tile(400, 190, 160, 120);
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 20; ++i) {
    cv::Mat frame = blend(make_content(w, h, i, 31), layer, 0.25, 0.0);
    draw_pattern_tile(frame, tile, i);
    frames.push_back(frame);
  }
  const GradientStatistics stats = compute_gradient_statistics(frames);
  const cv::Mat valid = soft_mask(stats);
  cv::Mat gx = cv::Mat::zeros(stats.median_gx.size(), CV_32F), gy = gx.clone();
  stats.median_gx.copyTo(gx, valid);
  stats.median_gy.copyTo(gy, valid);

  // The arc is an island of consistent gradients too, but not a closed one.
  bool edge_is_an_island = false;
  for (const LogoCandidate& c : find_logo_islands(gx, gy, valid, LogoSearchParams{})) {
    edge_is_an_island |= (c.box & tile).area() > 0;
  }
  EXPECT_TRUE(edge_is_an_island);

  const std::vector<LogoCandidate> logos = find_logos(stats, frames, gx, gy, valid, LogoSearchParams{});
  ASSERT_EQ(logos.size(), 1u);
  const LogoCandidate& logo = logos.front();
  EXPECT_NEAR(logo.box.x + logo.box.width / 2, 120, 6);
  EXPECT_NEAR(logo.box.y + logo.box.height / 2, 110, 6);
  EXPECT_NEAR(logo.alpha.alpha, 0.25, 0.08);
  EXPECT_FALSE(logo.matte.mark_is_brighter);
  EXPECT_LT(logo.closure, 0.1);
}

TEST(LogoTest, NoIslandsInCleanContent) {
  const int w = 320, h = 180;
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 16; ++i) frames.push_back(make_content(w, h, i, 32));
  const GradientStatistics stats = compute_gradient_statistics(frames);
  const cv::Mat valid = soft_mask(stats);
  EXPECT_TRUE(find_logos(stats, frames, stats.median_gx, stats.median_gy, valid, LogoSearchParams{}).empty());
}

}  // namespace
}  // namespace wm::video
