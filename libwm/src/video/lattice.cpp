// Lattice of a tiled overlay. Meeting clients tile the viewer's identity on a regular grid
// (possibly rotated), so the consistent-gradient map repeats: its autocorrelation has peaks
// at every lattice vector. We normalise the autocorrelation by that of the validity mask (so
// lags with little overlap are not penalised), take local maxima away from the origin, and
// pick the shortest strong vector and the shortest strong one not parallel to it. Peak
// positions are refined to sub-pixel by a parabola per axis.
//
// Folding then averages the field over all lattice translates: N tiles give about sqrt(N)
// more signal-to-noise in the recovered mark, and fill in tiles that sat over static content.
//
// What it cannot see: a lattice whose period exceeds half the frame (fewer than two tiles per
// axis), and tiles whose content differs (e.g. a running timestamp) only fold partly.
#include "video/lattice.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "dsp/grid2d.h"

namespace wm::video {

double Lattice::period_px() const { return std::hypot(v1.x, v1.y); }

double Lattice::angle_deg() const {
  // Image y grows downwards; report the angle as seen on screen (counter-clockwise positive).
  double a = std::atan2(-v1.y, v1.x) * 180.0 / std::numbers::pi;
  while (a <= -90.0) a += 180.0;
  while (a > 90.0) a -= 180.0;
  return a;
}

namespace {

std::vector<float> to_vector(const cv::Mat& m) {
  std::vector<float> v(m.total());
  for (int y = 0; y < m.rows; ++y) std::copy(m.ptr<float>(y), m.ptr<float>(y) + m.cols, v.begin() + static_cast<std::ptrdiff_t>(y) * m.cols);
  return v;
}

double parabola_offset(double left, double centre, double right) {
  const double denom = left - 2.0 * centre + right;
  if (std::abs(denom) < 1e-12) return 0.0;
  return std::clamp(0.5 * (left - right) / denom, -0.5, 0.5);
}

struct Peak {
  cv::Point2f lag;
  double value = 0.0;
};

}  // namespace

Result<std::optional<Lattice>> estimate_lattice(const std::vector<cv::Mat>& fields, const cv::Mat& valid,
                                                double min_lag_px, double min_strength) {
  CV_Assert(!fields.empty() && valid.type() == CV_8UC1);
  cv::Mat mask;
  valid.convertTo(mask, CV_32F, 1.0 / 255.0);
  cv::threshold(mask, mask, 0.0, 1.0, cv::THRESH_BINARY);
  const double count = cv::sum(mask)[0];
  if (count < 100.0) return std::optional<Lattice>{};
  const int rows = valid.rows, cols = valid.cols;
  const int max_lag_y = rows / 2, max_lag_x = cols / 2;
  dsp::Autocorrelation signal;
  for (const cv::Mat& field : fields) {
    CV_Assert(field.type() == CV_32FC1 && field.size() == valid.size());
    const double mean = cv::sum(field.mul(mask))[0] / count;
    const cv::Mat centred = (field - mean).mul(mask);
    WM_ASSIGN_OR_RETURN(dsp::Autocorrelation one, dsp::autocorrelate_2d(rows, cols, to_vector(centred), max_lag_y, max_lag_x));
    if (signal.values.empty()) {
      signal = std::move(one);
    } else {
      for (std::size_t i = 0; i < signal.values.size(); ++i) signal.values[i] += one.values[i];
    }
  }
  WM_ASSIGN_OR_RETURN(dsp::Autocorrelation overlap,
                      dsp::autocorrelate_2d(rows, cols, to_vector(mask), max_lag_y, max_lag_x));
  const double zero = signal.at(0, 0) / std::max(1.0f, overlap.at(0, 0));
  if (zero <= 0.0) return std::optional<Lattice>{};
  const int ly = signal.max_lag_y, lx = signal.max_lag_x;
  // Normalised autocorrelation; lags whose overlap is under a quarter of the valid area are
  // unreliable and left at zero.
  cv::Mat rho = cv::Mat::zeros(2 * ly + 1, 2 * lx + 1, CV_32F);
  for (int dy = -ly; dy <= ly; ++dy) {
    for (int dx = -lx; dx <= lx; ++dx) {
      const double o = overlap.at(dy, dx);
      if (o < 0.25 * count) continue;
      rho.at<float>(dy + ly, dx + lx) = static_cast<float>(signal.at(dy, dx) / o / zero);
    }
  }
  cv::Mat dilated;
  cv::dilate(rho, dilated, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  std::vector<Peak> peaks;
  for (int y = 1; y + 1 < rho.rows; ++y) {
    for (int x = 1; x + 1 < rho.cols; ++x) {
      const float v = rho.at<float>(y, x);
      if (v < min_strength || v < dilated.at<float>(y, x)) continue;
      const double dy = y - ly, dx = x - lx;
      if (std::hypot(dx, dy) < min_lag_px) continue;
      const double oy = parabola_offset(rho.at<float>(y - 1, x), v, rho.at<float>(y + 1, x));
      const double ox = parabola_offset(rho.at<float>(y, x - 1), v, rho.at<float>(y, x + 1));
      peaks.push_back({cv::Point2f(static_cast<float>(dx + ox), static_cast<float>(dy + oy)), v});
    }
  }
  if (peaks.empty()) return std::optional<Lattice>{};
  // Keep peaks comparable to the best one, shortest first.
  double best = 0.0;
  for (const Peak& p : peaks) best = std::max(best, p.value);
  std::vector<Peak> strong;
  for (const Peak& p : peaks) {
    if (p.value >= 0.6 * best) strong.push_back(p);
  }
  std::sort(strong.begin(), strong.end(), [](const Peak& a, const Peak& b) {
    return std::hypot(a.lag.x, a.lag.y) < std::hypot(b.lag.x, b.lag.y);
  });
  Lattice lattice;
  lattice.v1 = strong.front().lag;
  // Canonical sign: v1 points right (or down when vertical).
  if (lattice.v1.x < 0 || (lattice.v1.x == 0 && lattice.v1.y < 0)) lattice.v1 = -lattice.v1;
  double v1_value = strong.front().value, v2_value = 0.0;
  const double n1 = std::hypot(lattice.v1.x, lattice.v1.y);
  for (const Peak& p : strong) {
    const double n2 = std::hypot(p.lag.x, p.lag.y);
    const double cross = lattice.v1.x * p.lag.y - lattice.v1.y * p.lag.x;
    if (std::abs(cross) > 0.25 * n1 * n2) {
      lattice.v2 = p.lag;
      if (lattice.v2.y < 0) lattice.v2 = -lattice.v2;
      v2_value = p.value;
      break;
    }
  }
  lattice.strength = lattice.v2 == cv::Point2f() ? v1_value : std::min(v1_value, v2_value);
  return std::optional<Lattice>{lattice};
}

namespace {

// One repeat vector only: average over the translates by warping the whole field (a strip has
// no finite cell to fold into). Cost: frame size x number of translates.
cv::Mat fold_by_translates(const cv::Mat& field, const cv::Mat& weight, const Lattice& lattice, cv::Mat* support,
                           const std::function<bool()>& stop) {
  cv::Mat weighted = field.mul(weight);
  cv::Mat sum_fw = cv::Mat::zeros(field.size(), CV_32F);
  cv::Mat sum_w = cv::Mat::zeros(field.size(), CV_32F);
  const bool two_d = lattice.v2 != cv::Point2f();
  const int reach_i = static_cast<int>(std::ceil(std::hypot(field.cols, field.rows) / std::max(1.0, lattice.period_px())));
  const double n2 = std::hypot(lattice.v2.x, lattice.v2.y);
  const int reach_j = two_d ? static_cast<int>(std::ceil(std::hypot(field.cols, field.rows) / std::max(1.0, n2))) : 0;
  cv::Mat moved_fw, moved_w;
  for (int i = -reach_i; i <= reach_i; ++i) {
    for (int j = -reach_j; j <= reach_j; ++j) {
      const double tx = i * lattice.v1.x + j * lattice.v2.x;
      const double ty = i * lattice.v1.y + j * lattice.v2.y;
      if (std::abs(tx) >= field.cols || std::abs(ty) >= field.rows) continue;
      if (stop && stop()) return cv::Mat();
      // out(p) gathers f(p + t): with WARP_INVERSE_MAP, dst(p) = src(M p) and M p = p + t.
      const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, tx, 0, 1, ty);
      cv::warpAffine(weighted, moved_fw, shift, field.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                     cv::BORDER_CONSTANT, 0);
      cv::warpAffine(weight, moved_w, shift, field.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                     cv::BORDER_CONSTANT, 0);
      sum_fw += moved_fw;
      sum_w += moved_w;
    }
  }
  cv::Mat out;
  cv::divide(sum_fw, cv::max(sum_w, 1e-6), out);
  if (support != nullptr) *support = sum_w;
  return out;
}

// Wraps a continuous cell coordinate into [0, n) and returns the two neighbouring bins and the
// weight of the upper one (bilinear, periodic).
struct CellTap {
  int lo = 0;
  int hi = 0;
  float frac = 0.0f;
};

CellTap cell_tap(double c, int n) {
  c -= std::floor(c / n) * n;
  int lo = static_cast<int>(c);
  if (lo >= n) lo = n - 1;
  CellTap t;
  t.lo = lo;
  t.hi = lo + 1 == n ? 0 : lo + 1;
  t.frac = static_cast<float>(c - lo);
  return t;
}

}  // namespace

// Two repeat vectors: every pixel p has lattice coordinates (s, t) = B^-1 p with B = [v1 v2];
// all translates of p share the fractional parts of (s, t), i.e. one point of the unit cell.
// Accumulating w f and w into a U x V grid over the cell (U ~ 2|v1|, V ~ 2|v2| bins,
// nearest-bin splat) and reading it back at each pixel's cell point gives the same average as warping the
// field once per translate, in two passes over the frame instead of one per tile.
cv::Mat fold_over_lattice(const cv::Mat& field, const cv::Mat& weight, const Lattice& lattice, cv::Mat* support,
                          const std::function<bool()>& stop) {
  CV_Assert(field.type() == CV_32FC1 && weight.type() == CV_32FC1 && field.size() == weight.size());
  const double det = static_cast<double>(lattice.v1.x) * lattice.v2.y - static_cast<double>(lattice.v1.y) * lattice.v2.x;
  if (lattice.v2 == cv::Point2f() || std::abs(det) < 4.0) return fold_by_translates(field, weight, lattice, support, stop);
  // B^-1 = [v2.y -v2.x; -v1.y v1.x] / det
  const double a = lattice.v2.y / det, b = -lattice.v2.x / det;
  const double c = -lattice.v1.y / det, d = lattice.v1.x / det;
  // Two bins per pixel along each lattice vector; pixels go to their nearest bin (at most a
  // quarter pixel off) and the read-back is bilinear: strokes stay as sharp as after one warp.
  constexpr double kBinsPerPixel = 2.0;
  const int u_bins = std::max(2, static_cast<int>(std::ceil(kBinsPerPixel * std::hypot(lattice.v1.x, lattice.v1.y))));
  const int v_bins = std::max(2, static_cast<int>(std::ceil(kBinsPerPixel * std::hypot(lattice.v2.x, lattice.v2.y))));
  cv::Mat acc_fw = cv::Mat::zeros(v_bins, u_bins, CV_32F);
  cv::Mat acc_w = cv::Mat::zeros(v_bins, u_bins, CV_32F);
  cv::Mat hit = cv::Mat::zeros(v_bins, u_bins, CV_8U);  // bins some pixel of the frame falls into
  const auto taps = [&](int x, int y) {
    return std::pair<CellTap, CellTap>{cell_tap((a * x + b * y) * u_bins, u_bins), cell_tap((c * x + d * y) * v_bins, v_bins)};
  };
  for (int y = 0; y < field.rows; ++y) {
    if (stop && stop()) return cv::Mat();
    const float* f = field.ptr<float>(y);
    const float* w = weight.ptr<float>(y);
    for (int x = 0; x < field.cols; ++x) {
      const auto [tu, tv] = taps(x, y);
      const int u = tu.frac < 0.5f ? tu.lo : tu.hi;
      const int v = tv.frac < 0.5f ? tv.lo : tv.hi;
      hit.at<std::uint8_t>(v, u) = 1;
      if (w[x] <= 0.0f) continue;
      acc_fw.at<float>(v, u) += f[x] * w[x];
      acc_w.at<float>(v, u) += w[x];
    }
  }
  // Pixels of one tile fall into |det| of the bins that pixels reach at all (the pixel grid
  // need not reach every bin): rescale so that `support` counts tiles, as the
  // translate-by-translate fold does.
  const float per_tile = static_cast<float>(cv::countNonZero(hit) / std::abs(det));
  cv::Mat out(field.size(), CV_32F);
  cv::Mat sum_w;
  if (support != nullptr) sum_w.create(field.size(), CV_32F);
  for (int y = 0; y < field.rows; ++y) {
    float* o = out.ptr<float>(y);
    float* s = support != nullptr ? sum_w.ptr<float>(y) : nullptr;
    for (int x = 0; x < field.cols; ++x) {
      const auto [tu, tv] = taps(x, y);
      const auto lerp = [&](const cv::Mat& m) {
        const float top = (1.0f - tu.frac) * m.at<float>(tv.lo, tu.lo) + tu.frac * m.at<float>(tv.lo, tu.hi);
        const float bottom = (1.0f - tu.frac) * m.at<float>(tv.hi, tu.lo) + tu.frac * m.at<float>(tv.hi, tu.hi);
        return (1.0f - tv.frac) * top + tv.frac * bottom;
      };
      const float sw = lerp(acc_w);
      o[x] = lerp(acc_fw) / std::max(sw, 1e-6f);
      if (s != nullptr) s[x] = sw * per_tile;
    }
  }
  if (support != nullptr) *support = sum_w;
  return out;
}

}  // namespace wm::video
