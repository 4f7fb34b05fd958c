// Artifacts (PNG evidence) on disk: `wmscan scan --artifacts DIR` stores each finding's
// pictures under DIR and records where in the report; a later `merge --format html` (or a
// cached result) loads them back so the page can embed them.
#ifndef WMSCAN_ARTIFACT_STORE_H_
#define WMSCAN_ARTIFACT_STORE_H_

#include <filesystem>
#include <string>

#include "wm/report.h"

namespace wmscan {

// Writes every artifact of `report` that has bytes to DIR/<file id>/<finding#>_<name>
// (atomically: temporary file, then rename) and sets Artifact::stored_path. The file id is
// the start of the content SHA-256, or a hash of the path when the file was not hashed, so
// two recordings never share a folder. Returns "" or the first error.
std::string store_artifacts(const std::filesystem::path& dir, wm::Report& report);

// Fills Artifact::bytes from Artifact::stored_path where they are missing. Only reads regular
// files no larger than 16 MiB that start with the signature of their declared image type, so a
// crafted JSONL cannot pull arbitrary files into a report. Missing files are left alone.
void load_stored_artifacts(wm::Report& report);

}  // namespace wmscan

#endif  // WMSCAN_ARTIFACT_STORE_H_
