// What lies beside a recording: sidecar files a meeting export leaves (chat logs, transcripts)
// and identity in the file name itself (Zoom's per-participant audio<Name><digits>.m4a).
#ifndef WM_META_NEIGHBOURS_H_
#define WM_META_NEIGHBOURS_H_

#include <filesystem>
#include <string>
#include <vector>

#include "wm/report.h"

namespace wm::meta {

// Findings about the file's own name (no file system access).
std::vector<Finding> inspect_file_name(const std::filesystem::path& path);

// The sidecar files beside `path` that inspect_sidecars reads, in the order it reads them.
std::vector<std::filesystem::path> sidecar_files(const std::filesystem::path& path);

// Findings from sidecar files next to `path`. Only a fixed list of candidate names is checked
// (constant cost per file, also in a directory of a million recordings); each sidecar is read
// up to `max_sidecar_bytes`. Sidecars are named in evidence by file name, never by absolute path.
std::vector<Finding> inspect_sidecars(const std::filesystem::path& path, std::uintmax_t max_sidecar_bytes = 8u << 20);

// Speaker names in a WebVTT/SRT transcript ("<v Jane Doe>" voice tags, "Jane Doe: text" lines).
std::vector<std::string> transcript_speakers(std::string_view text);
// Sender and recipient names in a meeting chat log ("14:01:02 From Jane Doe to Everyone: hi").
std::vector<std::string> chat_participants(std::string_view text);

}  // namespace wm::meta

#endif  // WM_META_NEIGHBOURS_H_
