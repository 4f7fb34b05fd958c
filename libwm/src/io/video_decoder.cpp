// VideoDecoder: libavcodec's send/receive loop, time-spread sampling, libswscale conversion.
//
// packet ─> avcodec_send_packet ─> avcodec_receive_frame ─> keep? ─> sws_scale ─> turn? ─> VideoFrame
//                                                            │
//                                   pts < last kept + min_interval_s, or a non-key frame
//                                   when keyframes_only: dropped before any conversion
//
// Only kept frames are converted, so the cost of sampling is the decode alone. A stream with a
// display matrix (a phone held upright) is turned as a player turns it, when asked to. The scaler is
// built once and reused while the decoded frames keep their size, pixel format, range and
// matrix. Area averaging when shrinking (no aliasing of fine text), bilinear otherwise;
// SWS_ACCURATE_RND | SWS_BITEXACT so the same file gives the same pixels on every CPU, which
// is what golden tests and reproducible reports need. The conversion writes into an aligned
// frame first and the rows are then copied out tightly packed, so no SIMD store can run past
// the end of the caller's buffer.
//
// Range: decoders mark JPEG-range content either with the deprecated YUVJ pixel formats or
// with color_range; both are mapped to "full range in", and the output is always full range.
#include "io/video_decoder.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "io/ffmpeg_error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
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

struct ScalerFreer {
  void operator()(SwsContext* scaler) const { sws_freeContext(scaler); }
};
using ScalerPtr = std::unique_ptr<SwsContext, ScalerFreer>;

constexpr int kMaxThreads = 64;
constexpr double kDefaultFrameDurationS = 1.0 / 25.0;
// Timestamps are rounded rationals; two frames exactly min_interval_s apart must count as such.
constexpr double kTimeEpsilonS = 1e-6;

// Turns a tightly packed frame clockwise by 90, 180 or 270 degrees, as a player shows it.
void turn_clockwise(VideoFrame& frame, int clockwise_deg) {
  const int width = frame.width, height = frame.height;
  const std::size_t pixel_bytes = static_cast<std::size_t>(frame.stride_bytes / std::max(1, width));
  const bool quarter = clockwise_deg == 90 || clockwise_deg == 270;
  const int out_width = quarter ? height : width;
  std::vector<std::uint8_t> turned(frame.pixels.size());
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      int to_x = width - 1 - x, to_y = height - 1 - y;  // 180
      if (clockwise_deg == 90) {
        to_x = height - 1 - y;  // the left column becomes the top row
        to_y = x;
      } else if (clockwise_deg == 270) {
        to_x = y;
        to_y = width - 1 - x;
      }
      std::memcpy(turned.data() + (static_cast<std::size_t>(to_y) * out_width + to_x) * pixel_bytes,
                  frame.pixels.data() + (static_cast<std::size_t>(y) * width + x) * pixel_bytes, pixel_bytes);
    }
  }
  frame.pixels.swap(turned);
  frame.width = out_width;
  frame.height = quarter ? width : height;
  frame.stride_bytes = static_cast<int>(static_cast<std::size_t>(frame.width) * pixel_bytes);
}

AVPixelFormat av_format_of(PixelFormat format) {
  switch (format) {
    case PixelFormat::kGray8: return AV_PIX_FMT_GRAY8;
    case PixelFormat::kBgr24: return AV_PIX_FMT_BGR24;
    case PixelFormat::kRgb24: return AV_PIX_FMT_RGB24;
  }
  return AV_PIX_FMT_NONE;
}

int bytes_per_pixel(PixelFormat format) { return format == PixelFormat::kGray8 ? 1 : 3; }

// The deprecated full-range ("J") formats as their plain equivalents; true if it was one.
bool unjpeg(AVPixelFormat& format) {
  switch (format) {
    case AV_PIX_FMT_YUVJ420P: format = AV_PIX_FMT_YUV420P; return true;
    case AV_PIX_FMT_YUVJ411P: format = AV_PIX_FMT_YUV411P; return true;
    case AV_PIX_FMT_YUVJ422P: format = AV_PIX_FMT_YUV422P; return true;
    case AV_PIX_FMT_YUVJ440P: format = AV_PIX_FMT_YUV440P; return true;
    case AV_PIX_FMT_YUVJ444P: format = AV_PIX_FMT_YUV444P; return true;
    default: return false;
  }
}

int sws_colorspace_of(AVColorSpace colorspace) {
  switch (colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return SWS_CS_DEFAULT;  // BT.601 / SMPTE 170M, and unspecified
  }
}

const char* pixel_format_name(int format) {
  const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(format));
  return name ? name : "unknown";
}

struct ScalerKey {
  int src_width = 0;
  int src_height = 0;
  int src_format = AV_PIX_FMT_NONE;
  bool src_full_range = false;
  int src_colorspace = SWS_CS_DEFAULT;
  int dst_width = 0;
  int dst_height = 0;
  bool operator==(const ScalerKey&) const = default;
};

}  // namespace

struct VideoDecoder::Impl {
  int stream_index = -1;
  std::string what;  // "decode video stream N"
  AVRational time_base{0, 1};
  double frame_duration_s = kDefaultFrameDurationS;
  SamplingSpec spec;
  CodecContextPtr codec;
  FramePtr frame;

  ScalerPtr scaler;
  ScalerKey scaler_key;
  FramePtr scaled;  // the scaler's aligned destination

  VideoFrame out;
  bool have_last_pts = false;
  double last_pts_s = 0.0;
  bool have_kept = false;
  double last_kept_pts_s = 0.0;
  std::int64_t decoded = 0;
  std::int64_t kept = 0;
  bool flushed = false;
  DamagedFrames damaged;
  bool damaged_until_key_frame = false;

  bool done() const { return spec.max_frames > 0 && kept >= spec.max_frames; }
  Status prepare_scaler(const ScalerKey& key);
  Status convert(const AVFrame& input, int dst_width, int dst_height);
  bool left_out_as_damaged(const AVFrame& input, double pts_s);
  Status handle(const AVFrame& input, const VideoSink& sink);
  Status receive_all(const VideoSink& sink);
};

Status VideoDecoder::Impl::prepare_scaler(const ScalerKey& key) {
  if (scaler && key == scaler_key) return Status::ok();
  scaler.reset();
  const AVPixelFormat dst_format = av_format_of(spec.format);
  const bool shrinking = key.dst_width < key.src_width || key.dst_height < key.src_height;
  const int flags = (shrinking ? SWS_AREA : SWS_BILINEAR) | SWS_ACCURATE_RND | SWS_BITEXACT;
  ScalerPtr built{sws_getContext(key.src_width, key.src_height,
                                 static_cast<AVPixelFormat>(key.src_format), key.dst_width,
                                 key.dst_height, dst_format, flags, nullptr, nullptr, nullptr)};
  if (!built) {
    return Status::unsupported(what + ": cannot convert " + pixel_format_name(key.src_format) +
                               " " + std::to_string(key.src_width) + "x" +
                               std::to_string(key.src_height) + " to " +
                               pixel_format_name(dst_format) + " " +
                               std::to_string(key.dst_width) + "x" +
                               std::to_string(key.dst_height));
  }
  const AVPixFmtDescriptor* descriptor =
      av_pix_fmt_desc_get(static_cast<AVPixelFormat>(key.src_format));
  if (descriptor && !(descriptor->flags & AV_PIX_FMT_FLAG_RGB)) {
    const int* coefficients = sws_getCoefficients(key.src_colorspace);
    // The return value is deliberately not checked: for YUV -> Gray8 libswscale reports that
    // it cannot change the matrix (there is none), after it has applied the ranges, which is
    // all that matters there; for YUV -> RGB both matrix and ranges are applied.
    sws_setColorspaceDetails(built.get(), coefficients, key.src_full_range ? 1 : 0, coefficients,
                             1, 0, 1 << 16, 1 << 16);
  }

  FramePtr destination{av_frame_alloc()};
  if (!destination) return Status::internal(what + ": cannot allocate a frame");
  destination->format = dst_format;
  destination->width = key.dst_width;
  destination->height = key.dst_height;
  if (const int ret = av_frame_get_buffer(destination.get(), 0); ret < 0) {
    return av_error_status(ret, what + ": allocate converted frame", StatusCode::kInternal);
  }
  scaler = std::move(built);
  scaled = std::move(destination);
  scaler_key = key;
  return Status::ok();
}

Status VideoDecoder::Impl::convert(const AVFrame& input, int dst_width, int dst_height) {
  AVPixelFormat src_format = static_cast<AVPixelFormat>(input.format);
  const bool was_jpeg = unjpeg(src_format);
  ScalerKey key;
  key.src_width = input.width;
  key.src_height = input.height;
  key.src_format = src_format;
  key.src_full_range = was_jpeg || input.color_range == AVCOL_RANGE_JPEG;
  key.src_colorspace = sws_colorspace_of(input.colorspace);
  key.dst_width = dst_width;
  key.dst_height = dst_height;
  WM_RETURN_IF_ERROR(prepare_scaler(key));

  const int rows = sws_scale(scaler.get(), input.data, input.linesize, 0, input.height,
                             scaled->data, scaled->linesize);
  if (rows < 0) return av_error_status(rows, what + ": convert frame", StatusCode::kInternal);
  if (rows != dst_height) {
    return Status::internal(what + ": converter returned " + std::to_string(rows) + " of " +
                            std::to_string(dst_height) + " rows");
  }

  const int row_bytes = dst_width * bytes_per_pixel(spec.format);
  out.width = dst_width;
  out.height = dst_height;
  out.stride_bytes = row_bytes;
  out.format = spec.format;
  out.pixels.resize(static_cast<std::size_t>(row_bytes) * dst_height);
  for (int y = 0; y < dst_height; ++y) {
    std::memcpy(out.pixels.data() + static_cast<std::size_t>(y) * row_bytes,
                scaled->data[0] + static_cast<std::ptrdiff_t>(y) * scaled->linesize[0],
                static_cast<std::size_t>(row_bytes));
  }
  if (spec.rotate_clockwise_deg != 0) turn_clockwise(out, spec.rotate_clockwise_deg);
  return Status::ok();
}

bool VideoDecoder::Impl::left_out_as_damaged(const AVFrame& input, double pts_s) {
  const bool flagged = input.decode_error_flags != 0 || (input.flags & AV_FRAME_FLAG_CORRUPT) != 0;
  if (flagged) {
    damaged_until_key_frame = true;
    ++damaged.flagged;
  } else if (input.key_frame) {
    damaged_until_key_frame = false;
  }
  if (!damaged_until_key_frame) return false;
  if (damaged.left_out == 0) damaged.first_s = pts_s;
  damaged.last_s = std::max(damaged.last_s, pts_s);
  ++damaged.left_out;
  return true;
}

Status VideoDecoder::Impl::handle(const AVFrame& input, const VideoSink& sink) {
  ++decoded;
  std::int64_t timestamp = input.best_effort_timestamp;
  if (timestamp == AV_NOPTS_VALUE) timestamp = input.pts;
  double pts_s = 0.0;
  if (timestamp != AV_NOPTS_VALUE && time_base.den != 0) {
    pts_s = static_cast<double>(timestamp) * av_q2d(time_base);
  } else if (have_last_pts) {
    pts_s = last_pts_s + frame_duration_s;  // no timestamp: one frame after the previous one
  }
  last_pts_s = pts_s;
  have_last_pts = true;

  if (done()) return Status::ok();
  if (spec.keyframes_only && !input.key_frame) return Status::ok();
  if (left_out_as_damaged(input, pts_s)) return Status::ok();
  if (have_kept) {
    const bool jumped_back = pts_s + spec.min_interval_s < last_kept_pts_s - kTimeEpsilonS;
    if (!jumped_back && pts_s < last_kept_pts_s + spec.min_interval_s - kTimeEpsilonS) {
      return Status::ok();
    }
  }

  if (input.width <= 0 || input.height <= 0) {
    return Status::corrupt_input(what + ": decoded frame has no size");
  }
  if (input.width > spec.max_width_px || input.height > spec.max_height_px) {
    return Status::limit_exceeded(what + ": decoded frame is " + std::to_string(input.width) +
                                  "x" + std::to_string(input.height) +
                                  " pixels, more than the limit of " +
                                  std::to_string(spec.max_width_px) + "x" +
                                  std::to_string(spec.max_height_px));
  }
  int dst_width = spec.out_width > 0 ? spec.out_width : input.width;
  int dst_height = spec.out_height > 0 ? spec.out_height : input.height;
  if (spec.out_width > 0 && spec.out_height == 0) {
    dst_height = std::max(1, static_cast<int>(std::lround(static_cast<double>(input.height) *
                                                          spec.out_width / input.width)));
  } else if (spec.out_height > 0 && spec.out_width == 0) {
    dst_width = std::max(1, static_cast<int>(std::lround(static_cast<double>(input.width) *
                                                         spec.out_height / input.height)));
  }
  if (dst_width > spec.max_width_px || dst_height > spec.max_height_px) {
    return Status::limit_exceeded(what + ": output frame would be " + std::to_string(dst_width) +
                                  "x" + std::to_string(dst_height) + " pixels");
  }

  WM_RETURN_IF_ERROR(convert(input, dst_width, dst_height));
  out.pts_s = pts_s;
  out.is_keyframe = input.key_frame != 0;
  have_kept = true;
  last_kept_pts_s = pts_s;
  ++kept;
  return sink(out);
}

Status VideoDecoder::Impl::receive_all(const VideoSink& sink) {
  return drain_decoder(codec.get(), frame.get(), what, [&](AVFrame& f) { return handle(f, sink); });
}

VideoDecoder::VideoDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoDecoder::VideoDecoder(VideoDecoder&&) noexcept = default;
VideoDecoder& VideoDecoder::operator=(VideoDecoder&&) noexcept = default;
VideoDecoder::~VideoDecoder() = default;

Result<VideoDecoder> VideoDecoder::create(const Demuxer& demuxer, int stream_index,
                                          const SamplingSpec& spec) {
  const std::string stream_name = "video stream " + std::to_string(stream_index);
  const AVStream* stream = demuxer.av_stream(stream_index);
  if (!stream) {
    return Status::invalid_argument(demuxer.display_name() + ": no stream " +
                                    std::to_string(stream_index));
  }
  if (stream->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) {
    return Status::invalid_argument(demuxer.display_name() + ": stream " +
                                    std::to_string(stream_index) + " is not video");
  }
  if (!(spec.min_interval_s >= 0.0) || !std::isfinite(spec.min_interval_s)) {
    return Status::invalid_argument("video sampling interval must be a finite number >= 0 s");
  }
  if (spec.max_frames < 0) return Status::invalid_argument("video max_frames must be >= 0");
  if (spec.rotate_clockwise_deg % 90 != 0 || spec.rotate_clockwise_deg < 0 || spec.rotate_clockwise_deg >= 360) {
    return Status::invalid_argument("video rotation must be 0, 90, 180 or 270 degrees");
  }
  if (spec.max_width_px <= 0 || spec.max_height_px <= 0) {
    return Status::invalid_argument("video size limits must be positive");
  }
  if (spec.out_width < 0 || spec.out_height < 0 || spec.out_width > spec.max_width_px ||
      spec.out_height > spec.max_height_px) {
    return Status::invalid_argument("video output size " + std::to_string(spec.out_width) + "x" +
                                    std::to_string(spec.out_height) + " out of range");
  }
  if (av_format_of(spec.format) == AV_PIX_FMT_NONE) {
    return Status::invalid_argument("video output pixel format not supported");
  }
  if (spec.thread_count < 0 || spec.thread_count > kMaxThreads) {
    return Status::invalid_argument("video decoder thread count " +
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
  codec->thread_type = FF_THREAD_SLICE;  // frame threads lose damage flags; see video_decoder.h
  // Decoders refuse frames above this many pixels before allocating them.
  codec->max_pixels = static_cast<std::int64_t>(spec.max_width_px) * spec.max_height_px;
  if (spec.keyframes_only) codec->skip_frame = AVDISCARD_NONKEY;
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
  AVRational rate = stream->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = stream->r_frame_rate;
  if (rate.num > 0 && rate.den > 0) impl->frame_duration_s = av_q2d(av_inv_q(rate));
  impl->spec = spec;
  impl->codec = std::move(codec);
  impl->frame = std::move(frame);
  return VideoDecoder(std::move(impl));
}

int VideoDecoder::stream_index() const { return impl_->stream_index; }
bool VideoDecoder::is_done() const { return impl_->done(); }
std::int64_t VideoDecoder::frames_decoded() const { return impl_->decoded; }
std::int64_t VideoDecoder::frames_kept() const { return impl_->kept; }
const DamagedFrames& VideoDecoder::damaged() const { return impl_->damaged; }

Status VideoDecoder::decode(const Packet& packet, const VideoSink& sink) {
  Impl& d = *impl_;
  if (d.flushed) return Status::invalid_argument(d.what + ": packet after flush");
  if (!sink) return Status::invalid_argument(d.what + ": no sink");
  if (packet.stream_index() != d.stream_index) {
    return Status::invalid_argument(d.what + ": given a packet of stream " +
                                    std::to_string(packet.stream_index()));
  }
  if (d.done()) return Status::ok();
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

Status VideoDecoder::flush(const VideoSink& sink) {
  Impl& d = *impl_;
  if (!sink) return Status::invalid_argument(d.what + ": no sink");
  if (d.flushed) return Status::ok();
  d.flushed = true;
  if (d.done()) return Status::ok();
  const int ret = avcodec_send_packet(d.codec.get(), nullptr);
  if (ret < 0 && ret != AVERROR_EOF) return av_error_status(ret, d.what, StatusCode::kCorruptInput);
  return d.receive_all(sink);
}

}  // namespace wm::io
