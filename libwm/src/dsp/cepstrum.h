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

// The band view's settings (RealCepstrum::compute_full_and_band).
struct BandViewOptions {
  double floor_db = -55.0;           // every bin floored this far below the frame's largest bin
  double envelope_db = -20.0;        // ... and this far below the largest bin within ±envelope_radius
  std::size_t envelope_radius = 24;  // bins
  double band_edge_db = -50.0;       // the band ends at the last bin whose smoothed level is above this
  std::size_t edge_radius = 16;      // bins of the moving mean that finds the band's edge
  double taper_fraction = 0.1;       // of the band, raised-cosine at each edge
};

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
  // The *band view* of the frame last given to compute() or compute_pair() (no further forward
  // FFT): the log magnitudes of the band the frame occupies (bin 1 up to the last bin whose
  // level, averaged over ±edge_radius bins, is above band_edge_db re the largest bin), each
  // floored at envelope_db below its neighbourhood's largest bin and at floor_db below the
  // frame's, mean removed, tapered at both band edges. A low-pass (lossy codec, 22-kHz speech
  // synthesis) then leaves no step whose cepstral ringing mimics an echo, and the deep gaps
  // between harmonics do not dominate. `band` gets size() values. Returns the taper's mean over
  // all bins, the factor an echo's peak a/2 is scaled by in `band` (0, with `band` all zeros,
  // when the band is under 32 bins wide).
  double band_of_last_frame(const BandViewOptions& options, std::vector<float>& band);

 private:
  std::size_t size_;
  static constexpr float kLogTiny = -69.0f;  // ln 1e-30: the floor for silence
  float log_floor_ratio_;  // ln of the floor relative to the largest bin
  std::vector<float> window_;
  AlignedFloats time_;
  AlignedComplex bins_;
  AlignedComplex log_bins_;
  std::vector<float> log_magnitude_;
  std::vector<float> band_log_;  // the band view's floored log magnitudes
  std::vector<float> taper_;
  std::vector<float> ramp_;  // the taper's raised-cosine ramp, kept while its length holds
  std::vector<float> scratch_left_, scratch_right_;
  std::vector<double> prefix_;
  float transform(const float* frame);
  // max(ln|X|, log_floor) into log_bins_, inverse FFT into `cepstrum`; returns the fraction of
  // bins above the floor.
  double finish(float log_floor, std::vector<float>& cepstrum);
  // Inverse FFT of log_bins_ into `cepstrum`, divided by size().
  void invert(std::vector<float>& cepstrum);
  float last_log_peak_ = kLogTiny;  // largest ln|X| of the last frame
};

}  // namespace wm::dsp

#endif  // WM_DSP_CEPSTRUM_H_
