// The metadata detector family ("meta"): container dictionaries, our own box/chunk/frame
// walkers, sidecars and the file name, classified by rules.h.
#ifndef WM_META_META_DETECTOR_H_
#define WM_META_META_DETECTOR_H_

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/file_reader.h"
#include "meta/field.h"
#include "wm/report.h"
#include "wm/scan.h"

namespace wm::meta {

using Tags = std::vector<std::pair<std::string, std::string>>;

// What libavformat told us, in plain types (meta does not include FFmpeg).
struct ContainerMetadata {
  Tags format;
  struct Stream {
    int index = 0;
    std::string kind;  // "audio", "video", "subtitle", "attachment", ...
    Tags tags;
    std::string attachment_file_name;
    std::string attachment_media_type;
    std::uint64_t attachment_size_bytes = 0;
  };
  std::vector<Stream> streams;
  struct Chapter {
    int index = 0;
    double start_s = 0.0;
    double end_s = 0.0;
    Tags tags;
  };
  std::vector<Chapter> chapters;
  struct Program {
    int id = 0;
    Tags tags;
  };
  std::vector<Program> programs;
};

std::vector<MetaField> fields_from_container(const ContainerMetadata& container);

struct MetaScanResult {
  std::vector<Finding> findings;
  std::vector<WalkIssue> issues;  // broken structure met by the walkers
};

struct MetaScanSettings {
  bool inspect_neighbours = true;
  std::uint64_t max_metadata_bytes = 64ull << 20;
};

// Runs the whole family over one file: `reader` is the file opened read-only.
MetaScanResult scan_metadata(const std::filesystem::path& path, const ContainerMetadata& container,
                             core::FileReader& reader, const MetaScanSettings& settings);

DetectorDescription describe_meta_detector();
DetectorRun meta_detector_run(const MetaScanSettings& settings);

}  // namespace wm::meta

#endif  // WM_META_META_DETECTOR_H_
