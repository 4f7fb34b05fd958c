// The detector families built into this library, and option validation against them.
#ifndef WM_SCAN_REGISTRY_H_
#define WM_SCAN_REGISTRY_H_

#include <set>
#include <string>

#include "wm/scan.h"

namespace wm::scan {

// The families to run for `options` (all built ones when options.detectors is empty), or
// invalid_argument naming an unknown family or parameter.
Result<std::set<std::string>> resolve_detectors(const ScanOptions& options);

// Parsed per-detector parameters for the meta family (validated ranges).
struct MetaParameters {
  bool inspect_neighbours = true;
  std::uint64_t max_metadata_bytes = 64ull << 20;
};
Result<MetaParameters> meta_parameters(const ScanOptions& options);

}  // namespace wm::scan

#endif  // WM_SCAN_REGISTRY_H_
