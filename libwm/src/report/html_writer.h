// HTML form of reports: one self-contained page a privacy officer can read, print and forward.
//
// The page needs nothing but itself: CSS inline, pictures as data: URIs, no JavaScript, and
// a Content-Security-Policy that forbids everything else (`default-src 'none'; img-src data:;
// style-src 'unsafe-inline'`), so even a mistake in escaping could not run a script or fetch
// a URL. Every string that came from a file (paths, metadata values, OCR text, evidence keys,
// error messages) is HTML-escaped. Personal values are redacted unless show_values.
//
// Layout: a header; for more than one file a summary (verdict counts, findings by severity
// and by detector, files with the most serious marks first, linked to their sections); then
// per file a verdict badge (marks found / clean / nothing found / could not check /
// incomplete / skipped), errors, each finding (plain sentence, severity, confidence, time
// ranges on a timeline relative to the file's duration, its pictures, the evidence table),
// what could not be checked, and which detectors ran. No wall-clock time is printed.
#ifndef WM_REPORT_HTML_WRITER_H_
#define WM_REPORT_HTML_WRITER_H_

#include <ostream>
#include <string_view>
#include <vector>

#include "wm/report.h"
#include "wm/write.h"

namespace wm::report {

inline constexpr std::string_view kHtmlContentSecurityPolicy =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

void write_html(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options);

}  // namespace wm::report

#endif  // WM_REPORT_HTML_WRITER_H_
