// FFmpeg error codes as text and as Status values (internal to the io module).
//
// The header deliberately includes no FFmpeg header: error codes travel as plain ints, so
// other io headers (and their users) stay free of libav* includes.
#ifndef WM_IO_FFMPEG_ERROR_H_
#define WM_IO_FFMPEG_ERROR_H_

#include <string>
#include <string_view>

#include "wm/status.h"

namespace wm::io {

// FFmpeg's own message for a negative AVERROR code, via av_strerror
// ("Invalid data found when processing input"). Never empty.
std::string av_error_string(int error_code);

// A non-ok Status "context: FFmpeg's message". The code follows the error where the error
// says more than the caller knows (ENOENT -> not_found, EACCES/EPERM/EIO/EISDIR -> io_error,
// ENOMEM -> internal); every other error gets `fallback`.
Status av_error_status(int error_code, std::string_view context, StatusCode fallback);

}  // namespace wm::io

#endif  // WM_IO_FFMPEG_ERROR_H_
