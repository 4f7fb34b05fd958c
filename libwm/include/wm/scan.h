// Scanning entry points: scan_file() for a path, Session for hosts that decode themselves.
//
// Threading contract: every function here is re-entrant. Many scans may run at once in one
// process, each with its own ScanOptions; nothing is shared between them except read-only
// tables. Hooks are called on the thread that runs the scan.
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
  std::string stage;      // "open", "metadata", "done"
};

struct ScanHooks {
  std::function<void(const Progress&)> on_progress;  // in order, throttled
  std::function<void(const Finding&)> on_finding;    // as soon as a finding is known
  std::function<bool()> is_cancelled;                // polled; true stops the scan
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
// One Session is used from one thread at a time.
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
