#include "video/text_line.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// A mask of changing content with one still patch (0) at `patch`.
cv::Mat changing_with_patch(const cv::Rect& patch) {
  cv::Mat changing = kAllValid.clone();
  changing(patch).setTo(0);
  return changing;
}

const cv::Mat kNoEdges = cv::Mat::zeros(kHeight, kWidth, CV_8UC1);

StillPatchParams with_max_area(double fraction) {
  StillPatchParams params;
  params.max_area_fraction = fraction;
  return params;
}

TEST(EnclosedStillPatchTest, APatchInsideChangingContentIsFilled) {
  const cv::Mat changing = changing_with_patch(cv::Rect(300, 160, 40, 30));
  const cv::Mat filled = with_enclosed_still_patches(changing, kNoEdges, {});
  EXPECT_EQ(cv::countNonZero(filled), kWidth * kHeight);
  EXPECT_EQ(cv::countNonZero(changing), kWidth * kHeight - 40 * 30) << "the input mask is left as it was";
}

TEST(EnclosedStillPatchTest, APatchTouchingASideOfTheFrameStaysOut) {
  // A toolbar along the top, a letterbox bar on the left.
  for (const cv::Rect& bar : {cv::Rect(100, 0, 200, 20), cv::Rect(0, 100, 30, 100)}) {
    const cv::Mat changing = changing_with_patch(bar);
    EXPECT_EQ(cv::countNonZero(with_enclosed_still_patches(changing, kNoEdges, {}, with_max_area(0.5))),
              kWidth * kHeight - bar.area());
  }
}

TEST(EnclosedStillPatchTest, APatchLargerThanTheBoundStaysOut) {
  const cv::Rect tile(200, 100, 160, 90);  // 6.25 % of the frame: a still picture-in-picture tile
  const cv::Mat changing = changing_with_patch(tile);
  EXPECT_EQ(cv::countNonZero(with_enclosed_still_patches(changing, kNoEdges, {})), kWidth * kHeight - tile.area());
  EXPECT_EQ(cv::countNonZero(with_enclosed_still_patches(changing, kNoEdges, {}, with_max_area(0.07))), kWidth * kHeight);
}

TEST(EnclosedStillPatchTest, APatchHoldingAWholeStillLineIsALabelsPlateAndStaysOut) {
  const cv::Rect plate(250, 150, 120, 40);
  const cv::Mat changing = changing_with_patch(plate);
  const cv::Rect label(260, 160, 100, 20);
  EXPECT_EQ(cv::countNonZero(with_enclosed_still_patches(changing, kNoEdges, {label}, with_max_area(0.05))),
            kWidth * kHeight - plate.area());
  // A still line that runs across the patch and beyond it is a line over it, not its label.
  const cv::Rect across(150, 160, 300, 20);
  EXPECT_EQ(cv::countNonZero(with_enclosed_still_patches(changing, kNoEdges, {across}, with_max_area(0.05))),
            kWidth * kHeight);
}

TEST(EnclosedStillPatchTest, AStillWordOutlinedByItsOwnEdgesStaysOutAndACalmPatchCrossedByALineIsFilled) {
  // A bare label's word: its still pixels are its letters, grown by the 3 px the mask of changing
  // content keeps away from them, so the edges of the still picture run all round the patch.
  cv::Mat ink = cv::Mat::zeros(kHeight, kWidth, CV_8UC1);
  cv::putText(ink, "Raj", cv::Point(100, 100), cv::FONT_HERSHEY_SIMPLEX, 0.8, cv::Scalar(255), 2, cv::LINE_8);
  cv::Mat word_patch;
  cv::dilate(ink, word_patch, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  cv::Mat edges;
  cv::morphologyEx(ink, edges, cv::MORPH_GRADIENT, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
  // A calm patch with a line's strokes running through it from side to side.
  const cv::Rect calm(400, 150, 60, 54);
  edges(cv::Rect(380, 170, 100, 2)).setTo(255);
  edges(cv::Rect(380, 185, 100, 2)).setTo(255);
  cv::Mat changing = kAllValid.clone();
  changing.setTo(0, word_patch);
  changing(calm).setTo(0);
  const cv::Mat filled = with_enclosed_still_patches(changing, edges, {});
  EXPECT_EQ(cv::countNonZero(filled(calm)), calm.area());
  EXPECT_EQ(cv::countNonZero(filled & word_patch), 0);
}

TEST(EnclosedStillPatchTest, ALineCutByAStillPatchIsOneWindowOnceFilled) {
  cv::Mat gx, gy;
  fields_of(text_line_image(38.0), 2.0, 5, gx, gy);
  cv::Rect line_box;
  {
    cv::Mat ink = text_line_image(38.0) > 10.0;
    std::vector<cv::Point> points;
    cv::findNonZero(ink, points);
    line_box = cv::boundingRect(points);
  }
  // The still patch sits on the middle of the line: its median gradients are the line's strokes
  // too, but the mask of changing content leaves them out.
  const cv::Rect patch(line_box.x + line_box.width / 2 - 30, line_box.y - 15, 60, line_box.height + 30);
  const cv::Mat changing = changing_with_patch(patch);
  cv::Mat cut_x = gx.clone(), cut_y = gy.clone();
  cut_x.setTo(0, ~changing);
  cut_y.setTo(0, ~changing);
  const auto covers_the_line = [&](const std::vector<cv::Rect>& windows) {
    return std::any_of(windows.begin(), windows.end(), [&](const cv::Rect& w) { return (w & line_box) == line_box; });
  };
  EXPECT_FALSE(covers_the_line(find_line_windows(cut_x, cut_y, changing)));
  // The still picture's edges are the line's strokes (the calm background has none).
  cv::Mat clean_x, clean_y, magnitude;
  forward_differences(text_line_image(38.0), clean_x, clean_y);
  cv::magnitude(clean_x, clean_y, magnitude);
  const cv::Mat filled = with_enclosed_still_patches(changing, magnitude >= 3.0, {});
  EXPECT_TRUE(covers_the_line(find_line_windows(gx, gy, filled)));
}

// Columns of changing content 6 px wide with still gaps 8 px wide between them, from the top of
// the frame to the bottom (the glyph columns of a paged terminal), beside a still margin.
constexpr int kGlyphColumns = 36;  // at x = 40 + 14 k: the last ends at 536, 104 px from the right

cv::Mat glyph_columns() {
  cv::Mat changing = cv::Mat::zeros(kHeight, kWidth, CV_8UC1);
  for (int k = 0; k < kGlyphColumns; ++k) changing(cv::Rect(40 + 14 * k, 0, 6, kHeight)).setTo(255);
  return changing;
}

TEST(NarrowStillGapTest, GapsNarrowerThanTheSquareAreBridgedAndAWideMarginStays) {
  const cv::Mat changing = glyph_columns();
  const cv::Mat bridged = with_narrow_still_gaps_bridged(changing, 13, {});
  const cv::Rect listing(40, 0, 14 * (kGlyphColumns - 1) + 6, kHeight);  // first column's left to last's right
  EXPECT_EQ(cv::countNonZero(bridged(listing)), listing.area());
  const cv::Rect margin(kWidth - 90, 0, 90, kHeight);
  EXPECT_EQ(cv::countNonZero(bridged(margin)), 0);
  EXPECT_EQ(cv::countNonZero(bridged(cv::Rect(0, 0, 34, kHeight))), 0);
  // A square as wide as the gaps leaves them: only what no still square of its side holds is set.
  EXPECT_EQ(cv::countNonZero(with_narrow_still_gaps_bridged(changing, 8, {})), cv::countNonZero(changing));
  EXPECT_EQ(cv::countNonZero(changing), kGlyphColumns * 6 * kHeight) << "the input mask is left as it was";
}

TEST(NarrowStillGapTest, AStillLineReadAsALabelIsNotBridged) {
  const cv::Mat changing = glyph_columns();
  const cv::Rect label(200, 150, 120, 30);
  const cv::Mat bridged = with_narrow_still_gaps_bridged(changing, 13, {label});
  EXPECT_EQ(cv::countNonZero(bridged(label)), cv::countNonZero(changing(label)));
  EXPECT_EQ(cv::countNonZero(bridged(cv::Rect(200, 100, 120, 30))), 120 * 30);
}

TEST(NarrowStillGapTest, ASquareUnderTwoPixelsGivesACopyOfTheMaskAsItWas) {
  const cv::Mat changing = glyph_columns();
  for (const int max_gap_px : {1, 0, -3}) {
    const cv::Mat same = with_narrow_still_gaps_bridged(changing, max_gap_px, {cv::Rect(200, 150, 120, 30)});
    EXPECT_EQ(cv::countNonZero(same != changing), 0) << max_gap_px;
    EXPECT_NE(same.data, changing.data) << "a copy, so the caller may change it: " << max_gap_px;
  }
}

TEST(NarrowStillGapTest, ALabelPartlyOutsideTheFrameKeepsOnlyItsInsideUnbridged) {
  const cv::Mat changing = glyph_columns();
  const cv::Rect label(500, kHeight - 20, 120, 60);  // bottom 40 rows lie below the frame
  const cv::Mat bridged = with_narrow_still_gaps_bridged(changing, 13, {label});
  const cv::Rect inside = label & cv::Rect(0, 0, kWidth, kHeight);
  ASSERT_EQ(inside.height, 20);
  EXPECT_EQ(cv::countNonZero(bridged(inside)), cv::countNonZero(changing(inside)));
  EXPECT_EQ(cv::countNonZero(bridged(cv::Rect(502, kHeight - 40, 34, 20))), 34 * 20) << "bridged just above it";
}

// The frames' spread (gray) of a camera-like ground with sensor noise around `ground_gray`, and a
// line's strokes (a word drawn 2 px thick) where the spread is `strokes_gray` instead.
struct SpreadOfALine {
  cv::Mat stddev_gray;
  cv::Mat strokes;
};

SpreadOfALine spread_of_a_line(double ground_gray, double strokes_gray) {
  SpreadOfALine s;
  s.strokes = cv::Mat::zeros(kHeight, kWidth, CV_8U);
  cv::putText(s.strokes, "Tom Berger", cv::Point(220, 190), cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(255), 2);
  s.stddev_gray = cv::Mat(kHeight, kWidth, CV_32F);
  cv::RNG rng(151);
  rng.fill(s.stddev_gray, cv::RNG::NORMAL, ground_gray, 0.3);
  cv::Mat on_strokes(kHeight, kWidth, CV_32F);
  rng.fill(on_strokes, cv::RNG::NORMAL, strokes_gray, 0.3);
  on_strokes.copyTo(s.stddev_gray, s.strokes);
  return s;
}

TEST(GroundSpreadTest, StrokesThatChangeAsTheGroundAroundThemChangeWithIt) {
  // A line at 0.3 over a camera picture that changes by 2.7 gray: its strokes pass most of it.
  const SpreadOfALine s = spread_of_a_line(2.7, 2.4);
  EXPECT_TRUE(strokes_change_with_ground(s.stddev_gray, s.strokes));
}

TEST(GroundSpreadTest, StillStrokesOverChangingGroundDoNot) {
  // Opaque text: only the codec's flicker is left on it.
  const SpreadOfALine s = spread_of_a_line(2.7, 0.8);
  EXPECT_FALSE(strokes_change_with_ground(s.stddev_gray, s.strokes));
}

TEST(GroundSpreadTest, AStillGroundSaysNothing) {
  // Strokes and ground both within the codec's flicker: still text as much as an overlay.
  const SpreadOfALine s = spread_of_a_line(1.5, 1.5);
  EXPECT_FALSE(strokes_change_with_ground(s.stddev_gray, s.strokes));
}

TEST(GroundSpreadTest, NoStrokesChangeWithNothing) {
  const SpreadOfALine s = spread_of_a_line(2.7, 2.4);
  EXPECT_FALSE(strokes_change_with_ground(s.stddev_gray, cv::Mat::zeros(kHeight, kWidth, CV_8U)));
}

}  // namespace
}  // namespace wm::video
