// Semi-transparent logos (video.logo_overlay): the untiled, unreadable case of the overlay
// search (method after Dekel et al., CVPR 2017, as in gradient_stats.cpp and matte.cpp).
//
//   consistent gradients (soft mask) ──> |g| > max(2.5, 4 x noise) ──> dilate 9 px ──> outer outlines
//        └─ per island: size, edge count, SNR, isolation ──> window Poisson ──> matte ──> alpha
//
// A logo drawn at opacity a over content B is (1 - a) B + a c: its edges stay put while the
// content under and around it changes, so they survive the per-pixel median; the content's own
// edges do not. What separates it from the other things that leave consistent gradients:
//   - opaque UI (a toolbar icon) never changes: its pixels fall out of the soft mask, and a
//     strokes-to-surroundings spread ratio near 0 gives alpha near 1 (> 0.85 is rejected);
//   - content that sits still over noise (a webcam's person, a static part of a PiP) varies
//     only by noise: the content must be seen through the logo (temporal spread on its strokes
//     and around it >= 4 gray levels, more than sensor or codec noise);
//   - a page scrolled by whole lines keeps an "average glyph" grid in the median everywhere:
//     it is not an island (its edge density in a ring around the box is as high as inside);
//   - the text rows of a page scrolled by whole lines stay in the median as islands too, but
//     their strokes vary far more than the blank gaps around them, where an overlay can only damp
//     the content it lets through;
//   - titles that begin alike on several slides (dark on the light slides, white on the dark
//     ones) leave a ghost in the median too; over the frames its level swings against the
//     slide's by more than the slide's own swing, which an overlay (opacity below 1) cannot do;
//   - a moving sprite is not in the same place in most frames, so the median drops it;
//   - an edge between two regions of content (colour bars in a picture-in-picture, a panel's
//     border) is not closed: its gradients across the island sum to the step, a logo's to ~0.
// The noise level of the field is its 90th percentile over the soft mask: a logo's edges are a
// small share of the frame, and content that leaked through the median sets the floor.
//
// What it cannot see: a logo over content that hardly changes (a bare, slowly drifting
// background: its median gradients are the logo's, but the background's spread is too small to
// tell it from a static element); a logo that moves or is shown in under half of the frames,
// or in two or more separate stretches (fitted over all frames, the steps between the stretches
// fail the overlay line);
// a logo touching a larger island (a text line beside it: both are one island, measured whole).
#include "video/logo.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace wm::video {

namespace {

constexpr int kJoinRadiusPx = 4;     // edges closer than 2 x this belong to one island
constexpr int kWindowMarginPx = 16;  // Poisson window around an island

cv::Rect grown(const cv::Rect& r, int by, const cv::Size& bounds) {
  return cv::Rect(r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by) & cv::Rect(cv::Point(0, 0), bounds);
}

// The matte of a window's reconstruction: its level relative to the window's median, the sign
// of the heavier tail inside `box_in_window`, scaled by the 99.5th percentile. No detrending: a
// filled logo is wider than the σ = 12 px detrend of text mattes would let through.
Matte window_matte(const cv::Mat& reconstruction, const cv::Rect& box_in_window) {
  Matte matte;
  const double median = percentile({reconstruction.begin<float>(), reconstruction.end<float>()}, 0.5);
  const cv::Mat inside = reconstruction(box_in_window).clone();
  std::vector<float> values(inside.begin<float>(), inside.end<float>());
  const double high = percentile(values, 0.995) - median;
  const double low = median - percentile(values, 0.005);
  matte.mark_is_brighter = high >= low;
  const double scale = std::max(matte.mark_is_brighter ? high : low, 1e-6);
  matte.contrast_gray = scale;
  const cv::Mat shape = matte.mark_is_brighter ? (reconstruction - median) / scale : (median - reconstruction) / scale;
  matte.alpha_shape = cv::min(cv::max(shape, 0.0), 1.0);
  return matte;
}

// Per frame k, the strokes' mean level S_k and the surroundings' R_k. Drawn at opacity a in
// colour c over content that looks like its surroundings, S_k = (1 - a) R_k + a c, so the
// contrast S_k - R_k = a c - a R_k falls by a gray level for every 1/a the background rises.
// The least-squares slope of the contrast on R_k gives a; an overlay has 0 < a < 1. Content that
// sits at the same place in several frames (a title that begins alike on several slides, dark on
// the light slides and white on the dark ones) swings against the background by more than the
// background's own swing: a fitted a above 1, which no overlay can give.
//
// What the line leaves unexplained (the RMS residual) is, for an overlay, only the content's own
// difference between the stroke pixels and the ring, which averages out over the island's many
// pixels. Content that happens to fall at the same place in several frames (titles of different
// words at one place on a deck's slides, bold, white on some slides and dark on others) is there
// in some frames and not in others: its contrast jumps from frame to frame by a large part of the
// content's swing, whatever the slope.
struct OverlayFit {
  double alpha = 0.0;                   // minus the slope of contrast on surroundings
  double ring_level_spread_gray = 0.0;  // standard deviation of R_k over the frames
  double residual_gray = 0.0;           // RMS departure of the contrast from the fitted line
  int frames = 0;                       // frames fitted; 0 when too few (< 4) to fit
};

OverlayFit fit_overlay_over_frames(const std::vector<cv::Mat>& frames, const cv::Rect& window, const cv::Mat& strokes,
                                   const cv::Mat& around) {
  OverlayFit fit;
  if (frames.size() < 4 || cv::countNonZero(strokes) == 0 || cv::countNonZero(around) == 0) return fit;
  fit.frames = static_cast<int>(frames.size());
  std::vector<double> ring, contrast;
  for (const cv::Mat& frame : frames) {
    const double r = cv::mean(frame(window), around)[0];
    ring.push_back(r);
    contrast.push_back(cv::mean(frame(window), strokes)[0] - r);
  }
  const double n = static_cast<double>(ring.size());
  double mean_ring = 0.0, mean_contrast = 0.0;
  for (std::size_t k = 0; k < ring.size(); ++k) {
    mean_ring += ring[k] / n;
    mean_contrast += contrast[k] / n;
  }
  double ring_var = 0.0, covariance = 0.0;
  for (std::size_t k = 0; k < ring.size(); ++k) {
    ring_var += (ring[k] - mean_ring) * (ring[k] - mean_ring) / n;
    covariance += (ring[k] - mean_ring) * (contrast[k] - mean_contrast) / n;
  }
  fit.ring_level_spread_gray = std::sqrt(ring_var);
  if (ring_var > 1e-9) fit.alpha = -covariance / ring_var;
  double residual_energy = 0.0;
  for (std::size_t k = 0; k < ring.size(); ++k) {
    const double departure = contrast[k] - mean_contrast + fit.alpha * (ring[k] - mean_ring);
    residual_energy += departure * departure / n;
  }
  fit.residual_gray = std::sqrt(residual_energy);
  return fit;
}

// The frames the overlay fit is made over. When the frames that carry the island's consistent
// gradients (mark_presence >= 0.5 over its box) are one run in time (ordered by
// `frame_times_s`: the reservoir replaces frames in random slots) and at least half of all
// frames, the logo appeared late or went away: only that run. Otherwise all frames: an overlay
// is on screen for a stretch of time, while content that happens to match the island (the same
// word at the same place on some slides) comes and goes with the slides, and the frames without
// it are exactly what shows it is not an overlay.
std::vector<cv::Mat> frames_for_fit(const std::vector<cv::Mat>& frames, const std::vector<double>& frame_times_s,
                                    const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid, const cv::Rect& box) {
  if (frame_times_s.size() != frames.size()) return frames;
  cv::Mat in_box = cv::Mat::zeros(valid.size(), CV_8U);
  valid(box).copyTo(in_box(box));
  const std::vector<double> presence = mark_presence(frames, gx, gy, in_box);
  std::vector<std::size_t> order(frames.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return frame_times_s[a] < frame_times_s[b]; });
  std::vector<std::size_t> showing_positions;  // positions in time order
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    if (presence[order[pos]] >= 0.5) showing_positions.push_back(pos);
  }
  const std::size_t count = showing_positions.size();
  if (count == frames.size() || 2 * count < frames.size() || count < 4) return frames;
  if (showing_positions.back() - showing_positions.front() + 1 != count) return frames;
  std::vector<cv::Mat> run;
  for (std::size_t pos : showing_positions) run.push_back(frames[order[pos]]);
  return run;
}

}  // namespace

double consistent_gradient_noise_gray(const cv::Mat& magnitude, const cv::Mat& valid) {
  return std::max(0.5, percentile(masked_values(magnitude, valid), 0.9));
}

double ring_density(const cv::Mat& edges, const cv::Mat& valid, const cv::Rect& box, int by) {
  const cv::Rect outer = grown(box, by, edges.size());
  cv::Mat ring = cv::Mat::zeros(edges.size(), CV_8U);
  ring(outer).setTo(255);
  ring(box).setTo(0);
  ring &= valid;
  const int area = cv::countNonZero(ring);
  if (area == 0) return 0.0;
  return cv::countNonZero(edges & ring) / static_cast<double>(area);
}

std::vector<LogoCandidate> find_logo_islands(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid,
                                             const LogoSearchParams& params) {
  std::vector<LogoCandidate> out;
  cv::Mat magnitude;
  cv::magnitude(gx, gy, magnitude);
  const double noise_gray = consistent_gradient_noise_gray(magnitude, valid);
  const double threshold = std::max(params.min_edge_gray, params.edge_over_noise * noise_gray);
  const cv::Mat edges = (magnitude > threshold) & valid;
  cv::Mat joined;
  cv::dilate(edges, joined,
             cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * kJoinRadiusPx + 1, 2 * kJoinRadiusPx + 1)));
  std::vector<std::vector<cv::Point>> outlines;
  cv::findContours(joined, outlines, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  const double max_side_px = params.max_side_fraction * gx.rows;
  std::vector<double> energy;
  for (const auto& outline : outlines) {
    const cv::Rect hull = cv::boundingRect(outline);
    const cv::Rect box = grown(hull, -kJoinRadiusPx, gx.size());
    if (std::min(box.width, box.height) < params.min_short_side_px || std::max(box.width, box.height) < params.min_side_px) {
      continue;
    }
    if (std::max(box.width, box.height) > max_side_px) continue;
    const cv::Mat box_edges = edges(box);
    LogoCandidate c;
    c.box = box;
    c.edge_pixels = cv::countNonZero(box_edges);
    if (c.edge_pixels < params.min_edge_pixels) continue;
    const double mean_edge_gray = cv::mean(magnitude(box), box_edges)[0];
    c.edge_snr = mean_edge_gray / noise_gray;
    const double inside = c.edge_pixels / static_cast<double>(box.area());
    const double around = ring_density(edges, valid, box, std::max(12, std::max(box.width, box.height) / 2));
    c.isolation = inside / std::max(around, 0.002);
    energy.push_back(mean_edge_gray * c.edge_pixels);
    out.push_back(std::move(c));
  }
  std::vector<std::size_t> order(out.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return energy[a] > energy[b]; });
  std::vector<LogoCandidate> sorted;
  for (std::size_t i : order) sorted.push_back(std::move(out[i]));
  return sorted;
}

bool measure_and_accept_logo(const GradientStatistics& stats, const std::vector<cv::Mat>& frames,
                             const std::vector<double>& frame_times_s, const cv::Mat& gx,
                             const cv::Mat& gy, const cv::Mat& valid, const LogoSearchParams& params,
                             LogoCandidate& candidate) {
  if (candidate.edge_snr < params.min_edge_snr || candidate.isolation < params.min_isolation) return false;
  const cv::Rect& box = candidate.box;
  const double aspect = std::max(box.width, box.height) / static_cast<double>(std::max(1, std::min(box.width, box.height)));
  if (aspect > params.max_aspect) return false;
  if (aspect > params.elongated_aspect && candidate.isolation < params.min_isolation_elongated) return false;
  // A mark is a closed shape: the overlay returns to the background's level on every side, so
  // its gradients across the island sum to about zero. The edge between two regions of content
  // (colour bars of a test pattern in a PiP, a panel border) sums to the step between them.
  const cv::Rect wide = grown(candidate.box, 3, gx.size());
  const double net = std::abs(cv::sum(gx(wide))[0]) + std::abs(cv::sum(gy(wide))[0]);
  const double total = cv::norm(gx(wide), cv::NORM_L1) + cv::norm(gy(wide), cv::NORM_L1);
  candidate.closure = net / std::max(total, 1e-6);
  if (candidate.closure > params.max_closure) return false;
  const cv::Rect window = grown(candidate.box, kWindowMarginPx, gx.size());
  // The window's own forward differences end at its last column / row, as the solver expects.
  cv::Mat wx = gx(window).clone(), wy = gy(window).clone();
  wx.col(wx.cols - 1).setTo(0);
  wy.row(wy.rows - 1).setTo(0);
  Result<cv::Mat> reconstruction = reconstruct_from_gradients(wx, wy);
  if (!reconstruction.is_ok()) return false;
  const cv::Rect box_in_window = candidate.box - window.tl();
  const Matte local = window_matte(*reconstruction, box_in_window);

  // The background under and around the logo must change for real, not only by noise.
  cv::Mat around(window.size(), CV_8U, cv::Scalar(255));
  around(grown(box_in_window, 3, window.size())).setTo(0);
  candidate.background_spread_gray = percentile(masked_values(stats.stddev_gray(window), around), 0.5);
  if (candidate.background_spread_gray < params.min_background_spread_gray) return false;

  // ... and it must be seen through the logo: a still shape over noise (a webcam's subject, a
  // tile's border) has strokes that vary only by noise.
  const cv::Mat strokes = (local.alpha_shape > 0.6) & valid(window);
  candidate.through_spread_gray = percentile(masked_values(stats.stddev_gray(window), strokes), 0.5);
  if (candidate.through_spread_gray < params.min_background_spread_gray) return false;
  // An overlay can only damp what is seen through it ((1 - a) times the spread around it). Strokes
  // that vary far more than their surroundings are content: the rows of a page scrolled by whole
  // lines, where glyphs come and go while the gaps between rows stay blank. The margin allows for
  // sparse content, whose spread differs from place to place (a logo over such a page: up to 1.4).
  if (candidate.through_spread_gray > params.max_through_ratio * candidate.background_spread_gray) return false;

  // The frames must follow the overlay model (fit_overlay_over_frames); a logo shown for one
  // stretch of the recording is measured there (frames_for_fit).
  const std::vector<cv::Mat> fitted = frames_for_fit(frames, frame_times_s, gx, gy, valid, candidate.box);
  const OverlayFit fit = fit_overlay_over_frames(fitted, window, strokes, around);
  candidate.fitted_alpha = fit.alpha;
  candidate.ring_level_spread_gray = fit.ring_level_spread_gray;
  candidate.fit_residual_gray = fit.residual_gray;
  candidate.fit_frames = fit.frames;
  if (fit.ring_level_spread_gray >= params.min_ring_level_spread_gray && fit.alpha > params.max_fitted_alpha) return false;
  if (fit.residual_gray > params.max_fit_residual_share * candidate.background_spread_gray) return false;

  // Opacity, two ways. The spread ratio (strokes vary (1 - a) times as much as their
  // surroundings) says whether the logo is opaque, but over sparse content (a page whose glyphs
  // pass a few pixels in a few frames) it is noisy. The contrast gives a floor: a logo of colour
  // c at opacity a shifts the mean background B by a (c - B), and |c - B| is at most
  // max(B, 255 - B) on its side, so a >= contrast / max(B, 255 - B); a floor above 1 is content.
  candidate.alpha = estimate_alpha(local.alpha_shape, stats.mean_gray(window), stats.stddev_gray(window), valid(window));
  if (!candidate.alpha.reliable || candidate.alpha.alpha > params.max_alpha) return false;
  const double background_gray = percentile(masked_values(stats.mean_gray(window), around), 0.5);
  const double headroom_gray = local.mark_is_brighter ? 255.0 - background_gray : background_gray;
  candidate.alpha_floor = local.contrast_gray / std::max(headroom_gray, 1.0);
  if (candidate.alpha_floor > 1.0) return false;
  candidate.alpha.alpha = std::max(candidate.alpha.alpha, candidate.alpha_floor);
  if (candidate.alpha.alpha < params.min_alpha) return false;
  const double shift_gray = local.contrast_gray / candidate.alpha.alpha;
  candidate.alpha.colour_gray = std::clamp(background_gray + (local.mark_is_brighter ? shift_gray : -shift_gray), 0.0, 255.0);
  candidate.matte = local;
  candidate.matte.alpha_shape = cv::Mat::zeros(gx.size(), CV_32F);
  local.alpha_shape.copyTo(candidate.matte.alpha_shape(window));
  return true;
}

std::vector<LogoCandidate> find_logos(const GradientStatistics& stats, const std::vector<cv::Mat>& frames,
                                      const std::vector<double>& frame_times_s,
                                      const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid,
                                      const LogoSearchParams& params,
                                      const std::function<bool()>& stop) {
  std::vector<LogoCandidate> out;
  for (LogoCandidate& c : find_logo_islands(gx, gy, valid, params)) {
    if (static_cast<int>(out.size()) >= params.max_logos || (stop && stop())) break;
    if (measure_and_accept_logo(stats, frames, frame_times_s, gx, gy, valid, params, c)) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace wm::video
