// run_media_pass: one read of the file feeding both decoders.
//
//   read_packet ─┬─ audio stream ─> AudioDecoder ─> on_audio
//                ├─ video stream ─> VideoDecoder ─> on_video   (until max_frames are kept)
//                └─ (other streams are discarded by the demuxer)
//
// Glitch tolerance: a decoder's corrupt_input for one packet is counted and skipped while the
// damage looks isolated (limits in MediaPassSpec); a callback's own error is never mistaken
// for a glitch, because the wrapped sinks remember what the callback returned. A read error
// mid-file stops the pass, but the frames the decoders still hold are flushed out first: they
// come from data that was read intact.
#include "io/media_pass.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace wm::io {
namespace {

constexpr std::size_t kMaxKeptMessages = 8;

// Progress as a fraction of the duration (byte position when the duration is unknown),
// non-decreasing, reported in steps.
class ProgressReporter {
 public:
  ProgressReporter(const Demuxer& demuxer, double step, std::function<void(double)> callback)
      : start_s_(demuxer.start_time_s()),
        duration_s_(demuxer.duration_s()),
        size_bytes_(demuxer.size_bytes()),
        step_(std::max(0.0, step)),
        callback_(std::move(callback)) {}

  void update(const Packet& packet) {
    if (!callback_) return;
    double fraction = -1.0;
    const std::optional<double> pts_s = packet.pts_s();
    if (duration_s_ > 0.0 && pts_s) {
      fraction = (*pts_s - start_s_) / duration_s_;
    } else if (size_bytes_ > 0 && packet.position_bytes() >= 0) {
      fraction = static_cast<double>(packet.position_bytes()) / static_cast<double>(size_bytes_);
    }
    if (fraction < 0.0) return;
    fraction = std::min(fraction, 1.0);
    if (fraction >= reported_ + step_ && fraction > reported_) {
      reported_ = fraction;
      callback_(fraction);
    }
  }

  void finish() {
    if (callback_ && reported_ < 1.0) {
      reported_ = 1.0;
      callback_(1.0);
    }
  }

 private:
  double start_s_;
  double duration_s_;
  std::uint64_t size_bytes_;
  double step_;
  std::function<void(double)> callback_;
  double reported_ = 0.0;
};

Status check_stream(const Demuxer& demuxer, int index, StreamKind kind, bool has_callback) {
  if (index < 0) return Status::ok();
  const std::vector<StreamDesc>& streams = demuxer.streams();
  if (static_cast<std::size_t>(index) >= streams.size() || streams[index].kind != kind) {
    return Status::invalid_argument(demuxer.display_name() + ": stream " + std::to_string(index) +
                                    " is not " + std::string(stream_kind_name(kind)));
  }
  if (!has_callback) {
    return Status::invalid_argument("media pass: " + std::string(stream_kind_name(kind)) +
                                    " stream chosen without a callback");
  }
  return Status::ok();
}

}  // namespace

Status run_media_pass(Demuxer& demuxer, const MediaPassSpec& spec,
                      const MediaPassCallbacks& callbacks, PassStats* stats) {
  PassStats local_stats;
  PassStats& s = stats ? *stats : local_stats;
  s = PassStats{};

  WM_RETURN_IF_ERROR(check_stream(demuxer, spec.audio_stream_index, StreamKind::kAudio,
                                  static_cast<bool>(callbacks.on_audio)));
  WM_RETURN_IF_ERROR(check_stream(demuxer, spec.video_stream_index, StreamKind::kVideo,
                                  static_cast<bool>(callbacks.on_video)));
  if (spec.max_corrupt_packets < 0 || spec.max_consecutive_corrupt_packets < 0) {
    return Status::invalid_argument("media pass: corrupt packet limits must be >= 0");
  }
  ProgressReporter progress(demuxer, spec.progress_step, callbacks.on_progress);
  if (spec.audio_stream_index < 0 && spec.video_stream_index < 0) {
    progress.finish();  // nothing chosen, nothing to read
    return Status::ok();
  }

  std::optional<AudioDecoder> audio;
  if (spec.audio_stream_index >= 0) {
    WM_ASSIGN_OR_RETURN(AudioDecoder decoder,
                        AudioDecoder::create(demuxer, spec.audio_stream_index, spec.audio));
    audio.emplace(std::move(decoder));
  }
  std::optional<VideoDecoder> video;
  if (spec.video_stream_index >= 0) {
    WM_ASSIGN_OR_RETURN(VideoDecoder decoder,
                        VideoDecoder::create(demuxer, spec.video_stream_index, spec.video));
    video.emplace(std::move(decoder));
  }
  struct VideoStatsOnExit {
    PassStats& stats;
    const std::optional<VideoDecoder>& video;
    ~VideoStatsOnExit() {
      if (video) {
        stats.video_frames_decoded = video->frames_decoded();
        stats.video_frames_kept = video->frames_kept();
        stats.video_frames_damaged = video->damaged();
      }
    }
  } video_stats_on_exit{s, video};

  std::set<int> chosen;
  if (audio) chosen.insert(audio->stream_index());
  if (video) chosen.insert(video->stream_index());
  demuxer.set_discard_all_except(chosen);

  Status callback_error;  // what a callback returned, so it is never taken for a glitch
  const AudioSink audio_sink = [&](const AudioBlock& block) {
    ++s.audio_blocks;
    s.audio_frames += static_cast<std::int64_t>(block.frames);
    Status status = callbacks.on_audio(block);
    if (!status.is_ok()) callback_error = status;
    return status;
  };
  const VideoSink video_sink = [&](const VideoFrame& frame) {
    Status status = callbacks.on_video(frame);
    if (!status.is_ok()) callback_error = status;
    return status;
  };

  int audio_consecutive = 0;
  int video_consecutive = 0;
  // Decides whether a decoder's result stops the pass.
  auto absorb = [&](Status status, int& consecutive, const std::optional<double>& pts_s) -> Status {
    if (status.is_ok()) {
      consecutive = 0;
      return status;
    }
    if (!callback_error.is_ok()) return callback_error;
    if (status.code() != StatusCode::kCorruptInput) return status;
    ++s.corrupt_packets;
    ++consecutive;
    if (s.corrupt_packet_messages.size() < kMaxKeptMessages) {
      std::string message = status.message();
      if (pts_s) message += " (at " + std::to_string(*pts_s) + " s)";
      s.corrupt_packet_messages.push_back(std::move(message));
    }
    if (s.corrupt_packets > spec.max_corrupt_packets ||
        consecutive > spec.max_consecutive_corrupt_packets) {
      return status;
    }
    return Status::ok();
  };
  auto flush_decoders = [&]() -> Status {
    if (audio) WM_RETURN_IF_ERROR(absorb(audio->flush(audio_sink), audio_consecutive, {}));
    if (video) WM_RETURN_IF_ERROR(absorb(video->flush(video_sink), video_consecutive, {}));
    return Status::ok();
  };

  bool stopped_early = false;
  bool video_read_to_end = true;
  std::map<int, double> end_s;
  Packet packet;
  for (;;) {
    if (callbacks.is_cancelled && callbacks.is_cancelled()) {
      return Status::cancelled(demuxer.display_name() + ": cancelled");
    }
    Result<bool> read = demuxer.read_packet(packet);
    if (!read.is_ok()) {
      // Frames decoded from intact data are still delivered; the read error is what the caller
      // must see, so a flush problem here does not replace it.
      const Status flushed = flush_decoders();
      static_cast<void>(flushed);
      return read.status();
    }
    if (!read.value()) break;
    ++s.packets_read;
    const int index = packet.stream_index();
    if (const std::optional<double> pts_s = packet.pts_s()) {
      const double packet_end_s = *pts_s + packet.duration_s();
      const auto [it, inserted] = end_s.emplace(index, packet_end_s);
      if (!inserted) it->second = std::max(it->second, packet_end_s);
    }
    if (audio && index == audio->stream_index()) {
      WM_RETURN_IF_ERROR(absorb(audio->decode(packet, audio_sink), audio_consecutive,
                                packet.pts_s()));
    } else if (video && index == video->stream_index()) {
      WM_RETURN_IF_ERROR(absorb(video->decode(packet, video_sink), video_consecutive,
                                packet.pts_s()));
      if (video->is_done()) {
        if (!audio) {
          stopped_early = true;
          break;
        }
        demuxer.set_discard_all_except({audio->stream_index()});  // stop reading video
        video_read_to_end = false;
      }
    }
    progress.update(packet);
  }

  WM_RETURN_IF_ERROR(flush_decoders());
  s.reached_end_of_file = !stopped_early;
  if (!stopped_early) {
    if (!video_read_to_end) end_s.erase(video->stream_index());
    s.stream_end_s = std::move(end_s);
  }
  progress.finish();
  return Status::ok();
}

}  // namespace wm::io
