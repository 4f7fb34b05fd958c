// Reading jsonl records back into Reports (merge of shard outputs, the scan cache).
#include <nlohmann/json.hpp>

#include <set>

#include "wm/write.h"

namespace wm {

namespace {

using Json = nlohmann::ordered_json;  // keeps evidence in the order it was written

std::optional<ScanStatus> parse_status(const std::string& s) {
  for (ScanStatus st : {ScanStatus::kScanned, ScanStatus::kPartial, ScanStatus::kError, ScanStatus::kUnsupported,
                        ScanStatus::kSkipped}) {
    if (scan_status_name(st) == s) return st;
  }
  return std::nullopt;
}

Finding finding_from_json(const Json& j) {
  Finding f;
  f.detector = j.at("detector").get<std::string>();
  f.category = j.at("category").get<std::string>();
  const auto severity = parse_severity(j.at("severity").get<std::string>());
  if (!severity) throw std::invalid_argument("unknown severity '" + j.at("severity").get<std::string>() + "'");
  f.severity = *severity;
  f.confidence = j.at("confidence").get<double>();
  f.summary = j.at("summary").get<std::string>();
  for (const Json& r : j.at("time_ranges_s")) f.time_ranges_s.push_back({r.at(0).get<double>(), r.at(1).get<double>()});
  if (j.contains("region")) {
    const Json& r = j["region"];
    f.region = Region{r.at("x").get<int>(), r.at("y").get<int>(), r.at("width").get<int>(), r.at("height").get<int>()};
  }
  std::set<std::string> personal;
  for (const char* list : {"redacted", "personal_fields"}) {
    if (!j.contains(list)) continue;
    for (const Json& k : j[list]) personal.insert(k.get<std::string>());
  }
  for (const auto& [key, value] : j.at("evidence").items()) {
    EvidenceField e;
    e.key = key;
    if (value.is_string()) e.value = value.get<std::string>();
    else if (value.is_boolean()) e.value = value.get<bool>();
    else if (value.is_number_integer()) e.value = value.get<std::int64_t>();
    else if (value.is_number()) e.value = value.get<double>();
    else e.value = value.dump();
    e.personal = personal.contains(key);
    f.evidence.push_back(std::move(e));
  }
  if (j.contains("artifacts")) {
    for (const Json& a : j["artifacts"]) {
      Artifact artifact;
      artifact.kind = a.at("kind").get<std::string>();
      artifact.media_type = a.at("media_type").get<std::string>();
      artifact.file_name = a.at("file_name").get<std::string>();
      if (a.contains("path")) artifact.stored_path = a["path"].get<std::string>();
      if (a.contains("time_s")) artifact.time_s = a["time_s"].get<double>();
      f.artifacts.push_back(std::move(artifact));
    }
  }
  return f;
}

}  // namespace

Result<Report> parse_jsonl_record(std::string_view line) {
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::invalid_argument("not a JSON object");
  try {
    if (j.at("schema_version").get<std::string>() != kReportSchemaVersion) {
      return Status::invalid_argument("schema_version " + j["schema_version"].get<std::string>() + " (expected " +
                                      std::string(kReportSchemaVersion) + ")");
    }
    Report r;
    r.path = j.at("path").get<std::string>();
    r.size_bytes = j.at("size_bytes").get<std::uint64_t>();
    if (j.contains("sha256")) r.sha256 = j["sha256"].get<std::string>();
    const auto status = parse_status(j.at("status").get<std::string>());
    if (!status) return Status::invalid_argument("unknown status '" + j["status"].get<std::string>() + "'");
    r.status = *status;
    r.complete = j.at("complete").get<bool>();
    r.container = j.at("container").get<std::string>();
    r.duration_s = j.at("duration_s").get<double>();
    for (const Json& s : j.at("streams")) {
      StreamSummary ss;
      ss.index = s.at("index").get<int>();
      ss.kind = s.at("kind").get<std::string>();
      ss.codec = s.at("codec").get<std::string>();
      ss.duration_s = s.at("duration_s").get<double>();
      ss.sample_rate_hz = s.value("sample_rate_hz", 0);
      ss.channels = s.value("channels", 0);
      ss.width = s.value("width", 0);
      ss.height = s.value("height", 0);
      ss.rotation_deg = s.value("rotation_deg", 0);
      r.streams.push_back(std::move(ss));
    }
    for (const Json& f : j.at("findings")) r.findings.push_back(finding_from_json(f));
    for (const Json& n : j.at("not_checked")) {
      r.not_checked.push_back({n.at("detector").get<std::string>(), n.at("reason").get<std::string>()});
    }
    for (const Json& e : j.at("errors")) r.errors.push_back(e.get<std::string>());
    for (const Json& d : j.at("detectors")) {
      DetectorRun run{d.at("id").get<std::string>(), d.at("version").get<std::string>(), {}};
      for (const auto& [k, v] : d.at("parameters").items()) run.parameters.emplace_back(k, v.get<std::string>());
      r.detectors.push_back(std::move(run));
    }
    return r;
  } catch (const std::exception& e) {
    return Status::invalid_argument(std::string("malformed report record: ") + e.what());
  }
}

}  // namespace wm
