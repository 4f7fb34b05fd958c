#include "audio/mono.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace wm::audio {

void append_mono(const AudioView& audio, int channels, std::vector<float>& mono) {
  const auto n = static_cast<std::size_t>(std::max(channels, 1));
  mono.reserve(mono.size() + audio.frames);
  for (std::size_t i = 0; i < audio.frames; ++i) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < n; ++c) {
      const float v = audio.data[i * n + c];
      sum += std::isfinite(v) ? std::clamp(v, -4.0f, 4.0f) : 0.0f;
    }
    mono.push_back(sum / static_cast<float>(n));
  }
}

}  // namespace wm::audio
