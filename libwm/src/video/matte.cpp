// Poisson reconstruction and matting of an overlay (Dekel et al., CVPR 2017, section 3.1;
// Pérez et al., "Poisson Image Editing", SIGGRAPH 2003, for the discrete formulation).
// The divergence of the consistent gradient field is the 5-point Laplacian of the overlay's
// contribution; the DST solver in dsp/grid2d inverts it with zero Dirichlet boundary.
//
//   frames --median grad--> (gx, gy) --div--> rhs --DST Poisson--> W --detrend, sign--> matte
//
// The opacity estimate uses temporal spread rather than a per-frame fit: it needs no aligned
// background, only that strokes and their near surroundings see statistically similar content.
// What it cannot see: colour (we work on luma), and the alpha of an overlay over static content.
#include "video/matte.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "dsp/grid2d.h"

namespace wm::video {

Result<cv::Mat> reconstruct_from_gradients(const cv::Mat& gx, const cv::Mat& gy) {
  CV_Assert(gx.type() == CV_32FC1 && gy.type() == CV_32FC1 && gx.size() == gy.size());
  const int rows = gx.rows, cols = gx.cols;
  std::vector<float> rhs(static_cast<std::size_t>(rows) * cols);
  for (int y = 0; y < rows; ++y) {
    const float* ax = gx.ptr<float>(y);
    const float* ay = gy.ptr<float>(y);
    const float* ay_up = y > 0 ? gy.ptr<float>(y - 1) : nullptr;
    for (int x = 0; x < cols; ++x) {
      float div = ax[x] - (x > 0 ? ax[x - 1] : 0.0f);
      div += ay[x] - (ay_up != nullptr ? ay_up[x] : 0.0f);
      rhs[static_cast<std::size_t>(y) * cols + x] = div;
    }
  }
  WM_ASSIGN_OR_RETURN(std::vector<float> solution, dsp::solve_poisson_dirichlet(rows, cols, rhs));
  cv::Mat out(rows, cols, CV_32F);
  for (int y = 0; y < rows; ++y) {
    std::copy(solution.begin() + static_cast<std::ptrdiff_t>(y) * cols,
              solution.begin() + static_cast<std::ptrdiff_t>(y + 1) * cols, out.ptr<float>(y));
  }
  return out;
}

double percentile(std::vector<float> values, double q) {
  if (values.empty()) return 0.0;
  const auto k = static_cast<std::ptrdiff_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[static_cast<std::size_t>(k)];
}

std::vector<float> masked_values(const cv::Mat& m, const cv::Mat& mask) {
  std::vector<float> out;
  for (int y = 0; y < m.rows; ++y) {
    const float* p = m.ptr<float>(y);
    const std::uint8_t* k = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < m.cols; ++x) {
      if (k[x] != 0) out.push_back(p[x]);
    }
  }
  return out;
}

Matte make_matte(const cv::Mat& reconstruction, const cv::Mat& valid, int polarity) {
  Matte matte;
  cv::Mat smooth, detail;
  cv::GaussianBlur(reconstruction, smooth, cv::Size(0, 0), 12.0);
  detail = reconstruction - smooth;
  std::vector<float> values = masked_values(detail, valid);
  if (values.size() < 64) values = masked_values(detail, cv::Mat(detail.size(), CV_8U, cv::Scalar(255)));
  const double median = percentile(values, 0.5);
  const double high = percentile(values, 0.997) - median;
  const double low = median - percentile(values, 0.003);
  matte.mark_is_brighter = polarity != 0 ? polarity > 0 : high >= low;
  const double scale = std::max(matte.mark_is_brighter ? high : low, 1e-6);
  matte.contrast_gray = scale;
  cv::Mat shape = matte.mark_is_brighter ? (detail - median) / scale : (median - detail) / scale;
  matte.alpha_shape = cv::min(cv::max(shape, 0.0), 1.0);
  return matte;
}

AlphaEstimate estimate_alpha(const cv::Mat& alpha_shape, const cv::Mat& mean_gray, const cv::Mat& stddev_gray,
                             const cv::Mat& valid) {
  AlphaEstimate out;
  cv::Mat strokes = alpha_shape > 0.6;
  cv::Mat near, far;
  cv::dilate(strokes, near, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
  cv::dilate(strokes, far, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(15, 15)));
  cv::Mat ring = far & ~near;
  strokes &= valid;
  ring &= valid;
  const std::vector<float> sd_in = masked_values(stddev_gray, strokes);
  const std::vector<float> sd_out = masked_values(stddev_gray, ring);
  if (sd_in.size() < 50 || sd_out.size() < 50) return out;
  const double spread_in = percentile(sd_in, 0.5), spread_out = percentile(sd_out, 0.5);
  if (spread_out < 2.0) return out;
  out.alpha = std::clamp(1.0 - spread_in / spread_out, 0.0, 1.0);
  const double mean_in = percentile(masked_values(mean_gray, strokes), 0.5);
  const double mean_out = percentile(masked_values(mean_gray, ring), 0.5);
  if (out.alpha > kMinColourAlpha) {
    out.colour_gray = std::clamp((mean_in - (1.0 - out.alpha) * mean_out) / out.alpha, 0.0, 255.0);
  }
  out.reliable = true;
  return out;
}

}  // namespace wm::video
