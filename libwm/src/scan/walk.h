// Walking the inputs of a batch: directories (optionally recursive), globs, media sniffing,
// symlink loops, sharding.
#ifndef WM_SCAN_WALK_H_
#define WM_SCAN_WALK_H_

#include <filesystem>
#include <string_view>

namespace wm::scan {

// True when the first bytes (or, failing that, the extension) say the file is media FFmpeg
// could open: MP4/MOV, RIFF/RF64/BW64, ID3/MPEG audio, ADTS, Ogg, FLAC, Matroska/WebM, ASF,
// FLV, MPEG-TS/PS, AIFF, CAF. Reads at most 512 bytes.
bool looks_like_media(const std::filesystem::path& path);

// fnmatch-style glob ('*', '?', '[...]'); '*' also matches '/'.
bool glob_match(std::string_view pattern, std::string_view text);

// 64-bit FNV-1a: stable across machines and runs (the shard hash).
std::uint64_t stable_hash(std::string_view text);

}  // namespace wm::scan

#endif  // WM_SCAN_WALK_H_
