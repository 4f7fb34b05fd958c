// Real cepstrum of one windowed frame.
//
// Not thread-safe per instance (it owns scratch buffers); use one per thread. FFT plans are
// shared through dsp/fft.h.
#ifndef WM_DSP_CEPSTRUM_H_
#define WM_DSP_CEPSTRUM_H_

#include <cstddef>
#include <vector>

#include "dsp/fft.h"

namespace wm::dsp {

class RealCepstrum {
 public:
  // `size_samples` must be even (a power of two is fastest). Magnitudes are floored at
  // `floor_db` below the frame's largest bin before the log, which limits the dynamic range
  // (near-empty bins between harmonics would otherwise dominate the cepstrum).
  explicit RealCepstrum(std::size_t size_samples, double floor_db = -180.0);
  std::size_t size() const { return size_; }
  // c[q] = (1/N) sum_k ln(max(|X[k]|, floor)) e^{+j 2 pi k q / N} of the Hann-windowed
  // frame; `frame` has size() samples; `cepstrum` gets size() values (quefrency in samples).
  // Returns the fraction of bins above the floor (in [0, 1]): a ripple of the log spectrum
  // (an echo) only shows in those bins, so its cepstral peak scales with this fraction.
  double compute(const float* frame, std::vector<float>& cepstrum);
  // Both at once from one forward FFT: `full` with this instance's floor, `floored` with the
  // magnitudes floored at `second_floor_db` below the largest bin. Returns the fraction of
  // bins above the second floor.
  double compute_pair(const float* frame, double second_floor_db, std::vector<float>& full, std::vector<float>& floored);

 private:
  std::size_t size_;
  static constexpr float kLogTiny = -69.0f;  // ln 1e-30: the floor for silence
  float log_floor_ratio_;  // ln of the floor relative to the largest bin
  std::vector<float> window_;
  AlignedFloats time_;
  AlignedComplex bins_;
  AlignedComplex log_bins_;
  std::vector<float> log_magnitude_;
  float transform(const float* frame);
  // max(ln|X|, log_floor) into log_bins_, inverse FFT into `cepstrum`; returns the fraction of
  // bins above the floor.
  double finish(float log_floor, std::vector<float>& cepstrum);
};

}  // namespace wm::dsp

#endif  // WM_DSP_CEPSTRUM_H_
