// Demuxer over libavformat.
//
// Opening checks the path with std::filesystem first, so the common mistakes (missing file,
// directory, empty file, FIFO) get a plain message instead of whatever FFmpeg makes of them.
// The URL given to FFmpeg is "file:" + path with protocol_whitelist=file: a file name that
// looks like a protocol ("concat:a|b", "http:x") is read as a file name, and a playlist inside
// a file cannot make FFmpeg open network URLs.
//
// Everything the accessors return is copied out of the AVFormatContext once, right after
// avformat_find_stream_info, so callers hold plain values and never FFmpeg pointers.
#include "io/demuxer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

#include "io/ffmpeg_error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/dict.h>
#include <libavutil/display.h>
}

namespace wm::io {
namespace {

struct FormatContextCloser {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextCloser>;

struct DictionaryFreer {
  void operator()(AVDictionary* dictionary) const { av_dict_free(&dictionary); }
};
using DictionaryPtr = std::unique_ptr<AVDictionary, DictionaryFreer>;

// av_dict_set may create, grow or free the dictionary: hand it over and take it back.
int set_option(DictionaryPtr& dictionary, const char* key, const std::string& value) {
  AVDictionary* raw = dictionary.release();
  const int ret = av_dict_set(&raw, key, value.c_str(), 0);
  dictionary.reset(raw);
  return ret;
}

// av_read_frame may ask to be called again (EAGAIN); a file that keeps doing so is broken.
constexpr int kMaxReadRetries = 1000;

// Why an MP4/QuickTime file FFmpeg refused cannot be read, when its top-level boxes say so: a
// recording cut off before the recorder wrote its index ('moov', usually written last) is the
// common case, and "not a media file" would send its owner looking in the wrong place. Reads
// box headers only; nullopt when the file does not start like an ISO-BMFF/QuickTime file or
// nothing in its boxes explains the refusal.
std::optional<std::string> iso_file_damage(const std::filesystem::path& path, std::uint64_t size_bytes) {
  constexpr int kMaxBoxes = 4096;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const auto be = [](const unsigned char* b, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | b[i];
    return v;
  };
  const std::string no_index = "MP4/QuickTime file without its index ('moov' box)";
  const std::string unfinished =
      "the file was cut short or never finished (a recorder that crashed or was stopped leaves files like "
      "this), so its audio and video cannot be located";
  std::uint64_t position = 0;
  bool saw_moov = false, saw_media_data = false;
  for (int box = 0; box < kMaxBoxes && position + 8 <= size_bytes; ++box) {
    unsigned char header[16];
    in.seekg(static_cast<std::streamoff>(position));
    if (!in.read(reinterpret_cast<char*>(header), 8)) return std::nullopt;
    const std::string type(reinterpret_cast<const char*>(header) + 4, 4);
    for (char c : type) {
      if (c < 0x20 || c > 0x7e) return std::nullopt;  // not a box header: not this kind of file
    }
    static const char* const kFirstBoxes[] = {"ftyp", "wide", "free", "skip", "mdat", "moov", "pnot", "uuid"};
    if (box == 0 && std::none_of(std::begin(kFirstBoxes), std::end(kFirstBoxes),
                                 [&](const char* t) { return type == t; })) {
      return std::nullopt;
    }
    std::uint64_t box_bytes = be(header, 4);
    std::uint64_t header_bytes = 8;
    if (box_bytes == 1) {
      if (!in.read(reinterpret_cast<char*>(header) + 8, 8)) return std::nullopt;
      box_bytes = be(header + 8, 8);
      header_bytes = 16;
    } else if (box_bytes == 0) {
      box_bytes = size_bytes - position;  // runs to the end of the file
    }
    if (box_bytes < header_bytes) return std::nullopt;
    if (type == "moov") saw_moov = true;
    if (type == "mdat") saw_media_data = true;
    if (box_bytes > size_bytes - position) {
      const std::string cut = "its '" + type + "' box at byte " + std::to_string(position) + " has " +
                              std::to_string(size_bytes - position) + " of its " + std::to_string(box_bytes) +
                              " bytes";
      if (type == "moov") return "MP4/QuickTime file whose index is incomplete: " + cut + " (the file was cut short)";
      if (!saw_moov) return no_index + "; " + cut + ": " + unfinished;
      return std::nullopt;
    }
    position += box_bytes;
  }
  if (!saw_moov && saw_media_data && position >= size_bytes) return no_index + ": " + unfinished;
  return std::nullopt;
}

MetadataPairs to_pairs(const AVDictionary* dictionary) {
  MetadataPairs pairs;
  const AVDictionaryEntry* entry = nullptr;
  while ((entry = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX)) != nullptr) {
    pairs.emplace_back(entry->key ? entry->key : "", entry->value ? entry->value : "");
  }
  return pairs;
}

std::string metadata_value(const AVDictionary* dictionary, const char* key) {
  const AVDictionaryEntry* entry = av_dict_get(dictionary, key, nullptr, 0);
  return entry && entry->value ? entry->value : "";
}

double seconds(std::int64_t timestamp, AVRational time_base) {
  if (timestamp == AV_NOPTS_VALUE || time_base.den == 0) return 0.0;
  return static_cast<double>(timestamp) * av_q2d(time_base);
}

StreamKind kind_of(AVMediaType type) {
  switch (type) {
    case AVMEDIA_TYPE_AUDIO: return StreamKind::kAudio;
    case AVMEDIA_TYPE_VIDEO: return StreamKind::kVideo;
    case AVMEDIA_TYPE_SUBTITLE: return StreamKind::kSubtitle;
    case AVMEDIA_TYPE_DATA: return StreamKind::kData;
    case AVMEDIA_TYPE_ATTACHMENT: return StreamKind::kAttachment;
    default: return StreamKind::kOther;
  }
}

AVMediaType media_type_of(StreamKind kind) {
  switch (kind) {
    case StreamKind::kAudio: return AVMEDIA_TYPE_AUDIO;
    case StreamKind::kVideo: return AVMEDIA_TYPE_VIDEO;
    case StreamKind::kSubtitle: return AVMEDIA_TYPE_SUBTITLE;
    case StreamKind::kData: return AVMEDIA_TYPE_DATA;
    case StreamKind::kAttachment: return AVMEDIA_TYPE_ATTACHMENT;
    case StreamKind::kOther: break;
  }
  return AVMEDIA_TYPE_UNKNOWN;
}

// Clockwise quarter turns a player applies to the stored picture (the display matrix of a phone
// recording held upright; `ffmpeg` turns such frames the same way by default): 0, 90, 180 or
// 270. A matrix that is no quarter turn (a shear, a few degrees) is ignored, as ffmpeg does.
int display_rotation_deg(const AVStream& stream) {
  std::size_t size = 0;
  const std::uint8_t* matrix = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix == nullptr || size < 9 * sizeof(std::int32_t)) return 0;
  const double counterclockwise_deg = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(matrix));
  if (std::isnan(counterclockwise_deg)) return 0;
  double clockwise_deg = std::fmod(-counterclockwise_deg, 360.0);
  if (clockwise_deg < 0.0) clockwise_deg += 360.0;
  const double quarter_turns = std::round(clockwise_deg / 90.0);
  if (std::abs(clockwise_deg - 90.0 * quarter_turns) > 1.0) return 0;
  return static_cast<int>(quarter_turns) % 4 * 90;
}

// Seconds of an "HH:MM:SS.fraction" tag (Matroska's per-stream DURATION); 0 when unparsable.
double tag_duration_s(const std::string& text) {
  int hours = 0, minutes = 0;
  double seconds = 0.0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d:%d:%lf%c", &hours, &minutes, &seconds, &tail) != 3) return 0.0;
  if (hours < 0 || minutes < 0 || minutes >= 60 || seconds < 0.0 || seconds >= 60.0) return 0.0;
  return 3600.0 * hours + 60.0 * minutes + seconds;
}

StreamDesc describe_stream(const AVStream& stream) {
  const AVCodecParameters& par = *stream.codecpar;
  StreamDesc desc;
  desc.index = stream.index;
  desc.kind = kind_of(par.codec_type);
  desc.codec_name = avcodec_get_name(par.codec_id);
  desc.start_s = seconds(stream.start_time, stream.time_base);
  desc.duration_s = std::max(0.0, seconds(stream.duration, stream.time_base));
  // Matroska and WebM keep no stream duration, only a tag written by the muxer.
  if (desc.duration_s == 0.0) desc.duration_s = tag_duration_s(metadata_value(stream.metadata, "DURATION"));
  desc.bit_rate_bps = std::max<std::int64_t>(0, par.bit_rate);
  desc.metadata = to_pairs(stream.metadata);
  desc.is_attached_picture = (stream.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
  switch (desc.kind) {
    case StreamKind::kAudio:
      desc.sample_rate_hz = std::max(0, par.sample_rate);
      desc.channels = std::max(0, par.ch_layout.nb_channels);
      break;
    case StreamKind::kVideo: {
      desc.width = std::max(0, par.width);
      desc.height = std::max(0, par.height);
      AVRational rate = stream.avg_frame_rate;
      if (rate.num <= 0 || rate.den <= 0) rate = stream.r_frame_rate;
      if (rate.num > 0 && rate.den > 0) desc.frame_rate_hz = av_q2d(rate);
      desc.rotation_deg = display_rotation_deg(stream);
      break;
    }
    case StreamKind::kAttachment:
      desc.attachment_filename = metadata_value(stream.metadata, "filename");
      desc.attachment_mimetype = metadata_value(stream.metadata, "mimetype");
      desc.attachment_size_bytes = std::max(0, par.extradata_size);
      break;
    default:
      break;
  }
  return desc;
}

}  // namespace

std::string_view stream_kind_name(StreamKind kind) {
  switch (kind) {
    case StreamKind::kAudio: return "audio";
    case StreamKind::kVideo: return "video";
    case StreamKind::kSubtitle: return "subtitle";
    case StreamKind::kData: return "data";
    case StreamKind::kAttachment: return "attachment";
    case StreamKind::kOther: break;
  }
  return "other";
}

// ---- Packet -------------------------------------------------------------------------------

void Packet::Deleter::operator()(AVPacket* packet) const { av_packet_free(&packet); }

bool Packet::empty() const {
  return !packet_ ||
         (packet_->data == nullptr && packet_->size == 0 && packet_->side_data_elems == 0);
}

int Packet::stream_index() const { return empty() ? -1 : packet_->stream_index; }

std::optional<double> Packet::pts_s() const {
  if (empty()) return std::nullopt;
  const std::int64_t timestamp = packet_->pts != AV_NOPTS_VALUE ? packet_->pts : packet_->dts;
  if (timestamp == AV_NOPTS_VALUE || packet_->time_base.den == 0) return std::nullopt;
  return static_cast<double>(timestamp) * av_q2d(packet_->time_base);
}

double Packet::duration_s() const {
  if (empty() || packet_->duration <= 0) return 0.0;
  return seconds(packet_->duration, packet_->time_base);
}

bool Packet::is_keyframe() const { return !empty() && (packet_->flags & AV_PKT_FLAG_KEY) != 0; }

bool Packet::is_corrupt() const {
  return !empty() && (packet_->flags & AV_PKT_FLAG_CORRUPT) != 0;
}

std::size_t Packet::size_bytes() const {
  return empty() ? 0 : static_cast<std::size_t>(std::max(0, packet_->size));
}

std::int64_t Packet::position_bytes() const { return empty() ? -1 : packet_->pos; }

// ---- Demuxer ------------------------------------------------------------------------------

struct Demuxer::Impl {
  FormatContextPtr context;
  OpenLimits limits;
  std::string display_name;
  std::uint64_t size_bytes = 0;
  std::string format_name;
  std::string format_long_name;
  double duration_s = 0.0;
  bool duration_is_estimate = false;
  double start_time_s = 0.0;
  std::int64_t bit_rate = 0;
  MetadataPairs format_metadata;
  std::vector<StreamDesc> streams;
  std::vector<ChapterDesc> chapters;
  std::vector<ProgramDesc> programs;
  std::optional<std::set<int>> kept_streams;  // set by set_discard_all_except
};

Demuxer::Demuxer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Demuxer::Demuxer(Demuxer&&) noexcept = default;
Demuxer& Demuxer::operator=(Demuxer&&) noexcept = default;
Demuxer::~Demuxer() = default;

Result<Demuxer> Demuxer::open(const std::filesystem::path& path, const OpenLimits& limits) {
  const std::string name = path.string();
  std::error_code error;
  const std::filesystem::file_status file_status = std::filesystem::status(path, error);
  if (error && error != std::errc::no_such_file_or_directory) {
    return Status::io_error(name + ": cannot access: " + error.message());
  }
  if (error || !std::filesystem::exists(file_status)) {
    return Status::not_found(name + ": no such file");
  }
  if (std::filesystem::is_directory(file_status)) {
    return Status::io_error(name + ": is a directory, not a media file");
  }
  if (!std::filesystem::is_regular_file(file_status)) {
    return Status::io_error(name + ": not a regular file (FIFO, socket or device)");
  }
  const std::uintmax_t size_bytes = std::filesystem::file_size(path, error);
  if (error) return Status::io_error(name + ": cannot read size: " + error.message());
  if (size_bytes == 0) return Status::unsupported(name + ": empty file (0 bytes)");

  DictionaryPtr options;
  int option_ret = set_option(options, "protocol_whitelist", "file");
  if (option_ret >= 0 && limits.probe_size_bytes > 0) {
    option_ret = set_option(options, "probesize", std::to_string(limits.probe_size_bytes));
  }
  if (option_ret >= 0 && limits.analyze_duration_s > 0.0) {
    option_ret = set_option(
        options, "analyzeduration",
        std::to_string(static_cast<std::int64_t>(limits.analyze_duration_s * AV_TIME_BASE)));
  }
  if (option_ret < 0) {
    return av_error_status(option_ret, name + ": set demuxer options", StatusCode::kInternal);
  }

  const std::string url = "file:" + name;
  AVFormatContext* raw_context = nullptr;
  AVDictionary* raw_options = options.release();  // replaced by the options left unused
  const int open_ret = avformat_open_input(&raw_context, url.c_str(), nullptr, &raw_options);
  options.reset(raw_options);
  FormatContextPtr context{raw_context};  // null on failure: FFmpeg freed it already
  if (open_ret < 0) {
    if (open_ret == AVERROR_INVALIDDATA) {
      if (const std::optional<std::string> damage = iso_file_damage(path, size_bytes)) {
        return Status::corrupt_input(name + ": " + *damage);
      }
      return Status::unsupported(name + ": not a media file FFmpeg can open (" +
                                 av_error_string(open_ret) + ")");
    }
    // Only the file protocol reports these, when the file went away or is not readable.
    if (open_ret == AVERROR(ENOENT)) {
      return av_error_status(open_ret, name + ": cannot open", StatusCode::kNotFound);
    }
    if (open_ret == AVERROR(EACCES)) {
      return av_error_status(open_ret, name + ": cannot open", StatusCode::kIoError);
    }
    return av_error_status(open_ret, name + ": cannot open as media", StatusCode::kUnsupported);
  }
  if (!context) return Status::internal(name + ": FFmpeg returned no format context");

  const int info_ret = avformat_find_stream_info(context.get(), nullptr);
  if (info_ret < 0) {
    return av_error_status(info_ret, name + ": cannot read stream parameters",
                           StatusCode::kCorruptInput);
  }

  if (context->nb_streams > static_cast<unsigned>(std::max(0, limits.max_streams))) {
    return Status::limit_exceeded(name + ": " + std::to_string(context->nb_streams) +
                                  " streams, more than the limit of " +
                                  std::to_string(limits.max_streams));
  }
  if (context->nb_chapters > static_cast<unsigned>(std::max(0, limits.max_chapters))) {
    return Status::limit_exceeded(name + ": " + std::to_string(context->nb_chapters) +
                                  " chapters, more than the limit of " +
                                  std::to_string(limits.max_chapters));
  }
  if (context->nb_programs > static_cast<unsigned>(std::max(0, limits.max_programs))) {
    return Status::limit_exceeded(name + ": " + std::to_string(context->nb_programs) +
                                  " programs, more than the limit of " +
                                  std::to_string(limits.max_programs));
  }

  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  impl->display_name = name;
  impl->size_bytes = size_bytes;
  if (context->iformat) {
    if (context->iformat->name) impl->format_name = context->iformat->name;
    if (context->iformat->long_name) impl->format_long_name = context->iformat->long_name;
  }
  if (context->duration != AV_NOPTS_VALUE && context->duration > 0) {
    impl->duration_s = static_cast<double>(context->duration) / AV_TIME_BASE;
  }
  impl->duration_is_estimate = context->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE ||
                               impl->format_name == "avi";
  if (context->start_time != AV_NOPTS_VALUE) {
    impl->start_time_s = static_cast<double>(context->start_time) / AV_TIME_BASE;
  }
  impl->bit_rate = std::max<std::int64_t>(0, context->bit_rate);
  impl->format_metadata = to_pairs(context->metadata);

  for (unsigned i = 0; i < context->nb_streams; ++i) {
    StreamDesc desc = describe_stream(*context->streams[i]);
    if (desc.kind == StreamKind::kVideo && !desc.is_attached_picture &&
        (desc.width > limits.max_width_px || desc.height > limits.max_height_px)) {
      return Status::limit_exceeded(
          name + ": video stream " + std::to_string(desc.index) + " is " +
          std::to_string(desc.width) + "x" + std::to_string(desc.height) +
          " pixels, more than the limit of " + std::to_string(limits.max_width_px) + "x" +
          std::to_string(limits.max_height_px));
    }
    impl->streams.push_back(std::move(desc));
  }
  for (unsigned i = 0; i < context->nb_chapters; ++i) {
    const AVChapter& chapter = *context->chapters[i];
    ChapterDesc desc;
    desc.index = static_cast<int>(i);
    desc.start_s = seconds(chapter.start, chapter.time_base);
    desc.end_s = seconds(chapter.end, chapter.time_base);
    desc.metadata = to_pairs(chapter.metadata);
    impl->chapters.push_back(std::move(desc));
  }
  for (unsigned i = 0; i < context->nb_programs; ++i) {
    const AVProgram& program = *context->programs[i];
    ProgramDesc desc;
    desc.id = program.id;
    for (unsigned k = 0; k < program.nb_stream_indexes; ++k) {
      desc.stream_indices.push_back(static_cast<int>(program.stream_index[k]));
    }
    desc.metadata = to_pairs(program.metadata);
    impl->programs.push_back(std::move(desc));
  }
  impl->context = std::move(context);
  return Demuxer(std::move(impl));
}

const std::string& Demuxer::display_name() const { return impl_->display_name; }
std::uint64_t Demuxer::size_bytes() const { return impl_->size_bytes; }
const std::string& Demuxer::format_name() const { return impl_->format_name; }
const std::string& Demuxer::format_long_name() const { return impl_->format_long_name; }
double Demuxer::duration_s() const { return impl_->duration_s; }
bool Demuxer::duration_is_estimate() const { return impl_->duration_is_estimate; }
double Demuxer::start_time_s() const { return impl_->start_time_s; }
std::int64_t Demuxer::bit_rate() const { return impl_->bit_rate; }
const MetadataPairs& Demuxer::format_metadata() const { return impl_->format_metadata; }
const std::vector<StreamDesc>& Demuxer::streams() const { return impl_->streams; }
const std::vector<ChapterDesc>& Demuxer::chapters() const { return impl_->chapters; }
const std::vector<ProgramDesc>& Demuxer::programs() const { return impl_->programs; }

const AVStream* Demuxer::av_stream(int index) const {
  if (!impl_ || index < 0 || static_cast<std::size_t>(index) >= impl_->streams.size()) {
    return nullptr;
  }
  return impl_->context->streams[index];
}

int Demuxer::indexed_keyframes(int stream_index) const {
  const AVStream* stream = av_stream(stream_index);
  if (stream == nullptr) return -1;
  const int entries = avformat_index_get_entries_count(stream);
  int keyframes = 0;
  for (int i = 0; i < entries; ++i) {
    const AVIndexEntry* entry = avformat_index_get_entry(const_cast<AVStream*>(stream), i);
    if (entry != nullptr && (entry->flags & AVINDEX_KEYFRAME) != 0) ++keyframes;
  }
  return keyframes;
}

int Demuxer::best_stream(StreamKind kind) const {
  const AVMediaType type = media_type_of(kind);
  if (type == AVMEDIA_TYPE_UNKNOWN) return -1;
  const int best = av_find_best_stream(impl_->context.get(), type, -1, -1, nullptr, 0);
  if (best < 0 || static_cast<std::size_t>(best) >= impl_->streams.size()) return -1;
  if (kind != StreamKind::kVideo || !impl_->streams[best].is_attached_picture) return best;
  for (const StreamDesc& desc : impl_->streams) {  // FFmpeg chose cover art; find real video
    if (desc.kind == StreamKind::kVideo && !desc.is_attached_picture) return desc.index;
  }
  return -1;
}

void Demuxer::set_discard_all_except(const std::set<int>& stream_indices) {
  AVFormatContext* context = impl_->context.get();
  for (unsigned i = 0; i < context->nb_streams; ++i) {
    context->streams[i]->discard =
        stream_indices.count(static_cast<int>(i)) ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
  }
  impl_->kept_streams = stream_indices;
}

Result<bool> Demuxer::read_packet(Packet& packet) {
  if (!packet.packet_) {
    packet.packet_.reset(av_packet_alloc());
    if (!packet.packet_) return Status::internal(impl_->display_name + ": cannot allocate a packet");
  }
  AVFormatContext* context = impl_->context.get();
  AVPacket* raw = packet.packet_.get();
  int retries = 0;
  for (;;) {
    av_packet_unref(raw);
    const int ret = av_read_frame(context, raw);
    if (ret == AVERROR(EAGAIN) && ++retries < kMaxReadRetries) continue;
    // A failed read of the file itself leaves its mark on the I/O context; anything else a
    // demuxer reports (EIO and EINVAL included) is about the data it read.
    const bool device_error = ret < 0 && context->pb && context->pb->error < 0 &&
                              context->pb->error != AVERROR_EOF;
    if (device_error) {
      return av_error_status(context->pb->error, impl_->display_name + ": read packet",
                             StatusCode::kIoError);
    }
    if (ret == AVERROR_EOF) return false;
    if (ret < 0) {
      return av_error_status(ret, impl_->display_name + ": read packet",
                             StatusCode::kCorruptInput);
    }
    retries = 0;
    if (context->nb_streams > static_cast<unsigned>(std::max(0, impl_->limits.max_streams))) {
      av_packet_unref(raw);
      return Status::limit_exceeded(impl_->display_name + ": more than " +
                                    std::to_string(impl_->limits.max_streams) +
                                    " streams appeared while reading");
    }
    const int index = raw->stream_index;
    if (index < 0 || static_cast<unsigned>(index) >= context->nb_streams) continue;
    AVStream* stream = context->streams[index];
    if (static_cast<std::size_t>(index) >= impl_->streams.size()) {
      // A stream that appeared after open: not described, so never handed out.
      stream->discard = AVDISCARD_ALL;
      continue;
    }
    if (impl_->kept_streams && !impl_->kept_streams->count(index)) continue;
    raw->time_base = stream->time_base;
    return true;
  }
}

}  // namespace wm::io
