// Real cepstrum: Hann window, forward real FFT, natural log of the magnitude (floored relative
// to the frame's largest bin, so silence does not give -inf), inverse real FFT divided by N.
#include "dsp/cepstrum.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/windows.h"

namespace wm::dsp {

RealCepstrum::RealCepstrum(std::size_t size_samples, double floor_db)
    : size_(size_samples),
      log_floor_ratio_(static_cast<float>(floor_db * std::log(10.0) / 20.0)),
      window_(hann_window(size_samples, static_cast<double>(size_samples) / 2.0)),
      time_(size_samples),
      bins_(size_samples / 2 + 1),
      log_bins_(size_samples / 2 + 1),
      log_magnitude_(size_samples / 2 + 1, kLogTiny) {}

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
  last_log_peak_ = log_peak;
  return log_peak;
}

double RealCepstrum::finish(float log_floor, std::vector<float>& cepstrum) {
  log_floor = std::max(log_floor, kLogTiny);
  std::size_t above = 0;
  for (std::size_t k = 0; k < bins_.size(); ++k) {
    above += log_magnitude_[k] > log_floor ? 1 : 0;
    log_bins_[k] = {std::max(log_magnitude_[k], log_floor), 0.0f};
  }
  invert(cepstrum);
  return static_cast<double>(above) / static_cast<double>(bins_.size());
}

void RealCepstrum::invert(std::vector<float>& cepstrum) {
  inverse_real_fft(size_, log_bins_.data(), time_.data());
  cepstrum.resize(size_);
  const float scale = 1.0f / static_cast<float>(size_);
  for (std::size_t i = 0; i < size_; ++i) cepstrum[i] = time_[i] * scale;
}

namespace {

float log_ratio(double db) { return static_cast<float>(db * std::log(10.0) / 20.0); }

// out[k] = max of in[k - radius .. k + radius], in O(n): the maxima of blocks of 2 radius + 1
// values from the left and from the right (van Herk / Gil-Werman). Near bin 0 the window is
// the whole first block (bins 0 .. 2 radius), a little wider than clipping would give; only the
// floor of the lowest bins sees it.
// Block starts are counted, not found by modulo (a division per bin was most of its cost).
void moving_max(const std::vector<float>& in, std::size_t radius, std::vector<float>& out,
                std::vector<float>& left, std::vector<float>& right) {
  const std::size_t n = in.size(), width = 2 * radius + 1;
  left.resize(n);
  right.resize(n);
  for (std::size_t block = 0; block < n; block += width) {
    const std::size_t end = std::min(n, block + width);
    left[block] = in[block];
    for (std::size_t k = block + 1; k < end; ++k) left[k] = std::max(left[k - 1], in[k]);
    right[end - 1] = in[end - 1];
    for (std::size_t k = end - 1; k-- > block;) right[k] = std::max(right[k + 1], in[k]);
  }
  out.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t lo = k >= radius ? k - radius : 0, hi = std::min(n - 1, k + radius);
    out[k] = std::max(right[lo], left[hi]);
  }
}

}  // namespace

double RealCepstrum::band_of_last_frame(const BandViewOptions& options, std::vector<float>& band) {
  const std::size_t bins = log_magnitude_.size();
  const float log_peak = last_log_peak_;
  const float frame_floor = std::max(kLogTiny, log_peak + log_ratio(options.floor_db));
  // Floor each bin at floor_db below the frame's largest and envelope_db below its
  // neighbourhood's largest (the gaps between harmonics carry noise, not the echo's ripple).
  moving_max(log_magnitude_, options.envelope_radius, band_log_, scratch_left_, scratch_right_);
  const float envelope = log_ratio(options.envelope_db);
  for (std::size_t k = 0; k < bins; ++k) band_log_[k] = std::max({log_magnitude_[k], frame_floor, band_log_[k] + envelope});
  // The band's top: the last bin whose frame-floored level, averaged over ±edge_radius bins,
  // clears band_edge_db (prefix sums).
  prefix_.assign(bins + 1, 0.0);
  for (std::size_t k = 0; k < bins; ++k) prefix_[k + 1] = prefix_[k] + std::max(log_magnitude_[k], frame_floor);
  const double edge = log_peak + log_ratio(options.band_edge_db);
  const std::size_t r = options.edge_radius;
  std::size_t top = 0;
  for (std::size_t k = bins; k-- > 0;) {
    const std::size_t lo = k >= r ? k - r : 0, hi = std::min(bins, k + r + 1);
    if ((prefix_[hi] - prefix_[lo]) / static_cast<double>(hi - lo) > edge) {
      top = k + 1;
      break;
    }
  }
  constexpr std::size_t kFirstBin = 1;  // DC carries no ripple
  constexpr std::size_t kMinBandBins = 32;
  if (top < kFirstBin + kMinBandBins) {
    band.assign(size_, 0.0f);
    return 0.0;
  }
  // Tukey taper over [kFirstBin, top): a raised cosine over taper_fraction of the band at each
  // end, so the band's edges ring only at quefrencies below ~1 / (taper width).
  const std::size_t length = top - kFirstBin;
  const std::size_t ramp = std::max<std::size_t>(1, static_cast<std::size_t>(options.taper_fraction * static_cast<double>(length)));
  if (ramp_.size() != ramp) {  // the band's top moves little from frame to frame: keep the ramp
    ramp_.resize(ramp);
    for (std::size_t i = 0; i < ramp; ++i) {
      ramp_[i] = static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * (static_cast<double>(i) + 0.5) / static_cast<double>(ramp)));
    }
  }
  taper_.assign(bins, 0.0f);
  double taper_sum = 0.0, weighted = 0.0;
  for (std::size_t k = kFirstBin; k < top; ++k) {
    const std::size_t from_edge = std::min(k - kFirstBin, top - 1 - k);
    taper_[k] = from_edge >= ramp ? 1.0f : ramp_[from_edge];
    taper_sum += taper_[k];
    weighted += taper_[k] * band_log_[k];
  }
  const auto mean = static_cast<float>(weighted / taper_sum);
  for (std::size_t k = 0; k < bins; ++k) log_bins_[k] = {taper_[k] * (band_log_[k] - mean), 0.0f};
  invert(band);
  return taper_sum / static_cast<double>(bins);
}

}  // namespace wm::dsp
