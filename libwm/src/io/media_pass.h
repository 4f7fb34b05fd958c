// run_media_pass: read a file once, decode one audio and/or one video stream, hand out
// AudioBlocks and sampled VideoFrames.
//
// The pass calls set_discard_all_except() on the demuxer with the chosen streams, reads
// packets in file order, sends each to its decoder and, at the end of the file, flushes both
// decoders. Everything runs on the calling thread; callbacks are called in file order.
//
// Outcomes:
//   ok              the file was read to its end (or video sampling finished and there is no
//                   audio to read); `stats` says how many isolated corrupt packets were skipped
//   cancelled       is_cancelled() returned true (polled before every packet)
//   corrupt_input   a read error, or more corrupt packets than tolerated; the message is
//                   FFmpeg's ("decode audio stream 1: Invalid data found when processing input")
//   anything else   a callback's own error, returned unchanged, or a decoder set-up error
// On any error the caller should mark its report incomplete: what was delivered before the
// error is real, but the rest of the file was not seen. `stats` is filled in every case.
#ifndef WM_IO_MEDIA_PASS_H_
#define WM_IO_MEDIA_PASS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "io/audio_decoder.h"
#include "io/demuxer.h"
#include "io/video_decoder.h"
#include "wm/status.h"

namespace wm::io {

struct MediaPassSpec {
  int audio_stream_index = -1;  // -1: no audio
  AudioOutputSpec audio;
  int video_stream_index = -1;  // -1: no video
  SamplingSpec video;
  // Real recordings have glitches: a packet the decoder rejects is skipped and counted, as
  // long as no more than max_corrupt_packets were skipped in all and no more than
  // max_consecutive_corrupt_packets in a row on one stream. Beyond that the pass stops.
  int max_corrupt_packets = 16;
  int max_consecutive_corrupt_packets = 3;
  // on_progress is called when the fraction has grown by at least this much (and at the end).
  double progress_step = 0.01;
};

struct MediaPassCallbacks {
  AudioSink on_audio;                          // required when an audio stream is chosen
  VideoSink on_video;                          // required when a video stream is chosen
  std::function<void(double fraction)> on_progress;  // 0..1, non-decreasing; may be empty
  std::function<bool()> is_cancelled;                 // may be empty
};

struct PassStats {
  std::int64_t packets_read = 0;     // packets of the chosen streams
  std::int64_t audio_blocks = 0;
  std::int64_t audio_frames = 0;     // frames (not samples) delivered
  std::int64_t video_frames_decoded = 0;
  std::int64_t video_frames_kept = 0;  // frames delivered
  DamagedFrames video_frames_damaged;  // decoded from damaged data and not delivered
  int corrupt_packets = 0;           // packets skipped because the decoder rejected them
  std::vector<std::string> corrupt_packet_messages;  // the first few, with stream and time
  bool reached_end_of_file = false;
  // Where the packets of each stream read to the end of the file ended (largest pts + duration,
  // on the stream's timeline), to compare with the duration the container declares. Empty when
  // the pass stopped early; a video stream no longer read once its frames were kept is left out.
  std::map<int, double> stream_end_s;
};

// Errors in the spec (a stream index that is not audio / video, a missing callback) are
// invalid_argument before anything is read.
Status run_media_pass(Demuxer& demuxer, const MediaPassSpec& spec,
                      const MediaPassCallbacks& callbacks, PassStats* stats = nullptr);

}  // namespace wm::io

#endif  // WM_IO_MEDIA_PASS_H_
