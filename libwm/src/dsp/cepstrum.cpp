// Real cepstrum: Hann window, forward real FFT, natural log of the magnitude (floored relative
// to the frame's largest bin, so silence does not give -inf), inverse real FFT divided by N.
#include "dsp/cepstrum.h"

#include <algorithm>
#include <cmath>

#include "dsp/windows.h"

namespace wm::dsp {

RealCepstrum::RealCepstrum(std::size_t size_samples, double floor_db)
    : size_(size_samples),
      log_floor_ratio_(static_cast<float>(floor_db * std::log(10.0) / 20.0)),
      window_(hann_window(size_samples, static_cast<double>(size_samples) / 2.0)),
      time_(size_samples),
      bins_(size_samples / 2 + 1),
      log_bins_(size_samples / 2 + 1),
      log_magnitude_(size_samples / 2 + 1) {}

double RealCepstrum::compute(const float* frame, std::vector<float>& cepstrum) {
  const float log_peak = transform(frame);
  return finish(log_peak + log_floor_ratio_, cepstrum);
}

double RealCepstrum::compute_pair(const float* frame, double second_floor_db, std::vector<float>& full,
                                  std::vector<float>& floored) {
  const float log_peak = transform(frame);
  finish(log_peak + log_floor_ratio_, full);
  return finish(log_peak + static_cast<float>(second_floor_db * std::log(10.0) / 20.0), floored);
}

// Windowed forward FFT, then ln|X| of every bin once (0.5 ln|X|^2: no square root); returns
// the largest. Floors are applied in the log domain: ln max(|X|, f) = max(ln|X|, ln f).
float RealCepstrum::transform(const float* frame) {
  for (std::size_t i = 0; i < size_; ++i) time_[i] = frame[i] * window_[i];
  forward_real_fft(size_, time_.data(), bins_.data());
  float log_peak = kLogTiny;
  for (std::size_t k = 0; k < bins_.size(); ++k) {
    const float power = std::norm(bins_[k]);
    log_magnitude_[k] = power > 0.0f ? std::max(kLogTiny, 0.5f * std::log(power)) : kLogTiny;
    log_peak = std::max(log_peak, log_magnitude_[k]);
  }
  return log_peak;
}

double RealCepstrum::finish(float log_floor, std::vector<float>& cepstrum) {
  log_floor = std::max(log_floor, kLogTiny);
  std::size_t above = 0;
  for (std::size_t k = 0; k < bins_.size(); ++k) {
    above += log_magnitude_[k] > log_floor ? 1 : 0;
    log_bins_[k] = {std::max(log_magnitude_[k], log_floor), 0.0f};
  }
  inverse_real_fft(size_, log_bins_.data(), time_.data());
  cepstrum.resize(size_);
  const float scale = 1.0f / static_cast<float>(size_);
  for (std::size_t i = 0; i < size_; ++i) cepstrum[i] = time_[i] * scale;
  return static_cast<double>(above) / static_cast<double>(bins_.size());
}

}  // namespace wm::dsp
