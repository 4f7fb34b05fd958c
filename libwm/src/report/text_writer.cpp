#include "report/text_writer.h"

#include <iomanip>
#include <map>
#include <sstream>

#include "core/text.h"
#include "report/json_writer.h"
#include "wm/version.h"

namespace wm::report {

namespace {

struct Palette {
  bool on = false;
  std::string_view wrap(std::string_view code) const { return on ? code : ""; }
  std::string_view bold() const { return wrap("\x1b[1m"); }
  std::string_view dim() const { return wrap("\x1b[2m"); }
  std::string_view reset() const { return wrap("\x1b[0m"); }
  std::string_view severity(Severity s) const {
    switch (s) {
      case Severity::kHigh: return wrap("\x1b[1;31m");
      case Severity::kMedium: return wrap("\x1b[33m");
      case Severity::kReview: return wrap("\x1b[35m");
      case Severity::kLow: return wrap("\x1b[36m");
      case Severity::kInfo: return wrap("\x1b[2m");
    }
    return "";
  }
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string format_seconds(double s) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << s << " s";
  return os.str();
}

bool has_marks(const Report& r) {
  for (const Finding& f : r.findings) {
    if (f.severity != Severity::kInfo) return true;
  }
  return false;
}

void write_file_header(std::ostream& out, const Report& r, const Palette& p) {
  out << p.bold() << core::sanitize_utf8(r.path) << p.reset();
  if (!r.container.empty()) {
    out << p.dim() << "  (" << r.container;
    if (r.duration_s > 0) out << ", " << format_seconds(r.duration_s);
    std::map<std::string, int> kinds;
    for (const StreamSummary& s : r.streams) ++kinds[s.kind];
    std::string streams;
    for (const char* kind : {"audio", "video", "subtitle", "data", "attachment"}) {
      if (kinds[kind] > 0) streams += (streams.empty() ? "" : " + ") + std::to_string(kinds[kind]) + " " + kind;
    }
    if (!streams.empty()) out << ", " << streams;
    out << ")"
        << p.reset();
  }
  out << "\n";
}

void write_verdict(std::ostream& out, const Report& r, const Palette& p) {
  std::map<Severity, int> counts;
  for (const Finding& f : r.findings) ++counts[f.severity];
  out << "  " << p.bold() << upper(verdict(r)) << p.reset();
  if (!r.findings.empty()) {
    out << ": ";
    bool first = true;
    for (Severity s : {Severity::kHigh, Severity::kMedium, Severity::kReview, Severity::kLow, Severity::kInfo}) {
      if (counts[s] == 0) continue;
      out << (first ? "" : ", ") << counts[s] << " " << severity_name(s);
      first = false;
    }
  }
  out << "\n";
}

void write_finding(std::ostream& out, const Finding& f, const WriteOptions& options, const Palette& p) {
  std::string sev = upper(severity_name(f.severity));
  sev.resize(7, ' ');
  out << "  " << p.severity(f.severity) << sev << p.reset() << " " << f.detector << "  "
      << core::sanitize_utf8(f.summary) << p.dim() << " (confidence " << std::fixed << std::setprecision(2)
      << f.confidence << ")" << p.reset() << "\n";
  out.unsetf(std::ios::fixed);
  for (const TimeRange& t : f.time_ranges_s) {
    out << "          at " << format_seconds(t.start_s) << " – " << format_seconds(t.end_s) << "\n";
  }
  if (f.region) {
    out << "          region x=" << f.region->x << " y=" << f.region->y << " " << f.region->width << "x"
        << f.region->height << "\n";
  }
  for (const EvidenceField& e : f.evidence) {
    out << "          " << p.dim() << core::sanitize_utf8(e.key) << ":" << p.reset() << " "
        << core::ellipsize(evidence_value_text(e, options), 160) << "\n";
  }
}

// For batches: counts by severity and by detector, and the files with the most serious marks.
void write_batch_table(std::ostream& out, const std::vector<Report>& reports, const Palette& p) {
  std::map<Severity, int> by_severity;
  std::map<std::string, int> by_detector;
  for (const Report& r : reports) {
    for (const Finding& f : r.findings) {
      ++by_severity[f.severity];
      ++by_detector[f.detector];
    }
  }
  out << "  by severity:";
  for (Severity s : {Severity::kHigh, Severity::kMedium, Severity::kReview, Severity::kLow, Severity::kInfo}) {
    out << " " << p.severity(s) << severity_name(s) << p.reset() << " " << by_severity[s];
  }
  out << "\n  by detector:";
  std::vector<std::pair<std::string, int>> detectors(by_detector.begin(), by_detector.end());
  std::stable_sort(detectors.begin(), detectors.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [id, n] : detectors) out << " " << id << " " << n;
  out << "\n";
  std::vector<const Report*> ranked;
  for (const Report& r : reports) {
    if (r.worst_severity() && *r.worst_severity() != Severity::kInfo) ranked.push_back(&r);
  }
  const auto score = [](const Report* r) {
    int high = 0;
    for (const Finding& f : r->findings) high += f.severity == Severity::kHigh;
    return std::make_pair(severity_rank(*r->worst_severity()), high);
  };
  std::stable_sort(ranked.begin(), ranked.end(), [&](const Report* a, const Report* b) { return score(a) > score(b); });
  if (ranked.size() > 5) ranked.resize(5);
  out << "  most serious first:\n";
  for (const Report* r : ranked) {
    out << "    " << p.severity(*r->worst_severity()) << upper(severity_name(*r->worst_severity())) << p.reset() << "  "
        << core::sanitize_utf8(r->path) << " (" << score(r).second << " high, " << r->findings.size() << " findings)\n";
  }
}

}  // namespace

std::string_view verdict(const Report& r) {
  if (r.status == ScanStatus::kError || r.status == ScanStatus::kUnsupported) return "could not scan";
  if (r.status == ScanStatus::kSkipped) return "skipped";
  if (has_marks(r)) return r.complete ? "marks found" : "marks found (incomplete scan)";
  if (!r.complete) return "incomplete: absence of marks not established";
  if (!r.not_checked.empty()) return "nothing found, some checks not possible";
  return "clean";
}

void write_text(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options) {
  const Palette p{options.color};
  int with_marks = 0, clean = 0, partly_checked = 0, failed = 0, total_findings = 0;
  for (const Report& r : reports) {
    write_file_header(out, r, p);
    write_verdict(out, r, p);
    for (const std::string& e : r.errors) out << "  error: " << core::sanitize_utf8(e) << "\n";
    for (const Finding& f : r.findings) write_finding(out, f, options, p);
    for (const NotChecked& n : r.not_checked) {
      out << "  " << p.dim() << "not checked (" << n.detector << "): " << p.reset() << n.reason << "\n";
    }
    if (!r.detectors.empty()) {
      out << "  " << p.dim() << "checked by:";
      for (const DetectorRun& d : r.detectors) out << " " << d.id << " " << d.version;
      out << p.reset() << "\n";
    }
    out << "\n";
    total_findings += static_cast<int>(r.findings.size());
    const std::string_view v = verdict(r);
    if (r.status == ScanStatus::kError || r.status == ScanStatus::kUnsupported || !r.complete) ++failed;
    else if (has_marks(r)) ++with_marks;
    else if (v == "clean") ++clean;
    else ++partly_checked;
  }
  out << p.bold() << "Summary:" << p.reset() << " " << reports.size() << " file" << (reports.size() == 1 ? "" : "s")
      << ", " << total_findings << " finding" << (total_findings == 1 ? "" : "s") << "; " << with_marks
      << " with marks, " << clean << " clean, ";
  if (partly_checked > 0) out << partly_checked << " with nothing found but some checks not possible, ";
  out << failed << " not fully scanned.\n";
  if (reports.size() > 1 && total_findings > 0) write_batch_table(out, reports, p);
  if (!options.show_values && total_findings > 0) {
    out << "Personal values are shown as [redacted]; run with --show-values to see them.\n";
  }
}

}  // namespace wm::report
