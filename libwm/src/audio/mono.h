// The mono mix every audio detector analyses: the mean of the channels, with non-finite samples
// taken as silence and wild values clamped to ±4 (a broken decoder must not poison spectra).
#ifndef WM_AUDIO_MONO_H_
#define WM_AUDIO_MONO_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/detector.h"
#include "io/resampler.h"
#include "wm/scan.h"

namespace wm::audio {

// Appends audio.frames mono samples to `mono`; `channels` is the stream's channel count.
void append_mono(const AudioView& audio, int channels, std::vector<float>& mono);

// For a detector that analyses its mono mix at one fixed rate: rejects a stream without rate or
// channels, and opens `resampler` (mono, stream rate → rate_hz) unless the rates already agree,
// in which case it is left empty. `detector` names the caller in the error.
Status open_mono_resampler(const core::AudioStreamFormat& format, int rate_hz, std::string_view detector,
                           std::optional<io::Resampler>& resampler);

// One mono mix per block for several detectors fed the same blocks in the same order (the
// audio family, audio/family.cpp): the first consumer to ask for a block mixes it, the others
// get that mix. Each consumer keeps its own count of blocks asked for; a consumer whose count
// or block does not match the last mix gets a fresh one, so a skipped call is never served a
// stale mix. Not thread-safe (the scan feeds its detectors on one thread).
class SharedMono {
 public:
  const std::vector<float>& mix(const AudioView& audio, int channels, std::uint64_t& consumer_blocks);

 private:
  std::vector<float> mono_;
  std::uint64_t blocks_ = 0;  // 1-based index of the block in mono_, 0 = none
  const float* data_ = nullptr;
  std::size_t frames_ = 0;
  double pts_s_ = 0.0;
};

}  // namespace wm::audio

#endif  // WM_AUDIO_MONO_H_
