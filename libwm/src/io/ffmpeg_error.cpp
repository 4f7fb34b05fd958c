#include "io/ffmpeg_error.h"

#include <cerrno>

extern "C" {
#include <libavutil/error.h>
}

namespace wm::io {

std::string av_error_string(int error_code) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(error_code, buffer, sizeof(buffer)) < 0 && buffer[0] == '\0') {
    return "FFmpeg error " + std::to_string(error_code);
  }
  return buffer;
}

Status av_error_status(int error_code, std::string_view context, StatusCode code) {
  if (error_code == AVERROR(ENOMEM) || code == StatusCode::kOk) code = StatusCode::kInternal;
  return Status(code, std::string(context) + ": " + av_error_string(error_code));
}

}  // namespace wm::io
