// The C API (wm/wm.h) over the public C++ API.
//
// Every entry point runs its body inside guarded(): a C++ exception (bad_alloc, a JSON type
// error, a bug) becomes WM_STATUS_INTERNAL with its message in wm_last_error(), never an
// unwind into C. Options arrive as JSON and are parsed into ScanOptions here; reports leave as
// the one-line JSON object the jsonl writer produces (without its newline), in a malloc'd
// buffer the host frees with wm_string_free().
#include "wm/wm.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>

#include "wm/scan.h"
#include "wm/status.h"
#include "wm/version.h"
#include "wm/write.h"

struct wm_session {
  wm::Session session;
  bool show_values = false;
};

namespace wm::capi {
namespace {

thread_local std::string t_last_error;

wm_status to_c(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return WM_STATUS_OK;
    case StatusCode::kInvalidArgument: return WM_STATUS_INVALID_ARGUMENT;
    case StatusCode::kNotFound: return WM_STATUS_NOT_FOUND;
    case StatusCode::kUnsupported: return WM_STATUS_UNSUPPORTED;
    case StatusCode::kCorruptInput: return WM_STATUS_CORRUPT_INPUT;
    case StatusCode::kIoError: return WM_STATUS_IO_ERROR;
    case StatusCode::kCancelled: return WM_STATUS_CANCELLED;
    case StatusCode::kLimitExceeded: return WM_STATUS_LIMIT_EXCEEDED;
    case StatusCode::kInternal: return WM_STATUS_INTERNAL;
  }
  return WM_STATUS_INTERNAL;
}

wm_status fail(const Status& status) {
  t_last_error = status.message();
  return to_c(status.code());
}

wm_status fail(wm_status code, std::string message) {
  t_last_error = std::move(message);
  return code;
}

// Runs `body` (returning wm_status) with every exception turned into WM_STATUS_INTERNAL.
template <class Body>
wm_status guarded(const char* function, Body&& body) noexcept {
  try {
    t_last_error.clear();
    return body();
  } catch (const std::bad_alloc&) {
    t_last_error = std::string(function) + ": out of memory";
  } catch (const std::exception& e) {
    try {
      t_last_error = std::string(function) + ": " + e.what();
    } catch (...) {
      t_last_error.clear();
    }
  } catch (...) {
    t_last_error = std::string(function) + ": unknown internal error";
  }
  return WM_STATUS_INTERNAL;
}

struct ParsedOptions {
  ScanOptions scan;
  bool show_values = false;
};

Result<ParsedOptions> parse_options(const char* options_json) {
  ParsedOptions out;
  if (options_json == nullptr || *options_json == '\0') return out;
  const nlohmann::json j = nlohmann::json::parse(options_json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::invalid_argument("options_json: not a JSON object");
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "detectors") {
      if (!value.is_array()) return Status::invalid_argument("options_json: \"detectors\" must be an array of strings");
      for (const auto& id : value) {
        if (!id.is_string()) return Status::invalid_argument("options_json: \"detectors\" must be an array of strings");
        out.scan.detectors.insert(id.get<std::string>());
      }
    } else if (key == "inspect_neighbours") {
      if (!value.is_boolean()) return Status::invalid_argument("options_json: \"inspect_neighbours\" must be true or false");
      out.scan.inspect_neighbours = value.get<bool>();
    } else if (key == "show_values") {
      if (!value.is_boolean()) return Status::invalid_argument("options_json: \"show_values\" must be true or false");
      out.show_values = value.get<bool>();
    } else if (key == "max_metadata_bytes") {
      if (!value.is_number_unsigned()) {
        return Status::invalid_argument("options_json: \"max_metadata_bytes\" must be a non-negative integer");
      }
      out.scan.max_metadata_bytes = value.get<std::uint64_t>();
    } else if (key == "parameters") {
      if (!value.is_object()) return Status::invalid_argument("options_json: \"parameters\" must be an object");
      for (const auto& [name, setting] : value.items()) {
        // Parameters are strings in ScanOptions; accept JSON numbers and booleans too.
        if (setting.is_string()) out.scan.parameters[name] = setting.get<std::string>();
        else if (setting.is_number() || setting.is_boolean()) out.scan.parameters[name] = setting.dump();
        else return Status::invalid_argument("options_json: parameter \"" + name + "\" must be a string, number or boolean");
      }
    } else {
      return Status::invalid_argument("options_json: unknown key \"" + key + "\"");
    }
  }
  return out;
}

// A malloc'd NUL-terminated copy (the host frees it with wm_string_free).
char* copy_out(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size() + 1);
  return out;
}

Result<std::string> report_json(const Report& report, bool show_values) {
  std::ostringstream out;
  WriteOptions options;
  options.show_values = show_values;
  WM_RETURN_IF_ERROR(write_jsonl_record(out, report, options));
  std::string text = std::move(out).str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace
}  // namespace wm::capi

using wm::capi::fail;
using wm::capi::guarded;

extern "C" {

const char* wm_version_string(void) {
  // wm::version() views a string literal, so its data is NUL-terminated and static.
  return wm::version().data();
}

const char* wm_status_name(wm_status status) {
  switch (status) {
    case WM_STATUS_OK: return "ok";
    case WM_STATUS_INVALID_ARGUMENT: return "invalid_argument";
    case WM_STATUS_NOT_FOUND: return "not_found";
    case WM_STATUS_UNSUPPORTED: return "unsupported";
    case WM_STATUS_CORRUPT_INPUT: return "corrupt_input";
    case WM_STATUS_IO_ERROR: return "io_error";
    case WM_STATUS_CANCELLED: return "cancelled";
    case WM_STATUS_LIMIT_EXCEEDED: return "limit_exceeded";
    case WM_STATUS_INTERNAL: return "internal";
  }
  return "unknown";
}

const char* wm_last_error(void) { return wm::capi::t_last_error.c_str(); }

void wm_string_free(char* text) { std::free(text); }

wm_status wm_scan_file(const char* path, const char* options_json, const wm_hooks* hooks, char** out_report_json) {
  return guarded("wm_scan_file", [&]() -> wm_status {
    if (out_report_json == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_scan_file: out_report_json is NULL");
    *out_report_json = nullptr;
    if (path == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_scan_file: path is NULL");
    auto options = wm::capi::parse_options(options_json);
    if (!options.is_ok()) return fail(options.status());

    wm::ScanHooks scan_hooks;
    if (hooks != nullptr && hooks->on_progress != nullptr) {
      const wm_hooks c_hooks = *hooks;
      scan_hooks.on_progress = [c_hooks](const wm::Progress& p) {
        c_hooks.on_progress(c_hooks.user, p.fraction, p.stage.c_str());
      };
    }
    if (hooks != nullptr && hooks->is_cancelled != nullptr) {
      const wm_hooks c_hooks = *hooks;
      scan_hooks.is_cancelled = [c_hooks] { return c_hooks.is_cancelled(c_hooks.user) != 0; };
    }
    auto report = wm::scan_file(path, options->scan, scan_hooks);
    if (!report.is_ok()) return fail(report.status());
    auto json = wm::capi::report_json(*report, options->show_values);
    if (!json.is_ok()) return fail(json.status());
    *out_report_json = wm::capi::copy_out(*json);
    return WM_STATUS_OK;
  });
}

wm_status wm_session_create(const wm_stream_info* info, const char* options_json, wm_session** out_session) {
  return guarded("wm_session_create", [&]() -> wm_status {
    if (out_session == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_session_create: out_session is NULL");
    *out_session = nullptr;
    if (info == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_session_create: info is NULL");
    auto options = wm::capi::parse_options(options_json);
    if (!options.is_ok()) return fail(options.status());
    wm::StreamInfo stream;
    stream.name = info->name != nullptr ? info->name : "";
    stream.has_audio = info->has_audio != 0;
    stream.sample_rate_hz = info->sample_rate_hz;
    stream.channels = info->channels;
    stream.has_video = info->has_video != 0;
    stream.width = info->width;
    stream.height = info->height;
    auto session = wm::Session::create(stream, options->scan);
    if (!session.is_ok()) return fail(session.status());
    *out_session = new wm_session{std::move(session).value(), options->show_values};
    return WM_STATUS_OK;
  });
}

wm_status wm_session_feed_audio(wm_session* session, const float* interleaved, size_t frames, int channels,
                                double pts_s) {
  return guarded("wm_session_feed_audio", [&]() -> wm_status {
    if (session == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_session_feed_audio: session is NULL");
    const wm::Status status = session->session.feed_audio({interleaved, frames, channels, pts_s});
    return status.is_ok() ? WM_STATUS_OK : fail(status);
  });
}

wm_status wm_session_feed_video(wm_session* session, const uint8_t* pixels, int width, int height, int stride_bytes,
                                wm_pixel_format format, double pts_s) {
  return guarded("wm_session_feed_video", [&]() -> wm_status {
    if (session == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_session_feed_video: session is NULL");
    wm::PixelFormat pixel_format = wm::PixelFormat::kGray8;
    switch (format) {
      case WM_PIXEL_FORMAT_GRAY8: pixel_format = wm::PixelFormat::kGray8; break;
      case WM_PIXEL_FORMAT_BGR24: pixel_format = wm::PixelFormat::kBgr24; break;
      case WM_PIXEL_FORMAT_RGB24: pixel_format = wm::PixelFormat::kRgb24; break;
      default:
        return fail(WM_STATUS_INVALID_ARGUMENT,
                    "wm_session_feed_video: unknown pixel format " + std::to_string(static_cast<int>(format)));
    }
    const wm::Status status = session->session.feed_video({pixels, width, height, stride_bytes, pixel_format, pts_s});
    return status.is_ok() ? WM_STATUS_OK : fail(status);
  });
}

wm_status wm_session_add_metadata(wm_session* session, const char* key, const char* value) {
  return guarded("wm_session_add_metadata", [&]() -> wm_status {
    if (session == nullptr || key == nullptr || value == nullptr) {
      return fail(WM_STATUS_INVALID_ARGUMENT, "wm_session_add_metadata: session, key and value must not be NULL");
    }
    const wm::Status status = session->session.add_metadata({{key, value}});
    return status.is_ok() ? WM_STATUS_OK : fail(status);
  });
}

wm_status wm_session_finish(wm_session* session, char** out_report_json) {
  return guarded("wm_session_finish", [&]() -> wm_status {
    if (out_report_json == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_session_finish: out_report_json is NULL");
    *out_report_json = nullptr;
    if (session == nullptr) return fail(WM_STATUS_INVALID_ARGUMENT, "wm_session_finish: session is NULL");
    auto report = session->session.finish();
    if (!report.is_ok()) return fail(report.status());
    auto json = wm::capi::report_json(*report, session->show_values);
    if (!json.is_ok()) return fail(json.status());
    *out_report_json = wm::capi::copy_out(*json);
    return WM_STATUS_OK;
  });
}

void wm_session_destroy(wm_session* session) { delete session; }

}  // extern "C"
