// Matroska/WebM extent check: whether the file ends before its Segment does.
//
// libavformat reads Matroska's tags itself, so nothing here looks for metadata. But its
// demuxer takes a Matroska file cut short for a clean end of file ("File ended prematurely" in
// its log, then EOF), and the scan would read as complete. The Segment element's declared size
// says how long the file should be; a live recording (MediaRecorder, OBS while recording)
// writes "unknown size" there, and then nothing can be said.
// Threading: a pure function of the file; the FileReader must not be shared during the call.
#ifndef WM_META_MATROSKA_EXTENT_H_
#define WM_META_MATROSKA_EXTENT_H_

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta {

// Reads the EBML header and the Segment header that follows it. A Segment that declares more
// bytes than the file holds gives one truncated issue ("the Matroska segment at byte 40
// declares 25757 bytes, the file holds 15899 of them: the file is cut short"). No fields.
WalkResult check_matroska_extent(core::FileReader& reader);

}  // namespace wm::meta

#endif  // WM_META_MATROSKA_EXTENT_H_
