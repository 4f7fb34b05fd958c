// EBML variable-length integers (RFC 8794 §4): the count of leading zero bits in the first byte
// gives the length (1–8 bytes); an element ID keeps its length marker, a size drops it, and a
// size of all ones means "unknown".
#include "meta/matroska_extent.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wm::meta {
namespace {

constexpr std::uint32_t kEbmlHeaderId = 0x1A45DFA3;
constexpr std::uint32_t kSegmentId = 0x18538067;

struct Vint {
  std::uint64_t value = 0;  // with the marker for IDs, without it for sizes
  int length = 0;
  bool unknown = false;     // all value bits set: a size not known when the file was written
};

// The vint at `offset`; nullopt when it cannot be read or is not valid.
std::optional<Vint> read_vint(core::FileReader& reader, std::uint64_t offset, bool keep_marker) {
  std::vector<std::uint8_t> bytes;
  if (!reader.read_at(offset, 8, bytes).is_ok() || bytes.empty() || bytes[0] == 0) return std::nullopt;
  Vint v;
  v.length = 1;
  while (!(bytes[0] & (0x80 >> (v.length - 1)))) ++v.length;
  if (static_cast<std::size_t>(v.length) > bytes.size()) return std::nullopt;
  const std::uint8_t first_bits = keep_marker ? bytes[0] : static_cast<std::uint8_t>(bytes[0] & (0xFF >> v.length));
  v.value = first_bits;
  for (int i = 1; i < v.length; ++i) v.value = (v.value << 8) | bytes[static_cast<std::size_t>(i)];
  if (!keep_marker) v.unknown = v.value == (std::uint64_t{1} << (7 * v.length)) - 1;
  return v;
}

}  // namespace

WalkResult check_matroska_extent(core::FileReader& reader) {
  WalkResult result;
  const std::uint64_t file_bytes = reader.size_bytes();
  const std::optional<Vint> header_id = read_vint(reader, 0, true);
  if (!header_id || header_id->value != kEbmlHeaderId) return result;
  const std::optional<Vint> header_size = read_vint(reader, 4, false);
  if (!header_size || header_size->unknown) return result;
  const std::uint64_t segment_at = 4 + static_cast<std::uint64_t>(header_size->length) + header_size->value;
  if (segment_at >= file_bytes) return result;  // nothing after the header: FFmpeg refuses such a file anyway
  const std::optional<Vint> segment_id = read_vint(reader, segment_at, true);
  if (!segment_id || segment_id->value != kSegmentId) return result;
  const std::optional<Vint> segment_size = read_vint(reader, segment_at + 4, false);
  if (!segment_size || segment_size->unknown) return result;
  const std::uint64_t data_at = segment_at + 4 + static_cast<std::uint64_t>(segment_size->length);
  if (data_at > file_bytes || segment_size->value <= file_bytes - data_at) return result;
  result.issues.push_back({"the Matroska segment at byte " + std::to_string(segment_at) + " declares " +
                               std::to_string(segment_size->value) + " bytes, the file holds " +
                               std::to_string(file_bytes - data_at) + " of them: the file is cut short",
                           true});
  return result;
}

}  // namespace wm::meta
