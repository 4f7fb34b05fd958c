// SARIF 2.1.0 form of reports, for code-scanning dashboards and other SARIF consumers.
//
// One run. tool.driver is wmscan with one rule per detector id seen in the findings. Each
// finding is a result: level error (high), warning (medium), note (low, info), or
// kind "review" with level "none" for opaque blobs a person must judge. Its location is the
// file's path as given (a relative URI reference; absolute paths become file:// URIs);
// confidence, time ranges, region and the (redacted) evidence go in result.properties.
// A file that could not be scanned completely is both a toolExecutionNotification and a
// result (rule wmscan.could_not_scan or wmscan.incomplete), so a viewer that shows only
// results never presents it as clean. "Not checked" lines are notifications of level note.
#ifndef WM_REPORT_SARIF_WRITER_H_
#define WM_REPORT_SARIF_WRITER_H_

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "wm/report.h"
#include "wm/write.h"

namespace wm::report {

inline constexpr std::string_view kSarifSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

nlohmann::ordered_json reports_to_sarif(const std::vector<Report>& reports, const WriteOptions& options);

void write_sarif(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options);

}  // namespace wm::report

#endif  // WM_REPORT_SARIF_WRITER_H_
