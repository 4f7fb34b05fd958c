// Overlay detector: finds what a meeting client or screen recorder drew on top of the picture.
//
// Method (after Dekel et al., "On the Effectiveness of Visible Watermarks", CVPR 2017):
//
//   sampled frames ──> reservoir of distinct frames (bounded, time-spread)
//        │
//        ├─ temporal spread per pixel ── spread ~ 0 with edges ──> video.static_ui (opaque)
//        │                            └─ spread small everywhere ──> not checked (undecidable)
//        └─ median x/y gradients ("consistent gradients"), kept where the content varies
//              │
//              ├─ 2-D autocorrelation (FFT) ── lattice (v1, v2)? ──> fold tiles (sqrt(N) SNR)
//              │     ├─ none: content grid (text lines kept in place)? remove it, search again
//              │     ├─ none: darkest / brightest values; then a faint lattice (significant,
//              │     │  under the strength gate) — these count only when their tiles read as text
//              │     ├─ none at all: step 3's lattice search again on the median gradients of
//              │     │  smoothed frames (fractional steps the integer median rounds to 0), then
//              │     │  on the gradients turned towards a middle gray (a grey mark's edges
//              │     │  change sign between dark and light slides)
//              │     └─ still none: the frames aligned by their scroll offsets, less their page
//              │        (scroll_residual.h): a mark of the page's own colour, left over the ink
//              └─ Poisson reconstruction (DST) ──> matte ──> alpha from spread ratio
//                                                      └──> level by text angle ──> OCR, vote
//              └─ no lattice: compact islands of consistent gradients, plausible alpha ──> logo
//                 (logo.h; a tiled mark whose tiles read as nothing is a tiled logo)
//
// A semi-transparent overlay lets the changing background through, scaled by (1 - alpha),
// plus a constant: its gradients are the only ones that persist over changing content. An
// opaque UI element does not vary at all, which is what separates it from a watermark.
//
// What it cannot see: an overlay over content that never changes (reported as not checked,
// never as clean); two marks that each hold about half of the recording (the first pass over
// all frames must see one of them before the frames without it are searched again); colour
// (luma only); marks fainter than the codec's noise, as at opacity ~0.05 after strong
// compression; text in scripts other than Latin.
#include "video/overlay_detector.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/png.h"
#include "video/finding_fields.h"
#include "video/gradient_stats.h"
#include "video/label_marks.h"
#include "video/lattice.h"
#include "video/logo.h"
#include "video/mark_reader.h"
#include "video/matte.h"
#include "video/scroll_residual.h"
#include "video/see_through.h"
#include "video/static_text.h"
#include "video/text_line.h"
#include "video/tiled_gates.h"

namespace wm::video {

namespace {

// A single line (no lattice vouches for it) counts on its reading alone: OCR confidence at least
// this, or this lower one for a whole e-mail address (noise and content ghosts do not spell one).
// A window around a line is read again smoothed by this σ when the plain reading fails.
constexpr double kSingleMinConfidence = 0.75;
constexpr double kSingleEmailMinConfidence = 0.5;
constexpr double kSingleWindowSmoothingPx = 1.5;
// Two places read as the same single line at most this far apart (reading_distance).
constexpr double kSameLineMaxReadingDistance = 0.1;

constexpr double kVaryingSpreadGray = 4.0;  // temporal std above which the background varies
constexpr double kStaticSpreadGray = 2.0;   // below which a pixel never changed (codec flicker)
constexpr double kFlickerSpreadGray = 8.0;  // most a static element's sharp edges flicker with the codec
// An edge of the still picture (median gradient magnitude, gray per pixel) for
// with_enclosed_still_patches: a label's letters step by tens of gray over a pixel or two, smooth
// camera-like content by a fraction of a gray per pixel.
constexpr double kStillEdgeGray = 3.0;
// Still gaps in the changing content narrower than this (analysed pixels, a square's side) are
// bridged for the single-line search (with_narrow_still_gaps_bridged, text_line.h). Between the
// columns a monospaced page's glyphs sweep, a couple of pixels of bare ground, widened by the
// 3-px margin the mask keeps from still pixels, leave gaps of 7-9 px at 720p (held-out 141
// `060`, chosen there: 9 still cut its line, 13 read it).
constexpr int kBridgedStillGapPx = 13;
// A single line is an overlay only when at least this share of its strokes (matte above
// kStrokeMatteLevel) lies over changing content (changing_background)...
constexpr double kMinChangingStrokeShare = 0.5;
// ... or at least this share over pixels whose own background changed (changed_under_strokes):
// over a monospaced page paged by whole lines the first mask keeps only the middle of each glyph
// column. Stricter, since what the median keeps of such a page lies on its pixels too: a word
// of it read over the page had 0.57 of its strokes there, the mark's lines 0.70-0.96 (synthetic
// terminals like held-out 141 and 139 `060`, where the threshold was chosen).
constexpr double kMinChangedStrokeShare = 0.65;
// ... or, over content that changes little everywhere, when its strokes change with the ground
// around them (strokes_change_with_ground, text_line.h: its ring must change by more than
// kStaticSpreadGray, the default there).

constexpr double kStrokeMatteLevel = 0.5;
// Lines of other lengths read for the second line of a tiled mark (read_second_line).
constexpr int kSecondLineReads = 3;
// A still component up to this many times the area of the text lines read inside it is their
// label (a name on its box); a larger one is UI around them (a toolbar, a gallery's frame).
constexpr double kLabelAreaPerTextArea = 6.0;
// A still area without the edges of UI can still hold a shape with strong edges that the content
// never moved under (a logo over a flat slide background that only changed at its corners):
// there an overlay cannot be told from content, and the report must not say clean. Edges of the
// temporal mean at least this strong (Sobel 3 x 3; a step of ~15 gray), on at least this share of
// the frame.
constexpr double kStillShapeEdge = 60.0;
constexpr double kStillShapeMinFraction = 0.0005;
// Three or more still text lines in a row, each at most this many line heights from the next,
// are a toolbar (one finding).
constexpr double kToolbarGapLineHeights = 3.0;
// A still text line whose letters follow the picture beside them (see_through.h) at a measured
// opacity of at most kSeeThroughMaxAlpha, with a correlation of at least
// kSeeThroughMinCorrelation, is a semi-transparent mark, not a label. Chosen (family 0.46) on
// the labels and single lines over camera video of sets c901, h145 and h147 (looked at before,
// so not held out for this rule; seed 149 was): 62 labels
// (bare names, semi-transparent and opaque plates, 13-33 px) 0.95-1.00, correlation <= 0.72 (16
// whose ground changed too little were not measured); 5 lines at 0.3-0.4 opacity 0.23-0.37,
// correlation >= 0.90. The unit tests' thin OpenCV names on semi-transparent plates: 0.60-0.81.
constexpr double kSeeThroughMaxAlpha = 0.5;
constexpr double kSeeThroughMinCorrelation = 0.8;
// A still text line's reading needs this many letters or digits: a piece of a tiled mark over a
// still margin reads as three (`Ney`, `Vey` under `Maria Keller`), a name seldom does.
constexpr int kStaticLineMinAlnum = 4;
// A still text line is scaled to about this height before it is read (x-height ~25 px).
constexpr double kStaticLineReadHeightPx = 48.0;
constexpr std::uint32_t kReservoirSeed = 20171;
// A second pass over the frames that do not show the marks found first (segments): at least this
// many of them, and this share of all kept frames.
constexpr int kMinSegmentFrames = 10;
constexpr double kMinSegmentShare = 0.2;
// A text mark shown in at least this share of the kept frames is on screen all along: the halves
// of the recording are not searched again.
constexpr double kShownThroughoutFraction = 0.9;
// A kept frame shows a mark when it carries at least this share of the mark's gradient energy.
constexpr double kShownPresence = 0.5;
// A place of a line that moved is shown in at least this many kept frames (places_take_turns
// also asks for a tenth of them); a line shown in fewer is not re-timed (shown_again).
constexpr std::size_t kMinPlaceFrames = 3;
// An overlay whose strokes follow the changing background by less than 15 % is opaque content.
constexpr double kMaxOverlayAlpha = 0.85;
// A picture narrower or lower than this holds no line of the smallest marks (18 px) with room
// around it, nor two tiles of any lattice: it is not analysed, and said to be (an empty result
// would read as "no mark").
constexpr int kMinAnalysedSidePx = 48;
// Robust z-score the weakest lattice peak needs against the rest of the autocorrelation map, in
// the search at the strength gate, in the extremes and under a content grid. Tiled marks measured
// 100 and more in the first; the static colour bars of ffmpeg's test pattern seen through its
// moving line gave lattices of 0.3-1.2, whose "peaks" do not stand out of the rest of the map.
constexpr double kMinLatticeSignificance = 8.0;
// Fourth lattice search, in the median with peaks under the strength gate: the weakest peak's
// robust z-score and the normalised autocorrelation it needs at least.
constexpr double kFaintLatticeMinSignificance = 20.0;
constexpr double kFaintLatticeMinStrength = 0.02;
// Step 3j (search_scroll_residual): the smoothing of the opacities the lattice is also looked for
// on, and how close to straight down a lag is left out (half width of the band, pixels).
constexpr double kScrollResidualSmoothingPx = 1.0;
constexpr int kScrollLagHalfWidthPx = 2;
// Step 3i (search_oriented_fields): the middle gray a mark's edges are turned towards, the window
// its surroundings are averaged over, the margin within which a frame does not say which way, and
// the share of the changing picture that must lie on both sides of that gray for the step to run.
constexpr int kOrientedMarkGray = 128;
constexpr int kOrientedLevelWindowPx = 15;
constexpr int kOrientedMarginGray = 16;
constexpr double kMinShareOnBothSides = 0.2;
// Fifth lattice search, over the still part of the picture: the least share of the frame that
// must change (below it nothing shows that a still pattern lies over the content rather than
// being it), and how much of the folded mark's gradient energy the median gradients over changing
// content must carry, in either sign (share_of_mark: marks in the tuning sets 0.26-3, a page's
// own still pattern ~0), on at least this many pixels near its strokes.
constexpr double kStillPartMinVaryingFraction = 0.03;
constexpr double kStillPartMinPresence = 0.25;
constexpr int kStillPartMinChangingPixels = 500;
// A share under kStillPartMinPresence still counts, with a reading that stands alone, when it
// stands this many times above the shares read with the mark displaced (displaced_share_rms):
// the codec keeps a faint mark over flat still margins and smears it over busy content, so an
// 18-px grey mark at 0.08 was carried at 0.08 and 0.21 there, each about 8 and 20 times the
// displaced shares' spread (browser 171 `003`, `000`); a still wallpaper of the same address
// beside a scrolled pane gives 0.00 against 0.01 displaced (TiledPatternOnlyInTheStillPartIsNoMark).
constexpr double kStillPartMinShareOverDisplaced = 4.0;
// The lattice vector reported as the tile period must run this close to the text's direction.
constexpr double kMaxTilePeriodDeviationDeg = 5.0;

// The shortest lattice vector looked for: shorter repeats are the content's own texture.
double min_lattice_lag_px(const GradientStatistics& stats) { return std::max(12.0, stats.median_gx.cols / 40.0); }

// Pixels near the content's own strong edges (glyphs, rules), which a semi-transparent mark
// does not reach: a mark at opacity 0.4 moves the luma by at most 0.4 * 255 = 102 gray across
// its strokes. In a picture that never changes, the content's repeats (the pitch of its glyphs
// and lines) outweigh a mark's in the autocorrelation unless they are left out.
constexpr double kContentEdgeGray = 120.0;

// Pixels within `margin_px` of such edges.
cv::Mat near_content_edges(const cv::Mat& gx, const cv::Mat& gy, int margin_px) {
  cv::Mat magnitude;
  cv::magnitude(gx, gy, magnitude);
  cv::Mat strong = magnitude > kContentEdgeGray;
  const int side = 2 * margin_px + 1;
  cv::dilate(strong, strong, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(side, side)));
  return strong;
}

// Rules in a picture that never changes (step 3g): edges of at least kRuleEdgeGray that run
// straight along a row or a column for a sixteenth of the frame's width (80 px at 1280) or more,
// a table's or a pane's borders and underlines; no letter of a mark has such an edge. Each
// correlates with itself at every shift along it, and a table's rows a line apart made a lattice
// of two points on such a ridge that came before the mark's (browser 159 `031`, grey at 0.40
// over a still page with a table: nothing found until they were left out).
constexpr double kRuleEdgeGray = 8.0;

// Pixels within 2 px of such rules.
cv::Mat near_long_rules(const cv::Mat& gx, const cv::Mat& gy) {
  cv::Mat magnitude;
  cv::magnitude(gx, gy, magnitude);
  const cv::Mat edges = magnitude > kRuleEdgeGray;
  cv::Mat rules = straight_runs(edges, std::max(24, edges.cols / 16));
  cv::dilate(rules, rules, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  return rules;
}

// Of the strong edges found inside flat still areas (`edges8`, CV_8UC1), those of shapes: long
// straight edges are the borders of still areas (letterbox bars, gallery gaps, a
// picture-in-picture box), not shapes inside them; and a shape's edges are bands 2-3 px wide
// (both sides of a step), where a dotted trail one pixel wide is a pane's border that scrolled
// content passed.
void keep_only_shapes(cv::Mat& edges8) {
  if (cv::countNonZero(edges8) == 0) return;
  cv::Mat rules = straight_runs(edges8, std::max(24, edges8.cols / 8));
  cv::dilate(rules, rules, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  edges8.setTo(0, rules);
  cv::morphologyEx(edges8, edges8, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2, 2)));
}

// How far around the content's strong edges a picture that never changes is left out (step
// 3g): 3 px first; when that gives no mark, 7 px. The codec's blur and the text's anti-aliasing
// leave a bright slide title a halo under the edge gray, and over a few dozen tiles its ghost
// glyphs fold into rows that cut the mark's lines: a still gradient slide's `sam.taylor` was
// read alike 14 times at confidence 0.39 with 3 px, 0.65 with 7 px. The wider margin alone
// lost 3 of 22 marks found on two still sets (they lie close to the content).
constexpr int kStillPictureEdgeMarginsPx[] = {3, 7};

std::string format_number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Result<double> parse_double(const std::string& name, const std::string& text, double lo, double hi) {
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !(v >= lo && v <= hi)) {
    return Status::invalid_argument("parameter video." + name + ": expected a number in " + format_number(lo, 2) +
                                    ".." + format_number(hi, 2) + ", got \"" + text + "\"");
  }
  return v;
}

Result<bool> parse_bool(const std::string& name, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return Status::invalid_argument("parameter video." + name + ": expected true|false, got \"" + text + "\"");
}

struct SourceScale {
  double x = 1.0;
  double y = 1.0;
  Region to_source(const cv::Rect& r) const {
    return Region{static_cast<int>(std::lround(r.x * x)), static_cast<int>(std::lround(r.y * y)),
                  static_cast<int>(std::lround(r.width * x)), static_cast<int>(std::lround(r.height * y))};
  }
};

const char* frame_choice_name(core::FrameChoice choice) {
  switch (choice) {
    case core::FrameChoice::kAll: return "all";
    case core::FrameChoice::kKeyframes: return "keyframes";
    case core::FrameChoice::kKeyframesWhenIndexed: return "auto";
  }
  return "auto";
}

// A mark that covers a small part of the frame (a logo, a single line) is shown cut out around
// its region with a margin of half its size, enlarged to at least kMinMarkPictureSidePx on the
// longer side so that a reader of the report can see it; a mark over most of the frame (a tiled
// one) is shown whole.
constexpr int kMinMarkPictureSidePx = 320;

cv::Mat crop_small_mark(const cv::Mat& mark, const cv::Rect& box) {
  const double frame_area = static_cast<double>(mark.cols) * mark.rows;
  if (box.area() <= 0 || box.area() > 0.25 * frame_area) return mark;
  const int margin_x = std::max(16, box.width / 2), margin_y = std::max(16, box.height / 2);
  const cv::Rect around = cv::Rect(box.x - margin_x, box.y - margin_y, box.width + 2 * margin_x,
                                   box.height + 2 * margin_y) &
                          cv::Rect(0, 0, mark.cols, mark.rows);
  cv::Mat crop = mark(around).clone();
  const int longer = std::max(crop.cols, crop.rows);
  if (longer < kMinMarkPictureSidePx) {
    const double factor = static_cast<double>(kMinMarkPictureSidePx) / longer;
    cv::resize(crop, crop, cv::Size(), factor, factor, cv::INTER_CUBIC);
  }
  return crop;
}

// 8-bit grey or BGR pictures as RGB PNG through core::encode_png, not cv::imencode: linking
// OpenCV's imgcodecs pulled GDAL, GDCM, Poppler and HDF5 into every process that loads libwm
// (~60 more shared libraries, ~0.18 s of CPU at start-up for every scan, audio-only included).
std::vector<std::uint8_t> encode_png(const cv::Mat& image) {
  if (image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3)) return {};
  core::RgbImage rgb(image.cols, image.rows);
  for (int y = 0; y < image.rows; ++y) {
    const std::uint8_t* row = image.ptr<std::uint8_t>(y);
    std::uint8_t* out = rgb.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(image.cols) * 3;
    for (int x = 0; x < image.cols; ++x, out += 3) {
      if (image.channels() == 1) {
        out[0] = out[1] = out[2] = row[x];
      } else {
        out[0] = row[3 * x + 2];  // BGR to RGB
        out[1] = row[3 * x + 1];
        out[2] = row[3 * x];
      }
    }
  }
  return core::encode_png(rgb);
}

std::string kind_phrase(TextKind kind) {
  switch (kind) {
    case TextKind::kEmail: return "an e-mail address";
    case TextKind::kEmailLocalPart: return "the local part of an e-mail address";
    case TextKind::kPhone: return "a phone number";
    case TextKind::kPersonName: return "a person-like name";
    case TextKind::kFreeText: return "readable text";
    case TextKind::kNone: return "text that could not be read";
  }
  return "text";
}

// A logo names the tool or organisation that marked the recording, not a person: medium.
constexpr const char* kLogoSummary =
    "A semi-transparent logo (a mark that is not readable text) is drawn over the picture; it reveals which tool "
    "or organisation marked the recording, not who watched it.";
constexpr const char* kLogoSummaryTiled =
    "A tiled semi-transparent logo (a repeated mark that is not readable text) is drawn over the picture; it "
    "reveals which tool or organisation marked the recording, not who watched it.";

// A mark drawn over the picture names the viewer when its text names anyone.
Severity severity_for(TextKind kind) { return is_identifying(kind) ? Severity::kHigh : Severity::kMedium; }

// Evidence numbers are estimates good to a few per cent: three significant digits are all a
// reader can use (0.135484 claims a precision the measurement does not have), and a magnitude
// under 1e-4 is a numerical zero (a tile angle of 9e-06 degrees).
double three_significant_digits(double v) {
  if (!std::isfinite(v)) return v;
  if (std::abs(v) < 1e-4) return 0.0;
  const double scale = std::pow(10.0, 2 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
  return std::round(v * scale) / scale + 0.0;  // + 0.0: no "-0"
}

void round_measurements(std::vector<Finding>& findings) {
  for (Finding& f : findings) {
    for (EvidenceField& e : f.evidence) {
      if (double* v = std::get_if<double>(&e.value)) *v = three_significant_digits(*v);
    }
  }
}

// How much of a mark's gradient field (mark_gx, mark_gy) the field (gx, gy) carries on the pixels
// of `mask`: sum g . m / sum |m|^2 (about 1 where the field shows the mark as the mark's own field
// does, more where the content under it stands farther from the mark's colour, negative where its
// contrast flips; about 0 where the field is unrelated to it); 0 when the mark has no gradient there.
// The field is read `lag` away from the mark: sum g(p + lag) . m(p) / sum |m(p)|^2 over the pixels
// p of `mask` whose displaced pixel lies inside the frame.
double share_of_mark_at_lag(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& mark_gx, const cv::Mat& mark_gy,
                            const cv::Mat& mask, cv::Point lag) {
  double dot = 0.0, energy = 0.0;
  for (int y = std::max(0, -lag.y); y < std::min(mask.rows, mask.rows - lag.y); ++y) {
    const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
    const float* fx = gx.ptr<float>(y + lag.y);
    const float* fy = gy.ptr<float>(y + lag.y);
    const float* kx = mark_gx.ptr<float>(y);
    const float* ky = mark_gy.ptr<float>(y);
    for (int x = std::max(0, -lag.x); x < std::min(mask.cols, mask.cols - lag.x); ++x) {
      if (m[x] == 0) continue;
      dot += static_cast<double>(fx[x + lag.x]) * kx[x] + static_cast<double>(fy[x + lag.x]) * ky[x];
      energy += static_cast<double>(kx[x]) * kx[x] + static_cast<double>(ky[x]) * ky[x];
    }
  }
  return energy > 0.0 ? dot / energy : 0.0;
}

// share_of_mark_at_lag in place.
double share_of_mark(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& mark_gx, const cv::Mat& mark_gy,
                     const cv::Mat& mask) {
  return share_of_mark_at_lag(gx, gy, mark_gx, mark_gy, mask, cv::Point());
}

// What share_of_mark reads where the field does not hold the mark: the root mean square of the
// shares with the field displaced by the 15 fractions (i v1 + j v2) / 4, i, j in 0..3, not both
// 0, of the mark's lattice, none of them a repeat of the tile. The changing content's own
// correlation with the mark's strokes, and parts of the mark that line up with themselves at such
// a shift (a text row shifted along itself), set it; a mark carried by the field stands above it.
double displaced_share_rms(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& mark_gx, const cv::Mat& mark_gy,
                           const cv::Mat& mask, const Lattice& lattice) {
  double sum_sq = 0.0;
  int count = 0;
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      if (i == 0 && j == 0) continue;
      const cv::Point2f lag = lattice.v1 * (i / 4.0f) + lattice.v2 * (j / 4.0f);
      const cv::Point lag_px(cvRound(lag.x), cvRound(lag.y));
      const double share = share_of_mark_at_lag(gx, gy, mark_gx, mark_gy, mask, lag_px);
      sum_sq += share * share;
      ++count;
    }
  }
  return std::sqrt(sum_sq / count);
}

// Where the background changes enough for a consistent gradient to mean something: temporal
// spread above `min_spread_gray`, kept 3 px away from the edges of static areas (a bar's border
// is a consistent gradient too). With `close_gaps`, holes up to 5 px are closed first: sparse
// content leaves specks and thin gaps that never changed (between the glyphs of a code page that
// scrolls over a plain dark page, where a mark still shows over the bare page), and every one of
// them would cut a 7 px hole. Only for the lattice search: there a thin static line (a picture-
// in-picture window's border) closed into the mask cannot make a lattice, where the logo search
// would take its edges for a logo's.
cv::Mat changing_background(const cv::Mat& stddev_gray, double min_spread_gray, bool close_gaps) {
  cv::Mat mask = stddev_gray > min_spread_gray;
  if (close_gaps) {
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  }
  cv::erode(mask, mask, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  return mask;
}

// The pixels whose own background changed, for the stroke-share gate of a single line
// (kMinChangedStrokeShare): every pixel whose spread is over the codec's flicker, less a 1-px
// fringe. changing_background's 7-px erosion keeps the opacity estimate off still edges; under a
// monospaced page paged by whole lines it leaves only the middle of each glyph column (the 2-3 px
// still gaps between columns and rows grow to 8-9).
cv::Mat changed_under_strokes(const cv::Mat& stddev_gray) {
  cv::Mat mask = stddev_gray > kStaticSpreadGray;
  cv::erode(mask, mask, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
  return mask;
}

cv::Rect bounding_box(const cv::Mat& mask) {
  std::vector<cv::Point> points;
  cv::findNonZero(mask, points);
  if (points.empty()) return {};
  return cv::boundingRect(points);
}

// The mark's strokes grown by 7 px on every side, so anti-aliased edges and gaps between letters
// belong to the mark's region.
cv::Mat stroke_neighbourhood(const Matte& matte) {
  const cv::Mat strokes = matte.alpha_shape > 0.5;
  cv::Mat near;
  cv::dilate(strokes, near, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
  return near;
}

class OverlayDetector final : public core::VideoDetector {
 public:
  explicit OverlayDetector(const OverlaySettings& settings)
      : settings_(settings), reservoir_(settings.reservoir_frames, settings.min_change_gray, kReservoirSeed) {}

  core::VideoSamplingRequest sampling() const override {
    core::VideoSamplingRequest r;
    r.min_interval_s = settings_.min_interval_s;
    r.max_frames = 0;
    r.max_width_px = settings_.max_width_px;
    r.scaled_width_px = settings_.scaled_width_px;
    r.max_scale_down = settings_.max_scale_down;
    r.format = PixelFormat::kGray8;
    r.frames = settings_.frames;
    r.min_indexed_keyframes = settings_.reservoir_frames;
    return r;
  }

  Status start(const core::VideoStreamFormat& format) override {
    if (format.width <= 0 || format.height <= 0) {
      return Status::invalid_argument("video overlay detector: frame size " + std::to_string(format.width) + "x" +
                                      std::to_string(format.height));
    }
    format_ = format;
    scale_.x = format.source_width > 0 ? static_cast<double>(format.source_width) / format.width : 1.0;
    scale_.y = format.source_height > 0 ? static_cast<double>(format.source_height) / format.height : 1.0;
    started_ = true;
    return Status::ok();
  }

  Status feed(const FrameView& frame) override {
    if (!started_) return Status::invalid_argument("video overlay detector: feed() before start()");
    if (frame.data == nullptr || frame.width <= 0 || frame.height <= 0) {
      return Status::invalid_argument("video overlay detector: empty frame");
    }
    try {
      cv::Mat gray;
      switch (frame.format) {
        case PixelFormat::kGray8:
          if (frame.stride_bytes < frame.width) return Status::invalid_argument("video overlay detector: bad stride");
          gray = cv::Mat(frame.height, frame.width, CV_8UC1, const_cast<std::uint8_t*>(frame.data),
                         static_cast<std::size_t>(frame.stride_bytes));
          break;
        case PixelFormat::kBgr24:
        case PixelFormat::kRgb24: {
          if (frame.stride_bytes < 3 * frame.width) return Status::invalid_argument("video overlay detector: bad stride");
          const cv::Mat colour(frame.height, frame.width, CV_8UC3, const_cast<std::uint8_t*>(frame.data),
                               static_cast<std::size_t>(frame.stride_bytes));
          cv::cvtColor(colour, gray, frame.format == PixelFormat::kBgr24 ? cv::COLOR_BGR2GRAY : cv::COLOR_RGB2GRAY);
          break;
        }
      }
      reservoir_.offer(gray, frame.pts_s);
    } catch (const std::exception& e) {
      return Status::internal(std::string("video overlay detector: ") + e.what());
    }
    return Status::ok();
  }

  core::DetectorOutput finish(bool complete) override {
    core::DetectorOutput out;
    out.run = run_description();
    try {
      analyse(out);
      drop_marks_read_as_labels(out.findings);
      say_whether_still_shapes_were_undecided(out);
      round_measurements(out.findings);
    } catch (const std::exception& e) {
      out.findings.clear();
      out.not_checked.push_back({"video.overlays", std::string("analysis failed: ") + e.what()});
    }
    if (!complete) {
      out.not_checked.push_back({"video.overlays", "the video stream ended early (decode error or cancel); frames after " +
                                                       format_number(reservoir_.last_pts_s(), 1) + " s were not seen"});
    }
    return out;
  }

 private:
  DetectorRun run_description() const {
    return {"video",
            kVideoFamilyVersion,
            {{"scaled_width_px", std::to_string(settings_.scaled_width_px)},
             {"max_scale_down", format_number(settings_.max_scale_down, 2)},
             {"max_width_px", std::to_string(settings_.max_width_px)},
             {"analysed_size", analysed_size_description()},
             {"min_interval_s", format_number(settings_.min_interval_s, 3)},
             {"reservoir_frames", std::to_string(settings_.reservoir_frames)},
             {"min_varying_fraction", format_number(settings_.min_varying_fraction, 3)},
             {"min_lattice_strength", format_number(settings_.min_lattice_strength, 3)},
             {"min_stroke_contrast_gray", format_number(settings_.min_stroke_contrast_gray, 2)},
             {"max_line_windows", std::to_string(settings_.max_line_windows)},
             {"frames", frame_choice_name(settings_.frames)},
             {"decoded", decoded_frames_description()},
             {"ocr", settings_.ocr ? "true" : "false"},
             {"artifacts", settings_.artifacts ? "true" : "false"}}};
  }

  // The picture as analysed, and the stream's when it was scaled down.
  std::string analysed_size_description() const {
    if (!started_) return "none";
    const auto size = [](int w, int h) { return std::to_string(w) + "x" + std::to_string(h); };
    std::string s = size(format_.width, format_.height);
    if (format_.source_width > format_.width) s += " (scaled from " + size(format_.source_width, format_.source_height) + ")";
    return s;
  }

  std::string decoded_frames_description() const {
    if (!started_) return "none";
    std::string s = format_.keyframes_only ? "key frames only" : "every frame";
    if (format_.indexed_keyframes >= 0) s += " (index lists " + std::to_string(format_.indexed_keyframes) + " key frames)";
    return s;
  }

  TimeRange whole_range() const { return {reservoir_.first_pts_s(), reservoir_.last_pts_s()}; }

  // Whether `t_s` lies in one of `ranges_s` (ends included).
  static bool covers(const std::vector<TimeRange>& ranges_s, double t_s) {
    return std::any_of(ranges_s.begin(), ranges_s.end(),
                       [&](const TimeRange& r) { return t_s >= r.start_s && t_s <= r.end_s; });
  }

  // When a mark is on screen, as mark_time_ranges measured it.
  struct MarkTimes {
    std::vector<TimeRange> ranges_s;
    double present_fraction = 1.0;
    // The kept frame (index into the reservoir) that shows the mark most strongly: the frame
    // its annotated picture shows. None when presence could not be measured.
    std::optional<std::size_t> clearest_frame;
  };

  // When the mark is on screen (segments): each kept frame's share of the mark's gradient
  // energy (strong_presence); frames at >= 0.5 show it. The median found the mark, so it is
  // there in most frames; this says where it is not (it appeared late, went away, or a slide
  // covered it).
  // `refine`: measured once more against the mark as the frames that show it have it
  // (shown_again).
  MarkTimes mark_time_ranges(const cv::Mat& mark_gx, const cv::Mat& mark_gy, const cv::Mat& candidates,
                             bool refine = false) {
    return times_shown(measured_presence(mark_gx, mark_gy, candidates, refine));
  }

  // Each kept frame's share of the mark (strong_presence, refined by shown_again when asked);
  // empty when it could not be measured.
  std::vector<double> measured_presence(const cv::Mat& mark_gx, const cv::Mat& mark_gy, const cv::Mat& candidates,
                                        bool refine) const {
    std::vector<double> presence = strong_presence(mark_gx, mark_gy, candidates);
    if (refine && !presence.empty()) presence = shown_again(presence, candidates);
    return presence;
  }

  // The times of a mark of that `presence`; the frames that show it are marked in shown_.
  MarkTimes times_shown(const std::vector<double>& presence) {
    MarkTimes times;
    marks_timed_ = true;
    if (presence.empty()) {
      std::fill(shown_.begin(), shown_.end(), 1);
      times.ranges_s = {whole_range()};
      return times;
    }
    const auto shown = std::count_if(presence.begin(), presence.end(), [](double p) { return p >= kShownPresence; });
    for (std::size_t i = 0; i < presence.size() && i < shown_.size(); ++i) {
      shown_[i] |= presence[i] >= kShownPresence ? 1 : 0;
    }
    times.present_fraction = static_cast<double>(shown) / static_cast<double>(presence.size());
    const std::vector<double>& pts_s = reservoir_.frame_pts_s();
    const std::vector<PresenceRange> ranges =
        presence_ranges(pts_s, presence, kShownPresence, reservoir_.first_pts_s(), reservoir_.last_pts_s());
    for (const PresenceRange& r : ranges) times.ranges_s.push_back({r.start_s, r.end_s});
    if (times.ranges_s.empty()) times.ranges_s = {whole_range()};
    // The clearest frame among those inside the reported times (a frame the debounce dropped
    // from them is not pictured).
    for (std::size_t i = 0; i < presence.size() && i < pts_s.size(); ++i) {
      if (presence[i] >= kShownPresence && covers(times.ranges_s, pts_s[i]) &&
          (!times.clearest_frame || presence[i] > presence[*times.clearest_frame])) {
        times.clearest_frame = i;
      }
    }
    return times;
  }

  // A line on screen in part of the kept frames only (it moved, or came late) is weak in the
  // statistics over all of them, so its share of every frame is measured against a faint field
  // that the content's residue rivals, and frames without it pass for frames with it (measured:
  // a line shown in the second half of 160 frames, timed as shown also at 15-30 s and 41-45 s).
  // Its field as the frames that show it (`presence` >= kShownPresence) have it — the median of
  // their own gradients, around the line — is full-strength: presence measured against that.
  // Unchanged when the line is shown in too few frames or nearly all.
  std::vector<double> shown_again(const std::vector<double>& presence, const cv::Mat& candidates) const {
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < presence.size(); ++i) {
      if (presence[i] >= kShownPresence) shown.push_back(i);
    }
    if (shown.size() < kMinPlaceFrames ||
        static_cast<double>(shown.size()) >= kShownThroughoutFraction * static_cast<double>(presence.size())) {
      return presence;
    }
    cv::Mat gx, gy;
    median_forward_differences(reservoir_.frames(), shown, bounding_box(candidates), gx, gy);
    std::vector<double> again = strong_presence(gx, gy, candidates);
    return again.empty() ? presence : again;
  }

  // The picture around a line (`box` and the 8 px ring estimate_alpha compares its strokes with,
  // analysed pixels) over the kept frames that show it (`presence` >= kShownPresence), for a line
  // shown in part of them only: nothing when it is shown in nearly all (or too few) of them.
  struct WhileShown {
    cv::Rect area;
    cv::Mat mean, spread;  // CV_32F over `area`, gray levels
    cv::Mat changed_near;  // CV_8UC1: within 7 px of a pixel whose spread is over kStaticSpreadGray
  };
  std::optional<WhileShown> while_shown(const std::vector<double>& presence, const cv::Rect& box) const {
    const std::vector<cv::Mat>& frames = reservoir_.frames();
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < presence.size() && i < frames.size(); ++i) {
      if (presence[i] >= kShownPresence) shown.push_back(i);
    }
    if (frames.empty() || shown.size() < std::max(kMinPlaceFrames, presence.size() / 10) ||
        static_cast<double>(shown.size()) >= kShownThroughoutFraction * static_cast<double>(presence.size())) {
      return std::nullopt;
    }
    WhileShown w;
    w.area = (box + cv::Size(16, 16) - cv::Point(8, 8)) & cv::Rect(cv::Point(0, 0), frames.front().size());
    cv::Mat sum(w.area.size(), CV_64F, cv::Scalar(0.0)), sum_sq(w.area.size(), CV_64F, cv::Scalar(0.0));
    for (const std::size_t i : shown) {
      cv::accumulate(frames[i](w.area), sum);
      cv::accumulateSquare(frames[i](w.area), sum_sq);
    }
    const double n = static_cast<double>(shown.size());
    cv::Mat mean = sum / n, variance = sum_sq / n - mean.mul(mean), spread;
    cv::sqrt(cv::max(variance, 0.0), spread);
    mean.convertTo(w.mean, CV_32F);
    spread.convertTo(w.spread, CV_32F);
    w.changed_near = w.spread > kStaticSpreadGray;
    cv::dilate(w.changed_near, w.changed_near, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(15, 15)));
    return w;
  }

  // The opacity of a line shown in part of the kept frames only, measured over the frames that
  // show it (`w`, while_shown's, computed once per line for this and stood_still_while_shown), or
  // nothing when it is shown in nearly all (or too few) of them. Over all
  // the frames the strokes' spread is the spread of whatever stands there in the frames without
  // the line, and the fit says "nothing of it is opaque" of any text: browser 155 `025`, an
  // unmarked slide deck, had `/usr/bin/pinentry` at one place in white on three slides in a row,
  // and it passed for a semi-transparent line shown 7-12 s. Over its own frames such text does not
  // follow the changing background at all. Measured on the pixels of `changing` (the pass's, as
  // over all frames) that lie near a pixel that changed in the frames that show the line: where
  // the picture under it stood still while it was shown, an overlay's strokes do not change
  // either, whatever its opacity.
  static std::optional<AlphaEstimate> alpha_where_shown(const cv::Mat& alpha_shape, const std::optional<WhileShown>& w,
                                                        const cv::Mat& changing) {
    if (!w) return std::nullopt;
    return estimate_alpha(alpha_shape(w->area), w->mean, w->spread, w->changed_near & changing(w->area));
  }

  // Whether a line shown in part of the kept frames only lay mostly over a picture that stood
  // still in every frame that shows it (under kMinChangingStrokeShare of its strokes `strokes`,
  // CV_8UC1 over the analysed frame, near a pixel that changed then). Such a line cannot be told
  // from the page itself: a page held still for most of a recording and then scrolled leaves its
  // lines in the median, shown (by their own gradients) exactly while the page stood still, over
  // whatever changed beside it. Undecidable, not a mark (family 0.45; three of six synthetic code
  // panes held for 16 of 24 frames gave such lines with 0.44).
  static bool stood_still_while_shown(const cv::Mat& strokes, const std::optional<WhileShown>& w) {
    if (!w) return false;
    const cv::Mat in_area = strokes(w->area);
    const int stroke_px = cv::countNonZero(in_area);
    return stroke_px > 0 && cv::countNonZero(in_area & w->changed_near) < kMinChangingStrokeShare * stroke_px;
  }

  // Each kept frame's share of the mark's gradient energy, measured on the strongest 3 % of the
  // mark's gradients among `candidates`; empty when there are too few candidates to say.
  std::vector<double> strong_presence(const cv::Mat& mark_gx, const cv::Mat& mark_gy, const cv::Mat& candidates) const {
    cv::Mat magnitude;
    cv::magnitude(mark_gx, mark_gy, magnitude);
    std::vector<float> values;
    for (int y = 0; y < magnitude.rows; ++y) {
      const float* m = magnitude.ptr<float>(y);
      const std::uint8_t* c = candidates.ptr<std::uint8_t>(y);
      for (int x = 0; x < magnitude.cols; ++x) {
        if (c[x] != 0) values.push_back(m[x]);
      }
    }
    if (values.size() < 200) return {};
    const auto k = static_cast<std::ptrdiff_t>(0.97 * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    const float threshold = std::max(values[static_cast<std::size_t>(k)], 1.0f);
    const cv::Mat mask = (magnitude >= threshold) & candidates;
    return mark_presence(reservoir_.frames(), mark_gx, mark_gy, mask);
  }

  // Marks per segment: the statistics over all kept frames find the mark that is on screen most
  // of the time; the frames that do not show it (mark_time_ranges) are searched again on their
  // own, so a mark that moved, changed its text or replaced another part-way is found in its
  // segment too. When there are too few such frames and no text mark is shown all along, each
  // half of the recording is searched on its own instead (a line that jumps between places holds
  // none of them for most of the recording), and within a half where a mark is found, the frames
  // without it once more.
  void analyse(core::DetectorOutput& out) {
    const std::vector<cv::Mat>& all = reservoir_.frames();
    if (!all.empty() && (all.front().cols < kMinAnalysedSidePx || all.front().rows < kMinAnalysedSidePx)) {
      // The size the user knows is the stream's; the analysed one can differ (scaled to
      // max_width_px, or a chroma-subsampled odd width rounded down).
      const bool source_known = format_.source_width > 0 && format_.source_height > 0;
      const int width_px = source_known ? format_.source_width : all.front().cols;
      const int height_px = source_known ? format_.source_height : all.front().rows;
      out.not_checked.push_back({"video.overlays", "not analysed: the picture is " + std::to_string(width_px) + "x" +
                                                       std::to_string(height_px) +
                                                       " px, too small to hold a mark that could be found and read "
                                                       "(under " + std::to_string(kMinAnalysedSidePx) +
                                                       " px on a side as analysed)"});
      return;
    }
    shown_.assign(all.size(), 0);
    marks_timed_ = false;
    static_text_mask_.release();
    still_shapes_box_.reset();
    static_text_lines_.clear();
    analyse_frames(all, reservoir_.frame_pts_s(), false, out);
    pass_ = {};
    if (stopped(out)) return;
    std::vector<std::size_t> every(all.size());
    std::iota(every.begin(), every.end(), std::size_t{0});
    // A text mark shown all along leaves nothing to search again.
    const bool text_throughout = std::any_of(out.findings.begin(), out.findings.end(), [](const Finding& f) {
      return is_text_mark(f) && evidence_number(f, "present_fraction", 1.0) >= kShownThroughoutFraction;
    });
    // A line read in part of the frames only was read and timed from statistics where it is weak.
    const bool line_shown_in_part = std::any_of(out.findings.begin(), out.findings.end(), [](const Finding& f) {
      return f.detector == "video.text_overlay" && evidence_number(f, "present_fraction", 1.0) < kShownThroughoutFraction;
    });
    const std::vector<std::size_t> rest = frames_not_shown(every);
    bool searched_again = false;
    if (marks_timed_ && enough_for_a_segment(rest.size())) {
      searched_again = true;
      search_again(rest, out);
    }
    if ((!searched_again || line_shown_in_part) && !text_throughout && enough_for_a_segment(all.size() / 2)) {
      // A mark may be on screen part of the time only, in too few frames for the statistics
      // over all of them: a line that moved between places, each held for about half of the
      // recording or less (the first pass finds nothing there, pieces of it as logos, or one
      // place, badly read and timed). Each half of the recording is searched on its own (one
      // level: a clean recording costs two more passes), and a line found there again is read
      // and timed from its half (renew_or_merge).
      searched_again = true;
      search_time_halves(every, out);
    }
    if (searched_again && cancel_requested()) {
      out.not_checked.push_back({"video.overlays", "scan cancelled: parts of the recording were not searched on "
                                                   "their own for marks shown only there"});
    }
  }

  // The halves in time of the kept frames `every`, each searched for single lines on its own; in
  // a half where one is found, the half's frames without it once more; then the frames outside
  // every line found so far, once more (a line's middle place across the halves).
  void search_time_halves(std::vector<std::size_t> every, core::DetectorOutput& out) {
    // The reservoir keeps its frames in slots, not in time order, once it has been full.
    const std::vector<double>& pts_s = reservoir_.frame_pts_s();
    const auto time_of = [&](std::size_t i) { return i < pts_s.size() ? pts_s[i] : 0.0; };
    std::stable_sort(every.begin(), every.end(), [&](std::size_t a, std::size_t b) { return time_of(a) < time_of(b); });
    const auto half = static_cast<std::ptrdiff_t>(every.size() / 2);
    const std::vector<std::vector<std::size_t>> halves = {{every.begin(), every.begin() + half},
                                                          {every.begin() + half, every.end()}};
    core::DetectorOutput found;  // the lines of the halves, merged among themselves
    for (const std::vector<std::size_t>& span : halves) {
      // Only this half's line decides which of its frames are searched once more: a logo shown
      // all along, or the other half's line, must not hide them.
      const std::vector<char> shown_before = shown_;
      const bool timed_before = marks_timed_;
      std::fill(shown_.begin(), shown_.end(), 0);
      marks_timed_ = false;
      search_again(span, found, kLinesOnly);
      if (marks_timed_ && !stopped(out)) search_again(frames_not_shown(span), found, kLinesOnly);
      for (std::size_t i = 0; i < shown_.size() && i < shown_before.size(); ++i) {
        shown_[i] = static_cast<char>(shown_[i] | shown_before[i]);
      }
      marks_timed_ = marks_timed_ || timed_before;
      if (stopped(out)) break;
    }
    std::vector<char> renewed(out.findings.size(), 0);
    for (Finding& f : found.findings) renew_or_merge(std::move(f), renewed, out);
    out.not_checked.insert(out.not_checked.end(), found.not_checked.begin(), found.not_checked.end());
    // A line at three places or more holds one place across the middle, in too few frames of
    // either half to be found there once its half's own line is taken out: the frames of the
    // whole recording that no line found so far is timed over, once more (only when some line
    // was found: otherwise they are every frame, searched already).
    if (!stopped(out)) {
      const std::vector<std::size_t> unexplained = frames_outside_lines(every, out);
      if (unexplained.size() < every.size()) search_again(unexplained, out, kLinesOnly);
    }
    // What the first pass took for logos may be pieces of a line read since (decided before any
    // finding is moved: overlaps_text_mark reads them all).
    std::vector<char> on_a_line;
    for (const Finding& f : out.findings) {
      on_a_line.push_back(f.detector == "video.logo_overlay" && f.region && overlaps_text_mark(*f.region, out));
    }
    std::vector<Finding> kept;
    for (std::size_t i = 0; i < out.findings.size(); ++i) {
      if (on_a_line[i] == 0) kept.push_back(std::move(out.findings[i]));
    }
    out.findings = std::move(kept);
  }

  // The frames among `kept` (indices into the reservoir) outside the time ranges of every single
  // line reported in `out` (a logo, or a tiled mark shown along, does not hide them).
  std::vector<std::size_t> frames_outside_lines(const std::vector<std::size_t>& kept,
                                                const core::DetectorOutput& out) const {
    const std::vector<double>& pts_s = reservoir_.frame_pts_s();
    std::vector<std::size_t> rest;
    for (const std::size_t i : kept) {
      const bool on_a_line = i < pts_s.size() && std::any_of(out.findings.begin(), out.findings.end(), [&](const Finding& f) {
        return f.detector == "video.text_overlay" && covers(f.time_ranges_s, pts_s[i]);
      });
      if (!on_a_line) rest.push_back(i);
    }
    return rest;
  }

  // A line found in a half of the recording where the first pass read the same line: the
  // half's place and times replace the first pass's, and so does its reading when it is the
  // more confident. The first pass measured them against the statistics of every kept frame,
  // where a line shown in half of them or less is weak and the content's residue rivals it
  // (measured: a line shown in the second half of 120 frames, read as "jane.doeGexample" and
  // timed as shown in 82 % of the frames). Another half's reading of the renewed line (shown in
  // both halves) joins it where it overlaps the renewed place. Any other line joins as a
  // segment's would (merge_segment_finding). `renewed`: per finding of the first pass, whether
  // a half's line replaced its place and times already.
  static void renew_or_merge(Finding f, std::vector<char>& renewed, core::DetectorOutput& out) {
    for (std::size_t i = 0; i < renewed.size(); ++i) {
      Finding& first = out.findings[i];
      if (first.detector != "video.text_overlay" || !same_mark(first, f) || !first.region || !f.region ||
          (as_rect(*first.region) & as_rect(*f.region)).area() == 0) {
        continue;
      }
      if (renewed[i] != 0) {
        add_time_ranges(first, f.time_ranges_s);
        // Each half's reading was timed over every kept frame: the larger share stands.
        const double present_fraction =
            std::max(evidence_number(first, "present_fraction", 0.0), evidence_number(f, "present_fraction", 0.0));
        set_evidence_number(first, "present_fraction", present_fraction);
      } else if (f.confidence >= first.confidence) {
        first = std::move(f);
      } else {
        // The first pass's reading stays; the place and times are the half's (a region kept from
        // the first pass could span another place, which would then join it).
        first.region = f.region;
        first.time_ranges_s = f.time_ranges_s;
        set_evidence_number(first, "present_fraction", evidence_number(f, "present_fraction", 1.0));
        // The picture outlines the region: the half's, at the half's frame.
        const auto half_frame = std::find_if(f.artifacts.begin(), f.artifacts.end(),
                                             [](const Artifact& a) { return a.kind == "annotated_frame"; });
        if (half_frame != f.artifacts.end()) replace_annotated_frame(first, *half_frame);
      }
      renewed[i] = 1;
      return;
    }
    merge_segment_finding(std::move(f), out);
  }

  // `picture` in place of `f`'s annotated frame, when it has one.
  static void replace_annotated_frame(Finding& f, Artifact picture) {
    for (Artifact& a : f.artifacts) {
      if (a.kind == "annotated_frame") {
        a = std::move(picture);
        return;
      }
    }
  }

  // The frames among `kept` (indices into the reservoir) that show none of the marks timed so far.
  std::vector<std::size_t> frames_not_shown(const std::vector<std::size_t>& kept) const {
    std::vector<std::size_t> rest;
    for (const std::size_t i : kept) {
      if (i >= shown_.size() || shown_[i] == 0) rest.push_back(i);
    }
    return rest;
  }

  // A segment pass needs at least kMinSegmentFrames kept frames and kMinSegmentShare of all.
  bool enough_for_a_segment(std::size_t frames) const {
    return static_cast<int>(frames) >= kMinSegmentFrames &&
           static_cast<double>(frames) >= kMinSegmentShare * static_cast<double>(reservoir_.frames().size());
  }

  // A segment pass over the kept frames `chosen` (indices into the reservoir), when they are
  // enough; its marks join `out` (merge_segment_finding), with `lines_only` single lines only.
  // The halves of a recording are searched for lines only: a half has a dozen frames or so, over
  // which a picture-in-picture box or a gallery's grid can pass for a logo or a lattice (measured:
  // two such false positives in 26 hard negatives of held-out seed 111 when the halves kept every
  // kind of mark); a single line must read as confident text to be reported at all.
  static constexpr bool kLinesOnly = true;
  static constexpr bool kRefineTimes = true;
  void search_again(const std::vector<std::size_t>& chosen, core::DetectorOutput& out, bool lines_only = false) {
    const std::vector<cv::Mat>& all = reservoir_.frames();
    if (!enough_for_a_segment(chosen.size()) || stopped(out)) return;
    std::vector<cv::Mat> frames;
    std::vector<double> times_s;
    for (const std::size_t i : chosen) {
      frames.push_back(all[i]);
      times_s.push_back(i < reservoir_.frame_pts_s().size() ? reservoir_.frame_pts_s()[i] : 0.0);
    }
    core::DetectorOutput segment;
    lines_only_pass_ = lines_only;
    analyse_frames(frames, times_s, true, segment);
    lines_only_pass_ = false;
    pass_ = {};
    for (Finding& f : segment.findings) {
      if (!lines_only || f.detector == "video.text_overlay") merge_segment_finding(std::move(f), out);
    }
  }

  // A mark found in the frames without the first one: the same mark (same detector and about the
  // same text, or for a logo the same place) seen again after it moved adds its time ranges (a
  // union: a faint mark's presence is noisy, and the frames it seemed absent from show it again);
  // another is its own finding. A logo island where a text mark was reported is that text mark,
  // as in the first pass (here: what is left of a faint mark in frames where it seemed absent).
  static void merge_segment_finding(Finding f, core::DetectorOutput& out) {
    if (f.detector != "video.tiled_text" && f.detector != "video.text_overlay" && f.detector != "video.logo_overlay") {
      return;
    }
    if (f.detector == "video.logo_overlay" && f.region && overlaps_text_mark(*f.region, out)) return;
    for (Finding& existing : out.findings) {
      if (existing.detector != f.detector || !same_mark(existing, f)) continue;
      // A single line that moved keeps a finding per place, each with its own times: where and
      // when it was shown is what the reader of the report needs.
      if (f.detector == "video.text_overlay" && existing.region && f.region &&
          (as_rect(*existing.region) & as_rect(*f.region)).area() == 0) {
        continue;
      }
      add_time_ranges(existing, f.time_ranges_s);
      return;
    }
    out.findings.push_back(std::move(f));
  }

  // The union of `existing`'s time ranges and `more`.
  static void add_time_ranges(Finding& existing, const std::vector<TimeRange>& more) {
    std::vector<TimeRange> ranges = existing.time_ranges_s;
    ranges.insert(ranges.end(), more.begin(), more.end());
    std::sort(ranges.begin(), ranges.end(), [](const TimeRange& a, const TimeRange& b) { return a.start_s < b.start_s; });
    existing.time_ranges_s.clear();
    for (const TimeRange& r : ranges) {
      if (!existing.time_ranges_s.empty() && r.start_s <= existing.time_ranges_s.back().end_s) {
        existing.time_ranges_s.back().end_s = std::max(existing.time_ranges_s.back().end_s, r.end_s);
      } else {
        existing.time_ranges_s.push_back(r);
      }
    }
  }

  static bool same_mark(const Finding& a, const Finding& b) {
    const std::string text_a = evidence_string(a, "text"), text_b = evidence_string(b, "text");
    // OCR of the same mark from other frames can differ by a character or two.
    if (!text_a.empty() || !text_b.empty()) return reading_distance(text_a, text_b) <= 0.25;
    if (!a.region || !b.region) return false;
    const cv::Rect ra = as_rect(*a.region), rb = as_rect(*b.region);
    const double overlap = (ra & rb).area();
    return overlap > 0.5 * std::min(ra.area(), rb.area());
  }

  // One pass over `frames` (all kept frames, or in a `segment_pass` those without the marks found
  // first; there opaque UI was reported already).
  void analyse_frames(const std::vector<cv::Mat>& frames, const std::vector<double>& times_s, bool segment_pass,
                      core::DetectorOutput& out) {
    pass_ = {&frames, &times_s};
    held_tiled_.reset();
    if (frames.size() < 4) {
      // A picture that never changes still shows a tiled mark by its own repeats (step 3g); the
      // rest stays undecided, and is said to be.
      if (!segment_pass && !frames.empty()) {
        const GradientStatistics stats = compute_gradient_statistics(frames, stop_);
        if (stopped(out)) return;
        search_still_picture(stats, min_lattice_lag_px(stats), out);
      }
      out.not_checked.push_back(
          {"video.overlays", "could not separate overlays from content: only " + std::to_string(reservoir_.distinct()) +
                                 " distinct frame(s) among " + std::to_string(reservoir_.offered()) + " sampled"});
      return;
    }
    const GradientStatistics stats = compute_gradient_statistics(frames, stop_);
    if (stopped(out)) return;
    cv::Mat varying = changing_background(stats.stddev_gray, kVaryingSpreadGray, true);
    cv::Mat still = stats.stddev_gray < kStaticSpreadGray;
    const double varying_fraction = cv::countNonZero(varying) / static_cast<double>(varying.total());

    if (!segment_pass) report_static_ui(stats, still, varying_fraction, out);
    leave_out_static_text(varying);

    const double min_lag_px = min_lattice_lag_px(stats);
    if (varying_fraction < settings_.min_varying_fraction) {
      if (!lines_only_pass_ && varying_fraction >= kStillPartMinVaryingFraction &&
          search_still_part(stats, min_lag_px, out)) {
        return;
      }
      // Under 3 % nothing shows that a still pattern lies over the content rather than being
      // it: only a tiled mark whose reading stands alone is reported (step 3g), and the picture
      // is still said to be undecided.
      if (varying_fraction < kStillPartMinVaryingFraction && !segment_pass) search_still_picture(stats, min_lag_px, out);
      out.not_checked.push_back({"video.overlays", "could not separate overlays from content: the picture changed in only " +
                                                       format_number(100.0 * varying_fraction, 1) + "% of the frame over " +
                                                       std::to_string(frames.size()) + " distinct sampled frames"});
      return;
    }

    cv::Mat gx, gy;
    stats.median_gx.copyTo(gx, varying);
    stats.median_gy.copyTo(gy, varying);
    gx.setTo(0, ~varying);
    gy.setTo(0, ~varying);

    if (stopped(out)) return;
    if (!lines_only_pass_ && search_tiled(stats, varying, gx, gy, min_lag_px, out)) return;
    search_lines_and_logos(stats, gx, gy, out);
  }

  // Steps 3-3i: the searches for a tiled mark, in turn. True when one was reported (or the
  // autocorrelation failed, which is said).
  bool search_tiled(const GradientStatistics& stats, const cv::Mat& varying, const cv::Mat& gx, const cv::Mat& gy,
                    double min_lag_px, core::DetectorOutput& out) {
    // One autocorrelation map for the lattice search at the strength gate (step 3) and the faint
    // one under it (step 3d).
    Result<cv::Mat> rho = lattice_autocorrelation({gx, gy}, varying);
    if (!rho.is_ok()) {
      out.not_checked.push_back({"video.tiled_text", rho.status().message()});
      return true;
    }
    const std::optional<Lattice> lattice = lattice_from_autocorrelation(*rho, min_lag_px, settings_.min_lattice_strength);
    // A lattice that yields no mark (too faint to matte) does not end the search.
    if (lattice.has_value() && report_lattice_at_gate(stats, varying, gx, gy, *lattice, out)) return true;
    if (search_under_content_grid(stats, varying, gx, gy, min_lag_px, out)) return true;
    // The extremes are searched over the unclosed mask: closed gaps are pixels whose extremes are
    // the bare page's, and with them the white-on-white lattice lost its significance (borderline:
    // found in an optimised build, not in a debug one).
    cv::Mat unclosed = changing_background(stats.stddev_gray, kVaryingSpreadGray, false);
    leave_out_static_text(unclosed);
    if (search_extreme_views(stats, unclosed, min_lag_px, out)) return true;
    if (search_faint_lattice(stats, varying, gx, gy, *rho, min_lag_px, out)) return true;
    if (search_still_part(stats, min_lag_px, out)) return true;
    if (search_tempered(stats, varying, gx, gy, min_lag_px, out)) return true;
    if (held_tiled_) {
      out.findings.push_back(std::move(*held_tiled_));
      held_tiled_.reset();
      return true;
    }
    if (search_smoothed_fields(stats, varying, min_lag_px, out)) return true;
    if (search_oriented_fields(stats, varying, min_lag_px, out)) return true;
    return search_scroll_residual(stats, varying, min_lag_px, out);
  }

  // Steps 7 and 8b: single lines, then logos (not in a lines-only pass) where no line was read.
  void search_lines_and_logos(const GradientStatistics& stats, const cv::Mat& gx, const cv::Mat& gy,
                              core::DetectorOutput& out) {
    // A single line is often partly over content that changes little (bare background beside
    // a document): for the untiled path every pixel that is not static counts (the lattice
    // search keeps the stricter mask: there a tile over such content is folded in anyway).
    // The still text lines stay in for it: a semi-transparent line over camera video that
    // hardly moves is still text too, and is read there first (drop_marks_read_as_labels keeps
    // the mark). The logo search leaves them out: a label's plate is an island.
    // Still patches inside the changing part, and still gaps narrower than a glyph, are read with
    // the line over them (with_enclosed_still_patches, with_narrow_still_gaps_bridged,
    // text_line.h); the opacity is measured where the picture changed, and most of the line's
    // strokes must lie there (report_single_in).
    cv::Mat soft = changing_background(stats.stddev_gray, kStaticSpreadGray, false);
    cv::Mat still_edges;
    cv::magnitude(stats.median_gx, stats.median_gy, still_edges);
    still_edges = still_edges >= kStillEdgeGray;
    const cv::Mat line_area = with_narrow_still_gaps_bridged(
        with_enclosed_still_patches(soft, still_edges, static_text_lines_), kBridgedStillGapPx, static_text_lines_);
    cv::Mat sx = cv::Mat::zeros(gx.size(), CV_32F), sy = cv::Mat::zeros(gy.size(), CV_32F);
    stats.median_gx.copyTo(sx, line_area);
    stats.median_gy.copyTo(sy, line_area);
    const std::vector<cv::Rect> lines_read =
        report_single(stats, line_area, soft, changed_under_strokes(stats.stddev_gray), sx, sy, out);
    if (lines_only_pass_) return;
    leave_out_static_text(soft);
    sx.setTo(0, ~soft);
    sy.setTo(0, ~soft);
    report_logos(stats, soft, sx, sy, lines_read, out);
  }

  // Step 3's gates for a lattice from the median fields (gx, gy): a tiled mark repeats along two
  // directions (a single repeat is ruled or scrolled content), its lattice stands out of the map,
  // and a lattice of whole lines and characters is a monospace page's (step 3b looks past it).
  // True when a mark was reported.
  bool report_lattice_at_gate(const GradientStatistics& stats, const cv::Mat& varying, const cv::Mat& gx,
                              const cv::Mat& gy, const Lattice& lattice, core::DetectorOutput& out) {
    if (lattice.v2 == cv::Point2f() || lattice.significance < kMinLatticeSignificance) return false;
    if (lattice_on_content_grid(analysed(), gx, gy, varying, lattice)) return false;
    const std::size_t before = out.findings.size();
    report_tiled(stats, varying, gx, gy, lattice, out);
    return out.findings.size() > before;
  }

  // Second lattice search, for content whose own structure stays in the median: a page
  // scrolled by whole lines keeps its text rows (and a monospace character grid) at the same
  // place in every frame, so the median holds an "average glyph" pattern whose repeats outweigh
  // a faint tiled mark's. The pattern's periods are those of the single frames too (see
  // find_content_grid); its part of the fields is removed, the fields are weighted by temporal
  // stability (1 / spread: busy text leaves more noise in the median), and a lattice is
  // accepted on its significance against the autocorrelation map's own spread rather than on a
  // fixed strength. True when a tiled mark was reported.
  bool search_under_content_grid(const GradientStatistics& stats, const cv::Mat& varying, const cv::Mat& gx,
                                 const cv::Mat& gy, double min_lag_px, core::DetectorOutput& out) {
    if (stopped(out)) return false;
    Result<GridSearch> search = search_lattice_under_content_grid(analysed(), gx, gy, varying, stats.stddev_gray,
                                                                  kVaryingSpreadGray, min_lag_px, kMinLatticeSignificance);
    if (!search.is_ok()) {
      out.not_checked.push_back({"video.tiled_text", search.status().message()});
      return false;
    }
    if (!search->lattice) return false;
    const std::size_t before = out.findings.size();
    report_tiled(stats, varying, search->gx, search->gy, *search->lattice, out, LatticeView::kUnderContentGrid);
    return out.findings.size() > before;
  }

  // Third lattice search, for a mark of the background's own colour: white over a white page
  // (or black over a black one) changes nothing where the page is bare, so the median gradient,
  // taken mostly over bare page, does not hold it. Where darker content passes under it the mark
  // lifts it (I = B + alpha (c - B)): the per-pixel darkest values show the mark over the ink
  // everywhere text ever passed. Brightest values are the mirror case. These views carry the
  // content's extremes too, so, as under a content grid, a lattice counts only when its tiles
  // read as text. True when a tiled mark was reported.
  bool search_extreme_views(const GradientStatistics& stats, const cv::Mat& varying, double min_lag_px,
                            core::DetectorOutput& out) {
    for (const LatticeView view : {LatticeView::kDarkestValues, LatticeView::kBrightestValues}) {
      if (stopped(out)) return false;
      cv::Mat ex, ey;
      forward_differences(view == LatticeView::kDarkestValues ? stats.dark_gray : stats.bright_gray, ex, ey);
      ex.setTo(0, ~varying);
      ey.setTo(0, ~varying);
      Result<std::optional<Lattice>> lattice = estimate_lattice({ex, ey}, varying, min_lag_px, settings_.min_lattice_strength);
      const std::size_t before = out.findings.size();
      if (lattice.is_ok() && lattice->has_value() && (*lattice)->v2 != cv::Point2f() &&
          (*lattice)->significance >= kMinLatticeSignificance) {
        report_tiled(stats, varying, ex, ey, **lattice, out, view);
        if (out.findings.size() > before) return true;
      }
      // Lines kept in place by scrolling leave their rows in the extremes as in the median. The
      // grid search only finds the lattice: the tiles are folded from the unfiltered fields (the
      // comb filter also cuts the mark's strokes that fall on the character pitch).
      Result<GridSearch> search = search_lattice_under_content_grid(analysed(), ex, ey, varying, stats.stddev_gray,
                                                                    kVaryingSpreadGray, min_lag_px, kMinLatticeSignificance);
      if (!search.is_ok() || !search->lattice) continue;
      report_tiled(stats, varying, ex, ey, *search->lattice, out, view);
      if (out.findings.size() > before) return true;
    }
    return false;
  }

  // Fourth lattice search, for a faint tiled mark over busy content. With few distinct frames the
  // median keeps much of the content and the codec's noise, which flatten the normalised
  // autocorrelation: the mark's lattice peaks stay under the strength gate (0.03-0.2 where the
  // gate wants 0.4) while standing far out of the map's own spread. Clean pages raise such peaks
  // too (text rows, a logo's repeats: z-scores in the thousands), so, as in the other weak views,
  // the lattice counts only when its tiles read as text. The search also takes a lattice over
  // the gate that step 3 found but could not report (strokes under the contrast gate): the same
  // reading decides. True when a tiled mark was reported.
  // `rho`: the autocorrelation map of (gx, gy) that step 3 searched.
  bool search_faint_lattice(const GradientStatistics& stats, const cv::Mat& varying, const cv::Mat& gx,
                            const cv::Mat& gy, const cv::Mat& rho, double min_lag_px, core::DetectorOutput& out) {
    if (stopped(out) || !settings_.ocr) return false;
    const std::optional<Lattice> lattice = lattice_from_autocorrelation(rho, min_lag_px, kFaintLatticeMinStrength);
    return lattice.has_value() && report_faint_lattice(stats, varying, gx, gy, *lattice, out);
  }

  // Step 3d's gates and reading for one lattice. True when a tiled mark was reported.
  bool report_faint_lattice(const GradientStatistics& stats, const cv::Mat& varying, const cv::Mat& gx,
                            const cv::Mat& gy, const Lattice& found, core::DetectorOutput& out) {
    if (!settings_.ocr || found.v2 == cv::Point2f() || found.significance < kFaintLatticeMinSignificance) return false;
    if (lattice_on_content_grid(analysed(), gx, gy, varying, found)) return false;
    const std::size_t before = out.findings.size();
    report_tiled(stats, varying, gx, gy, found, out, LatticeView::kFaintMedian);
    return out.findings.size() > before;
  }

  // Lattice search on smoothed frames (step 3h), when the views before found nothing: step 3
  // again, with its gates, on the median gradients of smoothed frames, which keep the fractional steps the
  // integer median rounds away (compute_smoothed_median_gradients). Black at 0.08 over a dark
  // page (spent seed 97 `036`, CRF 28) was 2 % non-zero pixels in the integer median fields and
  // no finding; in the smoothed fields its lattice passes step 3's strength gate (0.55), and its
  // tiles, fainter than the contrast gate, read `+1415 555 0134` 10 times. Only a last view: as
  // the first, the same fields cost marks that the integer ones find (a grey 0.15 mark's 18-px
  // strokes, two single lines). Only a lattice at step 3's strength gate: the smoothed fields
  // keep more of the content, and the faint lattices (3d) and the content-grid search (3b) on
  // them reported an unmarked code page (spent browser 145 `021`: a 36-px lattice of strength
  // 0.15 read `Ber Ger Ber ...` by near readings). True when a tiled mark was reported.
  bool search_smoothed_fields(const GradientStatistics& stats, const cv::Mat& varying, double min_lag_px,
                              core::DetectorOutput& out) {
    if (stopped(out)) return false;
    const MedianGradients smoothed = compute_smoothed_median_gradients(analysed(), stop_);
    if (stopped(out) || smoothed.gx.empty()) return false;
    cv::Mat gx = cv::Mat::zeros(smoothed.gx.size(), CV_32F), gy = cv::Mat::zeros(smoothed.gy.size(), CV_32F);
    smoothed.gx.copyTo(gx, varying);
    smoothed.gy.copyTo(gy, varying);
    Result<cv::Mat> rho = lattice_autocorrelation({gx, gy}, varying);
    if (!rho.is_ok()) return false;
    const std::optional<Lattice> lattice = lattice_from_autocorrelation(*rho, min_lag_px, settings_.min_lattice_strength);
    if (!lattice.has_value()) return false;
    // Strokes under the contrast gate (a faint mark's): step 3d's reading gates decide, as they do
    // for a lattice over the gate in the integer fields.
    if (!report_lattice_at_gate(stats, varying, gx, gy, *lattice, out) &&
        !report_faint_lattice(stats, varying, gx, gy, *lattice, out)) {
      return false;
    }
    out.findings.back().evidence.push_back({"smoothed_frames", true, false});
    return true;
  }

  // Last lattice search (step 3i), for a mark of a middle gray over content some darker and some
  // lighter than it (dark and light slides in one deck): the mark's edges point one way over the
  // darker frames and the other way over the lighter ones, and the plain median keeps only what
  // most frames give, or nothing. When enough of the changing picture lies on both sides of the
  // middle gray, the searches of steps 3, 3b, 3d and 3f run again, each with its gates and
  // reading, on the median gradients turned towards a mark of that gray
  // (compute_oriented_median_gradients). Turning lines up the slides' own text too (light on
  // dark, dark on light: the same sign once turned), so over decks on one template the rows come
  // out strong and it is mostly step 3f's tempering that finds the mark (browser 171 `004`, grey
  // at 0.08: read alike 14 times). Only the middle gray: a white or black mark's edges keep one
  // sign over any picture, and the plain median already holds them. True when a mark was reported.
  bool search_oriented_fields(const GradientStatistics& stats, const cv::Mat& varying, double min_lag_px,
                              core::DetectorOutput& out) {
    if (stopped(out)) return false;
    const std::vector<cv::Mat> levels = local_levels(analysed(), kOrientedLevelWindowPx);
    if (share_on_both_sides(levels, kOrientedMarkGray, kOrientedMarginGray, varying) < kMinShareOnBothSides) {
      return false;
    }
    const MedianGradients turned =
        compute_oriented_median_gradients(analysed(), levels, kOrientedMarkGray, kOrientedMarginGray, stop_);
    if (stopped(out) || turned.gx.empty()) return false;
    cv::Mat gx = cv::Mat::zeros(turned.gx.size(), CV_32F), gy = cv::Mat::zeros(turned.gy.size(), CV_32F);
    turned.gx.copyTo(gx, varying);
    turned.gy.copyTo(gy, varying);
    Result<cv::Mat> rho = lattice_autocorrelation({gx, gy}, varying);
    if (!rho.is_ok() || rho->empty()) return false;
    const std::optional<Lattice> lattice = lattice_from_autocorrelation(*rho, min_lag_px, settings_.min_lattice_strength);
    // The turned fields hold the slides' own title and bullet rows, turned too, and whatever lattice
    // is found in them is read as the faint views' are (3 alike at 0.6, or near readings that
    // vouch; no tiled logo): with the searches' own gates, an unmarked deck of dark and light
    // slides was read `A he Bai` twice at 0.29 under its content grid (tuning set 905 `016`).
    faint_reading_gate_ = true;
    const bool reported = (lattice.has_value() && report_lattice_at_gate(stats, varying, gx, gy, *lattice, out)) ||
                          search_under_content_grid(stats, varying, gx, gy, min_lag_px, out) ||
                          search_faint_lattice(stats, varying, gx, gy, *rho, min_lag_px, out) ||
                          search_tempered(stats, varying, gx, gy, min_lag_px, out);
    faint_reading_gate_ = false;
    if (!reported) return false;
    // Turned, the mark departs from the picture the same way over every slide: whether it is
    // lighter or darker than the content depends on the slide, so that is not said. Nor when it
    // shows: the per-frame presence that times a mark (mark_time_ranges) projects each frame's own
    // gradients onto the mark's, and over the light slides those are the turned mark's opposite,
    // so the mark seemed absent there (browser 169 `010`, on screen throughout: timed 10.1-12 s).
    // It is timed as the weak views are, over the whole file.
    Finding& found = out.findings.back();
    found.time_ranges_s = {whole_range()};
    std::vector<EvidenceField>& evidence = found.evidence;
    evidence.erase(std::remove_if(evidence.begin(), evidence.end(),
                                  [](const EvidenceField& e) {
                                    return e.key == "mark_brighter_than_content" || e.key == "present_fraction";
                                  }),
                   evidence.end());
    evidence.push_back({"turned_to_gray", static_cast<double>(kOrientedMarkGray), false});
    return true;
  }

  // Lattice search on the frames less their scrolled page (step 3j, the last): a mark of the
  // page's own colour (white at 0.15-0.25 over a light document) lifts only the ink that passes
  // under it, by less than the ink's own variation, and no per-pixel statistic of the unaligned
  // frames holds it (browser corpora: no such mark found by 0.36; 0 of 18 on a set made of them).
  // With the page aligned and taken away (scroll_residual.h) the mark is what is left, at full
  // strength wherever ink passed under it. The opacities are searched as gray (times 255: the
  // mark as over a page of full contrast), only their positive part (the mark's sign; the codec's
  // ghosts of the ink go both ways), where they are known, lighter marks first. The ghosts are
  // speckle a pixel or two wide that drowns the mark's repeats in the autocorrelation and the
  // reading: the opacities are pooled over kScrollResidualSmoothingPx (pooled_alpha: each pixel
  // by how much ink passed under it; since 0.38, before which each known pixel counted alike),
  // the lattice looked for there and then on the unpooled ones, and the tiles folded from the
  // pooled ones, then, when those do not read, from the unpooled ones, each pixel counted in the
  // fold by its pooled weight too (on the set above, 0.37 found 7 of 18 marks, 4 with the
  // lattice and tiles from the unpooled ones only; thin synthetic strokes read only unpooled).
  // Every frame that showed a page row carries that row's error in the page estimate
  // at its own screen row, so the errors repeat at the differences between scroll offsets,
  // straight down: lags within kScrollLagHalfWidthPx of vertical are left out (a lattice with a
  // vertical repeat has other bases). What is left besides a mark is that noise, so the reading
  // gates are the faint views' (tiled_reading_counts). True when a tiled mark was reported.
  bool search_scroll_residual(const GradientStatistics& stats, const cv::Mat& varying, double min_lag_px,
                              core::DetectorOutput& out) {
    if (stopped(out) || !settings_.ocr) return false;
    const std::optional<ScrollResidual> residual = compute_scroll_residual(analysed(), analysed_times_s(), stop_);
    if (stopped(out) || !residual) return false;
    for (const bool lighter : {true, false}) {
      const cv::Mat known = (lighter ? residual->lighter_known : residual->darker_known) & varying;
      const cv::Mat& alpha = lighter ? residual->lighter_alpha : residual->darker_alpha;
      const cv::Mat gray = cv::max(alpha, 0.0) * 255.0;
      cv::Mat ex, ey;
      known_differences(gray, known, ex, ey);
      const cv::Mat& weight = lighter ? residual->lighter_weight : residual->darker_weight;
      const cv::Mat smoothed = cv::max(pooled_alpha(alpha, weight, kScrollResidualSmoothingPx), 0.0) * 255.0;
      cv::Mat sx, sy;
      known_differences(smoothed, known, sx, sy);
      // The tiles are folded as the opacities are pooled: each pixel by its least-squares weight
      // (pooled like its opacity), in units of the typical known pixel's.
      cv::Mat fold_weight;
      cv::GaussianBlur(weight, fold_weight, cv::Size(), kScrollResidualSmoothingPx);
      fold_weight.setTo(0.0, ~known);
      const double typical_weight = percentile(masked_values(fold_weight, known), 0.5);
      if (typical_weight <= 0.0) continue;
      fold_weight /= typical_weight;
      for (const auto& fields : {std::vector<cv::Mat>{sx, sy}, std::vector<cv::Mat>{ex, ey}}) {
        if (stopped(out)) return false;
        Result<cv::Mat> rho = lattice_autocorrelation(fields, known);
        if (!rho.is_ok() || rho->empty()) continue;
        const int centre = rho->cols / 2;
        rho->colRange(centre - kScrollLagHalfWidthPx, centre + kScrollLagHalfWidthPx + 1).setTo(0);
        std::optional<Lattice> lattice = lattice_from_autocorrelation(*rho, min_lag_px, settings_.min_lattice_strength);
        if (!lattice) lattice = lattice_from_autocorrelation(*rho, min_lag_px, kFaintLatticeMinStrength);
        if (!lattice || lattice->v2 == cv::Point2f() || lattice->significance < kMinLatticeSignificance) continue;
        const std::size_t before = out.findings.size();
        report_tiled(stats, known, sx, sy, *lattice, out, LatticeView::kScrollResidual, {}, fold_weight);
        if (out.findings.size() > before) return true;
        report_tiled(stats, known, ex, ey, *lattice, out, LatticeView::kScrollResidual, {}, fold_weight);
        if (out.findings.size() > before) return true;
      }
    }
    return false;
  }

  // Fifth lattice search, over the still part of the picture: a mark over a page that changes
  // only in part (code scrolled over a bare dark page, a document between still margins) is
  // plainest where the page stands still, and there the other searches do not look (a still
  // pixel's consistent gradient is the page's own as much as a mark's). The lattice is searched
  // and the tiles folded on the still pixels, with the faint lattice's gates; it counts when its
  // tiles read as text and the folded mark is there over the changing content too (see
  // report_tiled): a page's own still pattern is not. A non-empty `left_out` (CV_8UC1) is step
  // 3g, a picture that never changes: those pixels (near the content's strong edges and long
  // rules, see search_still_picture) are left out first, and a lattice on the content's grid is
  // looked for again with the grid removed. True when a mark was reported.
  bool search_still_part(const GradientStatistics& stats, double min_lag_px, core::DetectorOutput& out,
                         const cv::Mat& left_out = cv::Mat()) {
    const bool nothing_changed = !left_out.empty();
    if (stopped(out) || !settings_.ocr) return false;
    // Still: both pixels of a forward difference kept within the codec's flicker; changing: both
    // well above it (a still pattern's sharp edges flicker up to it, and would carry it there).
    cv::Mat still = stats.stddev_gray < kFlickerSpreadGray;
    cv::erode(still, still, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    cv::Mat changing = stats.stddev_gray > 2.0 * kFlickerSpreadGray;
    cv::erode(changing, changing, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    if (nothing_changed) still &= ~left_out;
    Result<cv::Mat> rho = lattice_autocorrelation({stats.median_gx, stats.median_gy}, still);
    if (!rho.is_ok() || rho->empty()) return false;
    std::optional<Lattice> found = lattice_from_autocorrelation(*rho, min_lag_px, kFaintLatticeMinStrength);
    const bool usable = found.has_value() && found->v2 != cv::Point2f() &&
                        found->significance >= kFaintLatticeMinSignificance &&
                        !lattice_on_content_grid(analysed(), stats.median_gx, stats.median_gy, still, found.value());
    const std::size_t before = out.findings.size();
    if (usable) {
      report_tiled(stats, still, stats.median_gx, stats.median_gy, *found, out, LatticeView::kStillPart, changing);
      return out.findings.size() > before;
    }
    // In a picture that never changes, the faint glyphs of a code page (syntax colours under the
    // strong-edge gray) keep their character grid, and its repeats come first: the lattice is
    // then looked for with that grid removed, as under a scrolled page's (step 3b). The tiles are
    // folded from the unfiltered fields first (the comb filter also cuts the mark's strokes that
    // fall on the pitch), then from the filtered ones (where the glyphs left in the fold would
    // otherwise outweigh a mark in few tiles); either way the reading must stand alone.
    if (!nothing_changed) return false;
    Result<GridSearch> search = search_lattice_under_content_grid(analysed(), stats.median_gx, stats.median_gy, still,
                                                                  stats.stddev_gray, kVaryingSpreadGray, min_lag_px,
                                                                  kMinLatticeSignificance);
    if (!search.is_ok() || !search->lattice) return false;
    report_tiled(stats, still, stats.median_gx, stats.median_gy, *search->lattice, out, LatticeView::kStillPart, changing);
    if (out.findings.size() == before) {
      report_tiled(stats, still, search->gx, search->gy, *search->lattice, out, LatticeView::kStillPart, changing);
    }
    return out.findings.size() > before;
  }

  // Step 3g, a picture that never changes: the still-part search with the content's strong edges
  // (the narrower margin first, kStillPictureEdgeMarginsPx) and its long rules left out. True when
  // a mark was reported.
  bool search_still_picture(const GradientStatistics& stats, double min_lag_px, core::DetectorOutput& out) {
    const cv::Mat rules = near_long_rules(stats.median_gx, stats.median_gy);
    for (const int margin_px : kStillPictureEdgeMarginsPx) {
      const cv::Mat left_out = near_content_edges(stats.median_gx, stats.median_gy, margin_px) | rules;
      if (search_still_part(stats, min_lag_px, out, left_out)) return true;
    }
    return false;
  }

  // Sixth lattice search, with strong regions tempered: a picture-in-picture box of full-contrast
  // content (a webcam tile, a test pattern) keeps edges in the median whose energy outweighs a
  // semi-transparent mark's across the rest of the frame, so the mark's peaks stay under the
  // gates. When some region stands far above the frame's typical gradient energy, every pixel
  // above the typical level is scaled down to it (tempering_weight) and step 3 is run again on
  // those fields, with its gates; the tiles are folded from them too (the box's tiles then add
  // little; the mark's contrast and opacity are measured on the tempered fields as well). Only
  // when a region stands out and nothing else was found. A lattice of the tempered fields under
  // the strength gate gets the faint lattice's gates and reading (step 3d) there: slides whose
  // title and bullet rows sit at the same places on every slide leave rows in the median far
  // stronger than a faint mark, and tempered, those rows still line up along the frame's axes
  // while the mark's peaks stand out of the map without reaching the gate (browser 169 `004`,
  // grey at 0.08 over slides: strength 0.16, significance 126, read alike 11 times at 0.75).
  // True when a mark was reported.
  bool search_tempered(const GradientStatistics& stats, const cv::Mat& varying, const cv::Mat& gx, const cv::Mat& gy,
                       double min_lag_px, core::DetectorOutput& out) {
    if (stopped(out)) return false;
    const cv::Mat weight = tempering_weight(gx, gy, varying);
    if (weight.empty()) return false;
    const cv::Mat tx = gx.mul(weight), ty = gy.mul(weight);
    Result<cv::Mat> rho = lattice_autocorrelation({tx, ty}, varying);
    if (!rho.is_ok() || rho->empty()) return false;
    const std::optional<Lattice> lattice = lattice_from_autocorrelation(*rho, min_lag_px, settings_.min_lattice_strength);
    if (!(lattice.has_value() && report_lattice_at_gate(stats, varying, tx, ty, *lattice, out)) &&
        !search_faint_lattice(stats, varying, tx, ty, *rho, min_lag_px, out)) {
      return false;
    }
    out.findings.back().evidence.push_back({"strong_regions_tempered", true, false});
    return true;
  }

  // Text inside an opaque static element (a participant's name label on a video tile, a
  // caption burned into the picture): the element's temporal mean is its exact picture, so it is
  // binarised (Otsu; the minority class is the text) and read like a mark. Empty when the OCR
  // finds nothing it is reasonably sure of. Only the element itself (`element`, the box's mask)
  // is read: the rest of its bounding box is filled with the element's median, since there the
  // mean holds the ghosts of content that moved past (code scrolled beside a bare margin).
  MarkText read_static_text(const cv::Mat& mean_gray, const cv::Rect& box, const cv::Mat& element,
                            core::DetectorOutput& out) {
    if (!settings_.ocr || stopped(out)) return {};
    cv::Mat crop = mean_gray(box).clone();
    crop.setTo(cv::Scalar(percentile(masked_values(crop, element), 0.5)), ~element);
    cv::Mat crop8;
    crop.convertTo(crop8, CV_8U);
    cv::Mat binary;
    cv::threshold(crop8, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    if (cv::countNonZero(binary) > static_cast<int>(binary.total() / 2)) binary = ~binary;
    cv::Mat shape;
    binary.convertTo(shape, CV_32F, 1.0 / 255.0);
    cv::copyMakeBorder(shape, shape, 8, 8, 8, 8, cv::BORDER_CONSTANT, cv::Scalar(0));
    Result<MarkText> text = read_mark(shape, 0.0, 3, stop_, /*level_each_line=*/false);
    if (!text.is_ok()) {
      out.not_checked.push_back({"video.ocr", text.status().message()});
      return {};
    }
    const int alnum = count_alphanumerics(text->text);
    if (alnum < 3 || text->confidence < 0.6) return {};
    return *text;
  }

  // Clears the pixels around the lines read as burned-in text from `mask` (CV_8UC1, analysed
  // frame size).
  void leave_out_static_text(cv::Mat& mask) const {
    if (!static_text_mask_.empty() && static_text_mask_.size() == mask.size()) mask.setTo(0, static_text_mask_);
  }

  // Lines of still text (a gallery's name labels on opaque, semi-transparent or no boxes;
  // captions), each read on its own (find_static_text_lines). The readable ones are reported as
  // burned-in text and go into static_text_mask_. Returns their boxes (analysed pixels).
  std::vector<cv::Rect> report_static_text_lines(const GradientStatistics& stats, core::DetectorOutput& out) {
    struct ReadLine {
      cv::Rect line;    // the still line's pieces
      cv::Rect region;  // the letters read and a quarter of their height around: the finding's region
      MarkText text;
    };
    std::vector<ReadLine> read;
    std::vector<cv::Rect> see_through_line_boxes;
    const cv::Rect frame(0, 0, stats.mean_gray.cols, stats.mean_gray.rows);
    for (const cv::Rect& line : find_static_text_lines(stats.mean_gray, stats.stddev_gray)) {
      if (stopped(out)) break;
      // A little of the ground around the letters (inside a label's box: its padding is about
      // a third of the text's height) for the binarisation to set the text against.
      const int pad_px = std::max(3, line.height / 4);
      const cv::Rect box = (line + cv::Size(2 * pad_px, 2 * pad_px) - cv::Point(pad_px, pad_px)) & frame;
      cv::Rect letters = line;
      MarkText text = read_static_line(stats.mean_gray, box, line.height, letters, out);
      if (text.text.empty()) continue;
      const int margin_px = std::max(2, letters.height / 4);
      const cv::Rect region = (letters + cv::Size(2 * margin_px, 2 * margin_px) - cv::Point(margin_px, margin_px)) & frame;
      if (static_text_mask_.empty()) static_text_mask_ = cv::Mat::zeros(frame.size(), CV_8UC1);
      const cv::Rect grown = (line + cv::Size(2 * line.height, 2 * line.height) - cv::Point(line.height, line.height)) & frame;
      static_text_mask_(grown).setTo(255);
      static_text_lines_.push_back(line);
      const SeeThrough see_through = measure_see_through(analysed(), stats.mean_gray, letters);
      if (see_through.measured && see_through.alpha <= kSeeThroughMaxAlpha &&
          see_through.correlation >= kSeeThroughMinCorrelation) {
        report_see_through_line(text, region, see_through, out);
        see_through_line_boxes.push_back(line);
        continue;
      }
      read.push_back({line, region, std::move(text)});
    }
    // A row of three or more lines side by side, each within kToolbarGapLineHeights line heights
    // of the next, is a toolbar or a menu bar (`Mute`, `Stop Video`, `Share Screen`, ... 28-30 px
    // apart), one finding with its readings joined; a gallery's names in one row of tiles are a
    // tile apart.
    std::sort(read.begin(), read.end(), [](const ReadLine& a, const ReadLine& b) { return a.line.x < b.line.x; });
    std::vector<bool> taken(read.size(), false);
    std::vector<cv::Rect> lines = see_through_line_boxes;
    for (std::size_t i = 0; i < read.size(); ++i) {
      if (taken[i]) continue;
      std::vector<std::size_t> row = {i};
      for (std::size_t j = i + 1; j < read.size(); ++j) {
        const cv::Rect& last = read[row.back()].line;
        const cv::Rect& next = read[j].line;
        const int overlap = std::min(last.y + last.height, next.y + next.height) - std::max(last.y, next.y);
        const int gap = next.x - (last.x + last.width);
        if (!taken[j] && overlap >= 0.6 * std::min(last.height, next.height) &&
            gap <= kToolbarGapLineHeights * std::max(last.height, next.height)) {
          row.push_back(j);
        }
      }
      if (row.size() < 3) row = {i};
      MarkText text = read[i].text;
      cv::Rect box = read[i].region;
      for (std::size_t k = 1; k < row.size(); ++k) {
        text.text += " · " + read[row[k]].text.text;
        text.confidence = std::min(text.confidence, read[row[k]].text.confidence);
        box |= read[row[k]].region;
      }
      text.kind = row.size() > 1 ? TextKind::kFreeText : text.kind;
      for (const std::size_t k : row) {
        taken[k] = true;
        lines.push_back(read[k].line);
      }
      report_burned_in_text(text, box, static_cast<double>(box.area()) / static_cast<double>(frame.area()), out);
    }
    return lines;
  }

  // One line of still text (`box` of the temporal mean, the line `line_height_px` tall in it),
  // read as one line, scaled to about 48 px tall and dark on light (the text is the minority
  // class), twice: the gray picture stretched to the full range (its anti-aliased edges keep
  // small letters apart that a binarised crop joins: `Moria` for `Maria`) and the binarised one
  // (a shadow or a plate's edge at the letters misleads the gray reading: `lom Berger`). The
  // surer reading counts; none unless it has 4 letters or digits and Tesseract is fairly sure.
  // When neither gives one, both are read again without the strokes reaching the crop's edge
  // (boxed in by a plate's outline, `Jonas Weber` read as nothing). `letters` (analysed pixels)
  // becomes the box of the ink that does not reach the crop's edge, when there is any: a line's
  // box can hold its plate's sides, and the finding says where the letters are.
  MarkText read_static_line(const cv::Mat& mean_gray, const cv::Rect& box, int line_height_px, cv::Rect& letters,
                            core::DetectorOutput& out) {
    if (!settings_.ocr || stopped(out)) return {};
    cv::Mat gray;
    mean_gray(box).convertTo(gray, CV_8U);
    cv::Mat binary;
    cv::threshold(gray, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    if (cv::countNonZero(binary) < static_cast<int>(binary.total() / 2)) {
      gray = 255 - gray;
      binary = 255 - binary;
    }
    if (const cv::Rect ink = letters_box(binary); ink.area() > 0) letters = ink + box.tl();
    const double scale = std::clamp(kStaticLineReadHeightPx / std::max(1, line_height_px), 1.0, 6.0);
    MarkText best = read_line_crop(gray, binary, scale, out);
    if (best.text.empty() && !stopped(out)) {
      clear_ink_touching_edges(gray, binary);
      best = read_line_crop(gray, binary, scale, out);
    }
    return best;
  }

  // The surer of the readings of `gray` (stretched to the full range) and `binary`, both scaled
  // by `scale`; empty unless it has kStaticLineMinAlnum letters or digits at confidence >= 0.6.
  MarkText read_line_crop(const cv::Mat& gray, const cv::Mat& binary, double scale, core::DetectorOutput& out) {
    cv::Mat stretched;
    cv::normalize(gray, stretched, 0, 255, cv::NORM_MINMAX);
    MarkText best;
    for (const cv::Mat* picture : {static_cast<const cv::Mat*>(&stretched), &binary}) {
      cv::Mat scaled;
      cv::resize(*picture, scaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
      Result<MarkText> text = read_line_image(scaled);
      if (!text.is_ok()) {
        out.not_checked.push_back({"video.ocr", text.status().message()});
        return {};
      }
      text->text = correct_confusables(text->text);
      text->kind = classify_text(text->text);
      const int alnum = count_alphanumerics(text->text);
      if (alnum >= kStaticLineMinAlnum && text->confidence >= 0.6 && text->confidence > best.confidence) best = *text;
    }
    return best;
  }

  void report_static_ui(const GradientStatistics& stats, const cv::Mat& still, double varying_fraction,
                        core::DetectorOutput& out) {
    // Static UI only makes sense next to content that moved.
    if (varying_fraction < 0.05) return;
    const std::vector<cv::Rect> lines_read = report_static_text_lines(stats, out);
    // Close first: the letters of a static label flicker with the codec more than its flat
    // background and would cut it into pieces; then open to drop thin borders and specks.
    cv::Mat opened;
    cv::morphologyEx(still, opened, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
    cv::morphologyEx(opened, opened, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
    cv::Mat edges_x, edges_y, edges;
    cv::Sobel(stats.mean_gray, edges_x, CV_32F, 1, 0);
    cv::Sobel(stats.mean_gray, edges_y, CV_32F, 0, 1);
    cv::magnitude(edges_x, edges_y, edges);
    cv::Mat labels, box_stats, centroids;
    const int count = cv::connectedComponentsWithStats(opened, labels, box_stats, centroids, 8, CV_32S);
    const double frame_area = static_cast<double>(still.total());
    int reported_ui = 0, reported_text = 0;
    cv::Mat still_shapes = cv::Mat::zeros(still.size(), CV_8UC1);  // strong edges in flat still areas
    for (int i = 1; i < count; ++i) {
      const int area = box_stats.at<int>(i, cv::CC_STAT_AREA);
      // Name labels are small (a 180 x 32 label is 0.6 % of a 720p frame); plain UI must be larger.
      if (area < 0.002 * frame_area) continue;
      const cv::Rect box(box_stats.at<int>(i, cv::CC_STAT_LEFT), box_stats.at<int>(i, cv::CC_STAT_TOP),
                         box_stats.at<int>(i, cv::CC_STAT_WIDTH), box_stats.at<int>(i, cv::CC_STAT_HEIGHT));
      cv::Mat component = labels(box) == i;
      // Text strokes inside a static box may flicker with the codec and fall out of the still
      // mask: close the holes before measuring edges, so a label's own letters count. What
      // really changed stays out (a bare page margin's holes are where content scrolled past,
      // and its ghosts in the mean would read as text).
      cv::morphologyEx(component, component, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
      component &= stats.stddev_gray(box) < kFlickerSpreadGray;
      // Flat static areas (letterbox bars, an empty background) are not UI: require edges.
      const double edge_mean = cv::mean(edges(box), component)[0];
      if (edge_mean < 15.0) {
        // Inside the area only: its border with the content that changed (a letterbox bar's
        // edge, the gap around a gallery's tiles or a picture-in-picture box) is no shape in it.
        cv::Mat inside;
        // Outside the box is outside the area (the default border would count it in).
        cv::erode(component, inside, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)), cv::Point(-1, -1), 1,
                  cv::BORDER_CONSTANT, cv::Scalar(0));
        still_shapes(box).setTo(255, inside & (edges(box) >= kStillShapeEdge));
        continue;
      }
      // A component holding lines read already is their label when they fill a good part of it
      // (nothing more to say), else larger UI around them (reported, not read again).
      double lines_area = 0.0;
      for (const cv::Rect& line : lines_read) {
        if (box.contains((line.tl() + line.br()) / 2)) lines_area += line.area();
      }
      if (lines_area > 0.0 && area < kLabelAreaPerTextArea * lines_area) continue;
      const MarkText text = reported_text < 6 && lines_area == 0.0 ? read_static_text(stats.mean_gray, box, component, out)
                                                                   : MarkText{};
      if (!text.text.empty()) {
        report_burned_in_text(text, box, area / frame_area, out);
        ++reported_text;
        continue;
      }
      if (area < 0.005 * frame_area || reported_ui >= 4) continue;
      Finding f;
      f.detector = "video.static_ui";
      f.category = "burned_in_content";
      f.severity = Severity::kInfo;
      f.confidence = 0.7;
      f.summary = "An opaque static element (toolbar, frame or label) stays unchanged while the content moves.";
      f.time_ranges_s = {whole_range()};
      f.region = scale_.to_source(box);
      f.evidence.push_back({"area_fraction", area / frame_area, false});
      f.evidence.push_back({"opaque", true, false});
      out.findings.push_back(std::move(f));
      ++reported_ui;
    }
    leave_out_static_text(still_shapes);
    keep_only_shapes(still_shapes);
    if (cv::countNonZero(still_shapes) >= kStillShapeMinFraction * frame_area) {
      still_shapes_box_ = scale_.to_source(cv::boundingRect(still_shapes));
    }
  }

  // The note for still shapes (report_static_ui), unless a mark found covers most of their box
  // (a tiled mark over a page's still margins is such a shape, and found).
  // Not after a cancel: the mark searches may not have run, and the still text not been read.
  void say_whether_still_shapes_were_undecided(core::DetectorOutput& out) const {
    if (!still_shapes_box_ || stop_noted_ || cancel_requested()) return;
    const Region& r = *still_shapes_box_;
    const cv::Rect shapes(r.x, r.y, r.width, r.height);
    for (const Finding& f : out.findings) {
      if (!f.region || f.category != "visible_watermark") continue;
      const cv::Rect mark(f.region->x, f.region->y, f.region->width, f.region->height);
      if (2 * (mark & shapes).area() >= shapes.area()) return;
    }
    out.not_checked.push_back(
        {"video.overlays", "could not separate overlays from content where the picture never changed: still shapes at x=" +
                               std::to_string(r.x) + " y=" + std::to_string(r.y) + " " + std::to_string(r.width) + "x" +
                               std::to_string(r.height) + " that the content never moved under"});
  }

  void report_burned_in_text(const MarkText& text, const cv::Rect& box, double area_fraction, core::DetectorOutput& out) {
    Finding f;
    f.detector = "video.burned_in_text";
    f.category = "burned_in_content";
    switch (text.kind) {
      case TextKind::kEmail:
      case TextKind::kPhone:
      case TextKind::kPersonName: f.severity = Severity::kHigh; break;
      case TextKind::kEmailLocalPart: f.severity = Severity::kMedium; break;
      case TextKind::kFreeText:
      case TextKind::kNone: f.severity = Severity::kLow; break;
    }
    f.confidence = std::clamp(0.3 + 0.6 * text.confidence, 0.0, 0.95);
    f.summary = "Opaque text is burned into the picture and stays while the content moves (a name label or "
                "caption); it shows " + kind_phrase(text.kind) + ".";
    f.time_ranges_s = {whole_range()};
    f.region = scale_.to_source(box);
    f.evidence.push_back({"text", text.text, true});
    f.evidence.push_back({"text_kind", std::string(text_kind_name(text.kind)), false});
    f.evidence.push_back({"ocr_confidence", text.confidence, false});
    f.evidence.push_back({"area_fraction", area_fraction, false});
    if (settings_.artifacts) f.artifacts.push_back(annotated_frame(f.detector, box, std::nullopt));
    out.findings.push_back(std::move(f));
  }

  // A single line's finding as far as its reading says: what, how severe, how sure.
  static Finding text_overlay_finding(const MarkText& text) {
    Finding f;
    f.detector = "video.text_overlay";
    f.category = "visible_watermark";
    f.severity = severity_for(text.kind);
    f.confidence = std::clamp(0.3 + 0.6 * text.confidence, 0.0, 0.95);
    f.summary = "A semi-transparent text overlay is drawn over the picture; it shows " + kind_phrase(text.kind) + ".";
    return f;
  }

  // A still line whose letters let the picture through (see_through.h): a single semi-transparent
  // mark over camera video that moves little, shown all along. Its opacity and gray are those of
  // the letters' slope on the ground beside them.
  void report_see_through_line(const MarkText& text, const cv::Rect& box, const SeeThrough& see_through,
                               core::DetectorOutput& out) {
    Finding f = text_overlay_finding(text);
    f.time_ranges_s = {whole_range()};
    f.region = scale_.to_source(box);
    f.evidence.push_back({"present_fraction", 1.0, false});
    f.evidence.push_back({"text", text.text, true});
    f.evidence.push_back({"ocr_confidence", text.confidence, false});
    f.evidence.push_back({"text_kind", std::string(text_kind_name(text.kind)), false});
    f.evidence.push_back({"alpha", see_through.alpha, false});
    if (see_through.alpha > kMinColourAlpha) f.evidence.push_back({"colour_gray", see_through.colour_gray, false});
    f.evidence.push_back({"letters_follow_picture_correlation", see_through.correlation, false});
    f.evidence.push_back({"ground_spread_gray", see_through.ground_spread_gray, false});
    f.evidence.push_back({"frames_used", static_cast<std::int64_t>(analysed().size()), false});
    if (settings_.artifacts) f.artifacts.push_back(annotated_frame(f.detector, box, std::nullopt));
    out.findings.push_back(std::move(f));
  }

  void add_common_evidence(Finding& f, const Matte& matte, const AlphaEstimate& alpha, const MarkText& text,
                           double text_angle_deg) {
    if (!text.text.empty()) {
      f.evidence.push_back({"text", text.text, true});
      f.evidence.push_back({"ocr_confidence", text.confidence, false});
      f.evidence.push_back({"ocr_votes", static_cast<std::int64_t>(text.votes), false});
    }
    f.evidence.push_back({"text_kind", std::string(text_kind_name(text.kind)), false});
    f.evidence.push_back({"ocr_lines", static_cast<std::int64_t>(text.lines_read), false});
    f.evidence.push_back({"text_angle_deg", text_angle_deg, false});
    // A mark that was found has an opacity: a fit of (nearly) none failed (the strokes' spread no
    // smaller than their surroundings', where the content moved little) and says nothing.
    if (alpha.reliable && alpha.alpha > kMinColourAlpha) {
      f.evidence.push_back({"alpha", alpha.alpha, false});
      f.evidence.push_back({"colour_gray", alpha.colour_gray, false});
    }
    f.evidence.push_back({"mark_brighter_than_content", matte.mark_is_brighter, false});
    f.evidence.push_back({"stroke_contrast_gray", matte.contrast_gray, false});
    f.evidence.push_back({"frames_used", static_cast<std::int64_t>(analysed().size()), false});
  }

  // `clearest_frame`: the kept frame to picture (MarkTimes), else the pass's last one.
  void add_artifacts(Finding& f, const Matte& matte, const cv::Rect& box, std::optional<std::size_t> clearest_frame) {
    if (!settings_.artifacts) return;
    cv::Mat mark;
    matte.alpha_shape.convertTo(mark, CV_8U, -255.0, 255.0);
    mark = crop_small_mark(mark, box);
    f.artifacts.push_back({"recovered_mark", "image/png", f.detector + "_mark.png", encode_png(mark)});
    f.artifacts.push_back(annotated_frame(f.detector, box, clearest_frame));
  }

  // A kept frame with `box` (analysed pixels) outlined, and the moment it shows: `frame`
  // (an index into the reservoir) when given — the frame that shows the mark most strongly, so
  // the picture shows the mark where the outline is (a line that moved, or came late, is not in
  // the last frame) — else the current pass's last frame.
  Artifact annotated_frame(const std::string& detector, const cv::Rect& box, std::optional<std::size_t> frame) const {
    const bool kept = frame && *frame < reservoir_.frames().size() && *frame < reservoir_.frame_pts_s().size();
    const cv::Mat& picture = kept ? reservoir_.frames()[*frame] : analysed().back();
    cv::Mat annotated;
    cv::cvtColor(picture, annotated, cv::COLOR_GRAY2BGR);
    cv::rectangle(annotated, box, cv::Scalar(0, 0, 255), 2);
    Artifact artifact{"annotated_frame", "image/png", detector + "_frame.png", encode_png(annotated)};
    if (kept) {
      artifact.time_s = reservoir_.frame_pts_s()[*frame];
    } else if (!analysed_times_s().empty()) {
      artifact.time_s = analysed_times_s().back();
    }
    return artifact;
  }

  MarkText read(const Matte& matte, double angle_deg, core::DetectorOutput& out) {
    if (!settings_.ocr || stopped(out)) return {};
    Result<MarkText> text = read_mark(matte.alpha_shape, angle_deg, 7, stop_);
    if (!text.is_ok()) {
      out.not_checked.push_back({"video.ocr", text.status().message()});
      return {};
    }
    return *text;
  }

  // The other line of a tile of two (a name over an address; read_second_line), up to three
  // lines of other lengths read; empty when there is none or it does not read as identifying.
  MarkText read_second(const Matte& matte, double angle_deg, const MarkText& first, core::DetectorOutput& out) {
    if (!settings_.ocr || first.text.empty() || stopped(out)) return {};
    Result<MarkText> text = read_second_line(matte.alpha_shape, angle_deg, first, kSecondLineReads, stop_);
    if (!text.is_ok()) {
      out.not_checked.push_back({"video.ocr", text.status().message()});
      return {};
    }
    return *text;
  }

  // The sign of the strokes is not known (white or black marks, light or dark content): try
  // both, keep the one that reads better (more votes, then confidence); the heavier tail of the
  // reconstruction decides when neither reads.
  void read_best_polarity(const cv::Mat& reconstruction, const cv::Mat& valid, core::DetectorOutput& out, Matte& matte,
                          double& angle_deg, MarkText& text) {
    matte = make_matte(reconstruction, valid, 0);
    angle_deg = estimate_text_angle_deg(matte.alpha_shape, stop_);
    text = read(matte, angle_deg, out);
    if (!settings_.ocr) return;
    const Matte other = make_matte(reconstruction, valid, matte.mark_is_brighter ? -1 : +1);
    const double other_angle = estimate_text_angle_deg(other.alpha_shape, stop_);
    const MarkText other_text = read(other, other_angle, out);
    // A reading that forms an address or a phone number is rarely made of noise: it outweighs
    // a few agreeing readings of junk (the other polarity's matte is the mark's halo and the
    // content's residue, which OCR reads the same way at both sizes).
    const auto score = [](const MarkText& t) {
      if (t.text.empty()) return -1.0;
      const bool structured = is_address_or_phone(t.kind);
      return t.votes + t.confidence + (structured ? 3.0 : 0.0);
    };
    if (score(other_text) > score(text)) {
      matte = other;
      angle_deg = other_angle;
      text = other_text;
    }
  }

  // `view`: where the gradient fields come from. Outside the median view (a lattice found under
  // a content grid, in the darkest / brightest values, or faint in the median) the lattice is
  // weak or shares the view with the content's structure, so it counts only when its tiles read
  // as text (at least 4 letters or digits, read alike at least twice), as for an untiled
  // overlay; a faint lattice, or any of these whose strokes miss the contrast gate (0.15), needs
  // 3 agreeing readings at confidence 0.6 instead, with a fifth of the stroke contrast gate; 6
  // nearly agreeing readings at 0.45 vouch too (0.16; tiled_gates.h). Segments are not
  // estimated there: every frame's own text gradients outweigh the faint mark's in the
  // per-frame projection, and the mark would seem to come and go. `fold_weight` (CV_32F, about 1
  // for a typical pixel, 0 off `varying`), when given, says how much each pixel counts in the
  // fold instead of `varying` alone.
  void report_tiled(const GradientStatistics& stats, const cv::Mat& varying, const cv::Mat& gx, const cv::Mat& gy,
                    const Lattice& lattice, core::DetectorOutput& out, LatticeView view = LatticeView::kMedian,
                    const cv::Mat& changing = {}, const cv::Mat& fold_weight = {}) {
    const bool weak_view = view != LatticeView::kMedian;
    if (lattice_on_tile_grid(stats.mean_gray, lattice)) return;
    cv::Mat weight;
    if (fold_weight.empty()) {
      varying.convertTo(weight, CV_32F, 1.0 / 255.0);
    } else {
      weight = fold_weight;
    }
    cv::Mat support;
    const cv::Mat folded_gx = fold_over_lattice(gx, weight, lattice, &support, stop_);
    const cv::Mat folded_gy = fold_over_lattice(gy, weight, lattice, nullptr, stop_);
    if (stopped(out)) return;
    Result<cv::Mat> reconstruction = reconstruct_from_gradients(folded_gx, folded_gy);
    if (!reconstruction.is_ok()) {
      out.not_checked.push_back({"video.tiled_text", reconstruction.status().message()});
      return;
    }
    const cv::Mat valid = support > 0.5;
    Matte matte;
    double angle_deg = 0.0;
    MarkText text;
    read_best_polarity(*reconstruction, valid, out, matte, angle_deg, text);
    if (stopped(out)) return;
    // The strokes can be fainter than the contrast gate (black at 0.08 over a dark page moves the
    // luma by ~2 gray); outside the median view a confident reading that several readings agree
    // on vouches for them instead (tiled_gates.h).
    const LatticeView gate_view = faint_reading_gate_ ? LatticeView::kFaintMedian : view;
    if (!tiled_reading_counts(gate_view, matte.contrast_gray, settings_.min_stroke_contrast_gray, text)) return;
    const cv::Mat near = stroke_neighbourhood(matte);
    AlphaEstimate alpha;
    if (view == LatticeView::kStillPart) {
      // Folded from still pixels only: the mark must be over the changing content too. Its
      // opacity is not estimated: the still pixels show the mark but not how much background
      // it lets through, and the changing ones beside it were too few and too busy (0.00-0.07
      // measured for marks at 0.15-0.25).
      // When too little changes under the mark to look for it there (a page that hardly moves),
      // only a reading that stands alone vouches for it (tiled_gates.h).
      const cv::Mat over_changing = near & valid & changing;
      if (cv::countNonZero(over_changing) < kStillPartMinChangingPixels) {
        if (!reading_stands_alone(text)) return;
      } else {
        // Either sign: a mark lighter than the still margins can be darker than the page that
        // scrolls under it (its gradients are alpha (c - B) times its shape's).
        const double share = share_of_mark(stats.median_gx, stats.median_gy, folded_gx, folded_gy, over_changing);
        if (std::abs(share) < kStillPartMinPresence) {
          // Carried faintly: only with a reading that stands alone, and a share that stands out of
          // the shares the same pixels give with the mark displaced (a still wallpaper's is 0).
          if (!reading_stands_alone(text)) return;
          const double displaced = displaced_share_rms(stats.median_gx, stats.median_gy, folded_gx, folded_gy,
                                                       over_changing, lattice);
          if (!(std::abs(share) > kStillPartMinShareOverDisplaced * displaced)) return;
        }
      }
    } else {
      alpha = estimate_alpha(matte.alpha_shape, stats.mean_gray, stats.stddev_gray, varying);
    }
    // An "overlay" that blocks the background fully is content or UI, not a watermark.
    if (alpha.reliable && alpha.alpha > kMaxOverlayAlpha) return;
    const cv::Rect box = bounding_box(near & varying);
    if (box.area() == 0) return;

    // The lattice says it is a mark; tiles that read as nothing at all, or as no letter or digit
    // (a dash read in the smeared blocks of a damaged picture), are shapes: a tiled logo.
    const bool tiled_logo = settings_.ocr && count_alphanumerics(text.text) == 0;
    if (tiled_logo) {
      const int lines_read = text.lines_read;
      text = MarkText{};
      text.lines_read = lines_read;
    }
    const MarkText second = tiled_logo ? MarkText{} : read_second(matte, angle_deg, text, out);
    Finding f;
    f.detector = tiled_logo ? "video.logo_overlay" : "video.tiled_text";
    f.category = "visible_watermark";
    f.severity = tiled_logo ? Severity::kMedium : severity_for(text.kind);
    if (!second.text.empty()) f.severity = std::max(f.severity, severity_for(second.kind));
    f.confidence = tiled_mark_confidence(lattice.strength, text);
    f.summary = tiled_logo ? std::string(kLogoSummaryTiled)
                           : "A tiled semi-transparent text watermark is drawn over the picture; it shows " +
                                 kind_phrase(text.kind) +
                                 (second.text.empty()           ? std::string()
                                  : second.kind == text.kind ? " in two lines"
                                                             : " and " + kind_phrase(second.kind)) +
                                 ".";
    std::optional<std::size_t> clearest_frame;
    if (!weak_view) {
      const MarkTimes times = mark_time_ranges(folded_gx, folded_gy, valid & varying);
      f.time_ranges_s = times.ranges_s;
      clearest_frame = times.clearest_frame;
      f.evidence.push_back({"present_fraction", times.present_fraction, false});
    } else {
      f.time_ranges_s = {whole_range()};
      if (view == LatticeView::kUnderContentGrid) {
        f.evidence.push_back({"under_content_grid", true, false});
      } else if (view == LatticeView::kFaintMedian) {
        f.evidence.push_back({"lattice_significance", lattice.significance, false});
      } else if (view == LatticeView::kStillPart) {
        f.evidence.push_back({"seen_in", std::string("still part of the picture"), false});
      } else if (view == LatticeView::kScrollResidual) {
        f.evidence.push_back({"seen_in", std::string("frames less their scrolled page"), false});
      } else {
        const bool darkest = view == LatticeView::kDarkestValues;
        f.evidence.push_back({"seen_in", std::string(darkest ? "darkest values" : "brightest values"), false});
      }
    }
    f.region = scale_.to_source(box);
    // Report the repeat along the text (tile period) and how far apart its rows are. Rows are
    // often staggered, and then neither basis vector need run along the text (the shortest go to
    // the next row, part of a tile on): the repeat along it is the lattice vector a v1 + b v2
    // (|a|, |b| <= 3) closest in direction to the text, the shortest of those within 3 degrees of
    // the closest (when the closest is within kMaxTilePeriodDeviationDeg); the rows are spaced by
    // the cell's area over that period.
    cv::Point2f along = lattice.v1;
    if (lattice.v2 != cv::Point2f()) {
      const double text_rad = angle_deg * CV_PI / 180.0;
      const auto deviation_deg = [&](const cv::Point2f& v) {
        const double d = std::fmod(std::abs(-std::atan2(v.y, v.x) - text_rad), CV_PI);
        return std::min(d, CV_PI - d) * 180.0 / CV_PI;
      };
      struct Candidate {
        cv::Point2f v;
        double deviation_deg;
      };
      std::vector<Candidate> candidates;
      double best_deg = 180.0;
      for (int a = -3; a <= 3; ++a) {
        for (int b = -3; b <= 3; ++b) {
          if (a == 0 && b == 0) continue;
          const cv::Point2f v = static_cast<float>(a) * lattice.v1 + static_cast<float>(b) * lattice.v2;
          candidates.push_back({v, deviation_deg(v)});
          best_deg = std::min(best_deg, candidates.back().deviation_deg);
        }
      }
      double shortest = std::numeric_limits<double>::infinity();
      for (const Candidate& c : candidates) {
        const double length = std::hypot(static_cast<double>(c.v.x), static_cast<double>(c.v.y));
        if (c.deviation_deg <= best_deg + 3.0 && length < shortest) {
          shortest = length;
          along = c.v;
        }
      }
      // No such vector among these (rows shifted by a small fraction of a tile): the basis
      // vector closer to the text.
      if (best_deg > kMaxTilePeriodDeviationDeg) {
        along = deviation_deg(lattice.v2) < deviation_deg(lattice.v1) ? lattice.v2 : lattice.v1;
      }
    }
    const double period_px = std::hypot(along.x * scale_.x, along.y * scale_.y);
    f.evidence.push_back({"tile_period_px", period_px, false});
    double tile_angle_deg = -std::atan2(along.y, along.x) * 180.0 / CV_PI;
    if (tile_angle_deg <= -90.0) tile_angle_deg += 180.0;
    if (tile_angle_deg > 90.0) tile_angle_deg -= 180.0;
    f.evidence.push_back({"tile_angle_deg", tile_angle_deg, false});
    if (lattice.v2 != cv::Point2f() && period_px > 0.0) {
      const double cell_area_px = std::abs(static_cast<double>(lattice.v1.x) * lattice.v2.y -
                                           static_cast<double>(lattice.v1.y) * lattice.v2.x) * scale_.x * scale_.y;
      f.evidence.push_back({"tile_row_spacing_px", cell_area_px / period_px, false});
    }
    f.evidence.push_back({"lattice_strength", lattice.strength, false});
    add_common_evidence(f, matte, alpha, text, angle_deg);
    if (!second.text.empty()) {
      f.evidence.push_back({"second_text", second.text, true});
      f.evidence.push_back({"second_text_kind", std::string(text_kind_name(second.kind)), false});
      f.evidence.push_back({"second_ocr_confidence", second.confidence, false});
    }
    add_artifacts(f, matte, box, clearest_frame);
    // Such a view's reading of faint strokes is often worse than a later view's of the same
    // mark (0.15: `Tom Berger` read `om Berger` under a content grid, whole in the darkest
    // values): the later searches get their turn first.
    const bool weak_faint_strokes = (view == LatticeView::kUnderContentGrid || view == LatticeView::kDarkestValues ||
                                     view == LatticeView::kBrightestValues) &&
                                    matte.contrast_gray < settings_.min_stroke_contrast_gray;
    if (weak_faint_strokes) {
      if (!held_tiled_) held_tiled_ = std::move(f);
      return;
    }
    out.findings.push_back(std::move(f));
  }

  // A single line: read the whole frame's reconstruction first (over screen content the
  // median is flat away from the mark), then windows around line-like islands of consistent
  // gradients (text_line.h: over content that changes everywhere the whole frame's residue
  // drowns the line); when the whole frame's reading was unsure, a window around where it lay
  // comes first (around_unsure_reading). A window centred on a line already read, or at least
  // half inside one, is skipped (a window around part of a line read whole would read that part
  // again). A line that reads as one already reported (a tiled mark whose lattice was not found,
  // read tile by tile) is that finding again: it is timed over all its places, and `places_read` counts them. Lines are
  // looked for and read over `line_area`, their opacity measured over `changing`, the share of
  // their strokes over changing content also over `changed_under` (CV_8UC1 masks).
  // Returns the boxes of every line read (analysed pixels).
  std::vector<cv::Rect> report_single(const GradientStatistics& stats, const cv::Mat& line_area,
                                      const cv::Mat& changing, const cv::Mat& changed_under, const cv::Mat& gx,
                                      const cv::Mat& gy, core::DetectorOutput& out) {
    if (!settings_.ocr) return {};  // without OCR a lone overlay cannot be told from content
    std::vector<cv::Rect> windows = {cv::Rect(cv::Point(0, 0), gx.size())};
    LineSearchParams line_search;
    line_search.max_windows = settings_.max_line_windows;
    for (const cv::Rect& w : find_line_windows(gx, gy, line_area, line_search)) windows.push_back(w);
    std::vector<cv::Rect> read_boxes;
    struct Line {
      std::size_t finding;
      cv::Mat places;  // CV_8UC1: the strokes' neighbourhood at every place it was read
      std::int64_t count;
      cv::Rect box;    // the finding's region (analysed pixels): the first place's
    };
    std::vector<Line> lines;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      if (stopped(out)) break;
      const cv::Rect window = windows[i];
      const cv::Point centre(window.x + window.width / 2, window.y + window.height / 2);
      const bool inside_a_line = std::any_of(read_boxes.begin(), read_boxes.end(), [&](const cv::Rect& r) {
        return r.contains(centre) || 2 * (r & window).area() >= window.area();
      });
      if (inside_a_line) continue;
      cv::Rect unsure_place;
      const std::optional<LineRead> line =
          report_single_in(stats, line_area, changing, changed_under, gx, gy, window, out, &unsure_place);
      if (i == 0 && !line && unsure_place.area() > 0 && settings_.max_line_windows > 0) {
        const cv::Rect around = around_unsure_reading(unsure_place, gx.size());
        if (around.size() != gx.size()) windows.insert(windows.begin() + 1, around);
      }
      if (!line) continue;
      read_boxes.push_back(line->box);
      const Finding& added = out.findings.back();
      // The same text read at another place is one mark shown at both, unless the two places take
      // turns on screen: a line that moved is a finding per place, each with its own times.
      const auto same = std::find_if(lines.begin(), lines.end(), [&](const Line& l) {
        return same_line_text(out.findings[l.finding], added) && !places_take_turns(gx, gy, l.places, line->places);
      });
      if (same == lines.end()) {
        lines.push_back({out.findings.size() - 1, line->places, 1, line->box});
        continue;
      }
      out.findings.pop_back();
      same->places |= line->places;
      ++same->count;
      Finding& first = out.findings[same->finding];
      const MarkTimes times = mark_time_ranges(gx, gy, same->places, kRefineTimes);
      first.time_ranges_s = times.ranges_s;
      set_evidence_number(first, "present_fraction", times.present_fraction);
      // Timed anew, the picture is chosen anew (its frame could lie outside the new times).
      if (settings_.artifacts) replace_annotated_frame(first, annotated_frame(first.detector, same->box, times.clearest_frame));
    }
    for (const Line& l : lines) {
      if (l.count > 1) out.findings[l.finding].evidence.push_back({"places_read", l.count, false});
    }
    return read_boxes;
  }

  // Where a single line was read (MarkText::read_at, in `window`), as a mask of the analysed
  // frame: the line's place, not every stroke the window's matte holds (over content that a
  // few frames do not average out, the matte keeps its residue all over the window, and the
  // region and times were those of the residue too). Lines read alike at places that take turns
  // on screen are a line that moved: only the places shown with the heaviest line are kept; the
  // others are left to the passes over the frames without it (analyse), which report them as
  // findings of their own if they read there. The whole frame when nothing says where.
  cv::Mat where_read(const MarkText& text, const cv::Rect& window, const cv::Mat& gx, const cv::Mat& gy,
                     const cv::Mat& line_area) const {
    const cv::Rect frame(0, 0, gx.cols, gx.rows);
    std::vector<cv::Mat> places;
    for (const cv::Rect& r : text.read_at) {
      if (r.area() == 0) continue;
      const int margin_px = std::max(2, r.height / 4);
      const cv::Rect grown = (r + window.tl() - cv::Point(margin_px, margin_px) + cv::Size(2 * margin_px, 2 * margin_px)) & frame;
      if (grown.area() == 0) continue;
      cv::Mat place = cv::Mat::zeros(gx.size(), CV_8U);
      place(grown).setTo(255);
      places.push_back(place);
    }
    if (places.empty()) return cv::Mat(gx.size(), CV_8U, cv::Scalar(255));
    cv::Mat kept = places.front().clone();
    for (std::size_t i = 1; i < places.size(); ++i) {
      if (!places_take_turns(gx, gy, places.front() & line_area, places[i] & line_area)) kept |= places[i];
    }
    return kept;
  }

  // Whether the mark's strokes at `places_a` and at `places_b` are shown in different kept frames
  // (shown_in_turn), each in at least a tenth of them.
  bool places_take_turns(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& places_a, const cv::Mat& places_b) const {
    const std::vector<double> a = strong_presence(gx, gy, places_a), b = strong_presence(gx, gy, places_b);
    const std::size_t min_frames = std::max<std::size_t>(kMinPlaceFrames, reservoir_.frames().size() / 10);
    return !a.empty() && !b.empty() && shown_in_turn(a, b, kShownPresence, min_frames);
  }

  // Two single lines are one mark read at two places when they read alike: stricter than
  // same_mark (a mark seen again in other frames), since two people's addresses shown at once
  // can differ by a few letters ("jane.doe@…", "john.doe@…": 0.15).
  static bool same_line_text(const Finding& a, const Finding& b) {
    const std::string text_a = evidence_string(a, "text"), text_b = evidence_string(b, "text");
    return !text_a.empty() && reading_distance(text_a, text_b) <= kSameLineMaxReadingDistance;
  }

  struct LineRead {
    cv::Rect box;   // analysed pixels
    cv::Mat places; // CV_8UC1: the strokes' neighbourhood over varying pixels (timed there)
  };

  // A window around the place where the whole frame's reading found a line it was not sure
  // enough of and that looks like an address or a phone number (family 0.45: what noise and a
  // page's splinters rarely spell, so the extra reading is spent where it may name someone), read
  // next, before the line windows: over a terminal paged by whole
  // lines the islands those windows are cut around follow the page's rows as much as the line,
  // and none need hold the whole line, while a window of the line alone is reconstructed without
  // the rest of the page's residue and may be read as an address (kSingleEmailMinConfidence).
  // The margins (a line's height above and below; two heights or a quarter of the reading's
  // length on each side, for letters the reading left out) were the first tried, not tuned.
  static cv::Rect around_unsure_reading(const cv::Rect& place, const cv::Size& frame) {
    const int margin_y = place.height;
    const int margin_x = std::max(2 * place.height, place.width / 4);
    const cv::Rect grown(place.x - margin_x, place.y - margin_y, place.width + 2 * margin_x,
                         place.height + 2 * margin_y);
    return grown & cv::Rect(cv::Point(0, 0), frame);
  }

  // One window of report_single: the line reported, if any; when there is none but a line was
  // read without vouching for itself, over a matte of enough contrast, that looks like an address
  // or a phone number (an `@` will do), `unsure_place` (if given) is set to where the heaviest
  // such line lies (analysed pixels). The window's fields keep the last
  // column of gx and row of gy, which step out of it (cutting them, as the logo windows do,
  // halved the smoothed matte's contrast on the grain test and lost the reading). A window is read as
  // reconstructed and, failing the reading only, smoothed (σ = 1.5 px): over content that
  // changes everywhere, what the median kept of it is fine speckle that the reader's
  // binarisation joins to the strokes; the strokes of a line are wider than the speckle.
  std::optional<LineRead> report_single_in(const GradientStatistics& stats, const cv::Mat& line_area,
                                           const cv::Mat& changing, const cv::Mat& changed_under, const cv::Mat& gx,
                                           const cv::Mat& gy, const cv::Rect& window, core::DetectorOutput& out,
                                           cv::Rect* unsure_place = nullptr) {
    const bool whole_frame = window.size() == gx.size();
    Result<cv::Mat> reconstruction = reconstruct_from_gradients(gx(window).clone(), gy(window).clone());
    if (!reconstruction.is_ok()) {
      out.not_checked.push_back({"video.text_overlay", reconstruction.status().message()});
      return std::nullopt;
    }
    Matte in_window;
    double angle_deg = 0.0;
    MarkText text;
    bool vouched = false;
    for (const double smoothing_px : {0.0, kSingleWindowSmoothingPx}) {
      if (smoothing_px > 0.0) {
        // Smoothing only lowers the contrast: it can help a reading, not a faint matte.
        if (whole_frame || in_window.contrast_gray < settings_.min_stroke_contrast_gray) break;
        cv::GaussianBlur(*reconstruction, *reconstruction, cv::Size(0, 0), smoothing_px);
      }
      read_best_polarity(*reconstruction, line_area(window), out, in_window, angle_deg, text);
      if (stopped(out)) return std::nullopt;
      // A lone overlay has no lattice to vouch for it: only a confident reading counts. In a
      // window around one line, a whole e-mail address (noise does not spell one) counts read
      // less confidently; not over the whole frame, whose content may show addresses.
      const bool email_in_window = !whole_frame && text.kind == TextKind::kEmail;
      vouched = in_window.contrast_gray >= settings_.min_stroke_contrast_gray &&
                reading_vouches(text, 0, email_in_window ? kSingleEmailMinConfidence : kSingleMinConfidence);
      if (vouched) break;
    }
    if (!vouched) {
      const bool looks_like_address = is_address_or_phone(text.kind) || text.text.find('@') != std::string::npos;
      if (unsure_place && looks_like_address && !text.read_at.empty() &&
          in_window.contrast_gray >= settings_.min_stroke_contrast_gray) {
        *unsure_place = (text.read_at.front() + window.tl()) & cv::Rect(cv::Point(0, 0), gx.size());
      }
      return std::nullopt;
    }
    // The rest is measured on the frame: the matte placed where the window was (in a buffer of
    // its own: assigning Mat::zeros would write into the window matte's when the sizes match).
    Matte matte = in_window;
    matte.alpha_shape = cv::Mat(gx.size(), CV_32F, cv::Scalar(0.0));
    in_window.alpha_shape.copyTo(matte.alpha_shape(window));
    // Over a filled still patch or bridged gap (text_line.h) the line must still lie mostly over
    // changing content, by either mask (kMinChangingStrokeShare, kMinChangedStrokeShare): the patch
    // bridges a gap in a line, it does not make still text an overlay.
    const cv::Mat strokes = matte.alpha_shape > kStrokeMatteLevel;
    const int stroke_px = cv::countNonZero(strokes);
    const bool over_changing = stroke_px > 0 &&
                               (cv::countNonZero(strokes & changing) >= kMinChangingStrokeShare * stroke_px ||
                                cv::countNonZero(strokes & changed_under) >= kMinChangedStrokeShare * stroke_px ||
                                strokes_change_with_ground(stats.stddev_gray, strokes));
    if (!over_changing) return std::nullopt;
    const cv::Mat near = stroke_neighbourhood(matte) & where_read(text, window, gx, gy, line_area);
    const cv::Rect box = bounding_box(near & line_area);
    if (box.area() == 0) return std::nullopt;
    const cv::Mat places = near & line_area;
    const std::vector<double> presence = measured_presence(gx, gy, places, kRefineTimes);
    const std::optional<WhileShown> around_while_shown = while_shown(presence, box);
    if (stood_still_while_shown(strokes, around_while_shown)) return std::nullopt;
    AlphaEstimate alpha = estimate_alpha(matte.alpha_shape, stats.mean_gray, stats.stddev_gray, changing);
    const std::optional<AlphaEstimate> shown = alpha_where_shown(matte.alpha_shape, around_while_shown, changing);
    if (shown && shown->reliable) alpha = *shown;
    if (alpha.reliable && alpha.alpha > kMaxOverlayAlpha) return std::nullopt;
    Finding f = text_overlay_finding(text);
    const MarkTimes times = times_shown(presence);
    f.time_ranges_s = times.ranges_s;
    f.evidence.push_back({"present_fraction", times.present_fraction, false});
    f.region = scale_.to_source(box);
    add_common_evidence(f, matte, alpha, text, angle_deg);
    add_artifacts(f, matte, box, times.clearest_frame);
    out.findings.push_back(std::move(f));
    return LineRead{box, places};
  }

  // Semi-transparent logos (logo.h): compact islands of consistent gradients over content that
  // changes, with a plausible opacity. An island where a text mark was already reported is
  // that mark (OCR claimed it), and so is one on a place where a single line was read again
  // (`lines_read`, analysed pixels: report_single keeps one region per finding); the decision
  // that an island is a mark does not rest on OCR.
  void report_logos(const GradientStatistics& stats, const cv::Mat& valid, const cv::Mat& gx, const cv::Mat& gy,
                    const std::vector<cv::Rect>& lines_read, core::DetectorOutput& out) {
    if (stopped(out)) return;
    const LogoSearchParams params;
    for (const LogoCandidate& logo : find_logos(stats, analysed(), analysed_times_s(), gx, gy, valid, params, stop_)) {
      if (logo.matte.contrast_gray < settings_.min_stroke_contrast_gray) continue;
      const Region region = scale_.to_source(logo.box);
      if (overlaps_text_mark(region, out)) continue;
      const bool on_a_line = std::any_of(lines_read.begin(), lines_read.end(),
                                         [&](const cv::Rect& r) { return (r & logo.box).area() > 0; });
      if (on_a_line) continue;
      Finding f;
      f.detector = "video.logo_overlay";
      f.category = "visible_watermark";
      f.severity = Severity::kMedium;
      f.confidence = std::clamp(0.5 + 0.02 * (logo.edge_snr - 6.0) + 0.01 * (logo.isolation - 4.0), 0.5, 0.9);
      f.summary = kLogoSummary;
      cv::Mat window_gx = cv::Mat::zeros(gx.size(), CV_32F), window_gy = cv::Mat::zeros(gy.size(), CV_32F);
      cv::Mat window = cv::Mat::zeros(gx.size(), CV_8U);
      window(logo.box).setTo(255);
      gx.copyTo(window_gx, window);
      gy.copyTo(window_gy, window);
      const MarkTimes times = mark_time_ranges(window_gx, window_gy, window & valid);
      f.time_ranges_s = times.ranges_s;
      f.evidence.push_back({"present_fraction", times.present_fraction, false});
      f.region = region;
      f.evidence.push_back({"alpha", logo.alpha.alpha, false});
      f.evidence.push_back({"colour_gray", logo.alpha.colour_gray, false});
      f.evidence.push_back({"mark_brighter_than_content", logo.matte.mark_is_brighter, false});
      f.evidence.push_back({"stroke_contrast_gray", logo.matte.contrast_gray, false});
      f.evidence.push_back({"edge_snr", logo.edge_snr, false});
      f.evidence.push_back({"isolation", logo.isolation, false});
      f.evidence.push_back({"background_spread_gray", logo.background_spread_gray, false});
      f.evidence.push_back({"through_spread_gray", logo.through_spread_gray, false});
      // The opacity the frames' levels give (strokes against surroundings, logo.h); a second
      // estimate next to `alpha`, meaningful only where the surroundings' level changed.
      if (logo.ring_level_spread_gray >= params.min_ring_level_spread_gray) {
        f.evidence.push_back({"fitted_alpha", logo.fitted_alpha, false});
      }
      // How far the fitted frames (all, or the one stretch that shows it; logo.cpp
      // frames_for_fit) stray from the overlay line, and how many there were.
      if (logo.fit_frames > 0) {
        f.evidence.push_back({"fit_residual_gray", logo.fit_residual_gray, false});
        f.evidence.push_back({"fit_frames", static_cast<std::int64_t>(logo.fit_frames), false});
      }
      f.evidence.push_back({"frames_used", static_cast<std::int64_t>(analysed().size()), false});
      add_artifacts(f, logo.matte, logo.box, times.clearest_frame);
      out.findings.push_back(std::move(f));
    }
  }

  static bool overlaps_text_mark(const Region& r, const core::DetectorOutput& out) {
    for (const Finding& f : out.findings) {
      if (!is_text_mark(f)) continue;
      if (!f.region) continue;
      const cv::Rect a = as_rect(r), b = as_rect(*f.region);
      if ((a & b).area() > 0) return true;
    }
    return false;
  }

  // The scan's cancel (core/detector.h), polled inside the long stages: the per-pixel
  // statistics (per row), the lattice fold (per translate), the angle search and OCR (per line).
  // stopped() notes once that the analysis was cut short.
  bool stopped(core::DetectorOutput& out) {
    if (!cancel_requested()) return false;
    if (!stop_noted_) {
      stop_noted_ = true;
      out.not_checked.push_back({"video.overlays", "scan cancelled: the overlay analysis was not finished"});
    }
    return true;
  }

  // The frames the current pass analyses (analyse_frames); presence is always over all of them.
  const std::vector<cv::Mat>& analysed() const { return pass_.frames != nullptr ? *pass_.frames : reservoir_.frames(); }
  const std::vector<double>& analysed_times_s() const {
    return pass_.times_s != nullptr ? *pass_.times_s : reservoir_.frame_pts_s();
  }

  const std::function<bool()> stop_ = [this] { return cancel_requested(); };
  bool stop_noted_ = false;
  // The frames of the current pass (analyse_frames) and their times, same order; none between
  // passes (analysed() then falls back to the reservoir).
  struct PassFrames {
    const std::vector<cv::Mat>* frames = nullptr;
    const std::vector<double>* times_s = nullptr;
  };
  PassFrames pass_;
  std::vector<char> shown_;   // per kept frame: shows a mark found so far (mark_time_ranges)
  bool marks_timed_ = false;  // a mark was found and its frames measured
  bool lines_only_pass_ = false;  // analyse_frames looks for single lines only (search_again)
  bool faint_reading_gate_ = false;  // a tiled mark's reading must vouch as in the faint views (step 3i)
  // A tiled mark found under a content grid or in the darkest / brightest values whose strokes
  // missed the contrast gate (passed on its reading alone): reported only when no later search
  // of the same pass reports one (report_tiled, analyse_frames).
  std::optional<Finding> held_tiled_;
  // The still lines read (report_static_text_lines: as burned-in text, or since 0.46 as a
  // see-through mark), grown by a line's height: a
  // label's box or shadow around its letters is drawn there, and the same label in every tile of
  // a gallery view repeats like a tiled mark. The lattice and logo searches leave these pixels
  // out (the single-line search does not: see analyse_frames). Empty (no line) or analysed frame
  // size, CV_8UC1.
  cv::Mat static_text_mask_;
  std::optional<Region> still_shapes_box_;  // source pixels; set by report_static_ui
  std::vector<cv::Rect> static_text_lines_;  // the still text lines read (analysed pixels)
  OverlaySettings settings_;
  FrameReservoir reservoir_;
  core::VideoStreamFormat format_;
  SourceScale scale_;
  bool started_ = false;
};

}  // namespace

Result<OverlaySettings> overlay_settings_from(const ScanOptions& options) {
  OverlaySettings s;
  for (const auto& [key, value] : options.parameters) {
    if (key.rfind("video.", 0) != 0) continue;
    const std::string name = key.substr(6);
    if (name == "max_width_px") {
      WM_ASSIGN_OR_RETURN(const double v, parse_double(name, value, 160, 3840));
      s.max_width_px = static_cast<int>(v);
    } else if (name == "scaled_width_px") {
      WM_ASSIGN_OR_RETURN(const double v, parse_double(name, value, 160, 3840));
      s.scaled_width_px = static_cast<int>(v);
    } else if (name == "max_scale_down") {
      WM_ASSIGN_OR_RETURN(s.max_scale_down, parse_double(name, value, 0.0, 16.0));
    } else if (name == "min_interval_s") {
      WM_ASSIGN_OR_RETURN(s.min_interval_s, parse_double(name, value, 0.0, 600.0));
    } else if (name == "reservoir_frames") {
      WM_ASSIGN_OR_RETURN(const double v, parse_double(name, value, 4, 200));
      s.reservoir_frames = static_cast<int>(v);
    } else if (name == "min_varying_fraction") {
      WM_ASSIGN_OR_RETURN(s.min_varying_fraction, parse_double(name, value, 0.0, 1.0));
    } else if (name == "min_lattice_strength") {
      WM_ASSIGN_OR_RETURN(s.min_lattice_strength, parse_double(name, value, 0.05, 1.0));
    } else if (name == "min_stroke_contrast_gray") {
      WM_ASSIGN_OR_RETURN(s.min_stroke_contrast_gray, parse_double(name, value, 0.0, 255.0));
    } else if (name == "max_line_windows") {
      WM_ASSIGN_OR_RETURN(const double v, parse_double(name, value, 0, 16));
      s.max_line_windows = static_cast<int>(v);
    } else if (name == "frames") {
      if (value == "auto") {
        s.frames = core::FrameChoice::kKeyframesWhenIndexed;
      } else if (value == "all") {
        s.frames = core::FrameChoice::kAll;
      } else if (value == "keyframes") {
        s.frames = core::FrameChoice::kKeyframes;
      } else {
        return Status::invalid_argument("parameter video.frames: expected auto|all|keyframes, got \"" + value + "\"");
      }
    } else if (name == "ocr") {
      WM_ASSIGN_OR_RETURN(s.ocr, parse_bool(name, value));
    } else if (name == "artifacts") {
      WM_ASSIGN_OR_RETURN(s.artifacts, parse_bool(name, value));
    } else {
      return Status::invalid_argument("unknown parameter " + key);
    }
  }
  return s;
}

std::unique_ptr<core::VideoDetector> make_overlay_detector(const OverlaySettings& settings) {
  return std::make_unique<OverlayDetector>(settings);
}

}  // namespace wm::video
