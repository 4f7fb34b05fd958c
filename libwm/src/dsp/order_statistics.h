// Medians of small sets without std::nth_element's partitioning overhead, and a median test
// decided by counting. Both give exactly what the nth_element formulation gives (same value,
// same decision), so a detector can switch to them without changing any result.
#ifndef WM_DSP_ORDER_STATISTICS_H_
#define WM_DSP_ORDER_STATISTICS_H_

#include <cstddef>

namespace wm::dsp {

// The upper median of `values[0 .. n)`: the value std::nth_element(values, values + n / 2,
// values + n) leaves at index n / 2 (for an even n the upper of the two middle values).
// May reorder `values` (sets of more than 32 go to std::nth_element; smaller ones, such as the
// ±12-bin neighbourhoods of a spectral peak, are left as they are and found by counting ranks).
// n must be > 0; the values must not be NaN.
float upper_median(float* values, std::size_t n);

// Whether `level - upper_median(values) < margin` in float arithmetic, without selecting the
// median: level - x < margin holds for every x at or above some threshold (float subtraction
// is monotone), so it holds for the median exactly when it holds for at least n - n / 2 of the
// values. Does not reorder `values`; n must be > 0. About 20 comparisons for a peak's
// neighbourhood, where the selection cost several hundred nanoseconds.
bool under_margin_over_upper_median(const float* values, std::size_t n, float level, float margin);

}  // namespace wm::dsp

#endif  // WM_DSP_ORDER_STATISTICS_H_
