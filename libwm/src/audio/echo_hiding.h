// audio.echo_hiding: a constant short echo (0.5–3 ms) held over the recording, as echo-hiding
// watermarks add. See echo_hiding.cpp for the method.
//
// Call order follows core::AudioDetector. One instance per scan, one thread at a time.
#ifndef WM_AUDIO_ECHO_HIDING_H_
#define WM_AUDIO_ECHO_HIDING_H_

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/detector.h"
#include "dsp/cepstrum.h"

namespace wm::audio {

inline constexpr char kEchoHidingVersion[] = "1.7";

class EchoHidingDetector final : public core::AudioDetector {
 public:
  Status start(const core::AudioStreamFormat& format) override;
  Status feed(const AudioView& audio) override;
  core::DetectorOutput finish(bool complete) override;
  // Attach the mean cepstrum plot (PNG) to a finding; on by default.
  void set_artifacts(bool on) { artifacts_ = on; }

 private:
  void analyse_frame();
  std::size_t segment_of_frame();  // merges segments pairwise when there are too many
  std::vector<double> prominence_of(const std::vector<double>& mean) const;
  // The echo test on one view of the cepstrum (see echo_hiding.cpp).
  struct Verdict {
    bool found = false;
    std::size_t lag = 0;
    int view = 0;
    double prominence = -1.0, z = 0.0, rahmonic = 0.0;
    double bar = 0.0;  // the z this view needs at this lag (higher at voice lags, v1.7)
    int segments = 0;
    bool persistent = false;
    std::vector<double> curve;  // prominence per lag
  };
  Verdict analyse(int view) const;
  // v1.7: lags below 0.9 ms, where a voice's own spectral structure makes peaks of its own.
  bool at_voice_lag(std::size_t lag) const;
  double min_z(int view, std::size_t lag) const;
  // The echo ripple amplitude at `lag`, read from the mean floored log spectrum in each of
  // kSubBands equal bands of the occupied band (v1.5, see echo_hiding.cpp); smallest first, empty
  // when the occupied band is too narrow to split.
  std::vector<double> subband_ripples(std::size_t lag) const;
  // 0: full dynamic range; 1: floored (see kFlooredViewDb); 2: band view (see echo_hiding.cpp)
  static constexpr int kViews = 3;

  core::AudioStreamFormat format_;
  bool artifacts_ = true;
  std::size_t frame_samples_ = 0;
  std::size_t hop_samples_ = 0;
  int min_lag_samples_ = 0, max_lag_samples_ = 0;  // 0.5 .. 3 ms
  std::unique_ptr<dsp::RealCepstrum> cepstrum_;
  std::vector<float> pending_;
  std::vector<float> mono_;     // this call's samples, mixed to mono
  std::vector<float> frame_cepstrum_;
  std::vector<float> floored_cepstrum_;
  std::vector<float> band_cepstrum_;
  int wide_max_lag_ = 0;
  std::size_t sum_lags_ = 0;  // cepstrum lags accumulated (up to twice the wide range)
  // Per view and segment (10 s, doubled whenever kMaxSegments would be exceeded, so memory does
  // not grow with the file's length): sum of the cepstra of active frames, and the summed
  // fraction of their bins above the floor; per segment the count of active frames.
  std::uint64_t segment_hops_ = 0;  // analysis hops per segment
  std::vector<std::vector<double>> segment_sums_[kViews];
  std::vector<double> segment_weight_[kViews];
  std::vector<std::uint32_t> segment_active_;
  // Sums over all active frames of the full-length full-range and floored cepstra (size() lags),
  // from which finish() recovers the mean log spectra for the sub-band ripple test.
  std::vector<double> whole_full_, whole_floored_;
  double whole_floored_weight_ = 0.0;
  std::uint64_t frames_ = 0;
  std::uint64_t active_frames_ = 0;
  double first_pts_s_ = 0.0;
  bool have_pts_ = false;
};

}  // namespace wm::audio

#endif  // WM_AUDIO_ECHO_HIDING_H_
