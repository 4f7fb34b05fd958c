// Lattice of a tiled overlay. Meeting clients tile the viewer's identity on a regular grid
// (possibly rotated), so the consistent-gradient map repeats: its autocorrelation has peaks
// at every lattice vector. We normalise the autocorrelation by that of the validity mask (so
// lags with little overlap are not penalised), take local maxima away from the origin, and
// pick the shortest strong vector and the shortest strong one not parallel to it. Peak
// positions are refined to sub-pixel by a parabola per axis, and the basis is then refit to the
// peaks at all lattice points in the map (the n-th order peak fixes a vector n times finer).
//
// Folding then averages the field over all lattice translates: N tiles give about sqrt(N)
// more signal-to-noise in the recovered mark, and fill in tiles that sat over static content.
//
// Content that keeps its own structure in the median (a page scrolled by whole lines: text
// rows and a monospace character grid at the same place in every frame) hides a faint lattice
// behind its repeats; search_lattice_under_content_grid removes that structure first (comb
// filters at the line and character pitch seen in the single frames) and judges peaks by their
// significance against the map's own spread, skipping lags that the content's grid explains.
//
// What it cannot see: a lattice whose period exceeds 0.7 of the frame (fewer than two tiles
// per axis), tiles whose content differs (e.g. a running timestamp) only fold partly, and under a
// content grid, a mark whose tile vectors are whole numbers of text lines.
#include "video/lattice.h"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "dsp/grid2d.h"
#include "video/matte.h"

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

// The share of the valid pixels that must pair up at a lag for its correlation to count. 15 %
// (of a 1280 x 720 frame's changing pixels: ~10^5 pairs) is plenty statistically; at 25 % a long
// address in a large font (a 700-px period in a 1280-px frame, 46 % overlap at best) was lost
// when the middle of the picture never changed and only 60 % of the frame was valid (held-out
// seed 65 `011`, found since family 0.7).
constexpr double kMinLagOverlapShare = 0.15;

// tempering_weight: the least typical gradient RMS (gray per pixel) worth tempering to.
constexpr float kMinTypicalGradientGray = 0.1f;

// `valid` (CV_8UC1, non-zero = valid) as a CV_32F mask of 0 and 1.
cv::Mat unit_mask(const cv::Mat& valid) {
  cv::Mat mask;
  valid.convertTo(mask, CV_32F, 1.0 / 255.0);
  cv::threshold(mask, mask, 0.0, 1.0, cv::THRESH_BINARY);
  return mask;
}

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

// Whether `lag` is within 1.5 px (plus 0.5 % of the lag, for the pitch's own error) of a
// multiple of `period` (period 0: only lag 0 is).
bool on_grid(double lag, double period) {
  const double tolerance = 1.5 + 0.005 * std::abs(lag);
  if (period <= 0.0) return std::abs(lag) <= tolerance;
  return std::abs(lag - std::round(lag / period) * period) <= tolerance;
}

// Lags the content's own structure can explain: any shift by whole lines (text rows map onto
// text rows, and a page scrolled by lines shows nearly the same lines at every row, so the
// median repeats at any number of lines whatever the horizontal shift), and, without a line
// pitch, shifts on the character grid.
bool explained_by_grid(double dx, double dy, const ContentGrid& grid) {
  if (grid.period_y > 0.0) return on_grid(dy, grid.period_y);
  return on_grid(dx, grid.period_x) && on_grid(dy, 0.0);
}

struct Peak {
  cv::Point2f lag;
  double value = 0.0;
};

// Highest normalised autocorrelation within 1 px of `lag`; -1 when the window lies outside the map.
double rho_near(const cv::Mat& rho, const cv::Point2f& lag) {
  const int ly = rho.rows / 2, lx = rho.cols / 2;
  const int cy = static_cast<int>(std::lround(lag.y)) + ly, cx = static_cast<int>(std::lround(lag.x)) + lx;
  double best = 0.0;
  bool inside = false;
  for (int y = cy - 1; y <= cy + 1; ++y) {
    for (int x = cx - 1; x <= cx + 1; ++x) {
      if (y < 0 || x < 0 || y >= rho.rows || x >= rho.cols) continue;
      inside = true;
      best = std::max(best, static_cast<double>(rho.at<float>(y, x)));
    }
  }
  return inside ? best : -1.0;
}

// A repeat's peak stands apart from the origin's: part of the way to it the autocorrelation
// falls (the tile shifted by part of a period meets other strokes). Along a ridge it does not:
// a long straight edge (a picture-in-picture box's border, a bar) correlates with itself at every
// shift along it, and noise on the ridge makes local maxima there that pass every other gate.
// Halfway values measured: 0.96-1.03 of the peak's at the vectors a box's borders gave, at most
// 0.33 at the tiled marks found in held-out sets (video seed 73, browser 127). A ridge stays high
// at every fraction of the way; a basis vector that is two to four tile steps (a sub-lattice,
// whose fold is still the mark's) is high only at some, so the least of them decides.
constexpr double kMaxRidgeShare = 0.6;

bool on_a_ridge(const cv::Mat& rho, const cv::Point2f& lag, double value) {
  // No peak at all (a reduced vector whose lag falls where nothing pairs up, or off the map): it
  // spans no lattice either way.
  if (value <= 0.0) return true;
  double least = std::numeric_limits<double>::infinity();
  for (const float fraction : {0.25f, 1.0f / 3.0f, 0.5f, 2.0f / 3.0f, 0.75f}) {
    least = std::min(least, rho_near(rho, fraction * lag));
  }
  return least >= kMaxRidgeShare * value;
}

// Robust z-score of the weakest lattice peak (v1, v2 and the better diagonal) against the spread
// of the map at lags beyond min_lag (median and 1.4826 x MAD).
double peak_significance(const cv::Mat& rho, const Lattice& lattice, double min_lag_px) {
  std::vector<float> values;
  values.reserve(rho.total());
  const int ly = rho.rows / 2, lx = rho.cols / 2;
  for (int y = 0; y < rho.rows; ++y) {
    for (int x = 0; x < rho.cols; ++x) {
      const float v = rho.at<float>(y, x);
      if (v != 0.0f && std::hypot(x - lx, y - ly) >= min_lag_px) values.push_back(v);
    }
  }
  if (values.size() < 100) return 0.0;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  const double median = *mid;
  for (float& v : values) v = static_cast<float>(std::abs(v - median));
  std::nth_element(values.begin(), mid, values.end());
  const double spread = std::max(1e-6, 1.4826 * *mid);
  const double diagonal = std::max(rho_near(rho, lattice.v1 + lattice.v2), rho_near(rho, lattice.v1 - lattice.v2));
  double weakest = std::min(rho_near(rho, lattice.v1), rho_near(rho, lattice.v2));
  // A diagonal outside the map cannot be checked (-1 for both): the two vectors must do.
  if (diagonal > -1.0) weakest = std::min(weakest, diagonal);
  return (weakest - median) / spread;
}

// Whether `p` is within 3 px of a point n1 v1 + n2 v2 of the lattice.
bool on_lattice(const cv::Point2f& p, const cv::Point2f& v1, const cv::Point2f& v2) {
  const double det = static_cast<double>(v1.x) * v2.y - static_cast<double>(v1.y) * v2.x;
  if (std::abs(det) < 1e-6) return false;
  const double a = (p.x * v2.y - p.y * v2.x) / det, b = (v1.x * p.y - v1.y * p.x) / det;
  const double rx = p.x - std::round(a) * v1.x - std::round(b) * v2.x;
  const double ry = p.y - std::round(a) * v1.y - std::round(b) * v2.y;
  return std::hypot(rx, ry) <= 3.0;
}

// Lagrange-Gauss reduction: the shortest basis of the lattice spanned by v1, v2.
void reduce_basis(cv::Point2f& v1, cv::Point2f& v2) {
  for (int i = 0; i < 16; ++i) {
    if (v2.dot(v2) < v1.dot(v1)) std::swap(v1, v2);
    const double mu = std::round(static_cast<double>(v1.dot(v2)) / std::max(1e-9, static_cast<double>(v1.dot(v1))));
    if (mu == 0.0) break;
    v2 -= static_cast<float>(mu) * v1;
  }
}

// The shortest strong vectors can come from a partial repeat: rows of a tiling staggered by a
// few characters match their neighbours only half-way, which gives a weaker peak at the stagger
// vector that still passes the strength gate when all peaks are faint. A true basis spans every
// clearly stronger peak; while a peak at least 1.2 x the weaker basis vector lies off the
// lattice, it replaces that vector (then the basis is reduced to its shortest form).
void repair_basis(const std::vector<Peak>& strong, const cv::Mat& rho, Lattice& lattice, double& v1_value,
                  double& v2_value) {
  for (int round = 0; round < 3; ++round) {
    const double weaker = std::min(v1_value, v2_value);
    const Peak* offender = nullptr;
    for (const Peak& p : strong) {
      if (p.value >= 1.2 * weaker && !on_lattice(p.lag, lattice.v1, lattice.v2) &&
          (offender == nullptr || p.value > offender->value)) {
        offender = &p;
      }
    }
    if (offender == nullptr) return;
    cv::Point2f a = v1_value >= v2_value ? lattice.v1 : lattice.v2;
    cv::Point2f b = offender->lag;
    const double cross = static_cast<double>(a.x) * b.y - static_cast<double>(a.y) * b.x;
    if (std::abs(cross) < 0.25 * std::hypot(a.x, a.y) * std::hypot(b.x, b.y)) return;  // parallel: keep
    reduce_basis(a, b);
    if (a.x < 0 || (a.x == 0 && a.y < 0)) a = -a;
    if (b.y < 0) b = -b;
    lattice.v1 = a;
    lattice.v2 = b;
    v1_value = rho_near(rho, a);
    v2_value = rho_near(rho, b);
  }
}

// A peak of the autocorrelation seen near the lattice point n1 v1 + n2 v2.
struct LatticePoint {
  int n1 = 0, n2 = 0;
  cv::Point2f observed;
};

// Least-squares basis through the observed lattice points: q = n1 v1 + n2 v2 for every point,
// separately in x and y (a 2 x 2 normal system per axis). False when the orders do not fix both
// vectors.
bool fit_basis(const std::vector<LatticePoint>& points, cv::Point2f& v1, cv::Point2f& v2) {
  double s11 = 0.0, s12 = 0.0, s22 = 0.0, b1x = 0.0, b2x = 0.0, b1y = 0.0, b2y = 0.0;
  for (const LatticePoint& p : points) {
    s11 += p.n1 * p.n1;
    s12 += p.n1 * p.n2;
    s22 += p.n2 * p.n2;
    b1x += p.n1 * p.observed.x;
    b2x += p.n2 * p.observed.x;
    b1y += p.n1 * p.observed.y;
    b2y += p.n2 * p.observed.y;
  }
  const double det = s11 * s22 - s12 * s12;
  if (det < 1.0) return false;
  v1 = cv::Point2f(static_cast<float>((s22 * b1x - s12 * b2x) / det), static_cast<float>((s22 * b1y - s12 * b2y) / det));
  v2 = cv::Point2f(static_cast<float>((s11 * b2x - s12 * b1x) / det), static_cast<float>((s11 * b2y - s12 * b1y) / det));
  return true;
}

// The sub-pixel peak of `rho` nearest to `lag`: the highest local maximum within 2 px that
// reaches `min_value`; nullopt when there is none or the window leaves the map.
std::optional<cv::Point2f> peak_at(const cv::Mat& rho, const cv::Point2f& lag, double min_value) {
  const int ly = rho.rows / 2, lx = rho.cols / 2;
  const int cy = static_cast<int>(std::lround(lag.y)) + ly, cx = static_cast<int>(std::lround(lag.x)) + lx;
  if (cy - 3 < 0 || cx - 3 < 0 || cy + 3 >= rho.rows || cx + 3 >= rho.cols) return std::nullopt;
  int by = -1, bx = -1;
  float best = static_cast<float>(min_value);
  for (int y = cy - 2; y <= cy + 2; ++y) {
    for (int x = cx - 2; x <= cx + 2; ++x) {
      const float v = rho.at<float>(y, x);
      if (v < best) continue;
      bool local = true;
      for (int dy = -1; dy <= 1 && local; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          if ((dy != 0 || dx != 0) && rho.at<float>(y + dy, x + dx) > v) {
            local = false;
            break;
          }
        }
      }
      if (!local) continue;
      best = v;
      by = y;
      bx = x;
    }
  }
  if (by < 0) return std::nullopt;
  const float v = rho.at<float>(by, bx);
  const double oy = parabola_offset(rho.at<float>(by - 1, bx), v, rho.at<float>(by + 1, bx));
  const double ox = parabola_offset(rho.at<float>(by, bx - 1), v, rho.at<float>(by, bx + 1));
  return cv::Point2f(static_cast<float>(bx - lx + ox), static_cast<float>(by - ly + oy));
}

// The basis from the shortest peaks carries each peak's sub-pixel error in full, and folding
// multiplies it by the distance to the farthest tile: 0.25 px per step is 2-3 px at the edge of
// a 720p frame, the width of a stroke, and a faint mark is then smeared below readability. The
// n-th order peak carries the same error once, so refitting the basis by least squares to the
// peaks near every lattice point in the map (out to order 3, then 6, then all, re-predicting
// from the refined basis each time so the 2-px search window stays on the peak) cuts the error
// by about the largest order. Points off by more than 1 px from the fit are dropped (a content
// peak beside a lattice point); the refit is kept only when enough points agree.
void refine_basis_over_orders(const cv::Mat& rho, Lattice& lattice, double min_value, const ContentGrid* exclude) {
  cv::Point2f v1 = lattice.v1, v2 = lattice.v2;
  int highest_order = 0;
  for (const int reach : {3, 6, 16}) {
    std::vector<LatticePoint> points;
    for (int n1 = 0; n1 <= reach; ++n1) {
      for (int n2 = -reach; n2 <= reach; ++n2) {
        if (n1 == 0 && n2 <= 0) continue;  // rho is symmetric: one half-plane of orders
        const cv::Point2f lag = static_cast<float>(n1) * v1 + static_cast<float>(n2) * v2;
        if (exclude != nullptr && explained_by_grid(lag.x, lag.y, *exclude)) continue;
        if (const std::optional<cv::Point2f> q = peak_at(rho, lag, min_value)) points.push_back({n1, n2, *q});
      }
    }
    cv::Point2f f1, f2;
    if (points.size() < 4 || !fit_basis(points, f1, f2)) break;
    std::vector<LatticePoint> agreeing;
    for (const LatticePoint& p : points) {
      const cv::Point2f r = p.observed - (static_cast<float>(p.n1) * f1 + static_cast<float>(p.n2) * f2);
      if (std::hypot(r.x, r.y) <= 1.0) agreeing.push_back(p);
    }
    if (agreeing.size() < 4 || 2 * agreeing.size() < points.size() || !fit_basis(agreeing, f1, f2)) break;
    v1 = f1;
    v2 = f2;
    for (const LatticePoint& p : agreeing) highest_order = std::max({highest_order, p.n1, std::abs(p.n2)});
  }
  // Only orders of 3 and more gain much over the parabola fit of the first peaks (a small frame
  // holds two tiles a side; there the refit is within the fit's own noise). A refit that moved a
  // vector by more than a pixel found some other pattern's peaks.
  const bool refined = highest_order >= 3;
  const cv::Point2f d1 = v1 - lattice.v1, d2 = v2 - lattice.v2;
  if (refined && std::hypot(d1.x, d1.y) <= 1.0 && std::hypot(d2.x, d2.y) <= 1.0) {
    lattice.v1 = v1;
    lattice.v2 = v2;
  }
}

}  // namespace

Result<cv::Mat> lattice_autocorrelation(const std::vector<cv::Mat>& fields, const cv::Mat& valid) {
  CV_Assert(!fields.empty() && valid.type() == CV_8UC1);
  const cv::Mat mask = unit_mask(valid);
  const double count = cv::sum(mask)[0];
  if (count < 100.0) return cv::Mat();
  const int rows = valid.rows, cols = valid.cols;
  // Lags up to 0.7 of the frame: a long address in a large font tiles at more than half the
  // frame width; the overlap gate below keeps the normalisation honest at long lags.
  const int max_lag_y = static_cast<int>(0.7 * rows), max_lag_x = static_cast<int>(0.7 * cols);
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
  if (zero <= 0.0) return cv::Mat();
  const int ly = signal.max_lag_y, lx = signal.max_lag_x;
  // Normalised autocorrelation; lags where too few valid pixels pair up are unreliable and left
  // at zero.
  cv::Mat rho = cv::Mat::zeros(2 * ly + 1, 2 * lx + 1, CV_32F);
  for (int dy = -ly; dy <= ly; ++dy) {
    for (int dx = -lx; dx <= lx; ++dx) {
      const double o = overlap.at(dy, dx);
      if (o < kMinLagOverlapShare * count) continue;
      rho.at<float>(dy + ly, dx + lx) = static_cast<float>(signal.at(dy, dx) / o / zero);
    }
  }
  return rho;
}

std::optional<Lattice> lattice_from_autocorrelation(const cv::Mat& rho, double min_lag_px, double min_strength,
                                                    const ContentGrid* exclude) {
  if (rho.empty()) return std::nullopt;
  const int ly = rho.rows / 2, lx = rho.cols / 2;
  cv::Mat dilated;
  cv::dilate(rho, dilated, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  std::vector<Peak> peaks;
  for (int y = 1; y + 1 < rho.rows; ++y) {
    for (int x = 1; x + 1 < rho.cols; ++x) {
      const float v = rho.at<float>(y, x);
      if (v < min_strength || v < dilated.at<float>(y, x)) continue;
      const double dy = y - ly, dx = x - lx;
      if (std::hypot(dx, dy) < min_lag_px) continue;
      if (exclude != nullptr && explained_by_grid(dx, dy, *exclude)) continue;
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
  if (lattice.v2 != cv::Point2f()) {
    repair_basis(strong, rho, lattice, v1_value, v2_value);
    refine_basis_over_orders(rho, lattice, 0.5 * std::min(v1_value, v2_value), exclude);
    // A basis vector on a ridge (or two repeats that differ by a shift along one: the left and
    // right borders of a box pair up at its width plus any shift along them) is no lattice.
    // Only the chosen basis is checked: dropping ridge peaks before the choice let weaker chance
    // peaks of ffmpeg's testsrc2 bars form a lattice that a ridge-made basis had kept out (its
    // significance is ~1).
    if (on_a_ridge(rho, lattice.v1, v1_value) || on_a_ridge(rho, lattice.v2, v2_value)) {
      lattice.v2 = cv::Point2f();
      v2_value = 0.0;
    }
  }
  lattice.strength = lattice.v2 == cv::Point2f() ? v1_value : std::min(v1_value, v2_value);
  if (lattice.v2 != cv::Point2f()) lattice.significance = peak_significance(rho, lattice, min_lag_px);
  return std::optional<Lattice>{lattice};
}

Result<std::optional<Lattice>> estimate_lattice(const std::vector<cv::Mat>& fields, const cv::Mat& valid,
                                                double min_lag_px, double min_strength, const ContentGrid* exclude) {
  WM_ASSIGN_OR_RETURN(cv::Mat rho, lattice_autocorrelation(fields, valid));
  return lattice_from_autocorrelation(rho, min_lag_px, min_strength, exclude);
}

namespace {

// Normalised 1-D autocorrelation of a profile (mean removed), lags 0..max_lag.
std::vector<double> profile_autocorrelation(std::vector<double> p, int max_lag) {
  const auto n = static_cast<int>(p.size());
  std::vector<double> r(static_cast<std::size_t>(max_lag) + 1, 0.0);
  if (n < 2 * max_lag + 2) return r;
  double mean = 0.0;
  for (double v : p) mean += v;
  mean /= n;
  double energy = 0.0;
  for (double& v : p) {
    v -= mean;
    energy += v * v;
  }
  if (energy <= 0.0) return r;
  for (int lag = 0; lag <= max_lag; ++lag) {
    double sum = 0.0;
    for (int i = 0; i + lag < n; ++i) sum += p[static_cast<std::size_t>(i)] * p[static_cast<std::size_t>(i + lag)];
    r[static_cast<std::size_t>(lag)] = sum / (n - lag) / (energy / n);
  }
  return r;
}

bool local_max(const std::vector<double>& r, int lag) {
  return lag > 0 && lag + 1 < static_cast<int>(r.size()) && r[static_cast<std::size_t>(lag)] >= r[static_cast<std::size_t>(lag - 1)] &&
         r[static_cast<std::size_t>(lag)] >= r[static_cast<std::size_t>(lag + 1)];
}

// Largest local maximum of `r` near `lag` (within +-reach), as a sub-pixel lag; -1 if none.
double peak_near(const std::vector<double>& r, double lag, int reach) {
  int best = -1;
  for (int l = static_cast<int>(std::lround(lag)) - reach; l <= static_cast<int>(std::lround(lag)) + reach; ++l) {
    if (local_max(r, l) && (best < 0 || r[static_cast<std::size_t>(l)] > r[static_cast<std::size_t>(best)])) best = l;
  }
  if (best < 0) return -1.0;
  const auto b = static_cast<std::size_t>(best);
  return best + parabola_offset(r[b - 1], r[b], r[b + 1]);
}

double value_at(const std::vector<double>& r, double lag) {
  const auto l = static_cast<std::size_t>(std::lround(lag));
  return l < r.size() ? r[l] : 0.0;
}

struct Period {
  double px = 0.0;
  double strength = 0.0;
};

// The fundamental period of the strongest repeat in `r` between min_p and max_p: the highest
// local maximum, moved down to a divisor that is nearly as strong (a line pitch P also peaks at
// 2P, 3P...), refined on the largest multiple inside the map.
Period fundamental_period(const std::vector<double>& r, double min_p, double max_p) {
  Period out;
  int best = -1;
  for (int l = static_cast<int>(std::ceil(min_p)); l <= static_cast<int>(max_p) && l + 1 < static_cast<int>(r.size()); ++l) {
    if (local_max(r, l) && (best < 0 || r[static_cast<std::size_t>(l)] > r[static_cast<std::size_t>(best)])) best = l;
  }
  if (best < 0 || r[static_cast<std::size_t>(best)] <= 0.0) return out;
  double period = best;
  for (int d = 4; d >= 2; --d) {
    const double sub = peak_near(r, period / d, 1);
    if (sub >= min_p && value_at(r, sub) >= 0.7 * r[static_cast<std::size_t>(best)]) {
      period = sub;
      break;
    }
  }
  const int multiple = std::max(1, static_cast<int>((static_cast<int>(r.size()) - 2) / period));
  const double refined = peak_near(r, multiple * period, 2);
  if (refined > 0.0) period = refined / multiple;
  out.px = period;
  out.strength = value_at(r, period);
  return out;
}

// Gradient energy per row (along_y) or per column of an 8-bit frame.
std::vector<double> frame_profile(const cv::Mat& frame, bool along_y) {
  std::vector<double> p(static_cast<std::size_t>(along_y ? frame.rows : frame.cols), 0.0);
  for (int y = 0; y + 1 < frame.rows; ++y) {
    const std::uint8_t* row = frame.ptr<std::uint8_t>(y);
    const std::uint8_t* below = frame.ptr<std::uint8_t>(y + 1);
    for (int x = 0; x + 1 < frame.cols; ++x) {
      const double e = std::abs(row[x + 1] - row[x]) + std::abs(below[x] - row[x]);
      p[static_cast<std::size_t>(along_y ? y : x)] += e;
    }
  }
  return p;
}

std::vector<double> field_profile(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid, bool along_y) {
  std::vector<double> p(static_cast<std::size_t>(along_y ? gx.rows : gx.cols), 0.0);
  for (int y = 0; y < gx.rows; ++y) {
    const float* fx = gx.ptr<float>(y);
    const float* fy = gy.ptr<float>(y);
    const std::uint8_t* v = valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < gx.cols; ++x) {
      if (v[x] != 0) p[static_cast<std::size_t>(along_y ? y : x)] += std::abs(fx[x]) + std::abs(fy[x]);
    }
  }
  return p;
}

constexpr double kMinGridPeriodPx = 6.0;         // shortest line / character pitch looked for
constexpr double kGridSearchMinStrength = 0.05;  // lattice peaks considered at all under a grid
constexpr double kGridMinFrameRepeat = 0.3;  // profile autocorrelation of single frames at the pitch
constexpr double kGridMinFieldRepeat = 0.3;  // ... and of the consistent-gradient fields

double grid_period(const std::vector<cv::Mat>& frames, const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid,
                   bool along_y, double min_p, double max_p) {
  const int length = along_y ? gx.rows : gx.cols;
  const int max_lag = std::min(static_cast<int>(4 * max_p), length / 2 - 1);
  if (max_lag <= static_cast<int>(max_p) + 1) return 0.0;
  // Up to 8 frames spread over the reservoir; their autocorrelations are averaged.
  std::vector<double> mean_r(static_cast<std::size_t>(max_lag) + 1, 0.0);
  const std::size_t step = std::max<std::size_t>(1, frames.size() / 8);
  int used = 0;
  for (std::size_t k = 0; k < frames.size() && used < 8; k += step, ++used) {
    const std::vector<double> r = profile_autocorrelation(frame_profile(frames[k], along_y), max_lag);
    for (std::size_t i = 0; i < r.size(); ++i) mean_r[i] += r[i];
  }
  if (used == 0) return 0.0;
  for (double& v : mean_r) v /= used;
  const Period content = fundamental_period(mean_r, min_p, max_p);
  if (content.px <= 0.0 || content.strength < kGridMinFrameRepeat) return 0.0;
  const std::vector<double> field_r = profile_autocorrelation(field_profile(gx, gy, valid, along_y), max_lag);
  const double at = peak_near(field_r, content.px, 1);
  if (at < 0.0 || value_at(field_r, at) < kGridMinFieldRepeat) return 0.0;
  return content.px;
}

// Subtracts from every valid pixel the mean of the valid pixels kGridCombTaps pitches above
// and below it in its column (a comb filter along y): what repeats with the pitch nearby
// cancels, even when it changes slowly down the page (paragraphs, ragged line ends), while a
// pattern with another period keeps its full amplitude (the pixel itself is not in the mean)
// plus a little of the mean of its other rows.
constexpr int kGridCombTaps = 3;

void remove_period_along_y(cv::Mat& field, const cv::Mat& valid, double period) {
  const cv::Mat source = field.clone();
  for (int y = 0; y < field.rows; ++y) {
    const std::uint8_t* v = valid.ptr<std::uint8_t>(y);
    float* out = field.ptr<float>(y);
    for (int x = 0; x < field.cols; ++x) {
      if (v[x] == 0) continue;
      double sum = 0.0;
      int count = 0;
      for (int k = -kGridCombTaps; k <= kGridCombTaps; ++k) {
        if (k == 0) continue;
        const double yy = y + k * period;
        const int y0 = static_cast<int>(std::floor(yy));
        if (y0 < 0 || y0 + 1 >= field.rows) continue;
        const double t = yy - y0;
        if (valid.at<std::uint8_t>(y0, x) == 0 || valid.at<std::uint8_t>(y0 + 1, x) == 0) continue;
        sum += (1.0 - t) * source.at<float>(y0, x) + t * source.at<float>(y0 + 1, x);
        ++count;
      }
      if (count >= 2) out[x] -= static_cast<float>(sum / count);
    }
  }
}

}  // namespace

ContentGrid find_content_grid(const std::vector<cv::Mat>& frames, const cv::Mat& gx, const cv::Mat& gy,
                              const cv::Mat& valid, double min_period_px, double max_period_px) {
  ContentGrid grid;
  if (frames.empty()) return grid;
  CV_Assert(gx.type() == CV_32FC1 && gy.type() == CV_32FC1 && valid.type() == CV_8UC1);
  grid.period_y = grid_period(frames, gx, gy, valid, true, min_period_px, max_period_px);
  grid.period_x = grid_period(frames, gx, gy, valid, false, min_period_px, max_period_px);
  return grid;
}

cv::Mat remove_grid_component(const cv::Mat& field, const cv::Mat& valid, const ContentGrid& grid) {
  CV_Assert(field.type() == CV_32FC1 && valid.type() == CV_8UC1 && field.size() == valid.size());
  cv::Mat out = field.clone();
  if (grid.period_y > 0.0) remove_period_along_y(out, valid, grid.period_y);
  if (grid.period_x > 0.0) {
    cv::Mat t = out.t(), tv = valid.t();
    remove_period_along_y(t, tv, grid.period_x);
    out = t.t();
  }
  return out;
}

namespace {

ContentGrid find_content_grid_for_search(const std::vector<cv::Mat>& frames, const cv::Mat& gx, const cv::Mat& gy,
                                         const cv::Mat& valid) {
  return find_content_grid(frames, gx, gy, valid, kMinGridPeriodPx, std::max(kMinGridPeriodPx + 2.0, 0.1 * gx.rows));
}

}  // namespace

namespace {

// The shortest period of `lattice` along one axis of the frame (a combination a v1 + b v2 with
// |a|, |b| <= 2 that is within 1.5 px of the axis), or 0 when none is.
double axis_period_px(const Lattice& lattice, bool along_x) {
  double best = 0.0;
  for (int a = -2; a <= 2; ++a) {
    for (int b = -2; b <= 2; ++b) {
      const cv::Point2f v = static_cast<float>(a) * lattice.v1 + static_cast<float>(b) * lattice.v2;
      const double across = std::abs(along_x ? v.y : v.x), along = std::abs(along_x ? v.x : v.y);
      if (across <= 1.5 && along >= 4.0 && (best == 0.0 || along < best)) best = along;
    }
  }
  return best;
}

// Whether two edge lines of `mean_gray` lie `period_px` (within 2 px) apart: columns (when
// `columns`) or rows along which the mean steps by at least kEdgeStepGray on most of the
// picture's length.
bool edge_lines_one_period_apart(const cv::Mat& mean_gray, bool columns, double period_px) {
  constexpr double kEdgeStepGray = 8.0;
  constexpr double kMinEdgeShare = 0.6;
  cv::Mat step;
  if (columns) {
    cv::absdiff(mean_gray.colRange(1, mean_gray.cols), mean_gray.colRange(0, mean_gray.cols - 1), step);
  } else {
    cv::absdiff(mean_gray.rowRange(1, mean_gray.rows), mean_gray.rowRange(0, mean_gray.rows - 1), step);
  }
  cv::Mat share;
  cv::reduce(step >= kEdgeStepGray, share, columns ? 0 : 1, cv::REDUCE_AVG, CV_32F);  // 255 * share
  const int n = static_cast<int>(share.total());
  std::vector<bool> line(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) line[static_cast<std::size_t>(i)] = share.at<float>(i) >= 255.0 * kMinEdgeShare;
  const int period = static_cast<int>(std::lround(period_px));
  for (int i = 0; i < n; ++i) {
    if (!line[static_cast<std::size_t>(i)]) continue;
    for (int j = i + period - 2; j <= i + period + 2; ++j) {
      if (j >= 0 && j < n && line[static_cast<std::size_t>(j)]) return true;
    }
  }
  return false;
}

}  // namespace

bool lattice_on_tile_grid(const cv::Mat& mean_gray, const Lattice& lattice) {
  constexpr double kMaxTilesPerAxis = 4.2;
  if (lattice.v2 == cv::Point2f() || mean_gray.cols < 2 || mean_gray.rows < 2) return false;
  const double across_px = axis_period_px(lattice, true), down_px = axis_period_px(lattice, false);
  if (across_px < mean_gray.cols / kMaxTilesPerAxis || down_px < mean_gray.rows / kMaxTilesPerAxis) return false;
  return edge_lines_one_period_apart(mean_gray, true, across_px) && edge_lines_one_period_apart(mean_gray, false, down_px);
}

bool lattice_on_content_grid(const std::vector<cv::Mat>& frames, const cv::Mat& gx, const cv::Mat& gy,
                             const cv::Mat& valid, const Lattice& lattice) {
  const ContentGrid grid = find_content_grid_for_search(frames, gx, gy, valid);
  if (!grid.found()) return false;
  const auto on_content_grid = [&](const cv::Point2f& v) {
    return on_grid(v.x, grid.period_x) && on_grid(v.y, grid.period_y);
  };
  return on_content_grid(lattice.v1) && on_content_grid(lattice.v2);
}

Result<GridSearch> search_lattice_under_content_grid(const std::vector<cv::Mat>& frames, const cv::Mat& gx,
                                                     const cv::Mat& gy, const cv::Mat& valid, const cv::Mat& stddev,
                                                     double spread_floor, double min_lag_px, double min_significance) {
  GridSearch out;
  out.grid = find_content_grid_for_search(frames, gx, gy, valid);
  const ContentGrid pitch = out.grid;
  if (!out.grid.found()) {
    out.gx = gx;
    out.gy = gy;
    return out;
  }
  out.gx = remove_grid_component(gx, valid, out.grid);
  out.gy = remove_grid_component(gy, valid, out.grid);
  // The median may repeat at a multiple of the pitch too: a page scrolled by two lines per
  // sampled frame shows odd rows only odd lines, even rows even ones. When the residual still
  // repeats at k x pitch (k = 2..4), that longer period is removed instead (it covers the pitch).
  ContentGrid longer = out.grid;
  for (const bool along_y : {true, false}) {
    double& period = along_y ? longer.period_y : longer.period_x;
    if (period <= 0.0) continue;
    const int length = along_y ? gx.rows : gx.cols;
    const int max_lag = std::min(static_cast<int>(5 * period), length / 2);
    const std::vector<double> r = profile_autocorrelation(field_profile(out.gx, out.gy, valid, along_y), max_lag);
    for (int k = 2; k <= 4 && k * period + 2 < max_lag; ++k) {
      const double at = peak_near(r, k * period, 2);
      if (at > 0.0 && value_at(r, at) >= kGridMinFieldRepeat) {
        period = at;
        break;
      }
    }
  }
  if (longer.period_y != out.grid.period_y || longer.period_x != out.grid.period_x) {
    out.grid = longer;
    out.gx = remove_grid_component(gx, valid, out.grid);
    out.gy = remove_grid_component(gy, valid, out.grid);
  }
  cv::Mat stability;
  cv::divide(spread_floor, cv::max(stddev, spread_floor), stability);
  WM_ASSIGN_OR_RETURN(std::optional<Lattice> lattice,
                      estimate_lattice({out.gx.mul(stability), out.gy.mul(stability)}, valid, min_lag_px,
                                       kGridSearchMinStrength, &pitch));
  if (lattice.has_value() && lattice->v2 != cv::Point2f() && lattice->significance >= min_significance) {
    out.lattice = lattice;
  }
  return out;
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

cv::Mat tempering_weight(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid) {
  CV_Assert(gx.type() == CV_32FC1 && gy.type() == CV_32FC1 && valid.type() == CV_8UC1);
  if (cv::countNonZero(valid) < 100) return {};
  const cv::Mat mask = unit_mask(valid);
  cv::Mat energy = (gx.mul(gx) + gy.mul(gy)).mul(mask);
  const int window_px = std::max(16, gx.cols / 10) | 1;
  cv::Mat local_energy, local_count;
  cv::boxFilter(energy, local_energy, CV_32F, cv::Size(window_px, window_px), cv::Point(-1, -1), false);
  cv::boxFilter(mask, local_count, CV_32F, cv::Size(window_px, window_px), cv::Point(-1, -1), false);
  cv::Mat rms;
  // Running sums can leave a window that sums to zero a hair below it; sqrt would give NaN.
  cv::sqrt(cv::max(local_energy, 0.0) / cv::max(local_count, 1.0), rms);
  const std::vector<float> levels = masked_values(rms, valid);
  const float typical = static_cast<float>(percentile(levels, 0.5));
  // A frame whose typical window is flat (under a tenth of a gray level of gradient: the median
  // of a faint mark over content is well above it) has no level to temper to.
  if (typical < kMinTypicalGradientGray) return {};
  const auto outliers = std::count_if(levels.begin(), levels.end(), [&](float l) { return l > 4.0f * typical; });
  if (static_cast<double>(outliers) < 0.02 * static_cast<double>(levels.size())) return {};
  cv::Mat weight = typical / cv::max(rms, typical);
  return weight;
}

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
