// JSON form of reports (docs/report.schema.json describes it).
#ifndef WM_REPORT_JSON_WRITER_H_
#define WM_REPORT_JSON_WRITER_H_

#include <nlohmann/json.hpp>

#include "wm/report.h"
#include "wm/write.h"

namespace wm::report {

inline constexpr std::string_view kRedacted = "[redacted]";

// One file's record: the object of a jsonl line and of the "files" array in json.
nlohmann::ordered_json report_to_json(const Report& report, const WriteOptions& options);

// The whole document for `--format json`.
nlohmann::ordered_json reports_to_json(const std::vector<Report>& reports, const WriteOptions& options);

// An evidence value as text (for the text writer), honouring redaction.
std::string evidence_value_text(const EvidenceField& field, const WriteOptions& options);

}  // namespace wm::report

#endif  // WM_REPORT_JSON_WRITER_H_
