// Report writers: text for a person at a terminal, json (one document), jsonl (one object per
// file). Every writer redacts personal values unless show_values is set.
#ifndef WM_WRITE_H_
#define WM_WRITE_H_

#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include "wm/report.h"
#include "wm/status.h"

namespace wm {

enum class OutputFormat { kText, kJson, kJsonl };

std::optional<OutputFormat> parse_output_format(std::string_view name);

struct WriteOptions {
  bool show_values = false;  // print personal values instead of "[redacted]"
  bool color = false;        // ANSI colour in text output (hosts set it only for a TTY)
};

// Writes all reports as one document (text, json) or one line each (jsonl).
Status write_reports(std::ostream& out, const std::vector<Report>& reports, OutputFormat format,
                     const WriteOptions& options);

// Writes one report as a single JSON line (for streaming jsonl output).
Status write_jsonl_record(std::ostream& out, const Report& report, const WriteOptions& options);

}  // namespace wm

#endif  // WM_WRITE_H_
