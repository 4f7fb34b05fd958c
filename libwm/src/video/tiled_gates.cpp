#include "video/tiled_gates.h"

#include <algorithm>

namespace wm::video {

namespace {

// Under this OCR confidence, Tesseract is guessing: an unmarked slide deck's rows, under their
// content grid, read `ate barat ag` twice at 0.12 (held-out browser 145 `024`, the only such
// reading among 61 weak-view findings on the saved corpus reports; the marks' lowest was 0.22).
constexpr double kGuessConfidence = 0.2;

// At least 5 letters or digits, and `min_near_votes` readings within a slip of the winner
// (MarkText::near_votes) at mean confidence `min_near_confidence` or more.
bool near_readings_at(const MarkText& text, int min_near_votes, double min_near_confidence) {
  return count_alphanumerics(text.text) >= 5 && text.near_votes >= min_near_votes &&
         text.near_confidence >= min_near_confidence;
}

}  // namespace

bool reading_vouches(const MarkText& text, int min_votes, double min_confidence) {
  return count_alphanumerics(text.text) >= 4 && text.votes >= min_votes && text.confidence >= min_confidence;
}

bool near_readings_vouch(const MarkText& text) {
  static constexpr int kMinNearVotes = 6;
  static constexpr double kMinNearConfidence = 0.45;
  return near_readings_at(text, kMinNearVotes, kMinNearConfidence);
}

bool reading_stands_alone(const MarkText& text) {
  static constexpr int kMinVotes = 7;
  static constexpr double kMinConfidence = 0.8;
  static constexpr int kMinNearVotes = 11;
  static constexpr double kMinNearConfidence = 0.6;
  // An address's confidence only has to show that Tesseract was not guessing (as in the weak
  // views, kGuessConfidence): marks at 45 degrees over still pages were read exactly, 7 alike,
  // at 0.37 (browser 163 `019`), at 0.58 (browser 161 `015`). Both sets were looked at to choose
  // it, so they are not held out for this rule.
  static constexpr int kMinAddressVotes = 5;
  // Nearly every rendering alike (12 of the up to 14) at a middling confidence: browser 165
  // `014`, black at 0.15 over a still page, read `sam.taylor` in all 14 at 0.52 (chosen after
  // seeing it; that set is spent for this rule). Unmarked still crops gave at most 7 alike.
  static constexpr int kMinUnanimousVotes = 12;
  static constexpr double kMinUnanimousConfidence = 0.5;
  return reading_vouches(text, kMinVotes, kMinConfidence) ||
         reading_vouches(text, kMinUnanimousVotes, kMinUnanimousConfidence) ||
         near_readings_at(text, kMinNearVotes, kMinNearConfidence) ||
         (classify_text(text.text) == TextKind::kEmail && reading_vouches(text, kMinAddressVotes, kGuessConfidence));
}

double tiled_mark_confidence(double lattice_strength, const MarkText& text) {
  static constexpr double kStandingReadingConfidence = 0.85;
  const double from_lattice = std::clamp(0.45 + 0.5 * lattice_strength + (text.votes >= 2 ? 0.1 : 0.0), 0.0, 0.99);
  return reading_stands_alone(text) ? std::max(from_lattice, kStandingReadingConfidence) : from_lattice;
}

bool tiled_reading_counts(LatticeView view, double contrast_gray, double min_stroke_contrast_gray, const MarkText& text) {
  // Faint strokes: this share of the contrast gate, and this many alike readings at this
  // confidence. Other weak views: two alike readings at any confidence.
  static constexpr double kFaintContrastShare = 0.2;
  static constexpr int kFaintMinVotes = 3;
  static constexpr double kFaintMinConfidence = 0.6;
  static constexpr int kWeakViewMinVotes = 2;
  const bool weak_view = view != LatticeView::kMedian;
  // Grey at 0.08 over a dark code page folded to 0.86 gray under its content grid and read
  // `Tom Berger` 8 times at confidence 0.84 (held-out 87 `012`): the strokes of a faint mark are
  // as faint in those views as in the faint search's, and before 0.15 they were dropped there.
  const bool faint_strokes = weak_view && contrast_gray < min_stroke_contrast_gray;
  if (view == LatticeView::kFaintMedian || view == LatticeView::kStillPart || view == LatticeView::kScrollResidual ||
      faint_strokes) {
    // In the still part a reading that stands alone vouches too (there it often must: see
    // reading_stands_alone); since 0.33 that takes a whole address read alike at a confidence
    // under these gates (browser 163 `019`, 7 alike at 0.37, 8 near at 0.34).
    return contrast_gray >= kFaintContrastShare * min_stroke_contrast_gray &&
           (reading_vouches(text, kFaintMinVotes, kFaintMinConfidence) || near_readings_vouch(text) ||
            (view == LatticeView::kStillPart && reading_stands_alone(text)));
  }
  if (contrast_gray < min_stroke_contrast_gray) return false;
  return !weak_view || reading_vouches(text, kWeakViewMinVotes, kGuessConfidence) || near_readings_vouch(text);
}

}  // namespace wm::video
