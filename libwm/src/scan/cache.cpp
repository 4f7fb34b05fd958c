#include "scan/cache.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <thread>

#include "core/sha256.h"
#include "meta/neighbours.h"
#include "wm/version.h"
#include "wm/write.h"

namespace wm::scan {

namespace {
// What the pipeline itself checks outside any detector, raised when that changes a report (2:
// streams ending well short of their declared duration mark a scan incomplete), so reports
// cached before are made again. Detectors carry their own versions below.
constexpr int kPipelineRevision = 2;

// Everything in the options that can change a report.
std::string options_fingerprint(const ScanOptions& options) {
  std::ostringstream os;
  os << "libwm " << version() << " pipeline " << kPipelineRevision << "\n";
  for (const auto& d : available_detectors()) {
    const bool enabled = options.detectors.empty() || options.detectors.contains(d.id);
    os << "detector " << d.id << " " << d.version << " " << (enabled ? "on" : "off") << "\n";
  }
  os << "inspect_neighbours " << options.inspect_neighbours << "\n";
  os << "max_metadata_bytes " << options.max_metadata_bytes << "\n";
  for (const auto& [k, v] : options.parameters) os << "param " << k << "=" << v << "\n";
  return os.str();
}
}  // namespace

Result<ReportCache> ReportCache::open(const std::filesystem::path& dir, const ScanOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir / "v1", ec);
  if (ec) return Status::io_error(dir.string() + ": cannot create the cache directory: " + ec.message());
  return ReportCache(dir / "v1", options_fingerprint(options), options.inspect_neighbours);
}

std::string ReportCache::key_for(const std::filesystem::path& path, const std::string& content_sha256) const {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  const auto size = std::filesystem::file_size(path, ec);
  const auto mtime = std::filesystem::last_write_time(path, ec).time_since_epoch().count();
  core::Sha256 h;
  h.update(fingerprint_);
  h.update("path " + (ec ? path.string() : canonical.string()) + "\n");
  h.update("size " + std::to_string(size) + "\nmtime " + std::to_string(mtime) + "\n");
  h.update("sha256 " + content_sha256 + "\n");
  if (sidecars_) {
    for (const std::filesystem::path& sidecar : meta::sidecar_files(path)) {
      std::error_code sidecar_ec;
      const auto sidecar_size = std::filesystem::file_size(sidecar, sidecar_ec);
      const auto sidecar_mtime = std::filesystem::last_write_time(sidecar, sidecar_ec).time_since_epoch().count();
      h.update("sidecar " + sidecar.filename().string() + " " + std::to_string(sidecar_size) + " " +
               std::to_string(sidecar_mtime) + "\n");
    }
  }
  return h.hex_digest();
}

std::filesystem::path ReportCache::entry_path(const std::string& key) const {
  return dir_ / key.substr(0, 2) / (key + ".json");
}

namespace {
// The bytes of artifact `a` of finding `f` live beside the entry; the JSON only lists them.
std::filesystem::path artifact_path(const std::filesystem::path& entry, std::size_t f, std::size_t a) {
  return entry.parent_path() / (entry.stem().string() + "." + std::to_string(f) + "." + std::to_string(a) + ".bin");
}

Status write_atomically(const std::filesystem::path& final_path, const std::string& tmp_suffix,
                        const std::function<Status(std::ostream&)>& write) {
  const auto tmp_path = final_path.parent_path() / (final_path.filename().string() + tmp_suffix);
  {
    std::ofstream out(tmp_path, std::ios::binary | std::ios::trunc);
    WM_RETURN_IF_ERROR(write(out));
    out.flush();
    if (!out) return Status::io_error(tmp_path.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp_path, final_path, ec);
  if (ec) {
    std::filesystem::remove(tmp_path, ec);
    return Status::io_error(final_path.string() + ": rename failed");
  }
  return Status::ok();
}
}  // namespace

std::optional<Report> ReportCache::load(const std::string& key, const std::string& display_path) const {
  std::ifstream in(entry_path(key), std::ios::binary);
  if (!in) return std::nullopt;
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  auto report = parse_jsonl_record(line);
  if (!report.is_ok()) return std::nullopt;
  // Evidence pictures come back too, so a resumed run equals an uninterrupted one; an entry
  // whose pictures went missing is a miss.
  for (std::size_t f = 0; f < report->findings.size(); ++f) {
    for (std::size_t a = 0; a < report->findings[f].artifacts.size(); ++a) {
      std::ifstream bin(artifact_path(entry_path(key), f, a), std::ios::binary);
      if (!bin) return std::nullopt;
      report->findings[f].artifacts[a].bytes.assign(std::istreambuf_iterator<char>(bin), std::istreambuf_iterator<char>());
    }
  }
  report->path = display_path;
  return std::move(report).value();
}

Status ReportCache::store(const std::string& key, const Report& report) const {
  const auto final_path = entry_path(key);
  std::error_code ec;
  std::filesystem::create_directories(final_path.parent_path(), ec);
  if (ec) return Status::io_error(final_path.parent_path().string() + ": " + ec.message());
  static std::atomic<unsigned> counter{0};
  std::ostringstream tmp_suffix;
  tmp_suffix << ".tmp." << getpid() << "." << std::this_thread::get_id() << "." << counter++;
  // Pictures first: the entry's rename is what makes the whole result visible.
  for (std::size_t f = 0; f < report.findings.size(); ++f) {
    for (std::size_t a = 0; a < report.findings[f].artifacts.size(); ++a) {
      const std::vector<std::uint8_t>& bytes = report.findings[f].artifacts[a].bytes;
      WM_RETURN_IF_ERROR(write_atomically(artifact_path(final_path, f, a), tmp_suffix.str(), [&](std::ostream& out) {
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return Status::ok();
      }));
    }
  }
  return write_atomically(final_path, tmp_suffix.str(), [&](std::ostream& out) {
    WriteOptions unredacted;
    unredacted.show_values = true;  // the cache must be able to give back personal values
    return write_jsonl_record(out, report, unredacted);
  });
}

bool is_cacheable(const Report& report) {
  if (report.status == ScanStatus::kScanned || report.status == ScanStatus::kUnsupported) return true;
  if (report.status != ScanStatus::kPartial) return false;
  // Partial because the file itself is cut short: the same next time. Cancel/timeout: not.
  for (const std::string& e : report.errors) {
    if (e.find("cancelled") != std::string::npos || e.find("timed out") != std::string::npos) return false;
  }
  return true;
}

}  // namespace wm::scan
