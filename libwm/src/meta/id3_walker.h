// ID3v2 (2.2, 2.3, 2.4) and ID3v1 tags lowered to MetaFields.
//
// walk_id3() reads the tag(s) at the start of a file (MP3, ID3-prefixed AAC/FLAC) and the ID3v1
// trailer; parse_id3v2_tag() parses a tag found inside another container (a RIFF "id3 " chunk,
// an MP4 ID32 box). Neither ever reads outside what it was given.
// Threading: pure functions of their input; the FileReader must not be shared during the call.
#ifndef WM_META_ID3_WALKER_H_
#define WM_META_ID3_WALKER_H_

#include <cstdint>
#include <span>
#include <string>

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta {

// Tags at offset 0 (several back to back are followed) and an ID3v1 "TAG" in the last 128
// bytes. Fields come with source "id3v2" / "id3v1" and file offsets. A tag larger than
// `max_payload_bytes` is parsed only as far as that many bytes (an issue says so).
WalkResult walk_id3(core::FileReader& reader, std::uint64_t max_payload_bytes);

// Parses one ID3v2 tag that starts at tag_bytes[0] (the "ID3" header). A tag claiming more
// bytes than `tag_bytes` holds gives a truncated issue and the frames that fit. Field offsets
// are `base_offset_bytes` + the frame's position in the tag (after undoing tag-level
// unsynchronisation, so approximate for such v2.3 tags).
WalkResult parse_id3v2_tag(std::span<const std::uint8_t> tag_bytes, const std::string& source,
                           std::uint64_t base_offset_bytes = 0);

}  // namespace wm::meta

#endif  // WM_META_ID3_WALKER_H_
