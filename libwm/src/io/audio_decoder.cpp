// AudioDecoder: libavcodec's send/receive loop feeding libswresample.
//
// packet ─> avcodec_send_packet ─> avcodec_receive_frame ─> swr_convert ─> AudioBlock ─> sink
//
// The resampler is built for the input format of the frames actually decoded (which may
// differ from what the container announced, and may change mid-stream: HE-AAC, concatenated
// MP3s). When it changes, the old resampler's delay is drained first so no audio is lost,
// then a new one is built for the new input; the output format never changes.
//
// Channel layouts use the FFmpeg 5.1 AVChannelLayout API. A layout with unspecified order
// (a WAV without a channel mask) is read as the default layout for its channel count, which
// is what lets libswresample build a downmix matrix for it.
#include "io/audio_decoder.h"

#include <algorithm>
#include <cerrno>
#include <string>

#include "io/ffmpeg_error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

namespace wm::io {
namespace {

struct CodecContextFreer {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextFreer>;

struct FrameFreer {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;

struct ResamplerFreer {
  void operator()(SwrContext* resampler) const { swr_free(&resampler); }
};
using ResamplerPtr = std::unique_ptr<SwrContext, ResamplerFreer>;

constexpr int kMaxSampleRateHz = 768000;
constexpr int kMaxChannels = 64;
constexpr int kMaxThreads = 64;

// An AVChannelLayout that releases its custom map (if any) when it goes away.
class ChannelLayout {
 public:
  ChannelLayout() = default;
  ChannelLayout(const ChannelLayout&) = delete;
  ChannelLayout& operator=(const ChannelLayout&) = delete;
  ~ChannelLayout() { av_channel_layout_uninit(&layout_); }

  // Copies `source`; an unspecified order becomes the default layout for its channel count.
  int assign_usable(const AVChannelLayout& source) {
    if (source.order == AV_CHANNEL_ORDER_UNSPEC) {
      set_default(source.nb_channels);
      return 0;
    }
    return av_channel_layout_copy(&layout_, &source);
  }
  void set_default(int channels) {
    av_channel_layout_uninit(&layout_);
    av_channel_layout_default(&layout_, channels);
  }
  int channels() const { return layout_.nb_channels; }
  AVChannelLayout* get() { return &layout_; }
  const AVChannelLayout* get() const { return &layout_; }

 private:
  AVChannelLayout layout_{};
};

// Whether `frame`'s layout differs from `layout` once both are read the usable way.
bool same_usable_layout(const AVChannelLayout& frame_layout, const ChannelLayout& layout) {
  if (frame_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    ChannelLayout usable;
    usable.set_default(frame_layout.nb_channels);
    return av_channel_layout_compare(usable.get(), layout.get()) == 0;
  }
  return av_channel_layout_compare(&frame_layout, layout.get()) == 0;
}

}  // namespace

struct AudioDecoder::Impl {
  int stream_index = -1;
  std::string what;  // "decode audio stream N"
  AVRational time_base{0, 1};
  CodecContextPtr codec;
  FramePtr frame;
  ResamplerPtr resampler;

  // The input the resampler was built for.
  int in_format = AV_SAMPLE_FMT_NONE;
  int in_rate_hz = 0;
  ChannelLayout in_layout;

  // The output, fixed once known.
  int requested_channels = 0;
  int out_rate_hz = 0;
  ChannelLayout out_layout;

  AudioBlock block;
  double next_pts_s = 0.0;
  bool flushed = false;
  std::size_t frames_delivered = 0;

  Status resolve_output(const AVFrame& first);
  Status build_resampler(const AVFrame& input);
  Status deliver(int frames, double pts_s, const AudioSink& sink);
  Status drain_resampler(const AudioSink& sink);
  Status convert(const AVFrame& input, const AudioSink& sink);
  Status receive_all(const AudioSink& sink);
};

Status AudioDecoder::Impl::resolve_output(const AVFrame& first) {
  if (out_rate_hz <= 0) out_rate_hz = first.sample_rate;
  if (out_layout.channels() <= 0) {
    if (requested_channels > 0 && requested_channels != first.ch_layout.nb_channels) {
      out_layout.set_default(requested_channels);
    } else if (const int ret = out_layout.assign_usable(first.ch_layout); ret < 0) {
      return av_error_status(ret, what + ": channel layout", StatusCode::kInternal);
    }
  }
  if (out_rate_hz <= 0 || out_layout.channels() <= 0) {
    return Status::corrupt_input(what + ": decoded audio has no sample rate or channels");
  }
  return Status::ok();
}

Status AudioDecoder::Impl::build_resampler(const AVFrame& input) {
  ChannelLayout layout;
  if (const int ret = layout.assign_usable(input.ch_layout); ret < 0) {
    return av_error_status(ret, what + ": channel layout", StatusCode::kInternal);
  }
  SwrContext* raw = nullptr;
  const int alloc_ret = swr_alloc_set_opts2(
      &raw, out_layout.get(), AV_SAMPLE_FMT_FLT, out_rate_hz, layout.get(),
      static_cast<AVSampleFormat>(input.format), input.sample_rate, 0, nullptr);
  ResamplerPtr built{raw};
  if (alloc_ret < 0 || !built) {
    return av_error_status(alloc_ret < 0 ? alloc_ret : AVERROR(ENOMEM), what + ": set up resampler",
                           StatusCode::kUnsupported);
  }
  // Normalise downmix matrices (see the header): each output row sums to at most 1.
  av_opt_set_double(built.get(), "rematrix_maxval", 1.0, 0);
  if (const int ret = swr_init(built.get()); ret < 0) {
    return av_error_status(ret,
                           what + ": cannot convert " + std::to_string(layout.channels()) +
                               " channels at " + std::to_string(input.sample_rate) + " Hz to " +
                               std::to_string(out_layout.channels()) + " channels at " +
                               std::to_string(out_rate_hz) + " Hz",
                           StatusCode::kUnsupported);
  }
  resampler = std::move(built);
  in_format = input.format;
  in_rate_hz = input.sample_rate;
  if (const int ret = in_layout.assign_usable(input.ch_layout); ret < 0) {
    return av_error_status(ret, what + ": channel layout", StatusCode::kInternal);
  }
  return Status::ok();
}

Status AudioDecoder::Impl::deliver(int frames, double pts_s, const AudioSink& sink) {
  const int channels = out_layout.channels();
  block.samples.resize(static_cast<std::size_t>(frames) * channels);
  block.frames = static_cast<std::size_t>(frames);
  block.channels = channels;
  block.sample_rate_hz = out_rate_hz;
  block.pts_s = pts_s;
  next_pts_s = pts_s + static_cast<double>(frames) / out_rate_hz;
  frames_delivered += block.frames;
  return sink(block);
}

Status AudioDecoder::Impl::drain_resampler(const AudioSink& sink) {
  if (!resampler) return Status::ok();
  for (;;) {
    const int capacity = swr_get_out_samples(resampler.get(), 0);
    if (capacity <= 0) return Status::ok();
    block.samples.resize(static_cast<std::size_t>(capacity) * out_layout.channels());
    std::uint8_t* out[1] = {reinterpret_cast<std::uint8_t*>(block.samples.data())};
    const int got = swr_convert(resampler.get(), out, capacity, nullptr, 0);
    if (got < 0) return av_error_status(got, what + ": resample", StatusCode::kInternal);
    if (got == 0) return Status::ok();
    WM_RETURN_IF_ERROR(deliver(got, next_pts_s, sink));
  }
}

Status AudioDecoder::Impl::convert(const AVFrame& input, const AudioSink& sink) {
  if (input.nb_samples <= 0) return Status::ok();
  if (input.sample_rate <= 0 || input.ch_layout.nb_channels <= 0) {
    return Status::corrupt_input(what + ": decoded audio has no sample rate or channels");
  }
  if (out_rate_hz <= 0 || out_layout.channels() <= 0) WM_RETURN_IF_ERROR(resolve_output(input));
  if (!resampler || input.format != in_format || input.sample_rate != in_rate_hz ||
      !same_usable_layout(input.ch_layout, in_layout)) {
    WM_RETURN_IF_ERROR(drain_resampler(sink));
    WM_RETURN_IF_ERROR(build_resampler(input));
  }

  std::int64_t timestamp = input.best_effort_timestamp;
  if (timestamp == AV_NOPTS_VALUE) timestamp = input.pts;
  double pts_s = next_pts_s;
  if (timestamp != AV_NOPTS_VALUE && time_base.den != 0) {
    const double delay_s =
        static_cast<double>(swr_get_delay(resampler.get(), out_rate_hz)) / out_rate_hz;
    pts_s = static_cast<double>(timestamp) * av_q2d(time_base) - delay_s;
  }

  const int capacity = swr_get_out_samples(resampler.get(), input.nb_samples);
  if (capacity < 0) return av_error_status(capacity, what + ": resample", StatusCode::kInternal);
  block.samples.resize(static_cast<std::size_t>(capacity) * out_layout.channels());
  std::uint8_t* out[1] = {reinterpret_cast<std::uint8_t*>(block.samples.data())};
  const int got = swr_convert(resampler.get(), out, capacity,
                              const_cast<const std::uint8_t**>(input.extended_data),
                              input.nb_samples);
  if (got < 0) return av_error_status(got, what + ": resample", StatusCode::kInternal);
  if (got == 0) return Status::ok();  // the resampler is still filling its delay line
  return deliver(got, pts_s, sink);
}

Status AudioDecoder::Impl::receive_all(const AudioSink& sink) {
  return drain_decoder(codec.get(), frame.get(), what, [&](AVFrame& f) { return convert(f, sink); });
}

AudioDecoder::AudioDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AudioDecoder::AudioDecoder(AudioDecoder&&) noexcept = default;
AudioDecoder& AudioDecoder::operator=(AudioDecoder&&) noexcept = default;
AudioDecoder::~AudioDecoder() = default;

Result<AudioDecoder> AudioDecoder::create(const Demuxer& demuxer, int stream_index,
                                          const AudioOutputSpec& spec) {
  const std::string stream_name = "audio stream " + std::to_string(stream_index);
  const AVStream* stream = demuxer.av_stream(stream_index);
  if (!stream) {
    return Status::invalid_argument(demuxer.display_name() + ": no stream " +
                                    std::to_string(stream_index));
  }
  if (stream->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) {
    return Status::invalid_argument(demuxer.display_name() + ": stream " +
                                    std::to_string(stream_index) + " is not audio");
  }
  if (spec.sample_rate_hz < 0 || spec.sample_rate_hz > kMaxSampleRateHz) {
    return Status::invalid_argument("audio output sample rate " +
                                    std::to_string(spec.sample_rate_hz) + " Hz out of range 0.." +
                                    std::to_string(kMaxSampleRateHz));
  }
  if (spec.channels < 0 || spec.channels > kMaxChannels) {
    return Status::invalid_argument("audio output channels " + std::to_string(spec.channels) +
                                    " out of range 0.." + std::to_string(kMaxChannels));
  }
  if (spec.thread_count < 0 || spec.thread_count > kMaxThreads) {
    return Status::invalid_argument("audio decoder thread count " +
                                    std::to_string(spec.thread_count) + " out of range 0.." +
                                    std::to_string(kMaxThreads));
  }

  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!decoder) {
    return Status::unsupported(demuxer.display_name() + ": " + stream_name +
                               ": no decoder for codec " +
                               avcodec_get_name(stream->codecpar->codec_id));
  }
  CodecContextPtr codec{avcodec_alloc_context3(decoder)};
  if (!codec) return Status::internal(stream_name + ": cannot allocate a decoder");
  if (const int ret = avcodec_parameters_to_context(codec.get(), stream->codecpar); ret < 0) {
    return av_error_status(ret, demuxer.display_name() + ": " + stream_name + ": codec parameters",
                           StatusCode::kUnsupported);
  }
  codec->pkt_timebase = stream->time_base;
  codec->thread_count = spec.thread_count;
  if (const int ret = avcodec_open2(codec.get(), decoder, nullptr); ret < 0) {
    return av_error_status(ret, demuxer.display_name() + ": " + stream_name + ": open decoder " +
                                    decoder->name,
                           StatusCode::kUnsupported);
  }
  FramePtr frame{av_frame_alloc()};
  if (!frame) return Status::internal(stream_name + ": cannot allocate a frame");

  auto impl = std::make_unique<Impl>();
  impl->stream_index = stream_index;
  impl->what = "decode " + stream_name;
  impl->time_base = stream->time_base;
  impl->codec = std::move(codec);
  impl->frame = std::move(frame);
  impl->requested_channels = spec.channels;
  impl->out_rate_hz = spec.sample_rate_hz > 0 ? spec.sample_rate_hz : stream->codecpar->sample_rate;

  const AVChannelLayout& native = stream->codecpar->ch_layout;
  if (spec.channels > 0 && spec.channels != native.nb_channels) {
    impl->out_layout.set_default(spec.channels);
  } else if (native.nb_channels > 0) {
    if (const int ret = impl->out_layout.assign_usable(native); ret < 0) {
      return av_error_status(ret, stream_name + ": channel layout", StatusCode::kInternal);
    }
  }
  if (stream->start_time != AV_NOPTS_VALUE && stream->time_base.den != 0) {
    impl->next_pts_s = static_cast<double>(stream->start_time) * av_q2d(stream->time_base);
  }
  return AudioDecoder(std::move(impl));
}

int AudioDecoder::stream_index() const { return impl_->stream_index; }
int AudioDecoder::sample_rate_hz() const { return std::max(0, impl_->out_rate_hz); }
int AudioDecoder::channels() const { return std::max(0, impl_->out_layout.channels()); }
std::size_t AudioDecoder::frames_delivered() const { return impl_->frames_delivered; }

Status AudioDecoder::decode(const Packet& packet, const AudioSink& sink) {
  Impl& d = *impl_;
  if (d.flushed) return Status::invalid_argument(d.what + ": packet after flush");
  if (!sink) return Status::invalid_argument(d.what + ": no sink");
  if (packet.stream_index() != d.stream_index) {
    return Status::invalid_argument(d.what + ": given a packet of stream " +
                                    std::to_string(packet.stream_index()));
  }
  const AVPacket* raw = packet.get();
  // An empty packet would tell FFmpeg "end of stream"; there is nothing in it to decode.
  if (raw->size <= 0 && (raw->data != nullptr || raw->side_data_elems == 0)) return Status::ok();
  int ret = avcodec_send_packet(d.codec.get(), raw);
  if (ret == AVERROR(EAGAIN)) {  // frames still waiting: hand them out, then retry
    WM_RETURN_IF_ERROR(d.receive_all(sink));
    ret = avcodec_send_packet(d.codec.get(), raw);
  }
  if (ret < 0) return av_error_status(ret, d.what, StatusCode::kCorruptInput);
  return d.receive_all(sink);
}

Status AudioDecoder::flush(const AudioSink& sink) {
  Impl& d = *impl_;
  if (!sink) return Status::invalid_argument(d.what + ": no sink");
  if (d.flushed) return Status::ok();
  d.flushed = true;
  const int ret = avcodec_send_packet(d.codec.get(), nullptr);
  if (ret < 0 && ret != AVERROR_EOF) return av_error_status(ret, d.what, StatusCode::kCorruptInput);
  WM_RETURN_IF_ERROR(d.receive_all(sink));
  return d.drain_resampler(sink);
}

}  // namespace wm::io
