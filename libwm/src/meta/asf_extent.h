// ASF (WMV/WMA) extent check: whether the file ends before the size its header states.
//
// libavformat reads an ASF file's tags itself, so nothing here looks for metadata. But an ASF
// file cut short loses its index and the end of its Data Object, and FFmpeg then reads the
// packets to where the file stops, says nothing, and declares no duration to compare with. The
// File Properties Object says how long the file is. A file written as a stream (the Broadcast
// flag: ffmpeg on a pipe, a live encoder) has no valid size there, and then nothing can be said.
// Threading: a pure function of the file; the FileReader must not be shared during the call.
#ifndef WM_META_ASF_EXTENT_H_
#define WM_META_ASF_EXTENT_H_

#include <cstddef>
#include <cstdint>

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta {

// Finds the File Properties Object among the Header Object's children. A File Size larger than
// the file gives one truncated issue ("the ASF header states a file of 620272 bytes, the file
// holds 310136 of them: the file is cut short"). No fields.
WalkResult check_asf_extent(core::FileReader& reader);

// True when `head` (the file's first bytes) starts with the ASF Header Object's GUID.
bool starts_like_asf(const std::uint8_t* head, std::size_t size);

}  // namespace wm::meta

#endif  // WM_META_ASF_EXTENT_H_
