// audio.unknown_mark (experimental): a keyless indicator that the audio carries a periodic
// spread-spectrum / patchwork mark — fine spectral detail that repeats at a fixed period while
// the content itself does not repeat. See unknown_mark.cpp for the method and its limits.
//
// Call order follows core::AudioDetector. One instance per scan, one thread at a time.
#ifndef WM_AUDIO_UNKNOWN_MARK_H_
#define WM_AUDIO_UNKNOWN_MARK_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/detector.h"
#include "dsp/fft.h"
#include "io/resampler.h"

namespace wm::audio {

inline constexpr char kUnknownMarkVersion[] = "0.1";
inline constexpr double kUnknownMarkDefaultMinZ = 8.0;

// The strongest repeat the search saw (whether or not it was reported).
struct UnknownMarkPeak {
  bool valid = false;       // false: too short, silent, or nothing left after the vetoes
  int band = -1;            // index into unknown_mark_band_hz()
  int lag_frames = 0;       // 1024-sample frames at 44.1 kHz
  double period_s = 0.0;
  double z = 0.0;           // robust z of the residual repeat against all other lags (multiples
                            // of the period in range combined)
  int repeats = 0;          // multiples of the period combined into z (1..4)
  double correlation = 0.0; // sign agreement of the residuals at that lag (-1..1)
  double content_z = 0.0;   // robust z of the band-envelope repeat at that lag
  double phase_repeat = 0.0; // robust z of the waveform (phase) repeat at that lag
  double frames_compared = 0.0;
};

// Low and high edge (Hz) of analysis band i (0..2).
std::array<double, 2> unknown_mark_band_hz(int band);

class UnknownMarkDetector final : public core::AudioDetector {
 public:
  // Reports a finding when the peak's robust z reaches `min_z`.
  explicit UnknownMarkDetector(double min_z = kUnknownMarkDefaultMinZ);
  Status start(const core::AudioStreamFormat& format) override;
  Status feed(const AudioView& audio) override;
  core::DetectorOutput finish(bool complete) override;

  const UnknownMarkPeak& peak() const { return peak_; }

  static constexpr int kBands = 3;

 private:
  void push_samples(const float* samples, std::size_t n);
  void analyse_frame();
  void accumulate();  // correlates the rows added since the last call with the whole buffer

  double min_z_;
  std::vector<float> mono_;
  core::AudioStreamFormat format_;
  std::optional<io::Resampler> resampler_;
  std::vector<float> resampled_;
  std::vector<float> pending_;  // 44.1 kHz samples not yet framed
  std::vector<float> window_;
  dsp::AlignedFloats fft_in_;
  dsp::AlignedComplex fft_out_;
  // dB of the analysis bins for the last three frames, and their validity.
  std::array<std::vector<float>, 3> db_;
  std::array<bool, 3> db_valid_{};
  std::array<std::vector<float>, 2> env_;  // band log energies of the last two frames
  std::uint64_t frames_seen_ = 0;
  std::vector<std::int8_t> phase_last_, phase_now_;  // phasors of the previous and this frame

  // Row buffer: sign of the time-and-frequency detrended residual per bin, the sign of the
  // band-envelope change per envelope band, and whether the row is usable.
  std::vector<std::int8_t> rows_;
  std::vector<std::int8_t> env_rows_;
  std::vector<std::uint8_t> row_valid_;
  std::vector<std::int8_t> phase_rows_;  // unit phasor (cos, sin) x 127 of every 4th bin
  std::size_t row_count_ = 0;
  std::size_t fresh_from_ = 0;  // rows before this were already correlated as the later frame

  // Sums over all pairs (t, t + lag): per residual column (row-major by column, kMaxLag + 1
  // lags each), envelope, and pair counts.
  std::vector<float> column_sum_;
  std::vector<double> env_sum_;
  std::vector<double> pair_count_;
  std::vector<double> phase_sum_;  // sum over chunks and phase bins of |sum_t z_t conj z_t+L|^2
  std::uint64_t rows_total_ = 0;
  std::uint64_t valid_rows_total_ = 0;

  dsp::AlignedFloats corr_in_;
  dsp::AlignedComplex corr_a_, corr_b_, corr_c_, corr_d_;
  std::array<dsp::AlignedComplex, 3> corr_acc_;
  dsp::AlignedFloats corr_out_;

  double first_pts_s_ = 0.0;
  bool have_pts_ = false;
  Status error_;
  UnknownMarkPeak peak_;
};

}  // namespace wm::audio

#endif  // WM_AUDIO_UNKNOWN_MARK_H_
