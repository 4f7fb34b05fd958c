// One file, one pass: open, hand the container's metadata to the meta family, and assemble
// the report. Stream-consuming families (audio, video) plug in here as they are built; each
// reads from the same demuxing pass (DESIGN.md, "Data flow").
#include <algorithm>

#include "core/file_reader.h"
#include "io/demuxer.h"
#include "meta/meta_detector.h"
#include "scan/registry.h"
#include "wm/scan.h"

namespace wm {

namespace {

meta::ContainerMetadata container_metadata(const io::Demuxer& demuxer) {
  meta::ContainerMetadata c;
  c.format = demuxer.format_metadata();
  for (const io::StreamDesc& s : demuxer.streams()) {
    meta::ContainerMetadata::Stream ms;
    ms.index = s.index;
    ms.kind = std::string(s.kind_name());
    ms.tags = s.metadata;
    ms.attachment_file_name = s.attachment_filename;
    ms.attachment_media_type = s.attachment_mimetype;
    ms.attachment_size_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, s.attachment_size_bytes));
    c.streams.push_back(std::move(ms));
  }
  for (const io::ChapterDesc& ch : demuxer.chapters()) {
    c.chapters.push_back({ch.index, ch.start_s, ch.end_s, ch.metadata});
  }
  for (const io::ProgramDesc& p : demuxer.programs()) c.programs.push_back({p.id, p.metadata});
  return c;
}

std::vector<StreamSummary> stream_summaries(const io::Demuxer& demuxer) {
  std::vector<StreamSummary> out;
  for (const io::StreamDesc& s : demuxer.streams()) {
    StreamSummary ss;
    ss.index = s.index;
    ss.kind = std::string(s.kind_name());
    ss.codec = s.codec_name;
    ss.duration_s = s.duration_s;
    ss.sample_rate_hz = s.sample_rate_hz;
    ss.channels = s.channels;
    ss.width = s.width;
    ss.height = s.height;
    out.push_back(std::move(ss));
  }
  return out;
}

class HookCaller {
 public:
  explicit HookCaller(const ScanHooks& hooks) : hooks_(hooks) {}
  void progress(double fraction, const char* stage) {
    if (!hooks_.on_progress) return;
    fraction = std::clamp(fraction, last_fraction_, 1.0);
    last_fraction_ = fraction;
    hooks_.on_progress(Progress{fraction, stage});
  }
  bool cancelled() const { return hooks_.is_cancelled && hooks_.is_cancelled(); }
  void finding(const Finding& f) const {
    if (hooks_.on_finding) hooks_.on_finding(f);
  }

 private:
  const ScanHooks& hooks_;
  double last_fraction_ = 0.0;
};

void mark_incomplete(Report& report, const std::string& why) {
  report.complete = false;
  report.status = ScanStatus::kPartial;
  report.errors.push_back(why);
}

}  // namespace

Result<Report> scan_file(const std::filesystem::path& path, const ScanOptions& options, const ScanHooks& hooks) {
  WM_ASSIGN_OR_RETURN(const std::set<std::string> families, scan::resolve_detectors(options));
  WM_ASSIGN_OR_RETURN(const scan::MetaParameters meta_params, scan::meta_parameters(options));
  HookCaller hook(hooks);
  hook.progress(0.0, "open");

  WM_ASSIGN_OR_RETURN(core::FileReader reader, core::FileReader::open(path));
  if (reader.size_bytes() == 0) return Status::unsupported(path.string() + ": empty file (0 bytes)");
  WM_ASSIGN_OR_RETURN(io::Demuxer demuxer, io::Demuxer::open(path));

  Report report;
  report.path = path.string();
  report.size_bytes = reader.size_bytes();
  report.container = demuxer.format_name();
  report.duration_s = demuxer.duration_s();
  report.streams = stream_summaries(demuxer);

  if (hook.cancelled()) {
    mark_incomplete(report, path.string() + ": scan cancelled before the metadata was read");
    return report;
  }
  hook.progress(0.1, "metadata");
  if (families.contains("meta")) {
    const meta::MetaScanSettings settings{meta_params.inspect_neighbours, meta_params.max_metadata_bytes};
    meta::MetaScanResult meta = meta::scan_metadata(path, container_metadata(demuxer), reader, settings);
    for (const meta::WalkIssue& issue : meta.issues) {
      if (issue.truncated) mark_incomplete(report, path.string() + ": " + issue.message);
      else report.not_checked.push_back({"meta", issue.message});
    }
    for (Finding& f : meta.findings) {
      hook.finding(f);
      report.findings.push_back(std::move(f));
    }
    report.detectors.push_back(meta::meta_detector_run(settings));
    for (const io::StreamDesc& s : demuxer.streams()) {
      if (s.kind == io::StreamKind::kSubtitle) {
        report.not_checked.push_back(
            {"meta", "subtitle stream " + std::to_string(s.index) + ": its text (which may name speakers) is not read by this version"});
      }
    }
  }
  hook.progress(1.0, "done");
  return report;
}

}  // namespace wm
