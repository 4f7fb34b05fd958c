// CSV form of reports (RFC 4180): one row per finding, for spreadsheets and quick filtering.
//
// Columns: path, status, detector, category, severity, confidence, summary, time_ranges,
// region, evidence. A file without findings still gets one row, with the detector columns
// empty and its verdict ("clean", "could not scan: ...") as the summary, so that a file that
// failed never disappears from the sheet. Rows end in CRLF; the header is always written.
#ifndef WM_REPORT_CSV_WRITER_H_
#define WM_REPORT_CSV_WRITER_H_

#include <ostream>
#include <vector>

#include "wm/report.h"
#include "wm/write.h"

namespace wm::report {

void write_csv(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options);

}  // namespace wm::report

#endif  // WM_REPORT_CSV_WRITER_H_
