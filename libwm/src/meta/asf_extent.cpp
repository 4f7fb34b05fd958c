// ASF layout (Microsoft "Advanced Systems Format Specification" rev. 01.20.05, §3.1–3.2): every
// object is GUID(16) size64(LE, counting its own 24-byte header) payload. The Header Object's
// payload starts with a child count (32 bits) and two reserved bytes; its children follow.
// The File Properties Object: File ID GUID(16), File Size(64) at payload offset 16, ..., Flags(32)
// at payload offset 64, bit 0 "Broadcast" (File Size and the durations are then invalid).
#include "meta/asf_extent.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace wm::meta {
namespace {

// GUIDs as they lie in the file (the first three fields little-endian).
constexpr std::array<std::uint8_t, 16> kHeaderObject{0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                                                     0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};
constexpr std::array<std::uint8_t, 16> kFilePropertiesObject{0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11,
                                                             0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65};
constexpr std::uint64_t kObjectHeaderBytes = 24;
constexpr std::uint64_t kHeaderObjectPreambleBytes = kObjectHeaderBytes + 6;  // + child count, reserved
constexpr std::uint64_t kFileSizeAt = 16;  // within the File Properties payload
constexpr std::uint64_t kFlagsAt = 64;
constexpr std::uint32_t kBroadcastFlag = 0x1;
constexpr std::uint32_t kMaxHeaderChildren = 1024;

bool is_guid(const std::vector<std::uint8_t>& bytes, const std::array<std::uint8_t, 16>& guid) {
  return bytes.size() >= 16 && std::memcmp(bytes.data(), guid.data(), 16) == 0;
}

}  // namespace

bool starts_like_asf(const std::uint8_t* head, std::size_t size) {
  return size >= 16 && std::memcmp(head, kHeaderObject.data(), 16) == 0;
}

WalkResult check_asf_extent(core::FileReader& reader) {
  WalkResult result;
  const std::uint64_t file_bytes = reader.size_bytes();
  std::vector<std::uint8_t> bytes;
  if (!reader.read_at(0, kHeaderObjectPreambleBytes, bytes).is_ok() || bytes.size() < kHeaderObjectPreambleBytes ||
      !is_guid(bytes, kHeaderObject)) {
    return result;
  }
  const std::uint64_t header_end = core::load_le64(bytes.data() + 16);
  const std::uint32_t children = core::load_le32(bytes.data() + 24);
  std::uint64_t pos = kHeaderObjectPreambleBytes;
  for (std::uint32_t i = 0; i < children && i < kMaxHeaderChildren && pos + kObjectHeaderBytes <= header_end; ++i) {
    if (!reader.read_at(pos, kObjectHeaderBytes, bytes).is_ok() || bytes.size() < kObjectHeaderBytes) return result;
    const std::uint64_t object_bytes = core::load_le64(bytes.data() + 16);
    if (object_bytes < kObjectHeaderBytes || object_bytes > header_end - pos) return result;  // broken: FFmpeg's call
    if (is_guid(bytes, kFilePropertiesObject)) {
      if (object_bytes < kObjectHeaderBytes + kFlagsAt + 4) return result;
      const std::uint64_t payload = pos + kObjectHeaderBytes;
      std::vector<std::uint8_t> field;
      if (!reader.read_at(payload + kFlagsAt, 4, field).is_ok() || field.size() < 4) return result;
      if (core::load_le32(field.data()) & kBroadcastFlag) return result;
      if (!reader.read_at(payload + kFileSizeAt, 8, field).is_ok() || field.size() < 8) return result;
      const std::uint64_t stated_bytes = core::load_le64(field.data());
      if (stated_bytes > file_bytes) {
        result.issues.push_back({"the ASF header states a file of " + std::to_string(stated_bytes) +
                                     " bytes, the file holds " + std::to_string(file_bytes) +
                                     " of them: the file is cut short",
                                 true});
      }
      return result;
    }
    pos += object_bytes;
  }
  return result;
}

}  // namespace wm::meta
