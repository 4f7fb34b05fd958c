#include "wm/write.h"

#include "report/csv_writer.h"
#include "report/html_writer.h"
#include "report/json_writer.h"
#include "report/sarif_writer.h"
#include "report/text_writer.h"

namespace wm {

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "sarif") return OutputFormat::kSarif;
  if (name == "html") return OutputFormat::kHtml;
  return std::nullopt;
}

Status write_jsonl_record(std::ostream& out, const Report& report, const WriteOptions& options) {
  out << report::report_to_json(report, options).dump() << "\n";
  if (!out) return Status::io_error("writing the jsonl record for " + report.path + " failed");
  return Status::ok();
}

Status write_reports(std::ostream& out, const std::vector<Report>& reports, OutputFormat format,
                     const WriteOptions& options) {
  switch (format) {
    case OutputFormat::kText:
      report::write_text(out, reports, options);
      break;
    case OutputFormat::kJson:
      out << report::reports_to_json(reports, options).dump(2) << "\n";
      break;
    case OutputFormat::kJsonl:
      for (const Report& r : reports) WM_RETURN_IF_ERROR(write_jsonl_record(out, r, options));
      break;
    case OutputFormat::kCsv:
      report::write_csv(out, reports, options);
      break;
    case OutputFormat::kSarif:
      report::write_sarif(out, reports, options);
      break;
    case OutputFormat::kHtml:
      report::write_html(out, reports, options);
      break;
  }
  out.flush();
  if (!out) return Status::io_error("writing the report failed");
  return Status::ok();
}

}  // namespace wm
