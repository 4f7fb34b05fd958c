// Batch scanning for archives: walk, shard, cache, a worker pool and an ordered sink.
//
// Order: reports reach on_report in input order; a directory's files are sorted by their path
// string, so any shard's output is a subsequence of the unsharded run's and a merge sorted by
// path equals it.
// Resume: with a cache directory, every finished file's report is stored (atomically: write to
// a temporary name, then rename) under a key made of the file's canonical path, size, mtime,
// content SHA-256, the tool version and the scan options. A killed run loses at most the files
// in flight; running the same command again reads the rest from the cache. The cache holds
// unredacted values: keep it as private as the recordings.
// Threading: scan_batch runs `jobs` worker threads and calls the hooks from the calling thread.
#ifndef WM_BATCH_H_
#define WM_BATCH_H_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wm/export.h"
#include "wm/report.h"
#include "wm/scan.h"
#include "wm/status.h"

namespace wm {

// Shard i of n (0-based): a stable hash of each file's path relative to its scan root picks
// the files, so every machine that sees the same tree makes the same split.
struct Shard {
  int index = 0;
  int count = 1;
};

// "i/n" → Shard; invalid_argument for anything else (n ≥ 1, 0 ≤ i < n).
WM_EXPORT Result<Shard> parse_shard(std::string_view text);

// The shard a cluster task should take when no --shard was given: Slurm array jobs
// (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT) or Kubernetes Indexed
// Jobs (JOB_COMPLETION_INDEX of `shards_for_indexed_job`). nullopt when neither is set.
WM_EXPORT Result<std::optional<Shard>> shard_from_environment(std::optional<int> shards_for_indexed_job);

// True when `shard_key` (a relative path) belongs to `shard`.
WM_EXPORT bool in_shard(std::string_view shard_key, const Shard& shard);

struct BatchOptions {
  ScanOptions scan;
  bool recursive = false;
  std::vector<std::string> include_globs;  // relative path or file name must match one (if any)
  std::vector<std::string> exclude_globs;  // relative path or file name must match none
  int jobs = 0;                            // worker threads; 0 = number of cores
  std::filesystem::path cache_dir;         // empty = no cache
  std::optional<Shard> shard;
  double timeout_per_file_s = 0.0;         // 0 = no limit
  bool sort_by_path = false;               // sort all inputs by path instead of input order
  bool hash_files = true;                  // fill Report::sha256 (needed by the cache)
};

struct BatchProgress {
  std::size_t files_total = 0;  // after walking and sharding
  std::size_t files_done = 0;
  std::size_t findings = 0;
  std::size_t failed = 0;       // error, unsupported or incomplete
  std::size_t from_cache = 0;
  double elapsed_s = 0.0;
};

struct BatchSummary {
  std::size_t files = 0;
  std::size_t from_cache = 0;
  std::size_t failed = 0;             // reports that are not complete
  std::size_t not_media = 0;          // files in walked directories that are not media
  std::size_t outside_shard = 0;
  std::vector<std::string> walk_errors;  // unreadable directories, symlink loops, missing inputs
};

struct BatchHooks {
  std::function<void(Report&&)> on_report;             // in order; required
  std::function<void(const BatchProgress&)> on_progress;  // at most ~5 times a second
  std::function<bool()> is_cancelled;                  // stops starting new files
};

// Files the walk would scan, in scan order, each with its shard key (for tests and --dry-run).
struct BatchItem {
  std::filesystem::path path;  // as it will appear in the report
  std::string shard_key;       // path relative to its scan root
  std::string error;           // set when the input cannot be scanned (reported, not scanned)
};
WM_EXPORT Result<std::vector<BatchItem>> list_batch_inputs(const std::vector<std::filesystem::path>& inputs,
                                                 const BatchOptions& options, BatchSummary* summary);

// Scans everything. Files that cannot be scanned become reports with status error or
// unsupported (never dropped). invalid_argument only for bad options.
WM_EXPORT Result<BatchSummary> scan_batch(const std::vector<std::filesystem::path>& inputs, const BatchOptions& options,
                                const BatchHooks& hooks);

// The report of a file that could not be scanned at all: it must not look clean.
WM_EXPORT Report failed_report(const std::string& path, const Status& status);

}  // namespace wm

#endif  // WM_BATCH_H_
