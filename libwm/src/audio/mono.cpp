#include "audio/mono.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>

namespace wm::audio {

namespace {

// Non-finite → 0, finite → clamped to ±4, four samples at a time (GCC/Clang vector extension:
// this runs on every sample of every block).
using Lanes = float __attribute__((vector_size(4 * sizeof(float))));
using Mask = int __attribute__((vector_size(4 * sizeof(int))));

inline float sanitised(float v) { return std::fabs(v) <= FLT_MAX ? std::min(std::max(v, -4.0f), 4.0f) : 0.0f; }

inline Lanes sanitised(Lanes v) {
  const Lanes lo = {-4.0f, -4.0f, -4.0f, -4.0f}, hi = {4.0f, 4.0f, 4.0f, 4.0f};
  const Lanes big = {FLT_MAX, FLT_MAX, FLT_MAX, FLT_MAX};
  const Lanes magnitude = v < 0.0f ? -v : v;
  const Mask finite = magnitude <= big;  // false for NaN and ±Inf
  Lanes c = v < lo ? lo : v;
  c = c > hi ? hi : c;
  return finite ? c : Lanes{};
}

inline Lanes load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

void append_mono(const AudioView& audio, int channels, std::vector<float>& mono) {
  const auto n = static_cast<std::size_t>(std::max(channels, 1));
  const std::size_t start = mono.size();
  mono.resize(start + audio.frames);
  float* out = mono.data() + start;
  const float* in = audio.data;
  const std::size_t whole = audio.frames / 4 * 4;
  if (n == 1) {
    for (std::size_t i = 0; i < whole; i += 4) {
      const Lanes v = sanitised(load(in + i));
      std::memcpy(out + i, &v, sizeof v);
    }
    for (std::size_t i = whole; i < audio.frames; ++i) out[i] = sanitised(in[i]);
  } else if (n == 2) {
    for (std::size_t i = 0; i < whole; i += 4) {
      const Lanes a = sanitised(load(in + 2 * i)), b = sanitised(load(in + 2 * i + 4));  // L R L R | L R L R
      const Lanes left = __builtin_shufflevector(a, b, 0, 2, 4, 6), right = __builtin_shufflevector(a, b, 1, 3, 5, 7);
      const Lanes v = 0.5f * (left + right);
      std::memcpy(out + i, &v, sizeof v);
    }
    for (std::size_t i = whole; i < audio.frames; ++i) out[i] = 0.5f * (sanitised(in[2 * i]) + sanitised(in[2 * i + 1]));
  } else {
    const float scale = 1.0f / static_cast<float>(n);
    for (std::size_t i = 0; i < audio.frames; ++i) {
      float sum = 0.0f;
      for (std::size_t c = 0; c < n; ++c) sum += sanitised(in[i * n + c]);
      out[i] = sum * scale;
    }
  }
}

const std::vector<float>& SharedMono::mix(const AudioView& audio, int channels, std::uint64_t& consumer_blocks) {
  const bool same = consumer_blocks + 1 == blocks_ && audio.data == data_ && audio.frames == frames_ &&
                    audio.pts_s == pts_s_;
  ++consumer_blocks;
  if (!same) {
    mono_.clear();
    append_mono(audio, channels, mono_);
    blocks_ = consumer_blocks;
    data_ = audio.data;
    frames_ = audio.frames;
    pts_s_ = audio.pts_s;
  }
  return mono_;
}

Status open_mono_resampler(const core::AudioStreamFormat& format, int rate_hz, std::string_view detector,
                           std::optional<io::Resampler>& resampler) {
  resampler.reset();
  if (format.channels <= 0 || format.sample_rate_hz <= 0) {
    return Status::invalid_argument(std::string(detector) + ": stream has no sample rate or channels");
  }
  if (format.sample_rate_hz == rate_hz) return Status::ok();
  auto made = io::Resampler::create(1, format.sample_rate_hz, rate_hz);
  if (!made.is_ok()) return made.status().with_context(detector);
  resampler.emplace(std::move(made).value());
  return Status::ok();
}

}  // namespace wm::audio
