// Text form of reports: what a person reads in a terminal.
#ifndef WM_REPORT_TEXT_WRITER_H_
#define WM_REPORT_TEXT_WRITER_H_

#include <ostream>
#include <vector>

#include "wm/report.h"
#include "wm/write.h"

namespace wm::report {

void write_text(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options);

// A one-word verdict for a report: "marks found", "clean", "incomplete", "could not scan".
std::string_view verdict(const Report& report);

}  // namespace wm::report

#endif  // WM_REPORT_TEXT_WRITER_H_
