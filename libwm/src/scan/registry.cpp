#include "scan/registry.h"

#include <charconv>

#include "meta/meta_detector.h"
#include "scan/families.h"

namespace wm {

std::vector<DetectorDescription> available_detectors() {
  std::vector<DetectorDescription> out{meta::describe_meta_detector()};
  for (auto& d : scan::stream_family_descriptions()) out.push_back(std::move(d));
  return out;
}

namespace scan {

Result<std::set<std::string>> resolve_detectors(const ScanOptions& options) {
  std::set<std::string> known;
  for (const auto& d : available_detectors()) known.insert(d.id);
  if (options.detectors.empty()) return known;
  for (const std::string& id : options.detectors) {
    if (!known.contains(id)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return Status::invalid_argument("unknown detector family '" + id + "' (this build has: " + list + ")");
    }
  }
  return options.detectors;
}

Result<MetaParameters> meta_parameters(const ScanOptions& options) {
  MetaParameters p;
  p.inspect_neighbours = options.inspect_neighbours;
  p.max_metadata_bytes = options.max_metadata_bytes;
  for (const auto& [name, value] : options.parameters) {
    if (name == "meta.inspect_neighbours") {
      if (value != "true" && value != "false") {
        return Status::invalid_argument("parameter meta.inspect_neighbours must be true or false, not '" + value + "'");
      }
      p.inspect_neighbours = value == "true";
    } else if (name == "meta.max_metadata_bytes") {
      std::uint64_t v = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || ptr != value.data() + value.size() || v < 4096 || v > (1ull << 30)) {
        return Status::invalid_argument("parameter meta.max_metadata_bytes must be 4096..1073741824, not '" + value + "'");
      }
      p.max_metadata_bytes = v;
    } else if (!is_stream_family_parameter(name)) {
      return Status::invalid_argument("unknown parameter '" + name + "'");
    }
  }
  return p;
}

}  // namespace scan
}  // namespace wm
