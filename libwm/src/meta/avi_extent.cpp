// RIFF chunk layout (Microsoft "AVI RIFF File Reference"; OpenDML AVI File Format Extensions
// 1.02 for the 'AVIX' chunks that follow the first): "RIFF" size32(LE) form(4) payload, the
// size counting the form and payload, padded to an even length.
#include "meta/avi_extent.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace wm::meta {
namespace {

constexpr std::uint32_t kSizeNeverWritten = 0xFFFFFFFF;
// A 1 TB file is 1024 chunks of 1 GiB; the limit only bounds a walk through nonsense.
constexpr int kMaxRiffChunks = 4096;

}  // namespace

WalkResult check_avi_extent(core::FileReader& reader) {
  WalkResult result;
  const std::uint64_t file_bytes = reader.size_bytes();
  std::uint64_t pos = 0;
  std::vector<std::uint8_t> header;
  for (int count = 0; count < kMaxRiffChunks && pos + 12 <= file_bytes; ++count) {
    if (!reader.read_at(pos, 12, header).is_ok() || header.size() < 12) return result;
    // Anything else after the last RIFF chunk is trailing data, not this check's concern.
    if (std::memcmp(header.data(), "RIFF", 4) != 0) return result;
    const std::uint32_t size = core::load_le32(header.data() + 4);
    if (size == 0 || size == kSizeNeverWritten) return result;
    const std::uint64_t payload_at = pos + 8;
    if (size > file_bytes - payload_at) {
      const std::string form(reinterpret_cast<const char*>(header.data() + 8), 4);
      result.issues.push_back({"the AVI's RIFF '" + form + "' chunk at byte " + std::to_string(pos) + " declares " +
                                   std::to_string(size) + " bytes, the file holds " +
                                   std::to_string(file_bytes - payload_at) + " of them: the file is cut short",
                               true});
      return result;
    }
    pos = payload_at + size + (size & 1);
  }
  return result;
}

}  // namespace wm::meta
