// Scanning entry points: scan_file() for a path, Session for hosts that decode themselves.
//
// Threading contract (tested by tests/unit/scan/threading_test.cpp, also under
// ThreadSanitizer with `make tsan`):
//  - available_detectors(), scan_file() and Session::create() may be called from any number of
//    threads at once. Concurrent scans share nothing mutable that the host can observe: each
//    scan has its own decoders, detectors and OCR engine; what they share inside the library
//    (the FFT plan caches, made under one lock around FFTW's planner; Tesseract's one
//    process-global setting, made once) is created under a lock and then only read.
//    The same file, options and library version give the same Report whether the scan runs
//    alone or beside others.
//  - A ScanOptions object is only read during the call, so one object may be passed to many
//    concurrent scans. Its `log` sink is then called from all of those threads at once: make it
//    thread-safe.
//  - Hooks (ScanHooks) are called synchronously on the thread that called scan_file, never
//    after it returns, never concurrently with each other within one scan. They must not
//    throw. State a hook shares with other threads (a cancel flag set by a GUI thread) is the
//    host's to synchronise: use std::atomic<bool> or a mutex.
//  - One Session is used by one thread at a time (calls may move between threads if the host
//    orders them, e.g. with a mutex); different Sessions are independent.
//  - FFmpeg keeps one process-wide log callback. The library never touches it; a host that
//    wants FFmpeg's messages calls route_ffmpeg_log() (wm/log.h) once, before scans start.
//    That sink is called from every scanning thread and from FFmpeg's own decoding threads.
//  - FFTW's planner is process-global and not thread-safe. The library serialises its own
//    planning; a host that also makes FFTW plans on other threads while scans run must first
//    call fftw_make_planner_thread_safe() / fftwf_make_planner_thread_safe().
//  - OpenCV may use its own worker threads inside one scan (cv::parallel_for_); the library
//    does not change OpenCV's global thread settings.
#ifndef WM_SCAN_H_
#define WM_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "wm/export.h"
#include "wm/log.h"
#include "wm/report.h"
#include "wm/status.h"

namespace wm {

// One tunable of a detector, self-described (drives `wmscan detectors` and docs).
struct ParameterDescription {
  std::string name;
  std::string description;
  std::string default_value;
  std::string range;  // human-readable, e.g. "0..1" or "true|false"
};

struct DetectorDescription {
  std::string id;       // family-level id used in ScanOptions::detectors: "meta"
  std::string version;  // bumped when results may change
  std::string purpose;  // one line
  std::vector<std::string> finding_ids;  // detector ids its findings carry ("meta.email", ...)
  std::vector<ParameterDescription> parameters;
};

// The detector families built into this library. A family that is not built is not listed.
WM_EXPORT std::vector<DetectorDescription> available_detectors();

struct ScanOptions {
  // Families to run; empty means all available. Unknown names are an invalid_argument error.
  std::set<std::string> detectors;
  // Look beside the file for sidecars (chat .txt, .vtt transcripts) and at the file name.
  bool inspect_neighbours = true;
  // Per-detector parameters, "family.name" -> value (see available_detectors()).
  std::map<std::string, std::string> parameters;
  // Guards against absurd input.
  std::uint64_t max_metadata_bytes = 64ull << 20;  // largest metadata box/chunk we load
  LogSink log;                                     // may be empty
};

struct Progress {
  double fraction = 0.0;  // 0..1, monotonically non-decreasing within one scan
  // In this order (a stage may be skipped): "open", "metadata", "media" (the one pass over
  // the audio and video), "analysis" (the detectors' final analyses), "done".
  std::string stage;
};

struct ScanHooks {
  // Progress, in order and throttled: a call is made only when the stage changes or the
  // fraction has grown by at least 0.01 since the last call, so one scan makes at most
  // ~105 calls however long the file. When scan_file returns a Report, the last call is
  // {1.0, "done"} (also for a cancelled scan); when it returns an error, there is no "done".
  std::function<void(const Progress&)> on_progress;
  // Each finding as soon as it is known (before scan_file returns; the Report has them too).
  std::function<void(const Finding&)> on_finding;
  // Cancel. Polled before every demuxed packet and between small units of the final
  // analyses (at most a few milliseconds of work apart in an optimised build), so a scan
  // stops within 250 ms of work after the first `true` (tests/unit/scan/cancel_test.cpp
  // measures the CPU time spent after the cancel). The first `true` is final: the hook is
  // not called again during that scan. The scan then returns a Report with complete ==
  // false, status kPartial and an error line saying it was cancelled; findings already made
  // are kept, and what was skipped is listed in not_checked.
  std::function<bool()> is_cancelled;
};

// Scans one file. The file is opened read-only and never modified; nothing is written
// beside it. A file that cannot be opened as media gives an error Result whose message names
// the file and the cause. A scan that starts but cannot finish (cancel, broken structure)
// gives a Report with complete == false and status kPartial.
[[nodiscard]] WM_EXPORT Result<Report> scan_file(const std::filesystem::path& path,
                                                 const ScanOptions& options, const ScanHooks& hooks = {});

// ---- push mode ---------------------------------------------------------------------------

struct StreamInfo {
  std::string name;  // what the report calls the input ("live capture", a file name)
  bool has_audio = false;
  int sample_rate_hz = 0;
  int channels = 0;
  bool has_video = false;
  int width = 0;
  int height = 0;
};

// Interleaved float32 audio: `frames` multi-channel sample frames (not samples), so `data`
// holds frames * channels values. Not owned; only read during the call.
struct AudioView {
  const float* data = nullptr;
  std::size_t frames = 0;
  int channels = 0;
  double pts_s = 0.0;
};

enum class PixelFormat { kGray8, kBgr24, kRgb24 };

// One video frame; `stride_bytes` per row. Not owned; only read during the call.
struct FrameView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int stride_bytes = 0;
  PixelFormat format = PixelFormat::kGray8;
  double pts_s = 0.0;
};

using MetadataMap = std::map<std::string, std::string>;

// Call order: create, then any mix of feed_audio/feed_video/add_metadata, then finish once.
// One Session is used from one thread at a time (see the threading contract above). A
// Session has no cancel hook: the host decides how much to feed; finish() runs the final
// analyses over what was fed.
class WM_EXPORT Session {
 public:
  static Result<Session> create(const StreamInfo& info, const ScanOptions& options);
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  Status feed_audio(const AudioView& audio);
  Status feed_video(const FrameView& frame);
  Status add_metadata(const MetadataMap& metadata);
  Result<Report> finish();

 private:
  struct State;
  explicit Session(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace wm

#endif  // WM_SCAN_H_
