#include "report/csv_writer.h"

#include <string>

#include "report/escape.h"
#include "report/json_writer.h"
#include "report/text_writer.h"

namespace wm::report {

namespace {

// "1.5-3;10-12.25": start-end pairs in seconds, separated by semicolons.
std::string time_ranges_cell(const Finding& f) {
  std::string out;
  for (const TimeRange& t : f.time_ranges_s) {
    if (!out.empty()) out += ';';
    out += format_number(t.start_s) + "-" + format_number(t.end_s);
  }
  return out;
}

std::string region_cell(const Finding& f) {
  if (!f.region) return "";
  return "x=" + std::to_string(f.region->x) + " y=" + std::to_string(f.region->y) +
         " w=" + std::to_string(f.region->width) + " h=" + std::to_string(f.region->height);
}

// "key=value; key=value" with personal values redacted unless show_values.
std::string evidence_cell(const Finding& f, const WriteOptions& options) {
  std::string out;
  for (const EvidenceField& e : f.evidence) {
    if (!out.empty()) out += "; ";
    out += e.key + "=" + evidence_value_text(e, options);
  }
  return out;
}

// What a file without findings says in the summary column.
std::string no_finding_summary(const Report& r) {
  std::string out(verdict(r));
  for (std::size_t i = 0; i < r.errors.size(); ++i) out += (i == 0 ? ": " : "; ") + r.errors[i];
  return out;
}

void write_row(std::ostream& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (std::string_view cell : cells) {
    if (!first) out << ',';
    out << csv_field(cell);
    first = false;
  }
  out << "\r\n";
}

}  // namespace

void write_csv(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options) {
  write_row(out, {"path", "status", "detector", "category", "severity", "confidence", "summary", "time_ranges",
                  "region", "evidence"});
  for (const Report& r : reports) {
    const std::string_view status = scan_status_name(r.status);
    if (r.findings.empty()) {
      write_row(out, {r.path, status, "", "", "", "", no_finding_summary(r), "", "", ""});
      continue;
    }
    for (const Finding& f : r.findings) {
      write_row(out, {r.path, status, f.detector, f.category, severity_name(f.severity),
                      format_number(f.confidence), f.summary, time_ranges_cell(f), region_cell(f),
                      evidence_cell(f, options)});
    }
  }
}

}  // namespace wm::report
