// Report writers: text for a person at a terminal, json (one document), jsonl (one object per
// file), csv (one row per finding, RFC 4180), sarif (SARIF 2.1.0 for code-scanning tools) and
// html (one self-contained page without scripts). Every writer redacts personal values unless
// show_values is set.
#ifndef WM_WRITE_H_
#define WM_WRITE_H_

#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include "wm/export.h"
#include "wm/report.h"
#include "wm/status.h"

namespace wm {

enum class OutputFormat { kText, kJson, kJsonl, kCsv, kSarif, kHtml };

// "text", "json", "jsonl", "csv", "sarif", "html"; nullopt for anything else.
WM_EXPORT std::optional<OutputFormat> parse_output_format(std::string_view name);

struct WriteOptions {
  bool show_values = false;  // print personal values instead of "[redacted]"
  bool color = false;        // ANSI colour in text output (hosts set it only for a TTY)
};

// Writes all reports as one document (text, json, sarif, html), one line each (jsonl) or one
// row per finding (csv; a file without findings gets one row so that it is never missing).
// Paths are written as given, never made absolute; no wall-clock time is written.
WM_EXPORT Status write_reports(std::ostream& out, const std::vector<Report>& reports, OutputFormat format,
                     const WriteOptions& options);

// Writes one report as a single JSON line (for streaming jsonl output).
WM_EXPORT Status write_jsonl_record(std::ostream& out, const Report& report, const WriteOptions& options);

// Reads back one jsonl record (the inverse of write_jsonl_record). Values that were redacted
// when the record was written stay "[redacted]" (and personal). invalid_argument names what is
// wrong with the line. Used by `wmscan merge` and the resumable-scan cache.
WM_EXPORT Result<Report> parse_jsonl_record(std::string_view line);

}  // namespace wm

#endif  // WM_WRITE_H_
