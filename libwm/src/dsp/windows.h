// Analysis windows.
//
// Plain functions returning new vectors; thread-safe.
#ifndef WM_DSP_WINDOWS_H_
#define WM_DSP_WINDOWS_H_

#include <cstddef>
#include <vector>

namespace wm::dsp {

// Periodic Hann window of `size_samples` values, w[i] = 0.5 - 0.5 cos(2 pi i / size), scaled so
// its values sum to `sum` (for example 2.0, so that a full-scale sine centred on a bin gives
// a magnitude of its amplitude in an unnormalised FFT). Empty for size 0.
std::vector<float> hann_window(std::size_t size_samples, double sum);

}  // namespace wm::dsp

#endif  // WM_DSP_WINDOWS_H_
