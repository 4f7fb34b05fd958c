// The resumable-scan cache: one file per finished report, keyed by what decides the result.
#ifndef WM_SCAN_CACHE_H_
#define WM_SCAN_CACHE_H_

#include <filesystem>
#include <optional>
#include <string>

#include "wm/report.h"
#include "wm/scan.h"
#include "wm/status.h"

namespace wm::scan {

class ReportCache {
 public:
  // Creates `dir` if needed; io_error naming it when that fails.
  static Result<ReportCache> open(const std::filesystem::path& dir, const ScanOptions& options);

  // The key of `path` as it is now: canonical path, size, mtime, content SHA-256 (given), the
  // tool version and the options fingerprint; when the options look beside the file, also the
  // name, size and mtime of every sidecar it would read (a chat log added later is news).
  std::string key_for(const std::filesystem::path& path, const std::string& content_sha256) const;

  // The cached report for `key`, with its path set to `display_path`; nullopt on a miss or on
  // an entry that cannot be read (a torn write is treated as a miss).
  std::optional<Report> load(const std::string& key, const std::string& display_path) const;

  // Stores atomically (temporary file + rename). A failure is returned, never thrown.
  Status store(const std::string& key, const Report& report) const;

 private:
  ReportCache(std::filesystem::path dir, std::string fingerprint, bool sidecars)
      : dir_(std::move(dir)), fingerprint_(std::move(fingerprint)), sidecars_(sidecars) {}
  std::filesystem::path entry_path(const std::string& key) const;
  std::filesystem::path dir_;
  std::string fingerprint_;
  bool sidecars_ = false;
};

// Whether a report may be cached: results that could differ on a second try (cancel,
// timeout, an I/O error) are not.
bool is_cacheable(const Report& report);

}  // namespace wm::scan

#endif  // WM_SCAN_CACHE_H_
