// Stage 2: the lattice of a tiled overlay (two translation vectors) from the 2-D
// autocorrelation of the consistent-gradient map, and folding of a field over that lattice.
#ifndef WM_VIDEO_LATTICE_H_
#define WM_VIDEO_LATTICE_H_

#include <functional>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "wm/status.h"

namespace wm::video {

struct Lattice {
  cv::Point2f v1;  // shortest repeat vector, pixels (x right, y down)
  cv::Point2f v2;  // shortest repeat vector not parallel to v1; (0,0) if only one was found
  double strength = 0.0;  // normalised autocorrelation at the weaker of v1/v2, 0..1
  double period_px() const;  // |v1|
  double angle_deg() const;  // direction of v1, degrees counter-clockwise from +x, in (-90, 90]
};

// `fields`: CV_32FC1 maps whose autocorrelations are summed — the signed consistent gradients
// (gx, gy) in the detector, since signed gradients decorrelate as soon as glyphs misalign, where
// a magnitude map keeps a ridge along every text row; `valid`: CV_8UC1 mask (non-zero where the
// background varies, so the fields mean something). Lags shorter than `min_lag_px` are ignored
// (a stroke correlates with itself). nullopt when no repeat reaches `min_strength`.
Result<std::optional<Lattice>> estimate_lattice(const std::vector<cv::Mat>& fields, const cv::Mat& valid,
                                                double min_lag_px, double min_strength);

// Average of `field` (CV_32FC1) over all lattice translates that overlap the frame, weighted by
// `weight` (CV_32FC1, 0 where the field is meaningless): out(p) = sum_t w(p+t) f(p+t) / sum_t w(p+t).
// `support` receives sum_t w(p+t) (how much evidence went into each pixel). `stop` (may be
// empty) is polled before each translate; when it says true the result is an empty Mat.
cv::Mat fold_over_lattice(const cv::Mat& field, const cv::Mat& weight, const Lattice& lattice, cv::Mat* support,
                          const std::function<bool()>& stop = {});

}  // namespace wm::video

#endif  // WM_VIDEO_LATTICE_H_
