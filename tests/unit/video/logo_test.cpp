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

// Frame times for frames given in time order, 1 s apart.
std::vector<double> in_order_times_s(std::size_t count) {
  std::vector<double> times_s(count);
  for (std::size_t k = 0; k < count; ++k) times_s[k] = static_cast<double>(k);
  return times_s;
}

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

  const std::vector<LogoCandidate> logos = find_logos(stats, frames, in_order_times_s(frames.size()), gx, gy, valid, LogoSearchParams{});
  ASSERT_EQ(logos.size(), 1u);
  const LogoCandidate& logo = logos.front();
  EXPECT_NEAR(logo.box.x + logo.box.width / 2, 120, 6);
  EXPECT_NEAR(logo.box.y + logo.box.height / 2, 110, 6);
  EXPECT_NEAR(logo.alpha.alpha, 0.25, 0.08);
  EXPECT_FALSE(logo.matte.mark_is_brighter);
  EXPECT_LT(logo.closure, 0.1);
}

// Template slides whose titles (random words, white on the dark slides, dark on the light ones)
// sit at one place. The median keeps a ghost of the title row; with the gates for elongated
// islands and for fitted opacities above 1 switched off, only the frames' departure from the
// overlay line is left to tell it from a logo: its strokes are letters in some frames and gaps
// in others.
TEST(LogoTest, TitlesAtOnePlaceDepartFromTheOverlayLine) {
  const int w = 640, h = 360;
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 10; ++i) frames.push_back(testing::make_template_slide(w, h, i, 12));
  const GradientStatistics stats = compute_gradient_statistics(frames);
  const cv::Mat valid = soft_mask(stats);
  cv::Mat gx = cv::Mat::zeros(stats.median_gx.size(), CV_32F), gy = gx.clone();
  stats.median_gx.copyTo(gx, valid);
  stats.median_gy.copyTo(gy, valid);
  LogoSearchParams params;
  params.elongated_aspect = 1e9;
  params.max_fitted_alpha = 1e9;
  EXPECT_TRUE(find_logos(stats, frames, in_order_times_s(frames.size()), gx, gy, valid, params).empty());
  params.max_fit_residual_share = 1e9;
  const std::vector<LogoCandidate> ghosts = find_logos(stats, frames, in_order_times_s(frames.size()), gx, gy, valid, params);
  ASSERT_FALSE(ghosts.empty());
  EXPECT_GT(ghosts.front().fit_residual_gray, LogoSearchParams{}.max_fit_residual_share *
                                                  ghosts.front().background_spread_gray);
}

// A logo shown on the last six slides of ten (it appeared part-way): the frames that show it are
// one stretch of time, so the overlay line is fitted to them and the four without it do not
// count as departures. The frames come in the order a reservoir keeps them (slots replaced at
// random), not in time order: the times say which frames are one stretch.
TEST(LogoTest, LogoShownForPartOfTheFramesFollowsTheOverlayLine) {
  const int w = 640, h = 360;
  const cv::Mat layer = make_logo_layer(w, h, cv::Point(560, 290), 34);
  const std::vector<int> time_of_slot = {7, 2, 9, 0, 5, 3, 8, 1, 6, 4};
  std::vector<cv::Mat> frames;
  std::vector<double> times_s;
  for (int t : time_of_slot) {
    const cv::Mat slide = testing::make_template_slide(w, h, t, 14);
    frames.push_back(t < 4 ? slide : blend(slide, layer, 0.3, 255.0));
    times_s.push_back(static_cast<double>(t));
  }
  const GradientStatistics stats = compute_gradient_statistics(frames);
  const cv::Mat valid = soft_mask(stats);
  cv::Mat gx = cv::Mat::zeros(stats.median_gx.size(), CV_32F), gy = gx.clone();
  stats.median_gx.copyTo(gx, valid);
  stats.median_gy.copyTo(gy, valid);
  const std::vector<LogoCandidate> logos = find_logos(stats, frames, times_s, gx, gy, valid, LogoSearchParams{});
  ASSERT_EQ(logos.size(), 1u);
  EXPECT_NEAR(logos.front().box.x + logos.front().box.width / 2, 560, 6);
  EXPECT_EQ(logos.front().fit_frames, 6);
  EXPECT_NEAR(logos.front().fitted_alpha, 0.3, 0.08);
  // In slot order the six are not one run: fitted over all ten, the logo is lost.
  EXPECT_TRUE(find_logos(stats, frames, in_order_times_s(frames.size()), gx, gy, valid, LogoSearchParams{}).empty());
}

TEST(LogoTest, NoIslandsInCleanContent) {
  const int w = 320, h = 180;
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 16; ++i) frames.push_back(make_content(w, h, i, 32));
  const GradientStatistics stats = compute_gradient_statistics(frames);
  const cv::Mat valid = soft_mask(stats);
  EXPECT_TRUE(find_logos(stats, frames, in_order_times_s(frames.size()), stats.median_gx, stats.median_gy, valid,
                         LogoSearchParams{}).empty());
}

}  // namespace
}  // namespace wm::video
