#include "report/json_writer.h"

#include <cmath>
#include <map>
#include <sstream>

#include "core/text.h"
#include "wm/version.h"

namespace wm::report {

namespace {

using Json = nlohmann::ordered_json;

// Rounds so that golden files do not churn on the last bits of a double.
double rounded(double v, int decimals = 3) {
  if (!std::isfinite(v)) return 0.0;
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

Json evidence_value_json(const EvidenceField& field, const WriteOptions& options) {
  if (field.personal && !options.show_values) return std::string(kRedacted);
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) return core::sanitize_utf8(v);
        else if constexpr (std::is_same_v<T, double>) return rounded(v, 6);
        else return v;
      },
      field.value);
}

Json finding_to_json(const Finding& f, const WriteOptions& options) {
  Json j;
  j["detector"] = f.detector;
  j["category"] = f.category;
  j["severity"] = std::string(severity_name(f.severity));
  j["confidence"] = rounded(f.confidence);
  j["summary"] = core::sanitize_utf8(f.summary);
  Json ranges = Json::array();
  for (const TimeRange& r : f.time_ranges_s) ranges.push_back({rounded(r.start_s), rounded(r.end_s)});
  j["time_ranges_s"] = ranges;
  if (f.region) {
    j["region"] = {{"x", f.region->x}, {"y", f.region->y}, {"width", f.region->width},
                   {"height", f.region->height}};
  }
  Json evidence = Json::object();
  Json personal = Json::array();
  Json redacted = Json::array();
  for (const EvidenceField& e : f.evidence) {
    const std::string key = core::sanitize_utf8(e.key);
    evidence[key] = evidence_value_json(e, options);
    if (e.personal) personal.push_back(key);
    if (e.personal && !options.show_values) redacted.push_back(key);
  }
  j["evidence"] = evidence;
  j["personal_fields"] = personal;  // personal data, whether shown or not
  j["redacted"] = redacted;         // hidden in this output
  Json artifacts = Json::array();
  for (const Artifact& a : f.artifacts) {
    Json artifact = {{"kind", a.kind}, {"media_type", a.media_type}, {"file_name", a.file_name},
                     {"size_bytes", a.bytes.size()}};
    if (!a.stored_path.empty()) artifact["path"] = a.stored_path;
    if (a.time_s) artifact["time_s"] = rounded(*a.time_s);
    artifacts.push_back(std::move(artifact));
  }
  j["artifacts"] = artifacts;
  return j;
}

}  // namespace

std::string evidence_value_text(const EvidenceField& field, const WriteOptions& options) {
  if (field.personal && !options.show_values) return std::string(kRedacted);
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) return core::sanitize_utf8(v);
        else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, double>) {
          std::ostringstream os;
          os << rounded(v, 6);
          return os.str();
        } else return std::to_string(v);
      },
      field.value);
}

Json report_to_json(const Report& r, const WriteOptions& options) {
  Json j;
  j["schema_version"] = std::string(kReportSchemaVersion);
  j["tool_version"] = std::string(version());
  j["path"] = core::sanitize_utf8(r.path);
  j["size_bytes"] = r.size_bytes;
  if (!r.sha256.empty()) j["sha256"] = r.sha256;
  j["status"] = std::string(scan_status_name(r.status));
  j["complete"] = r.complete;
  j["container"] = r.container;
  j["duration_s"] = rounded(r.duration_s);
  Json streams = Json::array();
  for (const StreamSummary& s : r.streams) {
    Json js{{"index", s.index}, {"kind", s.kind}, {"codec", s.codec}, {"duration_s", rounded(s.duration_s)}};
    if (s.kind == "audio") {
      js["sample_rate_hz"] = s.sample_rate_hz;
      js["channels"] = s.channels;
    } else if (s.kind == "video") {
      js["width"] = s.width;
      js["height"] = s.height;
      if (s.rotation_deg != 0) js["rotation_deg"] = s.rotation_deg;
    }
    streams.push_back(js);
  }
  j["streams"] = streams;
  const auto worst = r.worst_severity();
  j["worst_severity"] = worst ? Json(std::string(severity_name(*worst))) : Json(nullptr);
  Json findings = Json::array();
  for (const Finding& f : r.findings) findings.push_back(finding_to_json(f, options));
  j["findings"] = findings;
  Json not_checked = Json::array();
  for (const NotChecked& n : r.not_checked) not_checked.push_back({{"detector", n.detector}, {"reason", n.reason}});
  j["not_checked"] = not_checked;
  Json errors = Json::array();
  for (const std::string& e : r.errors) errors.push_back(core::sanitize_utf8(e));
  j["errors"] = errors;
  Json detectors = Json::array();
  for (const DetectorRun& d : r.detectors) {
    Json params = Json::object();
    for (const auto& [k, v] : d.parameters) params[k] = v;
    detectors.push_back({{"id", d.id}, {"version", d.version}, {"parameters", params}});
  }
  j["detectors"] = detectors;
  return j;
}

Json reports_to_json(const std::vector<Report>& reports, const WriteOptions& options) {
  Json doc;
  doc["schema_version"] = std::string(kReportSchemaVersion);
  doc["tool"] = {{"name", "wmscan"}, {"version", std::string(version())}};
  doc["values_redacted"] = !options.show_values;
  Json files = Json::array();
  std::map<std::string, int> by_status;
  std::map<std::string, int> by_severity;
  for (const Report& r : reports) {
    files.push_back(report_to_json(r, options));
    ++by_status[std::string(scan_status_name(r.status))];
    for (const Finding& f : r.findings) ++by_severity[std::string(severity_name(f.severity))];
  }
  Json summary;
  summary["files"] = reports.size();
  Json statuses = Json::object();
  for (std::string_view s : {"scanned", "partial", "error", "unsupported", "skipped"}) {
    statuses[std::string(s)] = by_status[std::string(s)];
  }
  summary["by_status"] = statuses;
  Json severities = Json::object();
  for (std::string_view s : {"high", "medium", "review", "low", "info"}) {
    severities[std::string(s)] = by_severity[std::string(s)];
  }
  summary["findings_by_severity"] = severities;
  doc["summary"] = summary;
  doc["files"] = files;
  return doc;
}

}  // namespace wm::report
