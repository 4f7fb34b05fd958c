// The streaming detector contract (DESIGN.md "Data flow"): start(format), feed(block)...,
// finish(). Audio and video families implement these; the scan pipeline owns the single
// demuxing pass and feeds every enabled detector from it.
//
// Memory is bounded by the detector, never by the file's length: a detector keeps running
// statistics or fixed-size buffers, not the whole stream.
// Threading: one detector instance is used by one thread; instances share nothing mutable.
#ifndef WM_CORE_DETECTOR_H_
#define WM_CORE_DETECTOR_H_

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "wm/report.h"
#include "wm/scan.h"
#include "wm/status.h"

namespace wm::core {

// What a detector reports at the end: its findings, what it could not check, and the id,
// version and parameters it ran with (for the report's "detectors" list).
struct DetectorOutput {
  std::vector<Finding> findings;
  std::vector<NotChecked> not_checked;
  DetectorRun run;
};

struct AudioStreamFormat {
  int sample_rate_hz = 0;  // native rate of the stream as delivered
  int channels = 0;        // interleaved channels in every AudioView
  double duration_s = 0.0; // 0 when unknown
};

// Cancellation inside a detector's own long loops. The scan pipeline hands every detector
// the scan's poll before start(); it is cheap (the pipeline latches the host's answer), so
// feed() and finish() may call cancel_requested() every few milliseconds of work. Once it is
// true a detector stops the work at hand and finish() returns at once with its DetectorRun,
// what it already found, and a not_checked line for what it skipped. Without a poll (unit
// tests, Session) cancel_requested() is always false. Called on the scanning thread only.
class Cancellable {
 public:
  void set_cancel_poll(std::function<bool()> poll) { cancel_poll_ = std::move(poll); }

 protected:
  bool cancel_requested() const { return cancel_poll_ && cancel_poll_(); }

 private:
  std::function<bool()> cancel_poll_;
};

class AudioDetector : public Cancellable {
 public:
  virtual ~AudioDetector() = default;
  virtual Status start(const AudioStreamFormat& format) = 0;
  // Interleaved float32, `audio.frames` frames (not samples) of format.channels each, in
  // order, contiguous in time. Values may be NaN/Inf when a host pushes them: handle it.
  virtual Status feed(const AudioView& audio) = 0;
  // `complete` is false when the stream ended early (cancel, decode error): the detector
  // reports what it saw and must not claim absence over the part it did not see.
  virtual DetectorOutput finish(bool complete) = 0;
};

// Which coded frames the pass decodes. Key frames only skips the decoding of every other
// frame (the bulk of a decode's cost), at the price of seeing the picture only where the
// encoder placed key frames (periodically and at scene cuts).
enum class FrameChoice {
  kAll,                    // decode every frame, keep one per min_interval_s
  kKeyframes,              // decode key frames only
  kKeyframesWhenIndexed,   // key frames only if the container's index lists at least
                           // min_indexed_keyframes of them for the stream, else every frame
};

// What frames a video detector wants from the pass.
struct VideoSamplingRequest {
  double min_interval_s = 0.5;  // at most one frame per this interval
  int max_frames = 0;           // 0 = no limit
  // Frames wider than scaled_width_px are scaled down (keeping aspect) to it, but by no more than
  // max_scale_down (0: by any factor), and never delivered wider than max_width_px
  // (analysed_width_px below). scaled_width_px 0 means max_width_px.
  int max_width_px = 1280;
  int scaled_width_px = 0;
  double max_scale_down = 0.0;
  PixelFormat format = PixelFormat::kGray8;
  FrameChoice frames = FrameChoice::kAll;
  int min_indexed_keyframes = 0;  // for kKeyframesWhenIndexed
};

// The width frames `source_width_px` wide are delivered at under `request`: source_width_px
// itself when they are not scaled down.
inline int analysed_width_px(const VideoSamplingRequest& request, int source_width_px) {
  int width_px = request.scaled_width_px > 0 ? request.scaled_width_px : request.max_width_px;
  if (width_px <= 0) return source_width_px;
  if (request.max_scale_down >= 1.0) {
    width_px = std::max(width_px, static_cast<int>(std::ceil(source_width_px / request.max_scale_down)));
  }
  if (request.max_width_px > 0) width_px = std::min(width_px, request.max_width_px);
  return std::min(width_px, source_width_px);
}

struct VideoStreamFormat {
  int source_width = 0;   // pixels of the coded stream
  int source_height = 0;
  int width = 0;          // pixels of the frames delivered to feed()
  int height = 0;
  double frame_rate_hz = 0.0;
  double duration_s = 0.0;
  bool keyframes_only = false;  // the pass decodes key frames only (FrameChoice)
  int indexed_keyframes = -1;   // key frames the container's index lists; -1 = not looked up
};

class VideoDetector : public Cancellable {
 public:
  virtual ~VideoDetector() = default;
  virtual VideoSamplingRequest sampling() const = 0;
  virtual Status start(const VideoStreamFormat& format) = 0;
  virtual Status feed(const FrameView& frame) = 0;
  virtual DetectorOutput finish(bool complete) = 0;
};

}  // namespace wm::core

#endif  // WM_CORE_DETECTOR_H_
