// What a tiled mark's reading must show before it is reported, by the view its lattice was found
// in (the overlay detector's lattice searches). Internal to the video module.
#ifndef WM_VIDEO_TILED_GATES_H_
#define WM_VIDEO_TILED_GATES_H_

#include "video/mark_reader.h"

namespace wm::video {

// Which per-pixel statistic a lattice was found in: the median of the gradients (the strength
// gate's search), the median with a content grid removed, the darkest / brightest values, the
// median with peaks under the strength gate (faint), the still part of the picture, or the frames
// less their scrolled page (scroll_residual.h).
enum class LatticeView {
  kMedian,
  kUnderContentGrid,
  kDarkestValues,
  kBrightestValues,
  kFaintMedian,
  kStillPart,
  kScrollResidual
};

// Whether a mark's reading alone makes it a mark: at least 4 letters or digits, read alike by
// `min_votes` lines or renderings, at OCR confidence `min_confidence` or more.
bool reading_vouches(const MarkText& text, int min_votes, double min_confidence);

// Whether the readings near the winner (MarkText::near_votes) make it a mark though few are
// identical: at least 5 letters or digits, 6 near readings, at mean confidence 0.45 or more.
bool near_readings_vouch(const MarkText& text);

// Whether a reading alone, with nothing else to check it against, makes a tiled mark. Any of:
//   - the same text of at least 4 letters or digits in 7 or more renderings (of up to 14: 7 lines
//     read at two sizes) at confidence 0.8;
//   - (since 0.19) a text of at least 5 letters or digits that 11 or more renderings read within
//     a slip of (MarkText::near_votes) at mean confidence 0.6: marks on still slides and pages
//     that the first clause missed were read by 12-14 near renderings at 0.65-0.73;
//   - (since 0.33) a whole e-mail address read alike 5 times at any confidence over OCR's
//     guessing (0.2): noise and a page's splinters do not spell one (browser 159 `037`, white at
//     0.15 over a still slide, `viewer-0042@meet.example` 10 times at 0.66 with fewer than 11 near
//     readings; browser 161 `015` 10 times at 0.58; browser 163 `019`, at 45 degrees, 7 at 0.37);
//   - (since 0.33) any text read alike by 12 renderings at 0.5 (browser 165 `014`, `sam.taylor`
//     in all 14 at 0.52).
// Used for a lattice in the still part of a picture so still that the mark cannot be looked for
// over changing content (browser 135 `014`: code that scrolled in 4 of 300 frames, 264 changing
// pixels under the mark, read `k.lindgren@acme.test` 14 times at 0.90), and for one in a picture
// that never changes (step 3g). What a page's own still structure gives the OCR: splinters, at
// most 6 alike readings of two letters (`ee`) on the spent negatives; on 60 unmarked still crops
// at most 7 alike at confidence 0.49 and at most 8 near readings (at 0.28; 7 at 0.57).
bool reading_stands_alone(const MarkText& text);

// The confidence of a tiled mark (0..0.99) from its lattice's normalised strength and its
// reading: 0.45 + 0.5 x strength, 0.1 more when two lines read it alike; a reading that stands
// alone (above) makes it at least 0.85, "likely" in the reports (from 0.7), whatever the
// lattice's strength (since 0.19: a still code page's mark read alike in all 14 renderings at
// 0.93 was only "possible", 0.65, on its still lattice's strength of 0.21). A tiled logo (no
// reading) keeps the lattice's figure.
double tiled_mark_confidence(double lattice_strength, const MarkText& text);

// Whether a tiled mark found in `view`, whose folded strokes stand `contrast_gray` out of the
// matte, counts, given the stroke contrast gate `min_stroke_contrast_gray` and its reading `text`:
//   - median view: the contrast gate alone;
//   - the other views share their lattice with the content's structure or are weak: the contrast
//     gate and a reading of at least 4 letters or digits read alike twice (since 0.21 at
//     confidence 0.2 or more);
//   - a faint lattice, the still part, the frames less their scrolled page (since 0.37: there the
//     page's misaligned rows and the codec's noise are all that is left besides a mark, and its
//     strokes are the opacity, not the gray they move), and (since family 0.15) any other weak view whose strokes
//     miss the contrast gate: a fifth of that gate and 3 alike readings at confidence 0.6, or
//     (since 0.16) near readings that vouch (near_readings_vouch), or in the still part (since
//     0.33) a reading that stands alone (reading_stands_alone). The
//     floor only drops mattes of pure noise (clean clips whose chance lattice reached the OCR gave
//     0-1.8 gray, marks 0.57-3.3); the reading separates them.
bool tiled_reading_counts(LatticeView view, double contrast_gray, double min_stroke_contrast_gray, const MarkText& text);

}  // namespace wm::video

#endif  // WM_VIDEO_TILED_GATES_H_
