#include "audio/mono.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>

namespace wm::audio {

namespace {

// Non-finite → 0, finite → clamped to ±4; written without branches so the loops vectorise
// (this runs on every sample for every audio detector).
inline float sanitised(float v) {
  const float c = std::min(std::max(v, -4.0f), 4.0f);
  return std::fabs(v) <= FLT_MAX ? c : 0.0f;
}

}  // namespace

void append_mono(const AudioView& audio, int channels, std::vector<float>& mono) {
  const auto n = static_cast<std::size_t>(std::max(channels, 1));
  const std::size_t start = mono.size();
  mono.resize(start + audio.frames);
  float* out = mono.data() + start;
  const float* in = audio.data;
  if (n == 1) {
    for (std::size_t i = 0; i < audio.frames; ++i) out[i] = sanitised(in[i]);
  } else if (n == 2) {
    for (std::size_t i = 0; i < audio.frames; ++i) out[i] = 0.5f * (sanitised(in[2 * i]) + sanitised(in[2 * i + 1]));
  } else {
    const float scale = 1.0f / static_cast<float>(n);
    for (std::size_t i = 0; i < audio.frames; ++i) {
      float sum = 0.0f;
      for (std::size_t c = 0; c < n; ++c) sum += sanitised(in[i * n + c]);
      out[i] = sum * scale;
    }
  }
}

}  // namespace wm::audio
