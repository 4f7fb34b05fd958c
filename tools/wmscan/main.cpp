// wmscan: which identifying marks does this recording carry?
//
// Results go to stdout (or -o FILE), diagnostics to stderr. Exit codes (DESIGN.md):
//   0 scanned, no finding at or above --fail-on; 1 findings at or above it;
//   2 usage or fatal error; 3 some inputs could not be scanned (takes precedence over 1,
//   because a run with holes in it must never pass a gate).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "wm/wm.hpp"

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIncomplete = 3;

struct ScanCommand {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string output;
  bool show_values = false;
  std::string fail_on = "low";
  std::vector<std::string> detectors;
  bool no_sidecars = false;
  std::string color = "auto";
};

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// A report for an input that could not be scanned at all: it must not look clean.
wm::Report error_report(const std::string& path, const wm::Status& status) {
  wm::Report r;
  r.path = path;
  r.complete = false;
  r.status = status.code() == wm::StatusCode::kUnsupported ? wm::ScanStatus::kUnsupported : wm::ScanStatus::kError;
  r.errors.push_back(status.message());
  return r;
}

int run_scan(const ScanCommand& cmd) {
  const auto format = wm::parse_output_format(cmd.format);
  if (!format) {
    std::cerr << "wmscan: unknown --format '" << cmd.format << "' (expected text, json or jsonl)\n";
    return kExitUsage;
  }
  std::optional<wm::Severity> fail_on;
  if (cmd.fail_on != "none") {
    fail_on = wm::parse_severity(cmd.fail_on);
    if (!fail_on) {
      std::cerr << "wmscan: unknown --fail-on '" << cmd.fail_on << "' (expected info, low, review, medium, high or none)\n";
      return kExitUsage;
    }
  }
  wm::ScanOptions options;
  for (const std::string& d : cmd.detectors) options.detectors.insert(d);
  options.inspect_neighbours = !cmd.no_sidecars;
  options.log = [](wm::LogLevel level, std::string_view message) {
    if (level >= wm::LogLevel::kWarning) std::cerr << "wmscan: " << message << "\n";
  };

  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (!cmd.output.empty()) {
    file_out.open(cmd.output, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      std::cerr << "wmscan: cannot write " << cmd.output << "\n";
      return kExitUsage;
    }
    out = &file_out;
  }
  wm::WriteOptions write_options;
  write_options.show_values = cmd.show_values;
  write_options.color = cmd.color == "always" || (cmd.color == "auto" && cmd.output.empty() && isatty(STDOUT_FILENO));

  std::vector<wm::Report> reports;
  bool any_incomplete = false;
  bool any_at_fail_level = false;
  for (const std::string& input : cmd.inputs) {
    auto result = wm::scan_file(input, options);
    wm::Report report;
    if (result.is_ok()) {
      report = std::move(result).value();
    } else {
      if (result.status().code() == wm::StatusCode::kInvalidArgument) {
        std::cerr << "wmscan: " << result.status().message() << "\n";
        return kExitUsage;
      }
      std::cerr << "wmscan: error: " << result.status().message() << "\n";
      report = error_report(input, result.status());
    }
    if (!report.complete) {
      any_incomplete = true;
      if (result.is_ok()) {
        for (const auto& e : report.errors) std::cerr << "wmscan: incomplete: " << e << "\n";
      }
    }
    if (fail_on) {
      for (const wm::Finding& f : report.findings) {
        if (wm::severity_rank(f.severity) >= wm::severity_rank(*fail_on)) any_at_fail_level = true;
      }
    }
    if (*format == wm::OutputFormat::kJsonl) {
      if (auto s = wm::write_jsonl_record(*out, report, write_options); !s.is_ok()) {
        std::cerr << "wmscan: " << s.message() << "\n";
        return kExitUsage;
      }
      out->flush();
    } else {
      reports.push_back(std::move(report));
    }
  }
  if (*format != wm::OutputFormat::kJsonl) {
    if (auto s = wm::write_reports(*out, reports, *format, write_options); !s.is_ok()) {
      std::cerr << "wmscan: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  if (any_incomplete) return kExitIncomplete;
  return any_at_fail_level ? kExitFindings : kExitClean;
}

int run_detectors() {
  for (const wm::DetectorDescription& d : wm::available_detectors()) {
    std::cout << d.id << " " << d.version << "  " << d.purpose << "\n";
    std::cout << "  findings: " << join(d.finding_ids, ", ") << "\n";
    for (const auto& p : d.parameters) {
      std::cout << "  --param " << d.id << "." << p.name << "=VALUE  " << p.description << " (default "
                << p.default_value << "; " << p.range << ")\n";
    }
  }
  return kExitClean;
}

}  // namespace

int main(int argc, char** argv) {
  // FFmpeg would otherwise print its own warnings to stderr between our lines.
  wm::route_ffmpeg_log({});

  CLI::App app{"wmscan: find the identifying marks a recording carries (metadata, sidecars; "
               "more detector families as they are built)."};
  app.set_version_flag("--version", std::string("wmscan ") + std::string(wm::version()));
  app.require_subcommand(1);
  app.footer("Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or fatal error, "
             "3 some inputs could not be scanned.");

  ScanCommand scan;
  std::vector<std::string> detector_ids;
  for (const auto& d : wm::available_detectors()) detector_ids.push_back(d.id);
  CLI::App* scan_cmd = app.add_subcommand("scan", "Scan media files and report identifying marks");
  scan_cmd->add_option("FILE", scan.inputs, "Media files to scan")->required();
  scan_cmd->add_option("--format", scan.format, "Output format: text, json, jsonl")
      ->check(CLI::IsMember({"text", "json", "jsonl"}))
      ->capture_default_str();
  scan_cmd->add_option("-o,--output", scan.output, "Write the report to FILE instead of stdout");
  scan_cmd->add_flag("--show-values", scan.show_values, "Show personal values instead of [redacted]");
  scan_cmd->add_option("--fail-on", scan.fail_on, "Exit 1 when a finding is at or above LEVEL: info, low, review, medium, high, none")
      ->check(CLI::IsMember({"info", "low", "review", "medium", "high", "none"}))
      ->capture_default_str();
  scan_cmd->add_option("--detectors", scan.detectors, "Detector families to run (default all built: " + join(detector_ids, ",") + ")")
      ->delimiter(',')
      ->check(CLI::IsMember(detector_ids));
  scan_cmd->add_flag("--no-sidecars", scan.no_sidecars, "Do not look at files beside the input or at its name");
  scan_cmd->add_option("--color", scan.color, "Colour in text output: auto (only on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  CLI::App* detectors_cmd = app.add_subcommand("detectors", "List the detector families this build has, with parameters");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitClean : kExitUsage;
  }
  if (*scan_cmd) return run_scan(scan);
  if (*detectors_cmd) return run_detectors();
  return kExitUsage;
}
