// Entry point of the container walkers, and the byte/text helpers they share.
//
// walk_container() looks at the first bytes of a file and hands it to the walker that knows
// its layout (MP4/QuickTime boxes, RIFF/RF64/BW64 chunks, an ID3v2-prefixed stream). Every
// walker lowers what it finds to MetaField (meta/field.h) and never fails the scan: broken
// structure becomes a WalkIssue and the walk stops there.
//
// Threading: the walkers keep no state between calls; one FileReader per call (it is not
// thread-safe).
#ifndef WM_META_WALK_H_
#define WM_META_WALK_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta {

// Sniffs the layout and walks it: ftyp/moov/mdat/wide/free/skip at offset 4 → walk_mp4;
// "RIFF"/"RF64"/"BW64" + "WAVE" → walk_riff; "ID3" → walk_id3; the EBML header → only
// check_matroska_extent, "RIFF" + "AVI " → only check_avi_extent, the ASF Header Object's GUID
// → only check_asf_extent (libavformat reads their tags). Any other layout (Ogg, raw streams) gives an empty result: libavformat covers those.
// Payloads larger than `max_payload_bytes` are never loaded into memory (the walker reports an
// issue instead).
WalkResult walk_container(core::FileReader& reader, std::uint64_t max_payload_bytes);

// Helpers shared by the walkers and the XML scanner. Not part of any public contract.
namespace walk_util {

// Text values are capped so one absurd field cannot dominate a report; XML documents get more
// room because their properties are parsed out separately.
inline constexpr std::size_t kMaxTextValueBytes = 64u << 10;
inline constexpr std::size_t kMaxXmlValueBytes = 1u << 20;

// Appends `code_point` as UTF-8; surrogates and values past U+10FFFF become U+FFFD.
void append_utf8(std::string& out, char32_t code_point);

bool is_valid_utf8(std::string_view s);

std::string latin1_to_utf8(std::span<const std::uint8_t> bytes);
std::string mac_roman_to_utf8(std::span<const std::uint8_t> bytes);

// UTF-16 without BOM handling (the caller picks the byte order). An odd trailing byte is
// dropped, unpaired surrogates become U+FFFD, decoding stops at the first U+0000.
std::string utf16_to_utf8(std::span<const std::uint8_t> bytes, bool big_endian);

// An 8-bit string of unknown encoding, cut at the first NUL: UTF-8 when it is valid UTF-8,
// otherwise Latin-1 (what most old writers meant).
std::string text_from_8bit(std::span<const std::uint8_t> bytes);

// A value ready for a kText field: valid UTF-8, control characters as spaces, trimmed, at
// most kMaxTextValueBytes (cut on a code point boundary).
std::string clean_text(std::string_view s);

// A value ready for a kXml field: invalid UTF-8 replaced, line breaks kept, at most
// kMaxXmlValueBytes.
std::string clean_xml(std::string_view s);

// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view truncate_utf8(std::string_view s, std::size_t max_bytes);

// True when `bytes` (trailing NULs ignored) is non-empty valid UTF-8 without control characters
// other than tab, CR and LF.
bool looks_printable(std::span<const std::uint8_t> bytes);

// Lower-case hex of at most `max_bytes` bytes, with "…" appended when cut.
std::string to_hex(std::span<const std::uint8_t> bytes, std::size_t max_bytes = SIZE_MAX);

// "d8fec3d6-1b0e-483c-9297-5828877ec481" from 16 bytes in network order.
std::string uuid_string(std::span<const std::uint8_t, 16> bytes);

// A four-character code as text: printable ASCII kept, 0xA9 as "©" (as libavformat names
// QuickTime atoms), other bytes as "\xNN".
std::string fourcc_string(const std::uint8_t* p);

// "123 bytes: 0a1b2c…": the size and a hex prefix of at most 16 bytes of `head`.
std::string describe_blob(std::span<const std::uint8_t> head, std::uint64_t size_bytes);

inline std::string_view as_chars(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace walk_util
}  // namespace wm::meta

#endif  // WM_META_WALK_H_
