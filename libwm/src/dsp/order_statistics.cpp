#include "dsp/order_statistics.h"

#include <algorithm>

namespace wm::dsp {

namespace {

// Up to this many values are insertion-sorted (n^2/4 moves on average: cheaper than
// introselect's partitioning for a neighbourhood of 10 or 20 bins).
constexpr std::size_t kMaxInsertionSort = 32;

}  // namespace

float upper_median(float* values, std::size_t n) {
  if (n > kMaxInsertionSort) {
    std::nth_element(values, values + n / 2, values + n);
    return values[n / 2];
  }
  for (std::size_t i = 1; i < n; ++i) {
    const float v = values[i];
    std::size_t j = i;
    for (; j > 0 && v < values[j - 1]; --j) values[j] = values[j - 1];
    values[j] = v;
  }
  return values[n / 2];
}

bool under_margin_over_upper_median(const float* values, std::size_t n, float level, float margin) {
  // Sorted ascending, the median is x[n / 2]; the values with level - x < margin are the top
  // ones, so the median is among them exactly when there are at least n - n / 2 of them.
  std::size_t under = 0;
  for (std::size_t i = 0; i < n; ++i) under += level - values[i] < margin ? 1 : 0;
  return under >= n - n / 2;
}

}  // namespace wm::dsp
