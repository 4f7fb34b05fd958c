// Stage 3: the overlay image from its gradient field (Poisson reconstruction), a [0,1] matte,
// and the overlay's opacity where the background varies.
#ifndef WM_VIDEO_MATTE_H_
#define WM_VIDEO_MATTE_H_

#include <vector>

#include <opencv2/core.hpp>

#include "wm/status.h"

namespace wm::video {

// Integrates (gx, gy) (forward differences, CV_32FC1, as in GradientStatistics) to the image
// whose gradients fit them best in the least-squares sense, with zero at the frame border.
Result<cv::Mat> reconstruct_from_gradients(const cv::Mat& gx, const cv::Mat& gy);

struct Matte {
  cv::Mat alpha_shape;       // CV_32FC1 in [0,1]: 1 on the mark's strokes, 0 off them
  bool mark_is_brighter = true;  // the overlay lightens what it covers (white/grey text)
  double contrast_gray = 0.0;    // stroke level above/below the surroundings, gray levels
};

// From a reconstruction: removes the slowly varying part (inconsistent content leaks in as
// smooth drift), picks the sign of the strokes (they are the rare extreme values), scales
// the 99.7th percentile of the strokes to 1. `valid` (CV_8UC1) restricts the statistics.
// `polarity` +1 / -1 forces brighter / darker strokes; 0 lets the heavier tail decide.
Matte make_matte(const cv::Mat& reconstruction, const cv::Mat& valid, int polarity = 0);

// Opacities at or under this give no colour (the colour is the level change over the opacity);
// for a mark found otherwise, such a fit failed.
inline constexpr double kMinColourAlpha = 0.02;

struct AlphaEstimate {
  double alpha = 0.0;        // 0..1, opacity of the overlay
  double colour_gray = 0.0;  // 0..255, the overlay's own gray level; 0 when alpha <= kMinColourAlpha
  bool reliable = false;     // enough stroke and surrounding pixels over varying content
};

// Over an overlay of opacity a and colour c, a pixel is (1-a) B + a c, so its temporal spread
// is (1-a) times the background's. Compares the spread on strokes (matte > 0.6) with that of a
// ring around them, within `valid` pixels; mean levels give the colour.
AlphaEstimate estimate_alpha(const cv::Mat& alpha_shape, const cv::Mat& mean_gray, const cv::Mat& stddev_gray,
                             const cv::Mat& valid);

// The q-quantile (0..1) of `values` (nth_element, no interpolation); 0 when empty.
double percentile(std::vector<float> values, double q);

// The values of `m` (CV_32FC1) where `mask` (CV_8UC1) is non-zero, row by row.
std::vector<float> masked_values(const cv::Mat& m, const cv::Mat& mask);

}  // namespace wm::video

#endif  // WM_VIDEO_MATTE_H_
