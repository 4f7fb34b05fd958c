// Real cepstrum: Hann window, forward real FFT, natural log of the magnitude (floored relative
// to the frame's largest bin, so silence does not give -inf), inverse real FFT divided by N.
#include "dsp/cepstrum.h"

#include <algorithm>
#include <cmath>

#include "dsp/windows.h"

namespace wm::dsp {

RealCepstrum::RealCepstrum(std::size_t size_samples, double floor_db)
    : size_(size_samples),
      floor_ratio_(static_cast<float>(std::pow(10.0, floor_db / 20.0))),
      window_(hann_window(size_samples, static_cast<double>(size_samples) / 2.0)),
      time_(size_samples),
      bins_(size_samples / 2 + 1),
      log_bins_(size_samples / 2 + 1) {}

double RealCepstrum::compute(const float* frame, std::vector<float>& cepstrum) {
  for (std::size_t i = 0; i < size_; ++i) time_[i] = frame[i] * window_[i];
  forward_real_fft(size_, time_.data(), bins_.data());
  float peak = 0.0f;
  for (std::size_t k = 0; k < bins_.size(); ++k) peak = std::max(peak, std::abs(bins_[k]));
  return finish(std::max(peak * floor_ratio_, 1e-30f), cepstrum);
}

double RealCepstrum::compute_pair(const float* frame, double second_floor_db, std::vector<float>& full,
                                  std::vector<float>& floored) {
  for (std::size_t i = 0; i < size_; ++i) time_[i] = frame[i] * window_[i];
  forward_real_fft(size_, time_.data(), bins_.data());
  float peak = 0.0f;
  for (std::size_t k = 0; k < bins_.size(); ++k) peak = std::max(peak, std::abs(bins_[k]));
  finish(std::max(peak * floor_ratio_, 1e-30f), full);
  const auto second_ratio = static_cast<float>(std::pow(10.0, second_floor_db / 20.0));
  return finish(std::max(peak * second_ratio, 1e-30f), floored);
}

double RealCepstrum::finish(float floor, std::vector<float>& cepstrum) {
  std::size_t above = 0;
  for (std::size_t k = 0; k < bins_.size(); ++k) {
    const float magnitude = std::abs(bins_[k]);
    above += magnitude > floor ? 1 : 0;
    log_bins_[k] = {std::log(std::max(magnitude, floor)), 0.0f};
  }
  inverse_real_fft(size_, log_bins_.data(), time_.data());
  cepstrum.resize(size_);
  const float scale = 1.0f / static_cast<float>(size_);
  for (std::size_t i = 0; i < size_; ++i) cepstrum[i] = time_[i] * scale;
  return static_cast<double>(above) / static_cast<double>(bins_.size());
}

}  // namespace wm::dsp
