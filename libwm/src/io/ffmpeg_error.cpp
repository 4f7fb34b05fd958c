#include "io/ffmpeg_error.h"

#include <cerrno>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
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

Status drain_decoder(AVCodecContext* codec, AVFrame* frame, const std::string& what,
                     const std::function<Status(AVFrame&)>& handle) {
  for (;;) {
    const int ret = avcodec_receive_frame(codec, frame);
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return Status::ok();
    if (ret < 0) return av_error_status(ret, what, StatusCode::kCorruptInput);
    const Status handled = handle(*frame);
    av_frame_unref(frame);
    WM_RETURN_IF_ERROR(handled);
  }
}

}  // namespace wm::io
