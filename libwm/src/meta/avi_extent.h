// AVI extent check: whether the file ends before its RIFF chunks do.
//
// libavformat reads an AVI's tags itself (its LIST INFO), so nothing here looks for metadata.
// But an AVI cut short loses its index ('idx1') with its second half, and FFmpeg then scans the
// 'movi' list to where the file stops and declares only the duration it found there: neither
// the demuxer nor the stream durations say that anything is missing. The RIFF header's size
// does. An AVI larger than 1 GiB (OpenDML) is a chain of RIFF chunks ('AVI ' then 'AVIX' ...),
// each with its own size. A writer that could not seek back (ffmpeg writing to a pipe) leaves
// 0xFFFFFFFF, and some leave 0: those sizes were never known, and then nothing can be said.
// Threading: a pure function of the file; the FileReader must not be shared during the call.
#ifndef WM_META_AVI_EXTENT_H_
#define WM_META_AVI_EXTENT_H_

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta {

// Follows the chain of top-level RIFF chunks from byte 0. The first one that declares more
// bytes than the file holds gives one truncated issue ("the AVI's RIFF 'AVI ' chunk at byte 0
// declares 788310 bytes, the file holds 394151 of them: the file is cut short"). No fields.
WalkResult check_avi_extent(core::FileReader& reader);

}  // namespace wm::meta

#endif  // WM_META_AVI_EXTENT_H_
