// route_ffmpeg_log: FFmpeg's log lines into a host's LogSink.
//
// FFmpeg has one process-wide log callback, so this is the one piece of global state in the
// io module, and only a host may set it (the library never calls route_ffmpeg_log itself and
// never calls av_log_set_level). The callback below filters by the requested level itself;
// FFmpeg's own level is left alone.
//
// FFmpeg may log from any thread (frame threads, find_stream_info), and it often builds one
// line from several av_log calls ("Input #0, ..." then the rest). Each thread therefore keeps
// its own partial line and its own "print prefix" state; a line reaches the sink when its
// newline arrives. The sink itself is swapped under a mutex and called outside it, so a
// second route_ffmpeg_log call while FFmpeg logs on another thread is safe.
#include <cstdarg>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "wm/log.h"

extern "C" {
#include <libavutil/log.h>
}

namespace wm {
namespace {

struct Route {
  LogSink sink;
  LogLevel min_level = LogLevel::kWarning;
  std::uint64_t generation = 0;  // which route_ffmpeg_log call made it
};

std::mutex g_route_mutex;
std::shared_ptr<const Route> g_route;  // guarded by g_route_mutex; null or empty sink: silent
std::uint64_t g_generation = 0;        // guarded by g_route_mutex

// Longest line handed to a sink; longer lines are cut (FFmpeg's own default does the same).
constexpr std::size_t kMaxLineBytes = 4096;

std::shared_ptr<const Route> current_route() {
  std::lock_guard<std::mutex> lock(g_route_mutex);
  return g_route;
}

// FFmpeg level -> our level; false for levels we never forward (quiet, trace).
bool map_level(int av_level, LogLevel& level) {
  if (av_level < AV_LOG_PANIC) return false;  // AV_LOG_QUIET
  if (av_level <= AV_LOG_ERROR) {
    level = LogLevel::kError;
  } else if (av_level <= AV_LOG_WARNING) {
    level = LogLevel::kWarning;
  } else if (av_level <= AV_LOG_INFO) {
    level = LogLevel::kInfo;
  } else if (av_level <= AV_LOG_DEBUG) {
    level = LogLevel::kDebug;  // verbose and debug
  } else {
    return false;  // trace: per-packet noise nobody asks a scanner for
  }
  return true;
}

struct PendingLine {
  std::string text;
  std::uint64_t generation = 0;  // a line started under an older route is dropped
  LogLevel level = LogLevel::kDebug;
  int print_prefix = 1;  // av_log_format_line2's state: 1 when the next piece starts a line
};

void log_callback(void* avcl, int av_level, const char* format, va_list args) {
  LogLevel level;
  if (!map_level(av_level, level)) return;
  const std::shared_ptr<const Route> route = current_route();
  if (!route || !route->sink || level < route->min_level) return;

  thread_local PendingLine pending;
  if (pending.generation != route->generation) {
    pending.text.clear();
    pending.generation = route->generation;
  }
  char piece[1024];
  const bool starts_line = pending.text.empty();
  const int length = av_log_format_line2(avcl, av_level, format, args, piece, sizeof(piece),
                                         &pending.print_prefix);
  if (length < 0) return;
  if (starts_line) pending.level = level;
  if (level > pending.level) pending.level = level;  // a line is as severe as its worst piece
  if (pending.text.size() < kMaxLineBytes) pending.text.append(piece);
  // A piece longer than the buffer lost its end, newline included; treat it as a whole line.
  const bool truncated = static_cast<std::size_t>(length) >= sizeof(piece);
  if (!truncated && (pending.text.empty() || pending.text.back() != '\n')) return;

  std::string line = std::move(pending.text);
  pending.text.clear();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.size() > kMaxLineBytes) line.resize(kMaxLineBytes);
  if (line.empty()) return;
  try {
    route->sink(pending.level, line);
  } catch (...) {
    // A throwing sink must not unwind through FFmpeg's C frames; the line is dropped.
  }
}

}  // namespace

void route_ffmpeg_log(LogSink sink, LogLevel min_level) {
  auto route = std::make_shared<Route>();
  route->sink = std::move(sink);
  route->min_level = min_level;
  {
    std::lock_guard<std::mutex> lock(g_route_mutex);
    route->generation = ++g_generation;
    g_route = std::move(route);
  }
  av_log_set_callback(log_callback);  // idempotent: the same callback every time
}

}  // namespace wm
