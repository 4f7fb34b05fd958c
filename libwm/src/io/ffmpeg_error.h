// FFmpeg error codes as text and as Status values (internal to the io module).
//
// The header deliberately includes no FFmpeg header: error codes travel as plain ints, so
// other io headers (and their users) stay free of libav* includes.
#ifndef WM_IO_FFMPEG_ERROR_H_
#define WM_IO_FFMPEG_ERROR_H_

#include <functional>
#include <string>
#include <string_view>

#include "wm/status.h"

struct AVCodecContext;
struct AVFrame;

namespace wm::io {

// FFmpeg's own message for a negative AVERROR code, via av_strerror
// ("Invalid data found when processing input"). Never empty.
std::string av_error_string(int error_code);

// A non-ok Status "context: FFmpeg's message" with code `code`, except that running out of
// memory (ENOMEM) is always internal. The code is deliberately not derived from other errno
// values: decoders and demuxers return AVERROR(EIO), AVERROR(EINVAL) and even a bare -1
// (EPERM) for damaged data, so only the caller knows what the failure means.
Status av_error_status(int error_code, std::string_view context, StatusCode code);

// Receives every frame the decoder has ready, hands each to `handle` and unreferences it;
// stops at EAGAIN/EOF (ok), at a decode error (corrupt_input naming `what`) or at the first
// error `handle` returns (unchanged). Shared by the audio and video decoders.
Status drain_decoder(AVCodecContext* codec, AVFrame* frame, const std::string& what,
                     const std::function<Status(AVFrame&)>& handle);

}  // namespace wm::io

#endif  // WM_IO_FFMPEG_ERROR_H_
