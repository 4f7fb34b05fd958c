// audio.unknown_mark — experimental, keyless: does the fine spectral detail of the audio repeat
// at a fixed period while the content does not?
//
// Why this works without a key. Spread-spectrum and patchwork marks (audiowmark, and most
// schemes that embed a payload block after block) nudge the magnitudes of many FFT bins up or
// down by a fraction of a dB in a pseudo-random pattern, and repeat the same pattern with every
// copy of the payload (audiowmark: every two blocks, 103.4 s). One nudge is far below the
// content's own frame-to-frame variation, but over thousands of frames and bins the agreement
// between the pattern and its repeat adds up, and clean content has no reason to agree with
// itself at one exact lag.
//
// Method
//   mono mix ─> 44.1 kHz ─> 1024-sample frames (Hann) ─> dB of bins 12..185 (0.5–8 kHz)
//   residual r[t][b] = dB[t][b] − ½(dB[t−1][b] + dB[t+1][b])        (content envelope removed)
//            r'[t][b] = r[t][b] − ½(r[t][b−1] + r[t][b+1])           (broadband onsets removed)
//   keep only the sign of r' (robust to loud transients; each product is ±1 under the null)
//   S_band(L) = Σ_t Σ_{b in band} sign r'[t][b] · sign r'[t+L][b]   for lags 0.74 s .. 130 s
//   z(L) = S(L)/√pairs; then a robust z against all other lags (median, 1.4826·MAD): the
//   distribution of z over lags is the null, so content that correlates with itself at many
//   lags raises the floor rather than making a peak.
//   Three overlapping bands (0.56–2, 1–4, 2–8 kHz) are searched; the best lag over all wins.
//   The sums are formed with FFT cross-correlations over a row buffer of 16 384 frames
//   (~6.3 min) that keeps the last 130 s when it moves on: memory does not grow with length.
//
// Vetoes (content that repeats is not a mark): at the peak lag the band envelope (sign of
// the change of log energy in eight bands) must not repeat too (its robust z < 4), and the
// residual sign agreement must be small (< 0.2): a looped recording repeats everything, a
// mark only the fine detail.
//
// What it cannot see: marks that do not repeat within 130 s or whose repeat is shorter than
// 0.74 s; marks on a time grid that drifts (resampled or time-stretched after marking only
// costs strength); files too short for the repeat to occur twice (a 60 s audiowmark clip
// holds one block). Strength: an audiowmark mark at its default strength gives z ≈ 5–6 on
// the 150 s reference vectors (one repeat of 41 s), so those are at the edge; longer files
// add repeats. Figures: docs/detectors/audio.md.
#include "audio/unknown_mark.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "audio/mono.h"
#include "dsp/windows.h"

namespace wm::audio {

namespace {

constexpr int kRateHz = 44100;
constexpr std::size_t kFrame = 1024;
constexpr int kLoBin = 12;   // dB rows hold bins kLoBin .. kHiBin-1
constexpr int kHiBin = 186;
constexpr int kDbBins = kHiBin - kLoBin;
constexpr int kCols = kDbBins - 2;  // residual column c is bin kLoBin + 1 + c
constexpr int kBandBins[UnknownMarkDetector::kBands][2] = {{13, 47}, {23, 93}, {46, 185}};
constexpr int kEnvEdges[] = {13, 18, 25, 34, 47, 65, 90, 125, 185};
constexpr int kEnvBands = 8;
constexpr std::size_t kBufferRows = 16384;
constexpr std::size_t kMaxLag = 5632;                // 130.8 s
constexpr std::size_t kMinLag = 32;                  // 0.74 s
constexpr std::size_t kMinOverlapRows = 861;         // 20 s compared at the longest lag
constexpr double kMinSeconds = 30.0;
constexpr float kFloorDb = -120.0f;
constexpr float kSilentDb = -90.0f;                  // mean band power of a usable frame
constexpr float kDeadZoneDb = 0.01f;                 // |residual| below this has no sign
constexpr int kPhaseStride = 4;                      // phase kept for every 4th column
constexpr int kPhaseBins = (kCols + kPhaseStride - 1) / kPhaseStride;
constexpr double kContentVetoZ = 4.0;
constexpr double kClipZ = 4.0;
constexpr std::size_t kMaxMultiples = 4;
constexpr double kPhaseVetoZ = 6.0;
constexpr double kMaxCorrelation = 0.2;

double frame_seconds() { return static_cast<double>(kFrame) / kRateHz; }

std::size_t fft_size_for(std::size_t rows) {
  std::size_t n = 1024;
  while (n < rows + std::min(rows, kMaxLag) + 1) n *= 2;
  return n;
}

struct Robust {
  double median = 0.0, scale = 1.0;
};
Robust robust_of(std::vector<double> v) {
  Robust r;
  if (v.empty()) return r;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  r.median = *mid;
  for (double& x : v) x = std::abs(x - r.median);
  std::nth_element(v.begin(), mid, v.end());
  r.scale = std::max(1.4826 * *mid, 1e-9);
  return r;
}

}  // namespace

std::array<double, 2> unknown_mark_band_hz(int band) {
  const int b = std::clamp(band, 0, UnknownMarkDetector::kBands - 1);
  const double bin_hz = static_cast<double>(kRateHz) / kFrame;
  return {kBandBins[b][0] * bin_hz, kBandBins[b][1] * bin_hz};
}

UnknownMarkDetector::UnknownMarkDetector(double min_z)
    : min_z_(min_z), window_(dsp::hann_window(kFrame, 2.0)), fft_in_(kFrame), fft_out_(kFrame / 2 + 1) {}

Status UnknownMarkDetector::start(const core::AudioStreamFormat& format) {
  format_ = format;
  resampler_.reset();
  pending_.clear();
  for (auto& d : db_) d.assign(kDbBins, kFloorDb);
  db_valid_ = {false, false, false};
  for (auto& e : env_) e.assign(kEnvBands, 0.0f);
  frames_seen_ = 0;
  phase_last_.assign(kPhaseBins * 2, 0);
  phase_now_.assign(kPhaseBins * 2, 0);
  rows_.assign(kBufferRows * kCols, 0);
  env_rows_.assign(kBufferRows * kEnvBands, 0);
  row_valid_.assign(kBufferRows, 0);
  phase_rows_.assign(kBufferRows * kPhaseBins * 2, 0);
  phase_sum_.assign(kMaxLag + 1, 0.0);
  row_count_ = 0;
  fresh_from_ = 0;
  column_sum_.assign(static_cast<std::size_t>(kCols) * (kMaxLag + 1), 0.0f);
  env_sum_.assign(kMaxLag + 1, 0.0);
  pair_count_.assign(kMaxLag + 1, 0.0);
  rows_total_ = 0;
  valid_rows_total_ = 0;
  have_pts_ = false;
  error_ = Status::ok();
  peak_ = {};
  return open_mono_resampler(format, kRateHz, "audio.unknown_mark", resampler_);
}

Status UnknownMarkDetector::feed(const AudioView& audio) {
  if (!error_.is_ok()) return Status::ok();
  if (!have_pts_) {
    first_pts_s_ = audio.pts_s;
    have_pts_ = true;
  }
  mono_.clear();
  append_mono(audio, format_.channels, mono_);
  if (resampler_) {
    resampled_.clear();
    error_ = resampler_->process(mono_.data(), mono_.size(), resampled_);
    push_samples(resampled_.data(), resampled_.size());
  } else {
    push_samples(mono_.data(), mono_.size());
  }
  return Status::ok();
}

void UnknownMarkDetector::push_samples(const float* samples, std::size_t n) {
  pending_.insert(pending_.end(), samples, samples + n);
  std::size_t used = 0;
  while (pending_.size() - used >= kFrame) {
    for (std::size_t i = 0; i < kFrame; ++i) fft_in_[i] = pending_[used + i] * window_[i];
    used += kFrame;
    analyse_frame();
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
}

void UnknownMarkDetector::analyse_frame() {
  dsp::forward_real_fft(kFrame, fft_in_.data(), fft_out_.data());
  // Shift the three-frame history; the newest frame goes to slot 2.
  std::swap(db_[0], db_[1]);
  std::swap(db_[1], db_[2]);
  db_valid_[0] = db_valid_[1];
  db_valid_[1] = db_valid_[2];
  std::swap(env_[0], env_[1]);
  double mean_power = 0.0;
  std::vector<float>& now = db_[2];
  for (int b = 0; b < kDbBins; ++b) {
    const std::complex<float> v = fft_out_[static_cast<std::size_t>(kLoBin + b)];
    const float power = v.real() * v.real() + v.imag() * v.imag();
    mean_power += power;
    now[static_cast<std::size_t>(b)] = power > 0.0f ? std::max(kFloorDb, 10.0f * std::log10(power)) : kFloorDb;
  }
  mean_power /= kDbBins;
  std::swap(phase_last_, phase_now_);
  for (int p = 0; p < kPhaseBins; ++p) {
    const std::complex<float> v = fft_out_[static_cast<std::size_t>(kLoBin + 1 + p * kPhaseStride)];
    const float magnitude = std::abs(v);
    const bool usable = magnitude > 1e-9f && std::isfinite(magnitude);
    phase_now_[static_cast<std::size_t>(2 * p)] =
        static_cast<std::int8_t>(usable ? std::lround(127.0f * v.real() / magnitude) : 0);
    phase_now_[static_cast<std::size_t>(2 * p + 1)] =
        static_cast<std::int8_t>(usable ? std::lround(127.0f * v.imag() / magnitude) : 0);
  }
  db_valid_[2] = std::isfinite(mean_power) && 10.0 * std::log10(mean_power + 1e-30) > kSilentDb;
  for (int k = 0; k < kEnvBands; ++k) {
    double e = 0.0;
    for (int b = kEnvEdges[k]; b < kEnvEdges[k + 1]; ++b) {
      const float d = now[static_cast<std::size_t>(b - kLoBin)];
      e += std::pow(10.0, 0.1 * d);
    }
    env_[1][static_cast<std::size_t>(k)] = static_cast<float>(10.0 * std::log10(e + 1e-30));
  }
  ++frames_seen_;
  if (frames_seen_ < 3) return;

  // Row for the middle frame (slot 1).
  const bool valid = db_valid_[0] && db_valid_[1] && db_valid_[2];
  std::int8_t* row = rows_.data() + row_count_ * kCols;
  std::int8_t* env_row = env_rows_.data() + row_count_ * kEnvBands;
  if (valid) {
    float time_residual[kDbBins];
    for (int b = 0; b < kDbBins; ++b) {
      const auto i = static_cast<std::size_t>(b);
      time_residual[b] = db_[1][i] - 0.5f * (db_[0][i] + db_[2][i]);
    }
    for (int c = 0; c < kCols; ++c) {
      const float r = time_residual[c + 1] - 0.5f * (time_residual[c] + time_residual[c + 2]);
      row[c] = static_cast<std::int8_t>(r > kDeadZoneDb ? 1 : (r < -kDeadZoneDb ? -1 : 0));
    }
    // env_[1] holds the frame after the middle one, env_[0] the middle one: the change of the
    // envelope into the next frame.
    for (int k = 0; k < kEnvBands; ++k) {
      const float d = env_[1][static_cast<std::size_t>(k)] - env_[0][static_cast<std::size_t>(k)];
      env_row[k] = static_cast<std::int8_t>(d > 0.05f ? 1 : (d < -0.05f ? -1 : 0));
    }
    std::memcpy(phase_rows_.data() + row_count_ * kPhaseBins * 2, phase_last_.data(), kPhaseBins * 2);
    ++valid_rows_total_;
  } else {
    std::memset(phase_rows_.data() + row_count_ * kPhaseBins * 2, 0, kPhaseBins * 2);
    std::memset(row, 0, kCols);
    std::memset(env_row, 0, kEnvBands);
  }
  row_valid_[row_count_] = valid ? 1 : 0;
  ++row_count_;
  ++rows_total_;
  if (row_count_ == kBufferRows) {
    accumulate();
    // Keep the last kMaxLag rows: every later row still pairs with them.
    const std::size_t keep = kMaxLag;
    const std::size_t drop = row_count_ - keep;
    std::memmove(rows_.data(), rows_.data() + drop * kCols, keep * kCols);
    std::memmove(env_rows_.data(), env_rows_.data() + drop * kEnvBands, keep * kEnvBands);
    std::memmove(row_valid_.data(), row_valid_.data() + drop, keep);
    std::memmove(phase_rows_.data(), phase_rows_.data() + drop * kPhaseBins * 2, keep * kPhaseBins * 2);
    row_count_ = keep;
    fresh_from_ = keep;
  }
}

void UnknownMarkDetector::accumulate() {
  const std::size_t n = row_count_;
  if (n <= fresh_from_ || n < 2) return;
  const std::size_t size = fft_size_for(n);
  const std::size_t bins = size / 2 + 1;
  if (corr_in_.size() != size) {
    corr_in_ = dsp::AlignedFloats(size);
    corr_out_ = dsp::AlignedFloats(size);
    corr_a_ = dsp::AlignedComplex(bins);
    corr_b_ = dsp::AlignedComplex(bins);
    corr_c_ = dsp::AlignedComplex(bins);
    corr_d_ = dsp::AlignedComplex(bins);
    for (auto& acc : corr_acc_) acc = dsp::AlignedComplex(bins);
  }
  for (auto& acc : corr_acc_) std::fill(acc.data(), acc.data() + bins, std::complex<float>(0.0f, 0.0f));
  const std::size_t max_lag = std::min(kMaxLag, n - 1);

  // Waveform repeats: per phase bin, c(L) = sum_t z_t conj(z_t+L) of the unit phasors z,
  // from real correlations (x = cos, y = sin): Re = xx + yy, Im = yx - xy; |c|^2 summed.
  auto transform = [&](std::size_t bin, int part, bool fresh_only, dsp::AlignedComplex& into) {
    std::fill(corr_in_.data(), corr_in_.data() + size, 0.0f);
    for (std::size_t t = fresh_only ? fresh_from_ : 0; t < n; ++t) {
      corr_in_[t] = static_cast<float>(phase_rows_[(t * kPhaseBins + bin) * 2 + static_cast<std::size_t>(part)]) / 127.0f;
    }
    dsp::forward_real_fft(size, corr_in_.data(), into.data());
  };
  for (std::size_t bin = 0; bin < static_cast<std::size_t>(kPhaseBins); ++bin) {
    if (cancel_requested()) return;
    transform(bin, 0, false, corr_a_);  // X
    transform(bin, 1, false, corr_b_);  // Y
    transform(bin, 0, true, corr_c_);   // X fresh
    transform(bin, 1, true, corr_d_);   // Y fresh
    std::complex<float>* re = corr_acc_[0].data();
    std::complex<float>* im = corr_acc_[1].data();
    for (std::size_t k = 0; k < bins; ++k) {
      re[k] = std::conj(corr_a_[k]) * corr_c_[k] + std::conj(corr_b_[k]) * corr_d_[k];
      im[k] = std::conj(corr_b_[k]) * corr_c_[k] - std::conj(corr_a_[k]) * corr_d_[k];
    }
    dsp::inverse_real_fft(size, corr_acc_[0].data(), corr_in_.data());
    dsp::inverse_real_fft(size, corr_acc_[1].data(), corr_out_.data());
    const double scale = 1.0 / static_cast<double>(size);
    for (std::size_t lag = 0; lag <= max_lag; ++lag) {
      const double a = corr_in_[lag] * scale, b = corr_out_[lag] * scale;
      phase_sum_[lag] += a * a + b * b;
    }
  }
  for (auto& acc : corr_acc_) std::fill(acc.data(), acc.data() + bins, std::complex<float>(0.0f, 0.0f));


  // Cross-spectrum of column values (all rows) with the same values on fresh rows only, so
  // that each pair (t, t+L) is counted once: when its later row is fresh.
  auto cross = [&](auto value_at, dsp::AlignedComplex& acc) {
    std::fill(corr_in_.data(), corr_in_.data() + size, 0.0f);
    for (std::size_t t = 0; t < n; ++t) corr_in_[t] = value_at(t);
    dsp::forward_real_fft(size, corr_in_.data(), corr_a_.data());
    for (std::size_t t = 0; t < fresh_from_; ++t) corr_in_[t] = 0.0f;
    dsp::forward_real_fft(size, corr_in_.data(), corr_b_.data());
    for (std::size_t k = 0; k < bins; ++k) acc[k] += std::conj(corr_a_[k]) * corr_b_[k];
  };
  const double scale = 1.0 / static_cast<double>(size);
  auto add = [&](dsp::AlignedComplex& acc, auto&& into) {
    dsp::inverse_real_fft(size, acc.data(), corr_out_.data());
    for (std::size_t lag = 0; lag <= max_lag; ++lag) into(lag, std::round(corr_out_[lag] * scale));
    std::fill(acc.data(), acc.data() + bins, std::complex<float>(0.0f, 0.0f));
  };
  for (std::size_t c = 0; c < static_cast<std::size_t>(kCols); ++c) {
    if (cancel_requested()) return;
    cross([&](std::size_t t) { return static_cast<float>(rows_[t * kCols + c]); }, corr_acc_[0]);
    float* into = column_sum_.data() + c * (kMaxLag + 1);
    add(corr_acc_[0], [&](std::size_t lag, double v) { into[lag] += static_cast<float>(v); });
  }
  for (std::size_t k = 0; k < static_cast<std::size_t>(kEnvBands); ++k) {
    cross([&](std::size_t t) { return static_cast<float>(env_rows_[t * kEnvBands + k]); }, corr_acc_[1]);
  }
  add(corr_acc_[1], [&](std::size_t lag, double v) { env_sum_[lag] += v; });
  cross([&](std::size_t t) { return static_cast<float>(row_valid_[t]); }, corr_acc_[2]);
  add(corr_acc_[2], [&](std::size_t lag, double v) { pair_count_[lag] += v; });
}

core::DetectorOutput UnknownMarkDetector::finish(bool complete) {
  core::DetectorOutput out;
  out.run.id = "audio.unknown_mark";
  out.run.version = kUnknownMarkVersion;
  {
    std::ostringstream z;
    z << min_z_;
    out.run.parameters = {{"min_z", z.str()}};
  }
  const std::string vendor_line =
      "per-listener marks that Zoom and Webex add to played audio cannot be decoded outside the vendor and were not "
      "checked; audio.unknown_mark only sees marks that repeat at a fixed period between 0.74 s and 130 s";
  if (resampler_ && error_.is_ok()) {
    resampled_.clear();
    error_ = resampler_->flush(resampled_);
    push_samples(resampled_.data(), resampled_.size());
  }
  if (!error_.is_ok()) {
    out.not_checked.push_back({"audio.unknown_mark", error_.message()});
    return out;
  }
  accumulate();
  out.not_checked.push_back({"audio.unknown_mark", vendor_line});
  if (cancel_requested()) {
    out.not_checked.push_back({"audio.unknown_mark", "scan cancelled: the repeat search did not finish"});
    return out;
  }
  const double seconds = static_cast<double>(rows_total_) * frame_seconds();
  if (seconds < kMinSeconds || valid_rows_total_ < kMinOverlapRows + kMinLag) {
    out.not_checked.push_back({"audio.unknown_mark", "less than 30 s of non-silent audio: a periodic mark cannot be "
                                                     "seen to repeat"});
    return out;
  }

  // Lags with enough compared frames.
  std::size_t max_lag = kMinLag;
  for (std::size_t lag = kMinLag; lag <= kMaxLag; ++lag) {
    if (pair_count_[lag] >= static_cast<double>(kMinOverlapRows)) max_lag = lag;
  }
  if (max_lag <= kMinLag + 64) {
    out.not_checked.push_back({"audio.unknown_mark", "too little non-silent audio for a repeat search"});
    return out;
  }
  auto z_of = [&](const std::vector<double>& sum, std::size_t lag, int per_row) {
    const double pairs = pair_count_[lag] * per_row;
    return pairs > 0.0 ? sum[lag] / std::sqrt(pairs) : 0.0;
  };
  std::vector<double> env_z;
  for (std::size_t lag = kMinLag; lag <= max_lag; ++lag) env_z.push_back(z_of(env_sum_, lag, kEnvBands));
  const Robust env_null = robust_of(env_z);
  auto content_z_at = [&](std::size_t lag) {
    double worst = -1e9;
    for (std::size_t l = std::max(lag, kMinLag + 2) - 2; l <= std::min(lag + 2, max_lag); ++l) {
      worst = std::max(worst, (env_z[l - kMinLag] - env_null.median) / env_null.scale);
    }
    return worst;
  };

  // Waveform repeat per lag, against its own distribution over lags (tonal content is phase-
  // coherent at every lag; a loop only at its own).
  std::vector<double> phase_ratio;
  for (std::size_t lag = kMinLag; lag <= max_lag; ++lag) {
    phase_ratio.push_back(pair_count_[lag] > 0.0 ? phase_sum_[lag] / (kPhaseBins * pair_count_[lag]) : 0.0);
  }
  const Robust phase_null = robust_of(phase_ratio);
  auto phase_repeat_at = [&](std::size_t lag) {
    double worst = -1e9;
    for (std::size_t l = std::max(lag, kMinLag + 2) - 2; l <= std::min(lag + 2, max_lag); ++l) {
      worst = std::max(worst, (phase_ratio[l - kMinLag] - phase_null.median) / phase_null.scale);
    }
    return worst;
  };

  // Per band and lag: the mean over its columns of the column's z clipped at +-kClipZ, so
  // that a few bins of repeated notes cannot make a peak on their own; a mark nudges every
  // bin of its band a little.
  for (int band = 0; band < kBands; ++band) {
    const int width = kBandBins[band][1] - kBandBins[band][0];
    const std::size_t first_col = static_cast<std::size_t>(kBandBins[band][0] - kLoBin - 1);
    std::vector<double> z, agreement;
    for (std::size_t lag = kMinLag; lag <= max_lag; ++lag) {
      const double pairs = pair_count_[lag];
      double clipped = 0.0, total = 0.0;
      for (std::size_t c = first_col; c < first_col + static_cast<std::size_t>(width); ++c) {
        const double v = column_sum_[c * (kMaxLag + 1) + lag];
        total += v;
        clipped += pairs > 0.0 ? std::clamp(v / std::sqrt(pairs), -kClipZ, kClipZ) : 0.0;
      }
      z.push_back(clipped / std::sqrt(static_cast<double>(width)));
      agreement.push_back(pairs > 0.0 ? total / (pairs * width) : 0.0);
    }
    const Robust null = robust_of(z);
    // Lags the vetoes leave, and their robust z.
    std::vector<double> robust(z.size());
    std::vector<char> usable(z.size());
    for (std::size_t lag = kMinLag; lag <= max_lag; ++lag) {
      const std::size_t i = lag - kMinLag;
      robust[i] = (z[i] - null.median) / null.scale;
      usable[i] = agreement[i] <= kMaxCorrelation && content_z_at(lag) < kContentVetoZ &&
                  phase_repeat_at(lag) < kPhaseVetoZ;
    }
    // A mark that repeats every L frames also repeats at 2L, 3L, 4L: the evidence of the
    // multiples in range is summed (z / sqrt(count)); a multiple may sit one frame off when
    // the period is not a whole number of frames.
    for (std::size_t lag = kMinLag; lag <= max_lag; ++lag) {
      const std::size_t i = lag - kMinLag;
      if (!usable[i]) continue;
      double total = robust[i];
      int count = 1;
      for (std::size_t m = 2; m <= kMaxMultiples && m * lag + 1 <= max_lag; ++m) {
        double best = 0.0;
        for (std::size_t at = m * lag - 1; at <= m * lag + 1; ++at) {
          if (usable[at - kMinLag]) best = std::max(best, robust[at - kMinLag]);
        }
        total += best;
        ++count;
      }
      const double combined = total / std::sqrt(static_cast<double>(count));
      if (peak_.valid && combined <= peak_.z) continue;
      peak_.valid = true;
      peak_.band = band;
      peak_.lag_frames = static_cast<int>(lag);
      peak_.period_s = static_cast<double>(lag) * frame_seconds();
      peak_.z = combined;
      peak_.repeats = count;
      peak_.correlation = agreement[i];
      peak_.content_z = content_z_at(lag);
      peak_.phase_repeat = phase_repeat_at(lag);
      peak_.frames_compared = pair_count_[lag];
    }
  }

  if (peak_.valid && peak_.z >= min_z_) {
    const auto hz = unknown_mark_band_hz(peak_.band);
    Finding f;
    f.detector = "audio.unknown_mark";
    f.category = "audio_signature";
    f.severity = Severity::kReview;
    f.confidence = std::clamp(0.3 + (peak_.z - min_z_) / 20.0, 0.3, 0.7);
    std::ostringstream summary;
    summary.precision(3);
    summary << "The fine spectral detail of the audio repeats every " << peak_.period_s << " s between "
            << static_cast<int>(hz[0]) << " and " << static_cast<int>(hz[1])
            << " Hz while the content does not: the pattern of a periodic spread-spectrum or patchwork watermark "
               "(keyless indicator; no payload can be read without the scheme and key).";
    f.summary = summary.str();
    f.evidence.push_back({"period_s", peak_.period_s, false});
    f.evidence.push_back({"band_hz", std::to_string(static_cast<int>(hz[0])) + "-" + std::to_string(static_cast<int>(hz[1])), false});
    f.evidence.push_back({"robust_z", peak_.z, false});
    f.evidence.push_back({"repeats_combined", static_cast<std::int64_t>(peak_.repeats), false});
    f.evidence.push_back({"residual_agreement", peak_.correlation, false});
    f.evidence.push_back({"content_repeat_z", peak_.content_z, false});
    f.evidence.push_back({"waveform_repeat_z", peak_.phase_repeat, false});
    f.evidence.push_back({"seconds_compared", peak_.frames_compared * frame_seconds(), false});
    f.time_ranges_s.push_back({first_pts_s_, first_pts_s_ + seconds});
    out.findings.push_back(std::move(f));
  }
  if (!complete) {
    out.not_checked.push_back({"audio.unknown_mark", "stream ended early; the unread part was not checked"});
  }
  return out;
}

}  // namespace wm::audio
