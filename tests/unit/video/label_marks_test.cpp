// Burned-in labels and text marks told apart (label_marks.h), on findings as the overlay
// detector reports them (figures from the clips that led to each rule).
#include "video/label_marks.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace wm::video {
namespace {

Finding finding(const std::string& detector, Region region, const std::string& text, const std::string& number_key = {},
                double number = 0.0) {
  Finding f;
  f.detector = detector;
  f.region = region;
  f.evidence.push_back({"text", text, true});
  if (!number_key.empty()) f.evidence.push_back({number_key, number, false});
  return f;
}

Finding label(Region region, const std::string& text, double ocr_confidence = 0.95) {
  return finding("video.burned_in_text", region, text, "ocr_confidence", ocr_confidence);
}

Finding single_line(Region region, const std::string& text, double alpha) {
  return finding("video.text_overlay", region, text, "alpha", alpha);
}

std::vector<std::string> detectors_left(std::vector<Finding> findings) {
  drop_marks_read_as_labels(findings);
  std::vector<std::string> left;
  for (const Finding& f : findings) left.push_back(f.detector + ":" + std::get<std::string>(f.evidence[0].value));
  return left;
}

using Left = std::vector<std::string>;

// Gallery 213 `005`: a column of two bare names with a shadow read as one faint line `mide`.
TEST(LabelMarksTest, ATallLineOverTwoStackedLabelsIsThoseLabels) {
  const Left left = detectors_left({label({850, 226, 96, 21}, "Alex Chen"), label({850, 438, 112, 21}, "Maria Keller"),
                                    single_line({816, 112, 150, 351}, "mide", 0.32)});
  EXPECT_EQ(left, (Left{"video.burned_in_text:Alex Chen", "video.burned_in_text:Maria Keller"}));
}

// A faint line is a mark unless its place says otherwise: wider than tall (any line rotated up
// to 45 degrees), or tall over one label only.
TEST(LabelMarksTest, AFaintLineBesideOrOverOneRowOfLabelsIsAMark) {
  const Finding alex = label({850, 226, 96, 21}, "Alex Chen"), maria = label({850, 438, 112, 21}, "Maria Keller");
  const Finding diagonal = single_line({700, 150, 400, 350}, "jane.doe@example.com", 0.2);
  EXPECT_EQ(detectors_left({alex, maria, diagonal}).size(), 3u);
  const Finding tall_over_one = single_line({816, 112, 150, 200}, "ops-team", 0.2);
  EXPECT_EQ(detectors_left({alex, maria, tall_over_one}).size(), 3u);
}

// The single-line search also sees opaque still labels: a line as opaque as they are is them.
TEST(LabelMarksTest, AnOpaqueLineOverLabelsIsThoseLabels) {
  const Left left = detectors_left({label({40, 300, 130, 26}, "Jonas Weber"), single_line({20, 280, 600, 60}, "Jonas", 0.66)});
  EXPECT_EQ(left, (Left{"video.burned_in_text:Jonas Weber"}));
  // A faint one there is a mark over a picture that stood still, and the still text on its place
  // is the mark read in another piece.
  EXPECT_EQ(detectors_left({label({40, 300, 130, 26}, "Jonas Weber"), single_line({20, 280, 600, 60}, "Jonas", 0.3)}),
            (Left{"video.text_overlay:Jonas"}));
}

// White letters on a semi-transparent plate let the picture through around them, and the
// single-line search can read a piece of the name there (hv141 `065`: `Diva` inside `Priya
// Raman`). A line inside a label read surely is that label, however faint; inside an unsure one,
// or reaching well past it, it stays a mark.
TEST(LabelMarksTest, AFaintLineInsideALabelIsThatLabel) {
  const Finding priya = label({47, 640, 126, 32}, "Priya Raman", 0.96);
  EXPECT_EQ(detectors_left({priya, single_line({48, 643, 51, 25}, "Diva", 0.29)}),
            (Left{"video.burned_in_text:Priya Raman"}));
  EXPECT_EQ(detectors_left({label({47, 640, 126, 32}, "Priya Raman", 0.7), single_line({48, 643, 51, 25}, "Diva", 0.29)}),
            (Left{"video.text_overlay:Diva"}));
  EXPECT_EQ(detectors_left({priya, single_line({48, 643, 300, 25}, "ops-team", 0.29)}),
            (Left{"video.text_overlay:ops-team"}));
}

// Pieces of a tiled mark over a still margin, read as still text.
TEST(LabelMarksTest, StillTextThatIsAPieceOfATiledMarkIsThatMark) {
  const Finding tiled = finding("video.tiled_text", {0, 0, 1280, 720}, "jane.doe@example.com");
  EXPECT_EQ(detectors_left({tiled, label({10, 10, 80, 20}, "iple.com", 0.9)}), (Left{"video.tiled_text:jane.doe@example.com"}));
  // Under the mark, an unsure reading like nothing in it is a piece too; a sure name is a label.
  EXPECT_EQ(detectors_left({tiled, label({10, 10, 80, 20}, "Pie", 0.65)}).size(), 1u);
  EXPECT_EQ(detectors_left({tiled, label({10, 10, 80, 20}, "Maria Keller", 0.95)}).size(), 2u);
  // So is the name the address is made of: a person's label beside their tiled address, or
  // beside its local part (which the folded name nearly is, letter for letter).
  EXPECT_EQ(detectors_left({tiled, label({10, 10, 80, 20}, "Jane Doe", 0.95)}).size(), 2u);
  const Finding local_part = finding("video.tiled_text", {0, 0, 1280, 720}, "jane.doe");
  EXPECT_EQ(detectors_left({local_part, label({10, 10, 80, 20}, "Jane Doe", 0.95)}).size(), 2u);
  EXPECT_EQ(detectors_left({local_part, label({10, 10, 80, 20}, "jane.d0e", 0.95)}).size(), 1u);
}

// A tile's second line over a still part reads as still text too, whole or in pieces (Chromium
// two-line tile: `Dana Whitfield` and `itfield` beside `+44 20 7946 0958` over that name).
TEST(LabelMarksTest, StillTextThatIsATilesSecondLineIsThatMark) {
  Finding tiled = finding("video.tiled_text", {0, 0, 1280, 720}, "+44 20 7946 0958");
  tiled.evidence.push_back({"second_text", std::string("Dana Whitfield"), true});
  EXPECT_EQ(detectors_left({tiled, label({839, 668, 206, 33}, "Dana Whitfield", 0.96), label({0, 359, 81, 39}, "itfield", 0.88)}),
            (Left{"video.tiled_text:+44 20 7946 0958"}));
  // Another name is a label.
  EXPECT_EQ(detectors_left({tiled, label({839, 668, 206, 33}, "Maria Keller", 0.96)}).size(), 2u);
}

// Still text on a single line's place is the line read in other pieces; a tall region is no
// line's place.
TEST(LabelMarksTest, StillTextOnALinesPlaceIsThatLine) {
  const Finding line = single_line({300, 320, 680, 60}, "ops-team", 0.2);
  EXPECT_EQ(detectors_left({line, label({600, 330, 200, 30}, "i-team@example", 0.9)}).size(), 1u);
  const Finding tall = single_line({300, 100, 200, 400}, "ops-team", 0.2);
  EXPECT_EQ(detectors_left({tall, label({320, 330, 150, 30}, "Lena Vogel", 0.9)}).size(), 2u);
}

// A still line whose letters let the picture through (family 0.46), as the overlay detector
// reports one.
Finding see_through_line(Region region, const std::string& text, double ocr_confidence) {
  Finding f = finding("video.text_overlay", region, text, "ocr_confidence", ocr_confidence);
  f.evidence.push_back({"letters_follow_picture_correlation", 0.95, false});
  return f;
}

// A see-through still line and a single line on one place are one mark: the reading holding
// more of it stays, whichever search made it (the unit clip's `m.rossi@corp.example` beside a
// single line's `ample`; held-out h147 `061`'s `15 555` beside `+1 415 555 0134`).
TEST(LabelMarksTest, OfASeeThroughStillLineAndASingleLineTheFullerReadingStays) {
  EXPECT_EQ(detectors_left({see_through_line({124, 158, 392, 43}, "m.rossi@corp.example", 0.9),
                            single_line({405, 158, 111, 43}, "ample", 0.28)}),
            (Left{"video.text_overlay:m.rossi@corp.example"}));
  EXPECT_EQ(detectors_left({see_through_line({596, 351, 78, 18}, "15 555", 0.9),
                            single_line({480, 340, 320, 40}, "+1 415 555 0134", 0.22)}),
            (Left{"video.text_overlay:+1 415 555 0134"}));
  // Apart, both stay.
  EXPECT_EQ(detectors_left({see_through_line({124, 158, 392, 43}, "m.rossi@corp.example", 0.9),
                            single_line({124, 400, 300, 40}, "ops-team", 0.28)})
                .size(),
            2u);
}

TEST(LabelMarksTest, WithoutMarksEveryLabelStays) {
  EXPECT_EQ(detectors_left({label({40, 300, 130, 26}, "Jonas Weber"), label({440, 300, 130, 26}, "Tom Berger")}).size(), 2u);
}

}  // namespace
}  // namespace wm::video
