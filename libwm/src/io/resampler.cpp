// Resampler over libswresample: one SwrContext converting packed float at in_rate_hz to packed
// float at out_rate_hz with the same channel layout (an unspecified-order layout of N channels,
// so no rematrixing happens). The context is owned by a unique_ptr from the line that makes it.
#include "io/resampler.h"

#include <cstdint>
#include <string>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
}

#include "io/ffmpeg_error.h"

namespace wm::io {

namespace {

struct SwrFreer {
  void operator()(SwrContext* context) const { swr_free(&context); }
};
using SwrPtr = std::unique_ptr<SwrContext, SwrFreer>;

}  // namespace

struct Resampler::Impl {
  SwrPtr context;
  int channels = 0;
  int in_rate_hz = 0;
  int out_rate_hz = 0;
  bool flushed = false;

  Status convert(const float* in, int frames, std::vector<float>& out) {
    const int capacity = swr_get_out_samples(context.get(), frames);
    if (capacity < 0) return av_error_status(capacity, "resample", StatusCode::kInternal);
    if (capacity == 0) return Status::ok();
    const std::size_t old_size = out.size();
    out.resize(old_size + static_cast<std::size_t>(capacity) * static_cast<std::size_t>(channels));
    std::uint8_t* out_planes[1] = {reinterpret_cast<std::uint8_t*>(out.data() + old_size)};
    const std::uint8_t* in_planes[1] = {reinterpret_cast<const std::uint8_t*>(in)};
    const int got = swr_convert(context.get(), out_planes, capacity, in ? in_planes : nullptr, frames);
    if (got < 0) {
      out.resize(old_size);
      return av_error_status(got, "resample " + std::to_string(in_rate_hz) + " Hz to " +
                                      std::to_string(out_rate_hz) + " Hz",
                             StatusCode::kInternal);
    }
    out.resize(old_size + static_cast<std::size_t>(got) * static_cast<std::size_t>(channels));
    return Status::ok();
  }
};

Result<Resampler> Resampler::create(int channels, int in_rate_hz, int out_rate_hz) {
  if (channels < 1 || channels > 64) {
    return Status::invalid_argument("resampler: channels must be 1..64, got " + std::to_string(channels));
  }
  if (in_rate_hz < 1 || in_rate_hz > 768000 || out_rate_hz < 1 || out_rate_hz > 768000) {
    return Status::invalid_argument("resampler: rates must be 1..768000 Hz, got " +
                                    std::to_string(in_rate_hz) + " and " + std::to_string(out_rate_hz));
  }
  AVChannelLayout layout;
  av_channel_layout_default(&layout, channels);
  SwrContext* raw = nullptr;
  const int alloc_ret = swr_alloc_set_opts2(&raw, &layout, AV_SAMPLE_FMT_FLT, out_rate_hz, &layout,
                                            AV_SAMPLE_FMT_FLT, in_rate_hz, 0, nullptr);
  SwrPtr context{raw};
  av_channel_layout_uninit(&layout);
  if (alloc_ret < 0 || !context) {
    return av_error_status(alloc_ret < 0 ? alloc_ret : AVERROR(ENOMEM), "resampler: set up",
                           StatusCode::kUnsupported);
  }
  if (const int ret = swr_init(context.get()); ret < 0) {
    return av_error_status(ret,
                           "resampler: cannot convert " + std::to_string(channels) + " channels from " +
                               std::to_string(in_rate_hz) + " Hz to " + std::to_string(out_rate_hz) + " Hz",
                           StatusCode::kUnsupported);
  }
  auto impl = std::make_unique<Impl>();
  impl->context = std::move(context);
  impl->channels = channels;
  impl->in_rate_hz = in_rate_hz;
  impl->out_rate_hz = out_rate_hz;
  return Resampler(std::move(impl));
}

Resampler::Resampler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

Status Resampler::process(const float* in, std::size_t frames, std::vector<float>& out) {
  if (impl_->flushed) return Status::invalid_argument("resampler: process() after flush()");
  constexpr std::size_t kChunkFrames = 1 << 16;  // keeps swr's int frame counts small
  while (frames > 0) {
    const std::size_t n = frames < kChunkFrames ? frames : kChunkFrames;
    WM_RETURN_IF_ERROR(impl_->convert(in, static_cast<int>(n), out));
    in += n * static_cast<std::size_t>(impl_->channels);
    frames -= n;
  }
  return Status::ok();
}

Status Resampler::flush(std::vector<float>& out) {
  if (impl_->flushed) return Status::ok();
  impl_->flushed = true;
  for (;;) {
    const std::size_t before = out.size();
    WM_RETURN_IF_ERROR(impl_->convert(nullptr, 0, out));
    if (out.size() == before) return Status::ok();
  }
}

int Resampler::channels() const { return impl_->channels; }
int Resampler::in_rate_hz() const { return impl_->in_rate_hz; }
int Resampler::out_rate_hz() const { return impl_->out_rate_hz; }

}  // namespace wm::io
