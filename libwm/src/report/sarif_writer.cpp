#include "report/sarif_writer.h"

#include <map>
#include <string>

#include "core/text.h"
#include "report/escape.h"
#include "report/json_writer.h"
#include "report/text_writer.h"
#include "wm/version.h"

namespace wm::report {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kCouldNotScanRule = "wmscan.could_not_scan";
constexpr std::string_view kIncompleteRule = "wmscan.incomplete";

// Rules are described by their finding category: the library has no per-finding-id prose,
// and a rule's text must fit every finding it covers.
std::string rule_description(std::string_view category) {
  if (category == "metadata") return "Identifying information in the file's metadata.";
  if (category == "visible_watermark") return "A visible watermark drawn over the picture.";
  if (category == "burned_in_text") return "Identifying text burned into the picture.";
  if (category == "audio_signature") return "A signal hidden in the audio that can identify its source.";
  if (category == "sidecar") return "Identifying information in a file next to the recording.";
  return "An identifying mark of category '" + core::sanitize_utf8(category) + "'.";
}

bool could_not_scan(const Report& r) {
  return r.status == ScanStatus::kError || r.status == ScanStatus::kUnsupported;
}

bool incomplete(const Report& r) { return !could_not_scan(r) && (!r.complete || r.status == ScanStatus::kPartial); }

// "could not scan: cause; cause" (or the verdict alone when no cause was recorded).
std::string failure_text(const Report& r, std::string_view lead) {
  std::string out(lead);
  for (std::size_t i = 0; i < r.errors.size(); ++i) out += (i == 0 ? ": " : "; ") + core::sanitize_utf8(r.errors[i]);
  return out;
}

Json location(const Report& r, std::size_t artifact_index) {
  return Json{{"physicalLocation",
               {{"artifactLocation", {{"uri", path_to_uri(r.path)}, {"index", artifact_index}}}}}};
}

Json finding_result(const Finding& f, const Json& finding_json, std::size_t rule_index, const Report& r,
                    std::size_t artifact_index) {
  Json result;
  result["ruleId"] = f.detector;
  result["ruleIndex"] = rule_index;
  switch (f.severity) {
    case Severity::kHigh: result["kind"] = "fail"; result["level"] = "error"; break;
    case Severity::kMedium: result["kind"] = "fail"; result["level"] = "warning"; break;
    case Severity::kLow:
    case Severity::kInfo: result["kind"] = "fail"; result["level"] = "note"; break;
    // SARIF: a result whose kind is not "fail" has level "none".
    case Severity::kReview: result["kind"] = "review"; result["level"] = "none"; break;
  }
  result["message"] = {{"text", finding_json.at("summary")}};
  result["locations"] = Json::array({location(r, artifact_index)});
  Json properties;
  for (const char* key : {"category", "severity", "confidence", "time_ranges_s", "region", "evidence", "redacted",
                          "artifacts"}) {
    if (finding_json.contains(key)) properties[key] = finding_json.at(key);
  }
  result["properties"] = properties;
  return result;
}

Json failure_result(std::string_view rule_id, std::size_t rule_index, std::string_view level, const std::string& text,
                    const Report& r, std::size_t artifact_index) {
  return Json{{"ruleId", rule_id},
              {"ruleIndex", rule_index},
              {"kind", "fail"},
              {"level", level},
              {"message", {{"text", text}}},
              {"locations", Json::array({location(r, artifact_index)})},
              {"properties", {{"status", std::string(scan_status_name(r.status))}, {"complete", r.complete}}}};
}

Json notification(std::string_view level, const std::string& text, const Report& r, std::size_t artifact_index) {
  return Json{{"level", level}, {"message", {{"text", text}}}, {"locations", Json::array({location(r, artifact_index)})}};
}

}  // namespace

Json reports_to_sarif(const std::vector<Report>& reports, const WriteOptions& options) {
  // Rules first, sorted by id, so that ruleIndex is stable whatever order files come in.
  std::map<std::string, std::string> rule_text;  // id -> description
  for (const Report& r : reports) {
    for (const Finding& f : r.findings) rule_text.emplace(f.detector, rule_description(f.category));
    if (could_not_scan(r)) rule_text.emplace(kCouldNotScanRule, "The file could not be scanned; its marks are unknown.");
    if (incomplete(r)) {
      rule_text.emplace(kIncompleteRule, "The scan stopped early; absence of further marks is not established.");
    }
  }
  std::map<std::string, std::size_t> rule_index;
  Json rules = Json::array();
  for (const auto& [id, text] : rule_text) {
    rule_index[id] = rules.size();
    rules.push_back({{"id", core::sanitize_utf8(id)}, {"shortDescription", {{"text", text}}}});
  }

  Json artifacts = Json::array();
  Json results = Json::array();
  Json notifications = Json::array();
  bool all_scanned = true;
  for (const Report& r : reports) {
    const std::size_t artifact_index = artifacts.size();
    artifacts.push_back({{"location", {{"uri", path_to_uri(r.path)}}},
                         {"length", r.size_bytes},
                         {"properties", {{"status", std::string(scan_status_name(r.status))}, {"complete", r.complete}}}});
    const Json record = report_to_json(r, options);
    const Json& findings = record["findings"];
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      const Finding& f = r.findings[i];
      results.push_back(finding_result(f, findings[i], rule_index.at(f.detector), r, artifact_index));
    }
    if (could_not_scan(r)) {
      all_scanned = false;
      const std::string text = failure_text(r, verdict(r));
      notifications.push_back(notification("error", text, r, artifact_index));
      results.push_back(failure_result(kCouldNotScanRule, rule_index.at(std::string(kCouldNotScanRule)), "error", text,
                                       r, artifact_index));
    } else if (incomplete(r)) {
      const std::string text = failure_text(r, "scan incomplete: absence of further marks is not established");
      notifications.push_back(notification("warning", text, r, artifact_index));
      results.push_back(failure_result(kIncompleteRule, rule_index.at(std::string(kIncompleteRule)), "warning", text,
                                       r, artifact_index));
    } else if (r.status == ScanStatus::kSkipped) {
      notifications.push_back(notification("note", "skipped", r, artifact_index));
    }
    for (const NotChecked& n : r.not_checked) {
      notifications.push_back(notification(
          "note", core::sanitize_utf8(n.detector) + " not checked: " + core::sanitize_utf8(n.reason), r, artifact_index));
    }
  }

  Json driver;
  driver["name"] = "wmscan";
  driver["version"] = std::string(version());
  driver["semanticVersion"] = std::string(version());
  driver["rules"] = rules;
  Json invocation;
  invocation["executionSuccessful"] = all_scanned;
  invocation["toolExecutionNotifications"] = notifications;
  Json run;
  run["tool"] = {{"driver", driver}};
  run["invocations"] = Json::array({invocation});
  run["artifacts"] = artifacts;
  run["results"] = results;
  run["properties"] = {{"schema_version", std::string(kReportSchemaVersion)}, {"values_redacted", !options.show_values}};
  Json log;
  log["$schema"] = std::string(kSarifSchemaUri);
  log["version"] = "2.1.0";
  log["runs"] = Json::array({run});
  return log;
}

void write_sarif(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options) {
  out << reports_to_sarif(reports, options).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
      << "\n";
}

}  // namespace wm::report
