// VideoDecoder: one video stream of a Demuxer decoded to *sampled* frames.
//
// Finding a static overlay never needs every frame, so the decoder keeps only frames spread
// in time (SamplingSpec) and converts only those (libswscale) to a tightly packed Gray8 /
// BGR24 / RGB24 image. With keyframes_only the codec is told to skip non-key frames
// (AVDISCARD_NONKEY), which is much cheaper; any non-key frame a codec still returns is dropped.
//
// Call order: create() for a stream of an open Demuxer, decode() for each packet of that
// stream in file order, flush() once at the end. Frames reach the sink during decode()/flush(),
// on the calling thread, in presentation order; a frame is only valid during the sink call. A
// sink that returns an error stops the call and that error is returned unchanged. Once
// max_frames frames were kept, is_done() is true and decode() ignores further packets.
//
// Movable, not copyable; one thread at a time. No FFmpeg header is included here.
#ifndef WM_IO_VIDEO_DECODER_H_
#define WM_IO_VIDEO_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "io/demuxer.h"
#include "wm/scan.h"
#include "wm/status.h"

namespace wm::io {

struct SamplingSpec {
  // A decoded frame is kept only if its pts_s >= the last kept frame's pts_s + min_interval_s
  // (the first frame is always kept). 0 keeps every decoded frame. A jump back in time by more
  // than min_interval_s (a timestamp reset) restarts the spacing.
  double min_interval_s = 1.0;
  int max_frames = 0;           // frames to keep at most; 0 = unlimited
  bool keyframes_only = false;  // decode key frames only (skip_frame = AVDISCARD_NONKEY)
  // Output size in pixels; 0 = the decoded frame's. If exactly one is 0 the other follows the
  // decoded frame's pixel aspect (sample aspect ratio is not applied: regions stay in source
  // pixels scaled by a single factor per axis).
  int out_width = 0;
  int out_height = 0;
  PixelFormat format = PixelFormat::kGray8;
  // Kept frames are turned clockwise by this (0, 90, 180 or 270) after the conversion, so they
  // are what a player shows (StreamDesc::rotation_deg); out_width/out_height and the size
  // limits apply before the turn.
  int rotate_clockwise_deg = 0;
  // Decoder threads; 0 lets FFmpeg choose (about one per core, as `ffmpeg` does). Only slice
  // threading is used: with FFmpeg 5.1's frame threading the decoder's damage flags reach the
  // frame only some of the time, and H.264 skips its error concealment, so a damaged file would
  // give different reports from run to run (see DamagedFrames).
  int thread_count = 0;
  // Decoded frames larger than this are refused (limit_exceeded) before any conversion.
  int max_width_px = 16384;
  int max_height_px = 16384;
};

// One sampled frame: `height` rows of `stride_bytes` each, tightly packed
// (stride_bytes == width * bytes per pixel, 1 for kGray8, 3 for kBgr24 / kRgb24). Gray8 and
// the colour formats are full range (0..255), whatever range the source was coded in.
struct VideoFrame {
  int width = 0;
  int height = 0;
  int stride_bytes = 0;
  PixelFormat format = PixelFormat::kGray8;
  double pts_s = 0.0;  // presentation time on the stream's timeline
  bool is_keyframe = false;
  std::vector<std::uint8_t> pixels;

  // A non-owning view for Session::feed_video and detectors.
  FrameView view() const {
    return FrameView{pixels.data(), width, height, stride_bytes, format, pts_s};
  }
};

using VideoSink = std::function<Status(const VideoFrame&)>;

// Frames decoded from damaged data. The decoder hides the damage (error concealment smears
// the neighbouring picture into the hole), and a smear that stays put over a few sampled frames
// looks like an overlay. So a frame FFmpeg flags (decode_error_flags, or AV_FRAME_FLAG_CORRUPT),
// and every frame after it up to the next unflagged key frame (they are predicted from it),
// is counted here and never reaches the sink. B-frames shown before the flagged frame but
// predicted from it are not caught.
struct DamagedFrames {
  std::int64_t flagged = 0;  // frames the decoder flagged as damaged
  std::int64_t left_out = 0;  // flagged frames and the frames after them until a clean key frame
  double first_s = 0.0;       // presentation times of the first and last frame left out
  double last_s = 0.0;
};

class VideoDecoder {
 public:
  // Errors: invalid_argument (not a video stream, bad spec), unsupported (no decoder for the
  // codec), internal (allocation).
  static Result<VideoDecoder> create(const Demuxer& demuxer, int stream_index,
                                     const SamplingSpec& spec = {});

  VideoDecoder(VideoDecoder&&) noexcept;
  VideoDecoder& operator=(VideoDecoder&&) noexcept;
  ~VideoDecoder();

  int stream_index() const;
  bool is_done() const;  // max_frames frames kept: more packets would be wasted work

  // Decodes one packet of this decoder's stream. A packet the codec rejects is corrupt_input
  // "decode video stream N: <FFmpeg's message>"; the decoder stays usable for later packets.
  Status decode(const Packet& packet, const VideoSink& sink);

  // End of stream: drains the frames the codec still holds (B-frame reordering, threads).
  // decode() after flush() is an invalid_argument error.
  Status flush(const VideoSink& sink);

  std::int64_t frames_decoded() const;  // frames the codec returned
  std::int64_t frames_kept() const;     // frames handed to sinks
  const DamagedFrames& damaged() const;  // frames decoded from damaged data, not handed out

 private:
  struct Impl;
  explicit VideoDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wm::io

#endif  // WM_IO_VIDEO_DECODER_H_
