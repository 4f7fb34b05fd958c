// Log sink: the library never prints. Hosts that want diagnostics pass a sink.
// Thread safety: a sink may be called from any thread that runs a scan; make it thread-safe
// if the host runs scans in parallel.
#ifndef WM_LOG_H_
#define WM_LOG_H_

#include <functional>
#include <string_view>

#include "wm/export.h"

namespace wm {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

using LogSink = std::function<void(LogLevel level, std::string_view message)>;

// Opt-in: route FFmpeg's own log messages (which otherwise go to stderr) into `sink`, at or
// above `min_level`. This changes process-wide FFmpeg state, so the library never calls it on
// its own; a host calls it once at start-up, before any scan, if it wants that. Passing an
// empty sink silences FFmpeg's output.
WM_EXPORT void route_ffmpeg_log(LogSink sink, LogLevel min_level = LogLevel::kWarning);

}  // namespace wm

#endif  // WM_LOG_H_
