// wmscan: which identifying marks does this recording carry?
//
// Results go to stdout (or -o FILE), diagnostics and progress to stderr. Exit codes
// (DESIGN.md): 0 scanned, no finding at or above --fail-on; 1 findings at or above it;
// 2 usage or fatal error; 3 some inputs could not be scanned (wins over 1, because a run
// with holes in it must never pass a gate).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "artifact_store.h"
#include "wm/batch.h"
#include "wm/wm.hpp"

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIncomplete = 3;

struct OutputSettings {
  std::string format = "text";
  std::string output;
  bool show_values = false;
  std::string fail_on = "low";
  std::string color = "auto";
};

struct ScanCommand {
  std::vector<std::string> inputs;
  OutputSettings out;
  std::vector<std::string> detectors;
  bool no_sidecars = false;
  bool recursive = false;
  std::vector<std::string> include, exclude;
  int jobs = 0;
  bool sort = false;
  std::string progress = "auto";
  double timeout_per_file_s = 0.0;
  std::string cache_dir;
  std::string shard;
  int shards = 0;
  std::vector<std::string> params;
  std::vector<std::string> audiowmark_keys;
  bool no_hash = false;
  std::string artifacts_dir;
};

struct MergeCommand {
  std::vector<std::string> inputs;
  OutputSettings out;
};

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Writes reports as they come (jsonl) or at the end (every other format), and tracks what
// decides the exit code.
class ReportSink {
 public:
  static std::optional<ReportSink> open(const OutputSettings& s) {
    ReportSink sink;
    const auto format = wm::parse_output_format(s.format);
    if (!format) {
      std::cerr << "wmscan: unknown --format '" << s.format << "'\n";
      return std::nullopt;
    }
    sink.format_ = *format;
    if (s.fail_on != "none") {
      sink.fail_on_ = wm::parse_severity(s.fail_on);
      if (!sink.fail_on_) {
        std::cerr << "wmscan: unknown --fail-on '" << s.fail_on << "'\n";
        return std::nullopt;
      }
    }
    // "-o -" is stdout, as with most command-line tools (it made a file named "-").
    const bool to_file = !s.output.empty() && s.output != "-";
    if (to_file) {
      sink.file_ = std::make_unique<std::ofstream>(s.output, std::ios::binary | std::ios::trunc);
      if (!*sink.file_) {
        std::cerr << "wmscan: cannot write " << s.output << "\n";
        return std::nullopt;
      }
    }
    sink.write_options_.show_values = s.show_values;
    sink.write_options_.color =
        s.color == "always" || (s.color == "auto" && !to_file && isatty(STDOUT_FILENO) && *format == wm::OutputFormat::kText);
    return sink;
  }

  bool add(wm::Report&& report) {
    if (!report.complete) any_incomplete_ = true;
    // The page embeds pictures; a cached or merged report has only where they were stored.
    if (format_ == wm::OutputFormat::kHtml) wmscan::load_stored_artifacts(report);
    if (fail_on_) {
      for (const wm::Finding& f : report.findings) {
        if (wm::severity_rank(f.severity) >= wm::severity_rank(*fail_on_)) any_at_fail_level_ = true;
      }
    }
    if (format_ == wm::OutputFormat::kJsonl) {
      if (auto s = wm::write_jsonl_record(out(), report, write_options_); !s.is_ok()) return fail(s);
      out().flush();
      return true;
    }
    reports_.push_back(std::move(report));
    return true;
  }

  bool finish() {
    if (format_ != wm::OutputFormat::kJsonl) {
      if (auto s = wm::write_reports(out(), reports_, format_, write_options_); !s.is_ok()) return fail(s);
    }
    out().flush();
    return !write_failed_ && out().good();
  }

  void note_incomplete() { any_incomplete_ = true; }
  int exit_code() const {
    if (write_failed_) return kExitUsage;
    if (any_incomplete_) return kExitIncomplete;
    return any_at_fail_level_ ? kExitFindings : kExitClean;
  }

 private:
  std::ostream& out() { return file_ ? *file_ : std::cout; }
  bool fail(const wm::Status& s) {
    std::cerr << "wmscan: " << s.message() << "\n";
    write_failed_ = true;
    return false;
  }
  wm::OutputFormat format_ = wm::OutputFormat::kText;
  std::optional<wm::Severity> fail_on_;
  wm::WriteOptions write_options_;
  std::unique_ptr<std::ofstream> file_;
  std::vector<wm::Report> reports_;
  bool any_incomplete_ = false;
  bool any_at_fail_level_ = false;
  bool write_failed_ = false;
};

std::string format_eta(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  std::ostringstream os;
  if (s >= 3600) os << s / 3600 << "h" << (s % 3600) / 60 << "m";
  else if (s >= 60) os << s / 60 << "m" << s % 60 << "s";
  else os << s << "s";
  return os.str();
}

void print_progress(const wm::BatchProgress& p, bool final_line) {
  const double rate = p.elapsed_s > 0 ? p.files_done / p.elapsed_s : 0.0;
  const double eta = rate > 0 ? (p.files_total - p.files_done) / rate : NAN;
  char line[256];
  std::snprintf(line, sizeof line, "\r[%zu/%zu] %3.0f%%  findings %zu  failed %zu  cached %zu  %.1f files/s  ETA %s   ",
                p.files_done, p.files_total, p.files_total ? 100.0 * p.files_done / p.files_total : 100.0,
                p.findings, p.failed, p.from_cache, rate, format_eta(eta).c_str());
  std::cerr << line << (final_line ? "\n" : "") << std::flush;
}

int run_scan(const ScanCommand& cmd) {
  auto sink = ReportSink::open(cmd.out);
  if (!sink) return kExitUsage;
  wm::BatchOptions options;
  for (const std::string& d : cmd.detectors) options.scan.detectors.insert(d);
  options.scan.inspect_neighbours = !cmd.no_sidecars;
  for (const std::string& p : cmd.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "wmscan: --param must be FAMILY.NAME=VALUE, not '" << p << "'\n";
      return kExitUsage;
    }
    options.scan.parameters[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (!cmd.audiowmark_keys.empty()) options.scan.parameters["audio.audiowmark_keys"] = join(cmd.audiowmark_keys, ",");
  options.recursive = cmd.recursive;
  options.include_globs = cmd.include;
  options.exclude_globs = cmd.exclude;
  options.jobs = cmd.jobs;
  options.sort_by_path = cmd.sort;
  options.timeout_per_file_s = cmd.timeout_per_file_s;
  options.cache_dir = cmd.cache_dir;
  options.hash_files = !cmd.no_hash;
  if (!cmd.shard.empty()) {
    auto shard = wm::parse_shard(cmd.shard);
    if (!shard.is_ok()) {
      std::cerr << "wmscan: " << shard.status().message() << "\n";
      return kExitUsage;
    }
    options.shard = *shard;
  } else {
    auto from_env = wm::shard_from_environment(cmd.shards > 0 ? std::optional<int>(cmd.shards) : std::nullopt);
    if (!from_env.is_ok()) {
      std::cerr << "wmscan: " << from_env.status().message() << "\n";
      return kExitUsage;
    }
    options.shard = *from_env;
  }
  if (options.shard && options.shard->count > 1) {
    std::cerr << "wmscan: shard " << options.shard->index << "/" << options.shard->count << "\n";
  }

  const bool show_progress = cmd.progress == "always" || (cmd.progress == "auto" && isatty(STDERR_FILENO));
  std::vector<std::filesystem::path> inputs(cmd.inputs.begin(), cmd.inputs.end());
  wm::BatchHooks hooks;
  hooks.on_report = [&](wm::Report&& report) {
    if (report.status == wm::ScanStatus::kError || report.status == wm::ScanStatus::kUnsupported) {
      for (const auto& e : report.errors) std::cerr << (show_progress ? "\r" : "") << "wmscan: error: " << e << "\n";
    } else if (!report.complete) {
      for (const auto& e : report.errors) std::cerr << (show_progress ? "\r" : "") << "wmscan: incomplete: " << e << "\n";
    }
    if (!cmd.artifacts_dir.empty()) {
      if (const std::string error = wmscan::store_artifacts(cmd.artifacts_dir, report); !error.empty()) {
        std::cerr << (show_progress ? "\r" : "") << "wmscan: --artifacts: " << error << "\n";
        sink->note_incomplete();
      }
    }
    sink->add(std::move(report));
  };
  if (show_progress) hooks.on_progress = [](const wm::BatchProgress& p) { print_progress(p, false); };
  auto summary = wm::scan_batch(inputs, options, hooks);
  if (show_progress) std::cerr << "\n";
  if (!summary.is_ok()) {
    std::cerr << "wmscan: " << summary.status().message() << "\n";
    return kExitUsage;
  }
  for (const std::string& e : summary->walk_errors) {
    std::cerr << "wmscan: error: " << e << "\n";
    sink->note_incomplete();
  }
  if (summary->not_media > 0 && show_progress) {
    std::cerr << "wmscan: " << summary->not_media << " file(s) in the folders are not media and were not scanned\n";
  }
  if (!sink->finish()) return kExitUsage;
  return sink->exit_code();
}

int run_merge(const MergeCommand& cmd) {
  auto sink = ReportSink::open(cmd.out);
  if (!sink) return kExitUsage;
  // The last record of a path wins (a retried shard task repeats files it had finished).
  std::map<std::string, wm::Report> by_path;
  for (const std::string& input : cmd.inputs) {
    std::ifstream in(input, std::ios::binary);
    if (!in) {
      std::cerr << "wmscan: cannot read " << input << "\n";
      return kExitUsage;
    }
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
      ++line_number;
      if (line.empty()) continue;
      auto report = wm::parse_jsonl_record(line);
      if (!report.is_ok()) {
        std::cerr << "wmscan: " << input << ":" << line_number << ": " << report.status().message() << "\n";
        return kExitUsage;
      }
      by_path[report->path] = std::move(report).value();
    }
  }
  for (auto& [path, report] : by_path) sink->add(std::move(report));
  if (!sink->finish()) return kExitUsage;
  return sink->exit_code();
}

void add_output_options(CLI::App* cmd, OutputSettings& s) {
  cmd->add_option("--format", s.format, "Output format: text, json, jsonl, csv, sarif, html")
      ->check(CLI::IsMember({"text", "json", "jsonl", "csv", "sarif", "html"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", s.output, "Write the report to FILE instead of stdout ('-': stdout)");
  cmd->add_flag("--show-values", s.show_values, "Show personal values instead of [redacted]");
  cmd->add_option("--fail-on", s.fail_on, "Exit 1 when a finding is at or above LEVEL: info, low, review, medium, high, none")
      ->check(CLI::IsMember({"info", "low", "review", "medium", "high", "none"}))
      ->capture_default_str();
  cmd->add_option("--color", s.color, "Colour in text output: auto (only on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
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

  CLI::App app{"wmscan: find the identifying marks a recording carries."};
  app.set_version_flag("--version", std::string("wmscan ") + std::string(wm::version()));
  app.require_subcommand(1);
  app.footer("Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or fatal error, "
             "3 some inputs could not be scanned.");

  ScanCommand scan;
  std::vector<std::string> detector_ids;
  for (const auto& d : wm::available_detectors()) detector_ids.push_back(d.id);
  CLI::App* scan_cmd = app.add_subcommand("scan", "Scan media files and folders and report identifying marks");
  scan_cmd->add_option("PATH", scan.inputs, "Media files or folders")->required();
  add_output_options(scan_cmd, scan.out);
  scan_cmd->add_option("--detectors", scan.detectors, "Detector families to run (default all built: " + join(detector_ids, ",") + ")")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember(detector_ids));
  scan_cmd->add_flag("--no-sidecars", scan.no_sidecars, "Do not look at files beside the input or at its name");
  scan_cmd->add_option("--param", scan.params, "Detector parameter FAMILY.NAME=VALUE (see `wmscan detectors`)")->allow_extra_args(false);
  scan_cmd->add_option("--audiowmark-key", scan.audiowmark_keys, "audiowmark key file to try besides the all-zero key (repeatable)")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
  scan_cmd->add_flag("-r,--recursive", scan.recursive, "Scan folders recursively");
  scan_cmd->add_option("--include", scan.include, "Only files whose relative path or name matches GLOB (repeatable)")->allow_extra_args(false);
  scan_cmd->add_option("--exclude", scan.exclude, "Skip files whose relative path or name matches GLOB (repeatable)")->allow_extra_args(false);
  scan_cmd->add_option("-j,--jobs", scan.jobs, "Files scanned at once (default: number of cores)")->check(CLI::Range(0, 256));
  scan_cmd->add_flag("--sort", scan.sort, "Report in path order instead of input order");
  scan_cmd->add_option("--progress", scan.progress, "Progress line on stderr: auto (terminal only), always, none")
      ->check(CLI::IsMember({"auto", "always", "none"}))
      ->capture_default_str();
  scan_cmd->add_option("--timeout-per-file", scan.timeout_per_file_s, "Stop scanning a file after SECONDS (reported as partial)")
      ->check(CLI::NonNegativeNumber);
  scan_cmd->add_option("--cache", scan.cache_dir, "Resumable scans: keep finished results in DIR (holds unredacted values)");
  scan_cmd->add_option("--shard", scan.shard, "Scan only shard i of n (i/n); default from Slurm/Kubernetes job variables");
  scan_cmd->add_option("--shards", scan.shards, "Number of shards for a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)")
      ->check(CLI::Range(1, 1000000));
  scan_cmd->add_option("--artifacts", scan.artifacts_dir,
                       "Store evidence pictures (recovered mark, annotated frame, spectrogram) under DIR");
  scan_cmd->add_flag("--no-hash", scan.no_hash, "Do not compute each file's SHA-256 (faster; disables the cache key)");

  MergeCommand merge;
  CLI::App* merge_cmd = app.add_subcommand("merge", "Merge jsonl outputs (e.g. of shards) into one report of any format");
  merge_cmd->add_option("FILE", merge.inputs, "jsonl files written by `wmscan scan --format jsonl`")->required();
  add_output_options(merge_cmd, merge.out);

  CLI::App* detectors_cmd = app.add_subcommand("detectors", "List the detector families this build has, with parameters");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitClean : kExitUsage;
  }
  if (*scan_cmd) {
    if (!scan.cache_dir.empty() && scan.no_hash) {
      std::cerr << "wmscan: --cache needs file hashes; drop --no-hash\n";
      return kExitUsage;
    }
    return run_scan(scan);
  }
  if (*merge_cmd) return run_merge(merge);
  if (*detectors_cmd) return run_detectors();
  return kExitUsage;
}
