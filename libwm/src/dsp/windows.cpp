// Windows are built in double precision and scaled once, so the requested sum holds to float
// rounding whatever the size.
#include "dsp/windows.h"

#include <cmath>
#include <numbers>

namespace wm::dsp {

std::vector<float> hann_window(std::size_t size_samples, double sum) {
  std::vector<double> w(size_samples);
  double total = 0.0;
  for (std::size_t i = 0; i < size_samples; ++i) {
    w[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(size_samples));
    total += w[i];
  }
  std::vector<float> out(size_samples);
  for (std::size_t i = 0; i < size_samples; ++i) out[i] = total > 0.0 ? static_cast<float>(w[i] * sum / total) : 0.0f;
  return out;
}

}  // namespace wm::dsp
