// The second lattice search: a page scrolled by whole lines keeps its text rows and character
// cells at the same place in every frame, and the median keeps an "average glyph" grid that
// hides a faint tiled mark from the plain lattice search.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "unit/video/synthetic_frames.h"
#include "video/gradient_stats.h"
#include "video/lattice.h"

namespace wm::video {
namespace {

constexpr int kWidth = 480;
constexpr int kHeight = 270;
constexpr int kLinePx = 18;
constexpr int kCellPx = 10;

// A full page of monospace-like text: glyphs in fixed cells (kCellPx wide) on fixed rows
// (kLinePx apart), different letters in every frame: a document scrolled by whole lines.
cv::Mat line_grid_page(int index) {
  std::mt19937 rng(900u + static_cast<std::uint32_t>(index));
  std::uniform_int_distribution<int> letter('a', 'z'), gap(0, 6), ragged(30, 46);
  // The page's colour changes from frame to frame (a moving background), so the whole frame
  // varies, as under the corpus's scrolled documents.
  cv::Mat page(kHeight, kWidth, CV_8UC1, cv::Scalar(170 + index % 7 * 12));
  for (int y = kLinePx - 4; y < kHeight; y += kLinePx) {
    const int cells = ragged(rng);
    for (int c = 0; c < cells; ++c) {
      if (gap(rng) == 0) continue;  // a space
      const std::string glyph(1, static_cast<char>(letter(rng)));
      cv::putText(page, glyph, cv::Point(8 + c * kCellPx, y), cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(30), 1,
                  cv::LINE_AA);
    }
  }
  return page;
}

struct Fields {
  std::vector<cv::Mat> frames;
  GradientStatistics stats;
  cv::Mat valid, gx, gy;
};

Fields fields_of(bool with_mark) {
  Fields f;
  const cv::Mat layer = testing::make_tiled_layer(kWidth, kHeight, "jd@ex.com", 30.0, 0.7, 150, 70);
  for (int i = 0; i < 24; ++i) {
    const cv::Mat page = line_grid_page(i);
    f.frames.push_back(with_mark ? testing::blend(page, layer, 0.25, 128.0) : page);
  }
  f.stats = compute_gradient_statistics(f.frames);
  f.valid = f.stats.stddev_gray > 4.0;
  cv::erode(f.valid, f.valid, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  f.gx = cv::Mat::zeros(f.valid.size(), CV_32F);
  f.gy = cv::Mat::zeros(f.valid.size(), CV_32F);
  f.stats.median_gx.copyTo(f.gx, f.valid);
  f.stats.median_gy.copyTo(f.gy, f.valid);
  return f;
}

// Each set is made once per test binary (the statistics of 24 frames are the slow part).
const Fields& cached_fields(bool with_mark) {
  if (with_mark) {
    static const Fields marked = fields_of(true);
    return marked;
  }
  static const Fields plain = fields_of(false);
  return plain;
}

TEST(ContentGridTest, FindsTheLinePitchOfAPageScrolledByWholeLines) {
  const Fields& f = cached_fields(false);
  const ContentGrid grid = find_content_grid(f.frames, f.gx, f.gy, f.valid, 6.0, 40.0);
  EXPECT_NEAR(grid.period_y, kLinePx, 0.5);
}

TEST(ContentGridTest, NoGridWhenTheContentDoesNotKeepItsRows) {
  // Text lines at a different offset in every frame: each frame has rows, the median has none.
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 24; ++i) frames.push_back(testing::make_content(kWidth, kHeight, i, 4));
  GradientStatistics stats = compute_gradient_statistics(frames);
  const cv::Mat valid = stats.stddev_gray > 4.0;
  const ContentGrid grid = find_content_grid(frames, stats.median_gx, stats.median_gy, valid, 6.0, 40.0);
  EXPECT_FALSE(grid.found());
}

TEST(ContentGridTest, RemovingTheGridKeepsARotatedMark) {
  // A field that is the sum of a row-periodic pattern and a rotated stripe: removing the row
  // period leaves the stripe nearly untouched.
  cv::Mat field(kHeight, kWidth, CV_32F), stripe(kHeight, kWidth, CV_32F);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      stripe.at<float>(y, x) = static_cast<float>(std::sin(2.0 * CV_PI * (0.8 * x + 0.6 * y) / 37.0));
      field.at<float>(y, x) = stripe.at<float>(y, x) + 3.0f * static_cast<float>((y % kLinePx) < 4 ? 1 : -0.3);
    }
  }
  const cv::Mat valid(kHeight, kWidth, CV_8UC1, cv::Scalar(255));
  ContentGrid grid;
  grid.period_y = kLinePx;
  const cv::Mat residual = remove_grid_component(field, valid, grid);
  EXPECT_LT(cv::norm(residual - stripe) / cv::norm(stripe), 0.3);
}

TEST(ContentGridTest, FindsTheTiledMarkUnderTheTextGrid) {
  const Fields& f = cached_fields(true);
  Result<GridSearch> search =
      search_lattice_under_content_grid(f.frames, f.gx, f.gy, f.valid, f.stats.stddev_gray, 4.0, 16.0, 8.0);
  ASSERT_TRUE(search.is_ok());
  // The line pitch, or a multiple of it when the median repeats at that too.
  const double lines = search->grid.period_y / kLinePx;
  EXPECT_GE(lines, 0.97);
  EXPECT_NEAR(lines, std::round(lines), 0.03);
  ASSERT_TRUE(search->lattice.has_value());
  const Lattice& l = *search->lattice;
  // The layer's cell: rows 70 px apart (staggered by half of 150 px), rotated 30 degrees.
  const double area = std::abs(static_cast<double>(l.v1.x) * l.v2.y - static_cast<double>(l.v1.y) * l.v2.x);
  EXPECT_NEAR(area, 150.0 * 70.0, 0.05 * 150.0 * 70.0);
  const auto on_lattice_angle = [](const cv::Point2f& v) {
    // Every lattice vector of this layer is a combination of (150, 0) and (75, 70) rotated by 30
    // degrees: rotate back and check the coordinates.
    const double a = 30.0 * CV_PI / 180.0;
    const double x = v.x * std::cos(a) - v.y * std::sin(a), y = v.x * std::sin(a) + v.y * std::cos(a);
    const double rows = y / 70.0;
    const double cols = (x - 75.0 * std::round(rows)) / 150.0;
    return std::abs(rows - std::round(rows)) < 0.06 && std::abs(cols - std::round(cols)) < 0.06;
  };
  EXPECT_TRUE(on_lattice_angle(l.v1)) << l.v1;
  EXPECT_TRUE(on_lattice_angle(l.v2)) << l.v2;
}

// Step 3 of the detector can find the average-glyph pattern's own 2-D repeats (two lines down;
// nineteen characters across and three lines down): those are steps on the content's grid, not
// a mark; the tiled mark's rotated lattice is not.
TEST(ContentGridTest, TellsAGlyphGridLatticeFromAMarksLattice) {
  const Fields& plain = cached_fields(false);
  const ContentGrid grid = find_content_grid(plain.frames, plain.gx, plain.gy, plain.valid, 6.0, 27.0);
  ASSERT_NEAR(grid.period_x, kCellPx, 0.5);
  Lattice glyphs;
  glyphs.v1 = cv::Point2f(0.0f, 2.0f * kLinePx);
  glyphs.v2 = cv::Point2f(19.0f * kCellPx, 3.0f * kLinePx);
  EXPECT_TRUE(lattice_on_content_grid(plain.frames, plain.gx, plain.gy, plain.valid, glyphs));
  Lattice mark;  // (150, 0) and (75, 70) rotated by 30 degrees, as the layer of fields_of(true)
  mark.v1 = cv::Point2f(129.9f, -75.0f);
  mark.v2 = cv::Point2f(99.95f, 23.1f);
  EXPECT_FALSE(lattice_on_content_grid(plain.frames, plain.gx, plain.gy, plain.valid, mark));
}

TEST(ContentGridTest, TextGridAloneGivesNoLattice) {
  const Fields& f = cached_fields(false);
  Result<GridSearch> search =
      search_lattice_under_content_grid(f.frames, f.gx, f.gy, f.valid, f.stats.stddev_gray, 4.0, 16.0, 8.0);
  ASSERT_TRUE(search.is_ok());
  EXPECT_TRUE(search->grid.found());
  EXPECT_FALSE(search->lattice.has_value());
}

}  // namespace
}  // namespace wm::video
