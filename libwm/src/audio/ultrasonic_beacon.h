// audio.ultrasonic_beacon: narrowband tones 17.5–22 kHz that switch on and off or hop (OOK/FSK
// beacons such as SilverPush, Lisnr, Shopkick). See ultrasonic_beacon.cpp for the method.
//
// Call order follows core::AudioDetector. One instance per scan, one thread at a time.
#ifndef WM_AUDIO_ULTRASONIC_BEACON_H_
#define WM_AUDIO_ULTRASONIC_BEACON_H_

#include <cstdint>
#include <vector>

#include "core/detector.h"
#include "dsp/fft.h"

namespace wm::audio {

inline constexpr char kUltrasonicBeaconVersion[] = "1.7";

// Level (dB) of a spectral peak from the log magnitudes of its bin and the two neighbours
// (parabolic interpolation over the Hann main lobe). Exposed for the unit test.
float interpolated_peak_db(float left_db, float centre_db, float right_db);

class UltrasonicBeaconDetector final : public core::AudioDetector {
 public:
  Status start(const core::AudioStreamFormat& format) override;
  Status feed(const AudioView& audio) override;
  core::DetectorOutput finish(bool complete) override;
  // Attach a spectrogram crop of the band (PNG) to each finding; on by default.
  void set_artifacts(bool on) { artifacts_ = on; }

 private:
  struct Peak {
    std::uint32_t frame = 0;
    std::uint16_t bin = 0;   // FFT bin
    // Bin level over the median of the louder side of its neighbourhood (bins 3..12 below, or
    // above), dB: a line stands out on both sides, the last bins before a codec's low-pass
    // cliff over the empty side only. Fits in the struct's padding.
    std::int8_t over_louder_side_db = 0;
    float level_dbfs = 0.0f; // peak amplitude of the sine, dB re full scale (interpolated between bins)
  };
  void analyse_frame();
  // Whether a burst at `level_dbfs` on `centre_bin` (mask group `group`) over frames [first,
  // last] could have been seen; `first_peak_of[f]` indexes frame f's first entry in peaks_.
  bool burst_visible(std::uint32_t first, std::uint32_t last, double level_dbfs, int centre_bin, std::size_t group,
                     const std::vector<std::uint32_t>& first_peak_of) const;
  void add_to_overview();
  std::vector<std::uint8_t> overview_png(const std::vector<double>& marked_hz,
                                         const std::vector<std::pair<double, double>>& bursts_s) const;

  // Bounded overview of the band for the evidence image: kOverviewRows frequency rows (max
  // over bins) by at most 2 * kOverviewColumns time columns (max over frames); when full,
  // neighbouring columns are merged and each column then covers twice as many frames.
  static constexpr int kOverviewRows = 112;
  static constexpr std::size_t kOverviewColumns = 720;
  bool artifacts_ = true;
  std::vector<std::uint8_t> overview_;  // column-major, kOverviewRows bytes per column (dB + 160, x2)
  std::size_t overview_columns_ = 0;
  std::uint32_t frames_per_column_ = 1;
  std::uint32_t frames_in_column_ = 0;

  core::AudioStreamFormat format_;
  bool checkable_ = false;
  std::size_t fft_size_ = 0;
  std::size_t hop_frames_ = 0;
  std::size_t first_bin_ = 0, last_bin_ = 0;     // band 17.5–22 kHz (or Nyquist)
  std::size_t ref_first_bin_ = 0, ref_last_bin_ = 0;  // 4–16 kHz reference band
  std::vector<float> window_;
  std::vector<float> pending_;  // mono samples not yet analysed
  std::vector<float> mono_;     // this call's samples, mixed to mono
  dsp::AlignedFloats in_;
  dsp::AlignedComplex out_;
  std::vector<float> db_;        // scratch: band levels of the current frame
  std::uint32_t frames_analysed_ = 0;
  std::uint32_t frames_with_band_content_ = 0;
  std::vector<Peak> peaks_;      // sparse: a few per frame at most
  // Per even frame and per group of kMaskGroupBins bins: the level (dBFS + 160, 1 dB steps) a
  // tone needed there to pass as a peak (neighbourhood median + prominence); frame f reads
  // entry f / 2. One byte per group, ~48 bytes per two frames (~560 bytes per second at
  // 48 kHz): where music fills the band, a lattice point with no burst is then "could not
  // have been seen", not "empty".
  static constexpr std::size_t kMaskGroupBins = 8;
  std::vector<std::uint8_t> needed_level_;
  std::size_t mask_groups_ = 0;
  double first_pts_s_ = 0.0;
  bool have_pts_ = false;
};

}  // namespace wm::audio

#endif  // WM_AUDIO_ULTRASONIC_BEACON_H_
