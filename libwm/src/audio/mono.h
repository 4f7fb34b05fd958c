// The mono mix every audio detector analyses: the mean of the channels, with non-finite samples
// taken as silence and wild values clamped to ±4 (a broken decoder must not poison spectra).
#ifndef WM_AUDIO_MONO_H_
#define WM_AUDIO_MONO_H_

#include <vector>

#include "wm/scan.h"

namespace wm::audio {

// Appends audio.frames mono samples to `mono`; `channels` is the stream's channel count.
void append_mono(const AudioView& audio, int channels, std::vector<float>& mono);

}  // namespace wm::audio

#endif  // WM_AUDIO_MONO_H_
