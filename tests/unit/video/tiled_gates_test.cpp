#include "video/tiled_gates.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace wm::video {
namespace {

constexpr double kContrastGate = 2.5;  // OverlaySettings::min_stroke_contrast_gray's default

MarkText reading(const std::string& text, int votes, double confidence, int near_votes = 0, double near_confidence = 0.0) {
  MarkText t;
  t.text = text;
  t.votes = votes;
  t.confidence = confidence;
  t.near_votes = std::max(votes, near_votes);
  t.near_confidence = near_votes > 0 ? near_confidence : confidence;
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

// Held-out 89 `037`: black at 0.15 over a dark page, its lattice found in the faint search at
// 1.12 gray. Its tiles read `Pp Novak` 3 times at 0.59, and `P Novak`, `p novak`, `pP Novak`...:
// 10 readings within one slip of the winner at 0.51. Before 0.16 it missed the 0.6 by a hair.
TEST(TiledGatesTest, NearlyAgreeingReadingsVouchForAFaintMark) {
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kFaintMedian, 1.12, kContrastGate, reading("Pp Novak", 3, 0.59)));
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kFaintMedian, 1.12, kContrastGate, reading("Pp Novak", 3, 0.59, 10, 0.51)));
  // Held-out 87 `016`, under its content grid at 3.29 gray: `Tom Berger` once, 7 near at 0.62.
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kUnderContentGrid, 3.29, kContrastGate, reading("Tom Berger", 1, 0.81, 7, 0.62)));
  // What negatives read: many near readings of unconfident noise, too few of them, too few letters.
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kFaintMedian, 0.97, kContrastGate, reading("prabaebage", 3, 0.02, 8, 0.01)));
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kFaintMedian, 1.12, kContrastGate, reading("Pp Novak", 2, 0.59, 5, 0.6)));
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kFaintMedian, 1.12, kContrastGate, reading("Le wo", 1, 0.5, 9, 0.6)));
}

// Browser 135 `014`: a page that hardly moves, its still part read `k.lindgren@acme.test` in all
// 14 renderings at 0.90, with too few changing pixels under the mark to look for it there.
TEST(TiledGatesTest, OnlyAnOverwhelmingReadingStandsAlone) {
  EXPECT_TRUE(reading_stands_alone(reading("k.lindgren@acme.test", 14, 0.90)));
  EXPECT_FALSE(reading_stands_alone(reading("ee", 14, 0.9)));                  // two letters
  EXPECT_FALSE(reading_stands_alone(reading("Pp Novak", 3, 0.59, 10, 0.51)));  // near readings do not
  EXPECT_FALSE(reading_stands_alone(reading("sam.taylor", 7, 0.79)));
  EXPECT_FALSE(reading_stands_alone(reading("sam.taylor", 6, 0.95)));
}

// Still slides and pages (step 3g) whose marks OCR read right but not 7 times alike at 0.8:
// `sam.taylor` 6 times at 0.75 and within a slip 14 times at 0.68; `k.lindgren@acme.test` twice,
// with `k.lindgréh@acme.test` 5 times, 12 near at 0.71. Unmarked still crops gave at most 8
// near readings (`eveter`, 0.28) and 7 at 0.57 (`6luss`).
TEST(TiledGatesTest, ElevenNearlyAgreeingConfidentReadingsStandAlone) {
  EXPECT_TRUE(reading_stands_alone(reading("sam.taylor", 6, 0.75, 14, 0.68)));
  EXPECT_TRUE(reading_stands_alone(reading("k.lindgren@acme.test", 2, 0.55, 12, 0.71)));
  EXPECT_FALSE(reading_stands_alone(reading("eveter", 4, 0.28, 8, 0.28)));
  EXPECT_FALSE(reading_stands_alone(reading("6luss", 5, 0.54, 7, 0.57)));
  EXPECT_FALSE(reading_stands_alone(reading("sam.taylor", 6, 0.75, 10, 0.68)));  // too few
  EXPECT_FALSE(reading_stands_alone(reading("sam.taylor", 6, 0.59, 14, 0.59)));  // too unsure
  EXPECT_FALSE(reading_stands_alone(reading("Wa ee", 6, 0.9, 14, 0.9)));          // too few letters
}

// Browser 159 `037`: white at 0.15 over a still slide, read `viewer-0042@meet.example` 10 times
// at 0.66 with fewer than 11 near readings; browser 161 `015`, `li.wei@uni.example` 10 times at
// 0.58; browser 163 `019`, at 45 degrees, 7 times at 0.37. Noise and a page's splinters do not
// spell a whole address: since 0.33 five alike readings of one stand alone unless OCR was
// guessing (under 0.2). Not a local part, a name or a text that only looks like an address.
TEST(TiledGatesTest, AWholeAddressReadAlikeFiveTimesStandsAlone) {
  EXPECT_TRUE(reading_stands_alone(reading("viewer-0042@meet.example", 10, 0.66)));
  EXPECT_TRUE(reading_stands_alone(reading("li.wei@uni.example", 10, 0.58)));
  EXPECT_TRUE(reading_stands_alone(reading("viewer-0042@meet.example", 7, 0.37)));
  EXPECT_TRUE(reading_stands_alone(reading("jane.doe@example.com", 5, 0.2)));
  EXPECT_FALSE(reading_stands_alone(reading("jane.doe@example.com", 4, 0.78)));   // too few
  EXPECT_FALSE(reading_stands_alone(reading("jane.doe@example.com", 10, 0.19)));  // guessed
  EXPECT_FALSE(reading_stands_alone(reading("viewer-0042@meet", 10, 0.66)));      // no domain
  EXPECT_FALSE(reading_stands_alone(reading("sam.taylor", 6, 0.75)));             // a local part
  EXPECT_FALSE(reading_stands_alone(reading("Maria Keller", 6, 0.75)));
}

// Browser 165 `014`: black at 0.15 over a still page, `sam.taylor` read alike in all 14
// renderings at 0.52 (unmarked still crops: at most 7 alike). Since 0.33 twelve alike at 0.5
// stand alone.
TEST(TiledGatesTest, NearlyEveryRenderingAlikeStandsAlone) {
  EXPECT_TRUE(reading_stands_alone(reading("sam.taylor", 14, 0.52)));
  EXPECT_TRUE(reading_stands_alone(reading("sam.taylor", 12, 0.5)));
  EXPECT_FALSE(reading_stands_alone(reading("sam.taylor", 11, 0.52)));  // too few
  EXPECT_FALSE(reading_stands_alone(reading("sam.taylor", 14, 0.49)));  // too unsure
  EXPECT_FALSE(reading_stands_alone(reading("ee", 14, 0.52)));          // too few letters
}

// Browser 163 `019`'s reading passes the still part's gate as one that stands alone, though under
// the faint views' confidence (3 alike at 0.6, or 6 near at 0.45); in the faint median, over
// changing content, it does not.
TEST(TiledGatesTest, AnAddressThatStandsAloneCountsInTheStillPart) {
  const MarkText address = reading("viewer-0042@meet.example", 7, 0.37, 8, 0.34);
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kStillPart, 18.8, kContrastGate, address));
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kFaintMedian, 18.8, kContrastGate, address));
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kStillPart, 18.8, kContrastGate, reading("Dana Whitfield", 7, 0.37, 8, 0.34)));
}

// A still code page's mark (the 135 still set's `026`: lattice strength 0.21, `R. Okafor` in
// all 14 renderings at 0.93) is "likely", not "possible" as its lattice alone made it (0.65);
// a mark read alike by few lines keeps the lattice's figure, and so does a tiled logo.
TEST(TiledGatesTest, AReadingThatStandsAloneMakesAMarkLikely) {
  EXPECT_DOUBLE_EQ(tiled_mark_confidence(0.2, reading("R. Okafor", 14, 0.93)), 0.85);
  EXPECT_DOUBLE_EQ(tiled_mark_confidence(0.2, reading("R. Okafor", 3, 0.6)), 0.65);
  EXPECT_DOUBLE_EQ(tiled_mark_confidence(0.2, reading("", 0, 0.0)), 0.55);
  EXPECT_DOUBLE_EQ(tiled_mark_confidence(0.9, reading("R. Okafor", 14, 0.93)), 0.99);
}

// Strokes over the gate: the median view counts on contrast alone, a weak view on two alike
// readings of at least 4 letters or digits at confidence 0.2 or more.
TEST(TiledGatesTest, StrokesOverTheGateNeedLessReading) {
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kMedian, 3.0, kContrastGate, reading("", 0, 0.0)));
  EXPECT_TRUE(tiled_reading_counts(LatticeView::kUnderContentGrid, 3.3, kContrastGate, reading("Tom Berge", 2, 0.32)));
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kUnderContentGrid, 3.3, kContrastGate, reading("Tom Berger", 1, 0.81)));
}

// An unmarked slide deck under its content grid (held-out browser 145 `024`): strokes of 3.25
// gray over the gate, `ate barat ag` read twice at confidence 0.12 — Tesseract guessing.
TEST(TiledGatesTest, TwoGuessedReadingsDoNotVouchInAWeakView) {
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kUnderContentGrid, 3.25, kContrastGate, reading("ate barat ag", 2, 0.12)));
}

// The median view never takes the faint gates: a lattice over the strength gate whose strokes
// miss the contrast gate is left to the faint search (held-out 87 `028`, 1.9 gray).
TEST(TiledGatesTest, MedianViewKeepsTheContrastGate) {
  EXPECT_FALSE(tiled_reading_counts(LatticeView::kMedian, 1.9, kContrastGate, reading("415 555 Ul34", 7, 0.9)));
}

}  // namespace
}  // namespace wm::video
