#include "scan/walk.h"

#include <fnmatch.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

#include "core/text.h"

namespace wm::scan {

namespace {
bool starts_with_bytes(const std::string& head, std::size_t offset, std::string_view magic) {
  return head.size() >= offset + magic.size() && head.compare(offset, magic.size(), magic) == 0;
}

constexpr std::array kMediaExtensions{".mp4", ".m4a", ".m4v", ".mov", ".3gp", ".mkv", ".mka", ".webm", ".wav",
                                      ".mp3", ".aac", ".flac", ".ogg", ".oga", ".opus", ".wma", ".wmv", ".asf",
                                      ".avi", ".ts", ".mts", ".m2ts", ".mpg", ".mpeg", ".aif", ".aiff", ".caf",
                                      ".amr", ".flv", ".rf64", ".bwf"};
}  // namespace

bool looks_like_media(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(512, '\0');
  if (in) {
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
  } else {
    head.clear();
  }
  for (std::string_view box : {"ftyp", "moov", "mdat", "free", "wide", "skip", "pnot"}) {
    if (starts_with_bytes(head, 4, box)) return true;
  }
  for (std::string_view riff : {"RIFF", "RF64", "BW64"}) {
    if (starts_with_bytes(head, 0, riff)) return true;
  }
  for (std::string_view magic : {std::string_view("ID3"), std::string_view("OggS"), std::string_view("fLaC"),
                                 std::string_view("\x1A\x45\xDF\xA3", 4), std::string_view("\x30\x26\xB2\x75", 4),
                                 std::string_view("FLV"), std::string_view("caff"), std::string_view("#!AMR"),
                                 std::string_view("\x00\x00\x01\xBA", 4)}) {
    if (starts_with_bytes(head, 0, magic)) return true;
  }
  if (starts_with_bytes(head, 0, "FORM") && (starts_with_bytes(head, 8, "AIFF") || starts_with_bytes(head, 8, "AIFC")))
    return true;
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0xFF &&
      (static_cast<unsigned char>(head[1]) & 0xE0) == 0xE0) {
    return true;  // MPEG audio frame or ADTS AAC
  }
  if (head.size() > 188 && head[0] == 0x47 && head[188] == 0x47) return true;  // MPEG-TS
  const std::string ext = core::to_lower_ascii(path.extension().string());
  for (std::string_view e : kMediaExtensions) {
    if (ext == e) return true;
  }
  return false;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  return fnmatch(std::string(pattern).c_str(), std::string(text).c_str(), 0) == 0;
}

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace wm::scan
