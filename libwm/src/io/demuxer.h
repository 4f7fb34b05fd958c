// Demuxer: one media file opened read-only through libavformat, described and read once.
//
// Call order: open(), then any of the describing accessors (they return a snapshot taken at
// open time, after avformat_find_stream_info), then optionally set_discard_all_except(), then
// read_packet() until it returns false. Packets go to an AudioDecoder / VideoDecoder created
// for this demuxer (see audio_decoder.h, video_decoder.h) or to run_media_pass (media_pass.h).
//
// Ownership and threading: a Demuxer owns its FFmpeg context and file handle; it is movable,
// not copyable, and used from one thread at a time. A moved-from Demuxer may only be destroyed
// or assigned to. The file is never written; nothing is created beside it. Only the "file"
// protocol is allowed, so a playlist or a name like "http:x" cannot make FFmpeg reach out.
//
// This header includes no FFmpeg header; FFmpeg types appear only as forward declarations.
#ifndef WM_IO_DEMUXER_H_
#define WM_IO_DEMUXER_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wm/status.h"

struct AVPacket;
struct AVStream;

namespace wm::io {

// Key/value pairs in the order the container stores them (an AVDictionary, flattened).
// Keys may repeat; values are UTF-8 as FFmpeg reports them.
using MetadataPairs = std::vector<std::pair<std::string, std::string>>;

enum class StreamKind { kAudio, kVideo, kSubtitle, kData, kAttachment, kOther };

// Stable lower-case name: "audio", "video", "subtitle", "data", "attachment", "other".
std::string_view stream_kind_name(StreamKind kind);

// One stream as the container (and avformat_find_stream_info) describes it. Fields that do
// not apply to the stream's kind, or that the container does not know, are 0 / empty.
struct StreamDesc {
  int index = 0;
  StreamKind kind = StreamKind::kOther;
  std::string codec_name;      // FFmpeg's short codec name: "aac", "h264", "none" if unknown
  double start_s = 0.0;        // first timestamp on the stream's timeline; 0 when unknown
  double duration_s = 0.0;     // 0 when unknown
  std::int64_t bit_rate_bps = 0;
  int sample_rate_hz = 0;      // audio
  int channels = 0;            // audio
  int width = 0;               // video, pixels
  int height = 0;              // video, pixels
  double frame_rate_hz = 0.0;  // video: average frame rate, else the container's base rate
  int rotation_deg = 0;        // video: clockwise turn a player applies (display matrix): 0, 90, 180, 270
  bool is_attached_picture = false;  // cover art (disposition attached_pic): one still image
  MetadataPairs metadata;
  // Attachments (MKV fonts, images, any file): from the stream's "filename" / "mimetype"
  // metadata; the size is that of the attached bytes (codec extradata).
  std::string attachment_filename;
  std::string attachment_mimetype;
  std::int64_t attachment_size_bytes = 0;

  std::string_view kind_name() const { return stream_kind_name(kind); }
};

struct ChapterDesc {
  int index = 0;
  double start_s = 0.0;
  double end_s = 0.0;
  MetadataPairs metadata;  // usually "title"
};

struct ProgramDesc {
  int id = 0;                       // program number (MPEG-TS service id)
  std::vector<int> stream_indices;  // streams that belong to the program
  MetadataPairs metadata;           // e.g. "service_name", "service_provider"
};

// Guards against absurd input, checked at open (and, for streams, while reading).
struct OpenLimits {
  int max_streams = 256;
  int max_width_px = 16384;   // video streams other than attached pictures
  int max_height_px = 16384;
  int max_chapters = 10000;
  int max_programs = 1000;
  std::int64_t probe_size_bytes = 0;  // bytes FFmpeg reads to find streams; 0 = FFmpeg default
  double analyze_duration_s = 0.0;    // media time FFmpeg analyses; 0 = FFmpeg default
};

// One demuxed packet: a small owning wrapper around an AVPacket. Default-constructed it is
// empty; Demuxer::read_packet fills it (reusing its buffer). Movable, not copyable.
class Packet {
 public:
  Packet() = default;
  Packet(Packet&&) noexcept = default;
  Packet& operator=(Packet&&) noexcept = default;
  ~Packet() = default;

  bool empty() const;          // true before the first successful read_packet
  int stream_index() const;    // -1 when empty
  // Presentation time in seconds on the stream's timeline; the decode time stamp when the
  // container gives no presentation time; nullopt when it gives neither.
  std::optional<double> pts_s() const;
  double duration_s() const;   // 0 when unknown
  bool is_keyframe() const;
  bool is_corrupt() const;     // the demuxer flagged the packet as damaged
  std::size_t size_bytes() const;
  std::int64_t position_bytes() const;  // byte offset in the file; -1 when unknown

 private:
  friend class Demuxer;
  friend class AudioDecoder;
  friend class VideoDecoder;
  struct Deleter {
    void operator()(AVPacket* packet) const;
  };
  const AVPacket* get() const { return packet_.get(); }
  std::unique_ptr<AVPacket, Deleter> packet_;
};

class Demuxer {
 public:
  // Opens `path` read-only and reads the stream parameters. Errors name the file:
  //   not_found      the path does not exist
  //   io_error       a directory, not a regular file (FIFO, device), or unreadable
  //   unsupported    zero bytes, or "FILE: not a media file FFmpeg can open (<FFmpeg's words>)"
  //   corrupt_input  FFmpeg opened it but could not read its stream parameters
  //   limit_exceeded too many streams, chapters or programs, or video dimensions over `limits`
  static Result<Demuxer> open(const std::filesystem::path& path, const OpenLimits& limits = {});

  Demuxer(Demuxer&&) noexcept;
  Demuxer& operator=(Demuxer&&) noexcept;
  ~Demuxer();

  const std::string& display_name() const;  // the path as given, used in every message
  std::uint64_t size_bytes() const;

  const std::string& format_name() const;       // FFmpeg's short name: "matroska,webm", "wav"
  const std::string& format_long_name() const;  // "Matroska / WebM"
  double duration_s() const;                    // 0 when unknown
  // True when FFmpeg estimated the durations from the bit rate and the file size (an MP3 without
  // a Xing header, raw streams), and for every AVI: when an AVI's RIFF size runs past the end of
  // the file, FFmpeg scales its frame counts by the part present, and a size never written (a
  // writer on a pipe) makes them nonsense (2^30 frames). Such a duration cannot tell a file cut
  // short.
  bool duration_is_estimate() const;
  double start_time_s() const;                  // container start time; 0 when unknown
  std::int64_t bit_rate() const;                // bits per second; 0 when unknown
  const MetadataPairs& format_metadata() const;
  const std::vector<StreamDesc>& streams() const;
  const std::vector<ChapterDesc>& chapters() const;
  const std::vector<ProgramDesc>& programs() const;

  // FFmpeg's choice of the main stream of `kind` (av_find_best_stream); for kVideo attached
  // pictures are never chosen. -1 when there is none.
  int best_stream(StreamKind kind) const;

  // Key frames the container's index lists for the stream (MP4/MOV sample tables, Matroska
  // cues, AVI idx1), without reading any packet. 0 when the container keeps no index (MPEG-TS,
  // WebM without cues) or the index is not loaded at open; -1 when the stream does not exist.
  int indexed_keyframes(int stream_index) const;

  // Only packets of `stream_indices` are read from now on: other streams are marked
  // AVDISCARD_ALL, so demuxers that can skip them do, and read_packet drops any packet of
  // theirs that still arrives (streams that appear mid-file included). May be called again
  // between packets to narrow or widen the set.
  void set_discard_all_except(const std::set<int>& stream_indices);

  // Reads the next packet into `packet`. true: a packet; false: clean end of file. A read
  // error mid-file is corrupt_input (io_error for a device error) with FFmpeg's message;
  // more streams appearing than OpenLimits::max_streams is limit_exceeded.
  Result<bool> read_packet(Packet& packet);

 private:
  friend class AudioDecoder;
  friend class VideoDecoder;
  struct Impl;
  explicit Demuxer(std::unique_ptr<Impl> impl);
  // The FFmpeg stream behind streams()[index]; null when out of range.
  const AVStream* av_stream(int index) const;

  std::unique_ptr<Impl> impl_;
};

}  // namespace wm::io

#endif  // WM_IO_DEMUXER_H_
