// Stage 1 of the overlay search: a bounded, time-spread reservoir of sampled frames and the
// per-pixel statistics over it (temporal mean/spread, median x/y gradients).
// Internal to the video module (OpenCV types are fine here). Not thread-safe; one per scan.
#ifndef WM_VIDEO_GRADIENT_STATS_H_
#define WM_VIDEO_GRADIENT_STATS_H_

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include <opencv2/core.hpp>

namespace wm::video {

// Keeps at most `capacity` gray frames that differ from one another, spread uniformly over the
// distinct frames offered (reservoir sampling with a fixed seed, so runs are reproducible).
// A frame whose mean absolute difference from the last distinct frame is below
// `min_change_gray` (on a 1/8 thumbnail) is a repeat: it extends the time range, nothing else.
class FrameReservoir {
 public:
  FrameReservoir(int capacity, double min_change_gray, std::uint32_t seed);

  // `gray8` is CV_8UC1; it is copied when kept.
  void offer(const cv::Mat& gray8, double pts_s);

  const std::vector<cv::Mat>& frames() const { return frames_; }
  const std::vector<double>& frame_pts_s() const { return pts_s_; }
  int offered() const { return offered_; }
  int distinct() const { return distinct_; }
  double first_pts_s() const { return first_pts_s_; }
  double last_pts_s() const { return last_pts_s_; }

 private:
  int capacity_;
  double min_change_gray_;
  std::mt19937 rng_;
  std::vector<cv::Mat> frames_;
  std::vector<double> pts_s_;
  cv::Mat last_thumb_;
  int offered_ = 0;
  int distinct_ = 0;
  double first_pts_s_ = 0.0;
  double last_pts_s_ = 0.0;
};

// Per-pixel statistics over N frames of one size (CV_32FC1 each, frame size).
//   median_gx(y,x) = median_k f_k(y,x+1) - f_k(y,x)   (0 in the last column)
//   median_gy(y,x) = median_k f_k(y+1,x) - f_k(y,x)   (0 in the last row)
// With forward differences the divergence of (gx, gy) is exactly the 5-point Laplacian the
// Poisson solver inverts.
//   dark_gray / bright_gray: the second-darkest / second-brightest value of each pixel (the
//   darkest alone would be one frame's codec noise). A mark of the background's own colour (white
//   over a white page) shows only where darker content passes under it; these keep that content
//   lifted by the mark, so the mark's edges are in their gradients (see forward_differences).
struct GradientStatistics {
  cv::Mat median_gx;
  cv::Mat median_gy;
  cv::Mat mean_gray;
  cv::Mat stddev_gray;
  cv::Mat dark_gray;
  cv::Mat bright_gray;
  int frame_count = 0;
};

// The median x/y gradients (same convention as median_gx / median_gy) of the frames smoothed
// by a 3 x 3 binomial kernel (sigma about 0.7 px), in sixteenths of a gray level. The median of
// integer differences is itself an integer: a faint mark's edge that the codec has softened to
// less than one level per pixel is kept as 0 (or 1) wherever the page under it is flat, and a
// 0.08 mark of black over a dark page is then all but gone from median_gx / median_gy (1-2 % of
// its pixels non-zero). Smoothing mixes each pixel's rounding with its neighbours', so the
// median keeps such steps at their fractional size; the price is a mark's finest strokes a
// little blurred and more of the content's residue, which is why these fields are a last view
// rather than the first (see the video family's method, step 3h).
struct MedianGradients {
  cv::Mat gx;  // CV_32FC1, frame size
  cv::Mat gy;
};
MedianGradients compute_smoothed_median_gradients(const std::vector<cv::Mat>& frames,
                                                  const std::function<bool()>& stop = {});

// Each frame box-averaged over `window_px` x `window_px` (CV_8UC1, frame size): the level of the
// picture around each pixel, which decides the sign a semi-transparent mark's edges take there.
std::vector<cv::Mat> local_levels(const std::vector<cv::Mat>& frames, int window_px);

// The share of the pixels of `mask` (CV_8UC1) whose surroundings lie, in at least a fifth of the
// frames each, more than `margin_gray` below `mark_gray` and more than `margin_gray` above it:
// where a mark of that gray shows brighter than the picture in some frames and darker in others.
double share_on_both_sides(const std::vector<cv::Mat>& levels, int mark_gray, int margin_gray, const cv::Mat& mask);

// The median forward differences (median_gx / median_gy's convention) of the frames with each
// frame's differences turned towards a mark of gray `mark_gray`: multiplied by the sign of
// (mark_gray - level), `level` being the frame's local level at the pixel (local_levels). A mark
// blends the picture towards its own gray (I = B + alpha (c - B)), so its edges point one way
// where the picture is darker than it and the other way where it is brighter: over slides some
// darker and some lighter than a grey mark the plain median keeps only what most frames give and
// the rest cancels it. Turned, every frame's mark edges agree (alpha |c - B| times the mark's
// own), while the content's, turned by its own level, stay as random as before. Frames whose
// level is within `margin_gray` of the mark's gray show it too faintly to say which way, and are
// left out at that pixel; a pixel with fewer than 4 frames left is 0.
MedianGradients compute_oriented_median_gradients(const std::vector<cv::Mat>& frames, const std::vector<cv::Mat>& levels,
                                                  int mark_gray, int margin_gray, const std::function<bool()>& stop = {});

// Forward differences of a CV_32FC1 image, with the same convention as median_gx / median_gy.
void forward_differences(const cv::Mat& image, cv::Mat& gx, cv::Mat& gy);

// The same where the image is known only in part (`known`, CV_8UC1, non-zero where it is): a
// difference is kept where both of its pixels are known, and 0 elsewhere.
void known_differences(const cv::Mat& image, const cv::Mat& known, cv::Mat& gx, cv::Mat& gy);

// Frames must be non-empty, CV_8UC1, all the same size. `stop` (may be empty) is polled once a
// row; when it says true the function returns at once with frame_count == 0 (scan cancelled).
GradientStatistics compute_gradient_statistics(const std::vector<cv::Mat>& frames,
                                               const std::function<bool()>& stop = {});

// The per-pixel median, over the frames `chosen` (indices into `frames`, CV_8UC1, one size),
// of their forward differences inside `box`; zero outside it. The field of a mark shown in
// those frames only, without the frames that do not show it (mark_time_ranges refines a
// line's times with it).
void median_forward_differences(const std::vector<cv::Mat>& frames, const std::vector<std::size_t>& chosen,
                                const cv::Rect& box, cv::Mat& gx, cv::Mat& gy);

// How strongly each frame carries a mark whose gradient field is (mark_gx, mark_gy), measured
// on the pixels of `mask` (CV_8UC1): s_k = sum g_k . m / sum |m|^2, with g_k the frame's
// forward differences. About 1 in frames that show the mark, about 0 in frames that do not
// (the content's own gradients are uncorrelated with the mark's and average out).
std::vector<double> mark_presence(const std::vector<cv::Mat>& frames, const cv::Mat& mark_gx, const cv::Mat& mark_gy,
                                  const cv::Mat& mask);

// Whether two marks take turns on screen (a line that moved from one place to the other): each
// is shown (presence >= threshold) in at least `min_frames` of the frames, and they are shown
// together in at most a quarter of the frames of the one shown less. Presence of the same
// frames, in the same order.
bool shown_in_turn(const std::vector<double>& presence_a, const std::vector<double>& presence_b, double threshold,
                   std::size_t min_frames);

struct PresenceRange {
  double start_s = 0.0;
  double end_s = 0.0;
};

// Time ranges where presence >= threshold, from frames at times `pts_s` (any order); a frame
// that disagrees with both its neighbours in time (as mended, from the first frame on) is taken
// to agree with them. A run of present frames spans from halfway after the last absent frame
// before it to halfway before the first absent frame after it; runs touching the ends reach
// `first_s` / `last_s`.
std::vector<PresenceRange> presence_ranges(const std::vector<double>& pts_s, const std::vector<double>& presence,
                                           double threshold, double first_s, double last_s);

}  // namespace wm::video

#endif  // WM_VIDEO_GRADIENT_STATS_H_
