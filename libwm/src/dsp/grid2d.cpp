#include "dsp/grid2d.h"

#include "dsp/fft.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <tuple>

namespace wm::dsp {

namespace {

enum class GridPlanKind { kDst1, kForwardReal2d, kInverseReal2d };

// Same discipline as the 1-D cache in fft.cpp: plans are made once under the lock on scratch
// buffers and executed later on the caller's buffers through the new-array API.
class GridPlanCache {
 public:
  fftwf_plan get(int rows, int cols, GridPlanKind kind) {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());  // one lock for every FFTW planner call
    const auto key = std::make_tuple(rows, cols, kind);
    auto it = plans_.find(key);
    if (it != plans_.end()) return it->second;
    const std::size_t n = static_cast<std::size_t>(rows) * cols;
    const std::size_t bins = static_cast<std::size_t>(rows) * (cols / 2 + 1);
    float* real = fftwf_alloc_real(n);
    float* real2 = fftwf_alloc_real(n);
    fftwf_complex* complex = fftwf_alloc_complex(bins);
    fftwf_plan plan = nullptr;
    switch (kind) {
      case GridPlanKind::kDst1:
        plan = fftwf_plan_r2r_2d(rows, cols, real, real2, FFTW_RODFT00, FFTW_RODFT00, FFTW_ESTIMATE);
        break;
      case GridPlanKind::kForwardReal2d:
        plan = fftwf_plan_dft_r2c_2d(rows, cols, real, complex, FFTW_ESTIMATE);
        break;
      case GridPlanKind::kInverseReal2d:
        plan = fftwf_plan_dft_c2r_2d(rows, cols, complex, real, FFTW_ESTIMATE);
        break;
    }
    fftwf_free(real);
    fftwf_free(real2);
    fftwf_free(complex);
    plans_.emplace(key, plan);
    return plan;
  }

 private:
  std::map<std::tuple<int, int, GridPlanKind>, fftwf_plan> plans_;  // under fftw_planner_mutex()
};

GridPlanCache& grid_cache() {
  static GridPlanCache* instance = new GridPlanCache();  // never destroyed: plans outlive scans
  return *instance;
}

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};
using RealBuffer = std::unique_ptr<float[], FftwFree>;
using ComplexBuffer = std::unique_ptr<fftwf_complex[], FftwFree>;

constexpr long long kMaxGridValues = 1ll << 26;  // 64 Mi floats: far beyond any sane frame

}  // namespace

Result<std::vector<float>> solve_poisson_dirichlet(int rows, int cols, const std::vector<float>& rhs) {
  if (rows <= 0 || cols <= 0 || static_cast<long long>(rows) * cols > kMaxGridValues) {
    return Status::invalid_argument("poisson solve: bad grid size " + std::to_string(rows) + "x" +
                                    std::to_string(cols));
  }
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  if (rhs.size() != n) return Status::invalid_argument("poisson solve: right-hand side has the wrong size");
  RealBuffer a{fftwf_alloc_real(n)};
  RealBuffer b{fftwf_alloc_real(n)};
  std::copy(rhs.begin(), rhs.end(), a.get());
  const fftwf_plan dst = grid_cache().get(rows, cols, GridPlanKind::kDst1);
  fftwf_execute_r2r(dst, a.get(), b.get());
  // DST-I diagonalises the Dirichlet Laplacian: eigenvalue 2cos(pi k/(n+1)) - 2 per axis.
  std::vector<float> eig_y(static_cast<std::size_t>(rows)), eig_x(static_cast<std::size_t>(cols));
  for (int k = 0; k < rows; ++k) {
    eig_y[static_cast<std::size_t>(k)] =
        static_cast<float>(2.0 * std::cos(std::numbers::pi * (k + 1) / (rows + 1)) - 2.0);
  }
  for (int k = 0; k < cols; ++k) {
    eig_x[static_cast<std::size_t>(k)] =
        static_cast<float>(2.0 * std::cos(std::numbers::pi * (k + 1) / (cols + 1)) - 2.0);
  }
  // The transform applied twice is the identity times 2(n+1) per axis.
  const float scale = 1.0f / (4.0f * static_cast<float>(rows + 1) * static_cast<float>(cols + 1));
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * cols + x;
      b[i] = b[i] * scale / (eig_y[static_cast<std::size_t>(y)] + eig_x[static_cast<std::size_t>(x)]);
    }
  }
  fftwf_execute_r2r(dst, b.get(), a.get());
  return std::vector<float>(a.get(), a.get() + n);
}

Result<Autocorrelation> autocorrelate_2d(int rows, int cols, const std::vector<float>& in, int max_lag_y,
                                         int max_lag_x) {
  if (rows <= 0 || cols <= 0 || static_cast<long long>(rows) * cols > kMaxGridValues / 4) {
    return Status::invalid_argument("autocorrelation: bad grid size " + std::to_string(rows) + "x" +
                                    std::to_string(cols));
  }
  if (in.size() != static_cast<std::size_t>(rows) * cols) {
    return Status::invalid_argument("autocorrelation: input has the wrong size");
  }
  max_lag_y = std::clamp(max_lag_y, 0, rows - 1);
  max_lag_x = std::clamp(max_lag_x, 0, cols - 1);
  // Zero-pad by the largest lag so the circular correlation equals the linear one there;
  // round the padded sizes up to an even number (FFTW is fast on any size).
  const int pr = (rows + max_lag_y + 1) & ~1;
  const int pc = (cols + max_lag_x + 1) & ~1;
  const std::size_t n = static_cast<std::size_t>(pr) * pc;
  const std::size_t bins = static_cast<std::size_t>(pr) * (pc / 2 + 1);
  RealBuffer real{fftwf_alloc_real(n)};
  ComplexBuffer spectrum{fftwf_alloc_complex(bins)};
  std::fill(real.get(), real.get() + n, 0.0f);
  for (int y = 0; y < rows; ++y) {
    std::copy(in.begin() + static_cast<std::ptrdiff_t>(y) * cols, in.begin() + static_cast<std::ptrdiff_t>(y + 1) * cols,
              real.get() + static_cast<std::size_t>(y) * pc);
  }
  fftwf_execute_dft_r2c(grid_cache().get(pr, pc, GridPlanKind::kForwardReal2d), real.get(), spectrum.get());
  for (std::size_t i = 0; i < bins; ++i) {
    const float re = spectrum[i][0], im = spectrum[i][1];
    spectrum[i][0] = re * re + im * im;
    spectrum[i][1] = 0.0f;
  }
  fftwf_execute_dft_c2r(grid_cache().get(pr, pc, GridPlanKind::kInverseReal2d), spectrum.get(), real.get());
  Autocorrelation out;
  out.max_lag_y = max_lag_y;
  out.max_lag_x = max_lag_x;
  const int w = 2 * max_lag_x + 1;
  out.values.assign(static_cast<std::size_t>(2 * max_lag_y + 1) * w, 0.0f);
  const float scale = 1.0f / static_cast<float>(n);
  for (int dy = -max_lag_y; dy <= max_lag_y; ++dy) {
    const int sy = (dy + pr) % pr;
    for (int dx = -max_lag_x; dx <= max_lag_x; ++dx) {
      const int sx = (dx + pc) % pc;
      out.values[static_cast<std::size_t>(dy + max_lag_y) * w + (dx + max_lag_x)] =
          real[static_cast<std::size_t>(sy) * pc + sx] * scale;
    }
  }
  return out;
}

}  // namespace wm::dsp
