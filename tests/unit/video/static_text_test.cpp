// Gallery views: still text lines (name labels) and a lattice on the tile grid.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "video/lattice.h"
#include "video/static_text.h"

namespace wm::video {
namespace {

constexpr int kWidth = 640, kHeight = 360;

// A smooth shaded picture (the temporal mean of camera video), CV_32FC1.
cv::Mat camera_mean() {
  cv::Mat mean(kHeight, kWidth, CV_32FC1);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) mean.at<float>(y, x) = 70.0f + 0.15f * static_cast<float>(x) + 0.1f * static_cast<float>(y);
  }
  return mean;
}

// Draws `text` in white at `origin` into `mean` and marks its letters (grown by a pixel) still
// in `stddev`. Returns the text's box.
cv::Rect draw_still_text(cv::Mat& mean, cv::Mat& stddev, const std::string& text, cv::Point origin) {
  cv::Mat ink = cv::Mat::zeros(mean.size(), CV_8UC1);
  cv::putText(ink, text, origin, cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(255), 1, cv::LINE_AA);
  cv::Mat ink_f;
  ink.convertTo(ink_f, CV_32F, 1.0 / 255.0);
  mean = mean.mul(1.0 - ink_f) + ink_f * 255.0;
  cv::Mat letters;
  cv::dilate(ink > 0, letters, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
  stddev.setTo(1.0, letters);
  int baseline = 0;
  const cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, 0.7, 1, &baseline);
  return {origin.x, origin.y - size.height, size.width, size.height + baseline};
}

// The picture changes everywhere (temporal spread 12 gray) unless draw_still_text says otherwise.
cv::Mat changing_spread() { return cv::Mat(kHeight, kWidth, CV_32FC1, cv::Scalar(12.0)); }

TEST(StaticTextTest, ALabelWhoseLettersAloneStandStillIsOneLine) {
  cv::Mat mean = camera_mean(), stddev = changing_spread();
  const cv::Rect text = draw_still_text(mean, stddev, "Maria Keller", {30, 300});
  const std::vector<cv::Rect> lines = find_static_text_lines(mean, stddev);
  ASSERT_EQ(lines.size(), 1u);
  // The whole name, both words, and not much more.
  EXPECT_GE((lines[0] & text).area(), 0.8 * text.area());
  EXPECT_LE(lines[0].width, text.width + 10);
}

TEST(StaticTextTest, TextOverChangingPixelsIsNoStillLine) {
  cv::Mat mean = camera_mean(), stddev = changing_spread();
  draw_still_text(mean, stddev, "Maria Keller", {30, 300});
  stddev.setTo(12.0);
  EXPECT_TRUE(find_static_text_lines(mean, stddev).empty());
}

// A page or a menu that stands still is a block of lines, not a label.
TEST(StaticTextTest, RowsOfAStillBlockAreNotLabels) {
  cv::Mat mean = camera_mean(), stddev = changing_spread();
  draw_still_text(mean, stddev, "quarterly figures", {30, 100});
  draw_still_text(mean, stddev, "revenue by region", {30, 124});
  draw_still_text(mean, stddev, "notes for the board", {30, 148});
  EXPECT_TRUE(find_static_text_lines(mean, stddev).empty());
}

// A gallery's still tile borders run the whole frame; letters right beside them would be closed
// into one frame-sized piece and lost with it.
TEST(StaticTextTest, LettersBesideATileBorderAreNotLostInIt) {
  cv::Mat mean = camera_mean(), stddev = changing_spread();
  const cv::Rect text = draw_still_text(mean, stddev, "Tom Berger", {24, 300});
  mean.colRange(18, 20).setTo(20.0);
  stddev.colRange(18, 20).setTo(0.5);
  mean.rowRange(306, 308).setTo(20.0);
  stddev.rowRange(306, 308).setTo(0.5);
  const std::vector<cv::Rect> lines = find_static_text_lines(mean, stddev);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_GE((lines[0] & text).area(), 0.8 * text.area());
  EXPECT_LE(lines[0].height, text.height + 8);
}

// Where the codec's flicker breaks a tile border into short still segments, a segment running
// under one tile's label and up the border beside the next tile's label would join both names
// into one line; straight runs longer than a letter's edge are rules, not text.
TEST(StaticTextTest, NamesInNeighbouringTilesAlongABrokenBorderAreTwoLines) {
  cv::Mat mean = camera_mean(), stddev = changing_spread();
  const cv::Rect left = draw_still_text(mean, stddev, "Lena Vogel", {24, 300});
  draw_still_text(mean, stddev, "Alex Chen", {330, 300});
  const cv::Rect under_left(left.x + left.width - 4, 306, 320 - (left.x + left.width - 4), 2);
  const cv::Rect up_the_border(318, 276, 2, 32);
  for (const cv::Rect& segment : {under_left, up_the_border}) {
    mean(segment).setTo(20.0);
    stddev(segment).setTo(0.5);
  }
  const std::vector<cv::Rect> lines = find_static_text_lines(mean, stddev);
  ASSERT_EQ(lines.size(), 2u);
  for (const cv::Rect& line : lines) EXPECT_LT(line.width, 200) << line;
}

// A label's crop boxed in by strokes that reach its edge (the picture around a plate, dark once
// the crop is set dark on light): they are cleared, the letters inside stay, and their box is
// the letters'.
TEST(StaticTextTest, InkReachingTheCropEdgeIsClearedAndTheLettersStay) {
  cv::Mat gray(44, 180, CV_8UC1, cv::Scalar(40));
  gray(cv::Rect(4, 4, 172, 36)).setTo(230);
  cv::putText(gray, "Jonas Weber", {12, 30}, cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(20), 2, cv::LINE_8);
  cv::Mat binary = gray < 128;
  binary = ~binary;  // ink 0, ground 255
  const int letters_ink = cv::countNonZero(binary(cv::Rect(4, 4, 172, 36)) == 0);
  // The letters' box leaves the plate's frame out.
  const cv::Rect letters = letters_box(binary);
  EXPECT_TRUE((letters & cv::Rect(8, 8, 164, 28)) == letters) << letters;
  EXPECT_GT(letters.width, 120);
  clear_ink_touching_edges(gray, binary);
  EXPECT_EQ(cv::countNonZero(binary == 0), letters_ink);
  EXPECT_EQ(cv::countNonZero(binary(cv::Rect(0, 0, 180, 4)) == 0), 0);
  EXPECT_GT(cv::mean(gray(cv::Rect(0, 0, 180, 4)))[0], 200.0);
  EXPECT_LT(cv::mean(gray, binary == 0)[0], 40.0);
}

// The temporal mean of a 2 x 2 gallery view: tiles of different levels, 2-px dark borders.
cv::Mat gallery_mean(int n) {
  cv::Mat mean(kHeight, kWidth, CV_32FC1, cv::Scalar(26.0));
  const int cell_w = kWidth / n, cell_h = kHeight / n;
  for (int t = 0; t < n * n; ++t) {
    mean(cv::Rect((t % n) * cell_w + 2, (t / n) * cell_h + 2, cell_w - 4, cell_h - 4)).setTo(90.0 + 25.0 * (t % 4));
  }
  return mean;
}

Lattice lattice_of(cv::Point2f v1, cv::Point2f v2) {
  Lattice l;
  l.v1 = v1;
  l.v2 = v2;
  return l;
}

TEST(TileGridTest, ALatticeOnAGalleryTileGridIsItsLayout) {
  EXPECT_TRUE(lattice_on_tile_grid(gallery_mean(2), lattice_of({320, 0}, {0, 180})));
  EXPECT_TRUE(lattice_on_tile_grid(gallery_mean(3), lattice_of({213.3f, 0}, {0, 120})));
}

TEST(TileGridTest, TheSameLatticeWithoutTileEdgesIsNoLayout) {
  EXPECT_FALSE(lattice_on_tile_grid(camera_mean(), lattice_of({320, 0}, {0, 180})));
}

TEST(TileGridTest, SmallOrSlantedTilesAreNoLayout) {
  const cv::Mat mean = gallery_mean(2);
  // More than four tiles along an axis: a tiled mark's own repeat, even where it happens to fit.
  EXPECT_FALSE(lattice_on_tile_grid(mean, lattice_of({80, 0}, {0, 45})));
  // A staggered, slanted lattice has no repeat along the frame's axes within a few steps.
  EXPECT_FALSE(lattice_on_tile_grid(mean, lattice_of({300, -110}, {143, 171})));
  // One direction only is not a lattice.
  EXPECT_FALSE(lattice_on_tile_grid(mean, lattice_of({320, 0}, {0, 0})));
}

}  // namespace
}  // namespace wm::video
