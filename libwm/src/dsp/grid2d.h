// Two-dimensional transforms on row-major float grids: a Poisson solver (discrete sine
// transform) and a linear (non-circular) autocorrelation, both through FFTW.
//
// Plans are shared through a process-wide cache keyed by (rows, cols, kind) and made with
// FFTW_ESTIMATE; only planning takes the lock, so any number of threads may call these at
// once. The caller's arrays are plain std::vector-like memory; the functions copy into their
// own aligned buffers.
#ifndef WM_DSP_GRID2D_H_
#define WM_DSP_GRID2D_H_

#include <vector>

#include "wm/status.h"

namespace wm::dsp {

// Solves the 5-point discrete Poisson equation
//   u[y-1][x] + u[y+1][x] + u[y][x-1] + u[y][x+1] - 4 u[y][x] = rhs[y][x]
// on a rows x cols grid with u = 0 just outside the grid (Dirichlet), by a 2-D DST-I.
// `rhs` has rows*cols values, row-major. invalid_argument for an empty grid or a size
// mismatch.
Result<std::vector<float>> solve_poisson_dirichlet(int rows, int cols, const std::vector<float>& rhs);

// Linear autocorrelation of a rows x cols grid for lags |dy| <= max_lag_y, |dx| <= max_lag_x:
//   out[(dy + max_lag_y) * (2 max_lag_x + 1) + (dx + max_lag_x)] = sum_p in[p] * in[p + (dy,dx)]
// with values outside the grid taken as zero (the input is zero-padded, so nothing wraps).
// Lags are clamped to rows-1 / cols-1.
struct Autocorrelation {
  int max_lag_y = 0;
  int max_lag_x = 0;
  std::vector<float> values;  // (2 max_lag_y + 1) rows of (2 max_lag_x + 1)
  float at(int dy, int dx) const {
    return values[static_cast<std::size_t>(dy + max_lag_y) * (2 * max_lag_x + 1) + (dx + max_lag_x)];
  }
};
Result<Autocorrelation> autocorrelate_2d(int rows, int cols, const std::vector<float>& in, int max_lag_y,
                                         int max_lag_x);

}  // namespace wm::dsp

#endif  // WM_DSP_GRID2D_H_
