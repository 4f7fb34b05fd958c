#include "video/tiled_gates.h"

#include <gtest/gtest.h>

namespace wm::video {
namespace {

constexpr double kContrastGate = 2.5;  // OverlaySettings::min_stroke_contrast_gray's default

MarkText reading(const std::string& text, int votes, double confidence) {
  MarkText t;
  t.text = text;
  t.votes = votes;
  t.confidence = confidence;
  return t;
}

// Held-out 87 `012`: grey at 0.08 over a dark code page, found only under the content grid, its
// strokes folded to 0.86 gray, read `Tom Berger` 8 times at confidence 0.84. Before 0.15 the
// contrast gate dropped it in that view, while the faint search's gates would have taken it.
TEST(TiledGatesTest, WeakViewWithFaintStrokesCountsOnAConfidentAgreedReading) {
  const MarkText tom = reading("Tom Berger", 8, 0.84);
  for (const LatticeView view : {LatticeView::kUnderContentGrid, LatticeView::kDarkestValues, LatticeView::kBrightestValues}) {
    EXPECT_TRUE(tiled_reading_counts(view, 0.86, kContrastGate, tom));
  }
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kFaintMedian, 0.86, kContrastGate, tom));
}

// The same faint strokes with what the negatives read: a split reading (one vote), an
// unconfident one, too few letters, or strokes under a fifth of the gate (noise).
TEST(TiledGatesTest, FaintStrokesNeedThreeConfidentReadingsOverTheFloor) {
  const LatticeView view = LatticeView::kUnderContentGrid;
  EXPECT_FALSE(tiled_reading_counts(view, 0.86, kContrastGate, reading("Tom Berger", 1, 0.81)));
  EXPECT_FALSE(tiled_reading_counts(view, 0.97, kContrastGate, reading("prabaebage", 3, 0.017)));
  EXPECT_FALSE(tiled_reading_counts(view, 0.86, kContrastGate, reading("ae", 9, 0.9)));
  EXPECT_FALSE(tiled_reading_counts(view, 0.4, kContrastGate, reading("Tom Berger", 8, 0.84)));
}

// Strokes over the gate: the median view counts on contrast alone, a weak view on two alike
// readings of at least 4 letters or digits at any confidence.
TEST(TiledGatesTest, StrokesOverTheGateNeedLessReading) {
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kMedian, 3.0, kContrastGate, reading("", 0, 0.0)));
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kUnderContentGrid, 3.3, kContrastGate, reading("Tom Berge", 2, 0.1)));
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kUnderContentGrid, 3.3, kContrastGate, reading("Tom Berger", 1, 0.81)));
}

// The median view never takes the faint gates: a lattice over the strength gate whose strokes
// miss the contrast gate is left to the faint search (held-out 87 `028`, 1.9 gray).
TEST(TiledGatesTest, MedianViewKeepsTheContrastGate) {
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kMedian, 1.9, kContrastGate, reading("415 555 Ul34", 7, 0.9)));
}

}  // namespace
}  // namespace wm::video
