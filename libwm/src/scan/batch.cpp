// Batch runner: walk → shard filter → cache lookup → worker pool (one file per worker) →
// ordered sink (DESIGN.md "Data flow").
//
// Memory: each worker holds one scan; finished reports wait for their predecessors in a
// window of at most 4 × jobs files, so a slow file cannot make the queue grow without bound.
#include "wm/batch.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "core/sha256.h"
#include "scan/cache.h"
#include "scan/registry.h"
#include "scan/walk.h"

namespace wm {

namespace {

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<int> env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return parse_int(v);
}

bool passes_globs(const std::string& relative, const std::string& file_name, const BatchOptions& options) {
  const auto matches = [&](const std::string& g) {
    return scan::glob_match(g, relative) || scan::glob_match(g, file_name);
  };
  if (!options.include_globs.empty() &&
      std::none_of(options.include_globs.begin(), options.include_globs.end(), matches)) {
    return false;
  }
  return std::none_of(options.exclude_globs.begin(), options.exclude_globs.end(), matches);
}

// Depth-first walk of one directory input; entries of every directory are visited in name
// order, and the result is sorted by relative path at the end (see batch.h "Order").
void walk_directory(const std::filesystem::path& root, const BatchOptions& options, BatchSummary& summary,
                    std::vector<BatchItem>& out) {
  std::vector<BatchItem> found;
  std::set<std::filesystem::path> visited;  // canonical directories: symlink loops end here
  std::vector<std::filesystem::path> stack{root};
  while (!stack.empty()) {
    const std::filesystem::path dir = stack.back();
    stack.pop_back();
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(dir, ec);
    if (ec) {
      summary.walk_errors.push_back(dir.string() + ": cannot resolve: " + ec.message());
      continue;
    }
    if (!visited.insert(canonical).second) {
      summary.walk_errors.push_back(dir.string() + ": directory already visited (symlink loop), skipped");
      continue;
    }
    std::vector<std::filesystem::directory_entry> entries;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) {
      summary.walk_errors.push_back(dir.string() + ": cannot read directory: " + ec.message());
      continue;
    }
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      entries.push_back(*it);
    }
    if (ec) summary.walk_errors.push_back(dir.string() + ": error while reading directory: " + ec.message());
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    std::vector<std::filesystem::path> subdirs;
    for (const auto& entry : entries) {
      std::error_code st_ec;
      const auto status = entry.status(st_ec);  // follows symlinks
      if (st_ec) {
        summary.walk_errors.push_back(entry.path().string() + ": " + st_ec.message());
        continue;
      }
      if (std::filesystem::is_directory(status)) {
        if (options.recursive) subdirs.push_back(entry.path());
        continue;
      }
      if (!std::filesystem::is_regular_file(status)) continue;
      const std::string relative = entry.path().lexically_relative(root).generic_string();
      if (!passes_globs(relative, entry.path().filename().string(), options)) continue;
      if (!scan::looks_like_media(entry.path())) {
        ++summary.not_media;
        continue;
      }
      found.push_back({entry.path(), relative, ""});
    }
    for (auto r = subdirs.rbegin(); r != subdirs.rend(); ++r) stack.push_back(*r);
  }
  std::sort(found.begin(), found.end(), [](const BatchItem& a, const BatchItem& b) { return a.path < b.path; });
  for (auto& f : found) out.push_back(std::move(f));
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Result<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return Status::invalid_argument("--shard must be i/n, not '" + std::string(text) + "'");
  const auto i = parse_int(text.substr(0, slash));
  const auto n = parse_int(text.substr(slash + 1));
  if (!i || !n || *n < 1 || *i < 0 || *i >= *n) {
    return Status::invalid_argument("--shard must be i/n with 0 <= i < n, not '" + std::string(text) + "'");
  }
  return Shard{*i, *n};
}

Result<std::optional<Shard>> shard_from_environment(std::optional<int> shards_for_indexed_job) {
  if (const auto task = env_int("SLURM_ARRAY_TASK_ID")) {
    const auto count = env_int("SLURM_ARRAY_TASK_COUNT");
    const int min = env_int("SLURM_ARRAY_TASK_MIN").value_or(0);
    if (!count || *count < 1) return Status::invalid_argument("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
    const int index = *task - min;
    if (index < 0 || index >= *count) {
      return Status::invalid_argument("SLURM_ARRAY_TASK_ID " + std::to_string(*task) + " is outside " +
                                      std::to_string(min) + ".." + std::to_string(min + *count - 1) +
                                      " (use a contiguous --array=0-N)");
    }
    return std::optional<Shard>(Shard{index, *count});
  }
  if (const auto index = env_int("JOB_COMPLETION_INDEX")) {
    const int count = shards_for_indexed_job.value_or(env_int("JOB_COMPLETIONS").value_or(0));
    if (count < 1) return Status::invalid_argument("JOB_COMPLETION_INDEX is set: give --shards N (the Job's completions)");
    if (*index < 0 || *index >= count) {
      return Status::invalid_argument("JOB_COMPLETION_INDEX " + std::to_string(*index) + " is not below --shards " +
                                      std::to_string(count));
    }
    return std::optional<Shard>(Shard{*index, count});
  }
  return std::optional<Shard>();
}

bool in_shard(std::string_view shard_key, const Shard& shard) {
  return shard.count <= 1 || scan::stable_hash(shard_key) % static_cast<std::uint64_t>(shard.count) ==
                                 static_cast<std::uint64_t>(shard.index);
}

Report failed_report(const std::string& path, const Status& status) {
  Report r;
  r.path = path;
  r.complete = false;
  r.status = status.code() == StatusCode::kUnsupported ? ScanStatus::kUnsupported : ScanStatus::kError;
  r.errors.push_back(status.message());
  return r;
}

Result<std::vector<BatchItem>> list_batch_inputs(const std::vector<std::filesystem::path>& inputs,
                                                 const BatchOptions& options, BatchSummary* summary) {
  BatchSummary local;
  BatchSummary& s = summary ? *summary : local;
  std::vector<BatchItem> items;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      const std::size_t before = items.size();
      walk_directory(input, options, s, items);
      if (items.size() == before) {
        // An input that yields nothing must not vanish from the report.
        items.push_back({input, input.filename().string(),
                         input.string() + ": is a directory with no media files to scan" +
                             (options.recursive ? "" : " (use -r to descend into subfolders)")});
      }
    } else {
      // Files named on the command line are always scanned (a missing one becomes an error
      // report, so it is never silently dropped).
      items.push_back({input, input.filename().string(), ""});
    }
  }
  if (options.sort_by_path) {
    std::stable_sort(items.begin(), items.end(), [](const BatchItem& a, const BatchItem& b) { return a.path < b.path; });
  }
  if (options.shard) {
    std::vector<BatchItem> kept;
    for (auto& item : items) {
      if (in_shard(item.shard_key, *options.shard)) kept.push_back(std::move(item));
      else ++s.outside_shard;
    }
    items = std::move(kept);
  }
  return items;
}

Result<BatchSummary> scan_batch(const std::vector<std::filesystem::path>& inputs, const BatchOptions& options,
                                const BatchHooks& hooks) {
  if (!hooks.on_report) return Status::invalid_argument("scan_batch needs an on_report hook");
  WM_RETURN_IF_ERROR(scan::resolve_detectors(options.scan).status());
  WM_RETURN_IF_ERROR(scan::meta_parameters(options.scan).status());
  std::optional<scan::ReportCache> cache;
  if (!options.cache_dir.empty()) {
    WM_ASSIGN_OR_RETURN(scan::ReportCache opened, scan::ReportCache::open(options.cache_dir, options.scan));
    cache.emplace(std::move(opened));
  }
  BatchSummary summary;
  WM_ASSIGN_OR_RETURN(std::vector<BatchItem> items, list_batch_inputs(inputs, options, &summary));
  summary.files = items.size();

  const auto t0 = std::chrono::steady_clock::now();
  const int jobs = std::max(1, options.jobs > 0 ? options.jobs : static_cast<int>(std::thread::hardware_concurrency()));
  const std::size_t window = 4 * static_cast<std::size_t>(jobs);

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<Report>> results(items.size());
  std::vector<bool> cached(items.size(), false);
  std::size_t next_to_claim = 0;
  std::size_t next_to_emit = 0;
  std::atomic<bool> stop{false};

  const auto scan_one = [&](std::size_t index) -> std::pair<Report, bool> {
    const BatchItem& item = items[index];
    const std::string display = item.path.string();
    if (!item.error.empty()) return {failed_report(display, Status::io_error(item.error)), false};
    std::string digest;
    std::string key;
    if (options.hash_files || cache) {
      auto hashed = core::sha256_file(item.path);
      if (hashed.is_ok()) digest = *hashed;
    }
    if (cache && !digest.empty()) {
      key = cache->key_for(item.path, digest);
      if (auto hit = cache->load(key, display)) return {std::move(*hit), true};
    }
    ScanHooks scan_hooks;
    auto file_deadline = std::chrono::steady_clock::time_point::max();
    const auto started = std::chrono::steady_clock::now();
    if (options.timeout_per_file_s > 0) {
      file_deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(options.timeout_per_file_s));
    }
    scan_hooks.is_cancelled = [&] {
      return stop.load() || std::chrono::steady_clock::now() > file_deadline;
    };
    auto result = scan_file(item.path, options.scan, scan_hooks);
    Report report = result.is_ok() ? std::move(result).value() : failed_report(display, result.status());
    report.sha256 = digest;
    if (std::chrono::steady_clock::now() > file_deadline && !report.complete) {
      for (std::string& e : report.errors) {
        if (e.find("cancelled") != std::string::npos) {
          e = display + ": timed out after " + std::to_string(options.timeout_per_file_s) + " s (--timeout-per-file)";
        }
      }
    }
    if (cache && !key.empty() && scan::is_cacheable(report)) (void)cache->store(key, report);
    return {std::move(report), false};
  };

  const auto worker = [&] {
    while (true) {
      std::size_t index;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop.load() || next_to_claim >= items.size() || next_to_claim < next_to_emit + window; });
        if (stop.load() || next_to_claim >= items.size()) return;
        index = next_to_claim++;
      }
      auto [report, from_cache] = scan_one(index);
      {
        std::lock_guard<std::mutex> lock(mutex);
        results[index] = std::move(report);
        cached[index] = from_cache;
      }
      changed.notify_all();
    }
  };

  std::vector<std::thread> pool;
  for (int i = 0; i < jobs; ++i) pool.emplace_back(worker);

  BatchProgress progress;
  progress.files_total = items.size();
  auto last_progress = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (next_to_emit < items.size()) {
      changed.wait_for(lock, std::chrono::milliseconds(200), [&] { return results[next_to_emit].has_value(); });
      if (hooks.is_cancelled && hooks.is_cancelled()) stop = true;
      while (next_to_emit < items.size() && results[next_to_emit].has_value()) {
        Report report = std::move(*results[next_to_emit]);
        results[next_to_emit].reset();
        const bool from_cache = cached[next_to_emit];
        ++next_to_emit;
        lock.unlock();
        changed.notify_all();
        progress.files_done = next_to_emit;
        progress.findings += report.findings.size();
        if (!report.complete) ++progress.failed;
        if (from_cache) ++progress.from_cache;
        hooks.on_report(std::move(report));
        lock.lock();
      }
      if (stop.load() && next_to_claim <= next_to_emit) break;
      if (hooks.on_progress && std::chrono::steady_clock::now() - last_progress > std::chrono::milliseconds(200)) {
        last_progress = std::chrono::steady_clock::now();
        progress.elapsed_s = seconds_since(t0);
        lock.unlock();
        hooks.on_progress(progress);
        lock.lock();
      }
    }
  }
  stop = true;
  changed.notify_all();
  for (auto& t : pool) t.join();
  if (hooks.on_progress) {
    progress.elapsed_s = seconds_since(t0);
    hooks.on_progress(progress);
  }
  summary.from_cache = progress.from_cache;
  summary.failed = progress.failed;
  return summary;
}

}  // namespace wm
