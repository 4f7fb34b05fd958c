#include "wm/status.h"
#include "wm/version.h"

namespace wm {

std::string_view status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kCorruptInput: return "corrupt_input";
    case StatusCode::kIoError: return "io_error";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kLimitExceeded: return "limit_exceeded";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string_view version() { return WM_VERSION_STRING; }

}  // namespace wm
