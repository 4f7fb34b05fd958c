#include "report/html_writer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "core/text.h"
#include "report/escape.h"
#include "report/json_writer.h"
#include "wm/version.h"

namespace wm::report {

namespace {

// Shorthand: every string that goes into the page goes through this, including our own.
std::string h(std::string_view s) { return html_escape(s); }

// Evidence values longer than this are cut in the page (the json output keeps them whole).
constexpr std::size_t kMaxEvidenceChars = 2000;
// Time ranges listed in words; all of them are drawn on the timeline up to kMaxDrawnRanges.
constexpr std::size_t kMaxListedRanges = 12;
constexpr std::size_t kMaxDrawnRanges = 400;

constexpr Severity kSeverities[] = {Severity::kHigh, Severity::kMedium, Severity::kReview, Severity::kLow,
                                    Severity::kInfo};

// The badge a file gets. Finer than the brief's four words on purpose: "nothing found, but
// some checks were not possible" must never look like "clean".
enum class Verdict { kMarks, kCouldNotCheck, kIncomplete, kNothingFoundGaps, kClean, kSkipped };

bool has_marks(const Report& r) {
  return std::any_of(r.findings.begin(), r.findings.end(),
                     [](const Finding& f) { return f.severity != Severity::kInfo; });
}

bool is_incomplete(const Report& r) { return !r.complete || r.status == ScanStatus::kPartial; }

Verdict classify(const Report& r) {
  if (r.status == ScanStatus::kError || r.status == ScanStatus::kUnsupported) return Verdict::kCouldNotCheck;
  if (r.status == ScanStatus::kSkipped) return Verdict::kSkipped;
  if (has_marks(r)) return Verdict::kMarks;
  if (is_incomplete(r)) return Verdict::kIncomplete;
  if (!r.not_checked.empty()) return Verdict::kNothingFoundGaps;
  return Verdict::kClean;
}

std::string_view verdict_label(Verdict v) {
  switch (v) {
    case Verdict::kMarks: return "Marks found";
    case Verdict::kCouldNotCheck: return "Could not check";
    case Verdict::kIncomplete: return "Incomplete";
    case Verdict::kNothingFoundGaps: return "Nothing found";
    case Verdict::kClean: return "Clean";
    case Verdict::kSkipped: return "Skipped";
  }
  return "";
}

std::string_view verdict_class(Verdict v) {
  switch (v) {
    case Verdict::kMarks: return "v-marks";
    case Verdict::kCouldNotCheck: return "v-fail";
    case Verdict::kIncomplete: return "v-incomplete";
    case Verdict::kNothingFoundGaps: return "v-gaps";
    case Verdict::kClean: return "v-clean";
    case Verdict::kSkipped: return "v-skipped";
  }
  return "";
}

// The verdict as a sentence for a reader who has not seen the rest of the page. (The text
// writer's one-line verdict() is terser; here the reader may be forwarded a single section.)
std::string_view verdict_sentence(const Report& r, Verdict v) {
  switch (v) {
    case Verdict::kMarks:
      return is_incomplete(r) ? "Identifying marks were found, and the scan stopped early: there may be more."
                              : "Identifying marks were found.";
    case Verdict::kCouldNotCheck: return "This file could not be read, so whether it carries marks is unknown.";
    case Verdict::kIncomplete:
      return "The scan stopped early. Nothing was found in the part that was read, but that does not make the file "
             "clean.";
    case Verdict::kNothingFoundGaps:
      return "Nothing was found, but some checks were not possible (see \u201cNot checked\u201d below).";
    case Verdict::kClean: return "Every check ran and nothing was found.";
    case Verdict::kSkipped: return "This file was skipped and not scanned.";
  }
  return "";
}

std::string_view severity_label(Severity s) {
  switch (s) {
    case Severity::kHigh: return "High";
    case Severity::kMedium: return "Medium";
    case Severity::kReview: return "Review";
    case Severity::kLow: return "Low";
    case Severity::kInfo: return "Info";
  }
  return "";
}

// The DESIGN.md rubric in words a reader without the design document understands.
std::string_view severity_meaning(Severity s) {
  switch (s) {
    case Severity::kHigh: return "a person, account, e-mail address, phone number, place or signer can be read off";
    case Severity::kMedium: return "a device, a unique id, or a mark whose content is hidden but present";
    case Severity::kReview: return "opaque data a person has to judge";
    case Severity::kLow: return "names of the software or encoder that made the file";
    case Severity::kInfo: return "context only; not a mark by itself";
  }
  return "";
}

std::string severity_class(Severity s) { return "c-" + std::string(severity_name(s)); }

std::string confidence_words(double confidence) {
  const std::string percent = format_number(std::clamp(confidence, 0.0, 1.0) * 100.0, 0) + "%";
  std::string_view words = "uncertain";
  if (confidence >= 0.9) words = "very likely";
  else if (confidence >= 0.7) words = "likely";
  else if (confidence >= 0.4) words = "possible";
  return "confidence " + percent + " (" + std::string(words) + ")";
}

// "12.5 s" below a minute, "1:02" or "1:02:03" above.
std::string format_time(double s) {
  if (!std::isfinite(s) || s < 0) s = 0;
  if (s < 60) return format_number(s, 1) + " s";
  const auto total = static_cast<long long>(std::floor(s));
  const long long hours = total / 3600, minutes = (total / 60) % 60, seconds = total % 60;
  auto two = [](long long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (hours > 0) return std::to_string(hours) + ":" + two(minutes) + ":" + two(seconds);
  return std::to_string(minutes) + ":" + two(seconds);
}

std::string format_size(std::uint64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " bytes";
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1000 && unit < 3) {
    v /= 1000;
    ++unit;
  }
  return format_number(v, 1) + " " + units[unit];
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string streams_text(const Report& r) {
  std::string out;
  for (const StreamSummary& s : r.streams) {
    if (!out.empty()) out += ", ";
    out += s.kind;
    std::string detail = s.codec;
    if (s.kind == "video" && s.width > 0) {
      // Regions are in the picture as players show it: that size first, the stored one after.
      const bool quarter_turn = s.rotation_deg == 90 || s.rotation_deg == 270;
      const int shown_width = quarter_turn ? s.height : s.width, shown_height = quarter_turn ? s.width : s.height;
      detail += (detail.empty() ? "" : " ") + std::to_string(shown_width) + "×" + std::to_string(shown_height);
      if (s.rotation_deg != 0) {
        detail += ", stored " + std::to_string(s.width) + "×" + std::to_string(s.height) + " and turned " +
                  std::to_string(s.rotation_deg) + "° to show";
      }
    }
    if (s.kind == "audio" && s.sample_rate_hz > 0) {
      detail += (detail.empty() ? "" : " ") + format_number(s.sample_rate_hz / 1000.0, 1) + " kHz";
      if (s.channels > 0) detail += " " + std::to_string(s.channels) + " ch";
    }
    if (!detail.empty()) out += " (" + detail + ")";
  }
  return out;
}

// How serious a file is, for "most serious first": marks by worst severity, then files we
// could not (fully) check, then the rest.
int seriousness(const Report& r) {
  switch (classify(r)) {
    case Verdict::kMarks: return 100 + severity_rank(r.worst_severity().value_or(Severity::kInfo));
    case Verdict::kCouldNotCheck: return 50;
    case Verdict::kIncomplete: return 40;
    case Verdict::kNothingFoundGaps: return 20;
    case Verdict::kClean: return 10;
    case Verdict::kSkipped: return 0;
  }
  return 0;
}

std::map<Severity, std::size_t> count_by_severity(const Report& r) {
  std::map<Severity, std::size_t> counts;
  for (const Finding& f : r.findings) ++counts[f.severity];
  return counts;
}

// "2 high, 1 low" in severity order; empty when there are no findings.
std::string severity_counts_text(const std::map<Severity, std::size_t>& counts) {
  std::string out;
  for (Severity s : kSeverities) {
    const auto it = counts.find(s);
    if (it == counts.end() || it->second == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(it->second) + " " + std::string(severity_name(s));
  }
  return out;
}

std::string file_anchor(std::size_t index) { return "file-" + std::to_string(index + 1); }

constexpr std::string_view kStyle = R"css(
:root{--high:#b42318;--medium:#b54708;--review:#6941c6;--low:#1d5fbf;--info:#667085;
--clean:#067647;--fail:#344054;--incomplete:#a15c07;--gaps:#475467;
--ink:#1d2939;--muted:#5d6b82;--line:#dde1e7;--bg:#f3f4f6}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
.page{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 2px}
h2{font-size:19px;margin:0}
h3{font-size:15px;margin:18px 0 6px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:13px}
.sub{color:var(--muted);margin:0 0 14px}
.notice{border-left:5px solid var(--low);background:#eef4ff;padding:8px 14px;border-radius:6px;margin:10px 0}
.notice.danger{border-color:var(--high);background:#fef3f2}
.card{background:#fff;border:1px solid var(--line);border-radius:12px;padding:20px 24px;margin:22px 0;
box-shadow:0 1px 2px rgba(16,24,40,.05)}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:6px 0 8px}
.tile{flex:1 1 130px;border:1px solid var(--line);border-top:6px solid var(--c);border-radius:8px;padding:8px 14px;
background:#fff}
.tile b{display:block;font-size:30px;line-height:1.15;color:var(--c)}
.tile span{color:var(--muted);font-size:13px}
.tile.zero{opacity:.55}
.badge{display:inline-block;padding:5px 14px;border-radius:999px;font-weight:700;font-size:14px;color:#fff;
background:var(--c);white-space:nowrap;vertical-align:middle}
.badge.small{padding:1px 10px;font-size:12px}
.sev{display:inline-block;min-width:64px;text-align:center;padding:1px 8px;border-radius:5px;font-weight:700;
font-size:12px;letter-spacing:.05em;text-transform:uppercase;color:#fff;background:var(--c)}
.c-high{--c:var(--high)}.c-medium{--c:var(--medium)}.c-review{--c:var(--review)}.c-low{--c:var(--low)}
.c-info{--c:var(--info)}.v-marks{--c:var(--high)}.v-clean{--c:var(--clean)}.v-fail{--c:var(--fail)}
.v-incomplete{--c:var(--incomplete)}.v-gaps{--c:var(--gaps)}.v-skipped{--c:var(--info)}
.badge.v-gaps,.badge.v-skipped{background:#fff;color:var(--c);box-shadow:inset 0 0 0 2px var(--c)}
.file-head{display:flex;align-items:center;gap:14px;flex-wrap:wrap}
.path{overflow-wrap:anywhere}
.verdict-note{margin:8px 0 2px;font-size:16px}
.facts{color:var(--muted);font-size:13px;margin:2px 0 8px;overflow-wrap:anywhere}
.finding{border:1px solid var(--line);border-left:7px solid var(--c);border-radius:8px;padding:12px 18px;
margin:14px 0;background:#fff;break-inside:avoid}
.finding-head{display:flex;align-items:center;gap:10px;flex-wrap:wrap;font-size:13px;color:var(--muted)}
.say{font-size:17px;margin:8px 0 6px;color:var(--ink);overflow-wrap:anywhere}
.timeline{margin:8px 0 4px;max-width:720px}
.track{position:relative;height:16px;background:#e9ecf1;border-radius:8px;overflow:hidden}
.range{position:absolute;top:0;bottom:0;background:var(--c);min-width:4px;opacity:.9}
.pictured{position:absolute;top:0;bottom:0;width:3px;margin-left:-1px;background:var(--ink)}
.scale{display:flex;justify-content:space-between;font-size:12px;color:var(--muted)}
.when{font-size:13px;color:var(--muted);margin:2px 0 6px}
.figures{display:flex;flex-wrap:wrap;gap:14px;margin:10px 0}
figure{margin:0;max-width:100%}
figure img{display:block;max-width:100%;min-height:96px;max-height:320px;border:1px solid var(--line);border-radius:4px;
background:#fff}
figcaption{font-size:12px;color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:4px 0}
th,td{text-align:left;padding:5px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.evidence{font-size:13px}
table.evidence th{width:28%;text-transform:none;letter-spacing:0;font-family:ui-monospace,"DejaVu Sans Mono",monospace;
color:var(--ink);font-weight:400}
table.evidence td{overflow-wrap:anywhere;white-space:pre-wrap;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
.redacted{background:#e4e7ec;color:#475467;padding:0 6px;border-radius:4px}
.personal{background:#fef0c7;padding:0 4px;border-radius:3px}
.box{border-radius:8px;padding:8px 16px;margin:12px 0}
.box h3{margin:6px 0}
.box ul{margin:4px 0;padding-left:20px}
.errors{background:#fef3f2;border:1px solid #fecdca}
.errors h3{color:var(--high)}
.gaps{background:#f8f9fb;border:1px solid var(--line)}
.ran{font-size:12px;color:var(--muted);margin:10px 0 0}
.legend dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 14px;align-items:center}
.legend dt,.legend dd{margin:0}
a{color:#1849a9}
footer{color:var(--muted);font-size:12px;margin:24px 0}
@media print{body{background:#fff}.page{padding:0}.card{box-shadow:none;break-inside:auto}
section.file{break-before:page}}
)css";

class HtmlWriter {
 public:
  HtmlWriter(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options)
      : out_(out), reports_(reports), options_(options) {}

  void write() {
    write_head();
    out_ << "<body>\n<div class=\"page\">\n";
    write_header();
    if (reports_.size() > 1) write_summary();
    if (reports_.empty()) out_ << "<section class=\"card\"><p>No files were given to scan.</p></section>\n";
    for (std::size_t i = 0; i < reports_.size(); ++i) write_file(i);
    write_legend();
    out_ << "<footer>Made by wmscan " << h(version()) << ", report format " << h(kReportSchemaVersion)
         << ". This page contains no scripts and loads nothing from the network.</footer>\n";
    out_ << "</div>\n</body>\n</html>\n";
  }

 private:
  void write_head() {
    std::size_t with_marks = 0;
    for (const Report& r : reports_) with_marks += classify(r) == Verdict::kMarks ? 1 : 0;
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << h(kHtmlContentSecurityPolicy) << "\">\n"
         << "<meta name=\"referrer\" content=\"no-referrer\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>wmscan report: marks found in " << with_marks << " of " << plural(reports_.size(), "file", "files")
         << "</title>\n<style>" << kStyle << "</style>\n</head>\n";
  }

  void write_header() {
    out_ << "<header>\n<h1>Identifying marks in recordings</h1>\n<p class=\"sub\">"
         << h(plural(reports_.size(), "file", "files")) << " checked by wmscan " << h(version())
         << " for watermarks, hidden audio signals and identifying metadata. "
            "<a href=\"#how-to-read\">How to read this report</a></p>\n";
    if (options_.show_values) {
      out_ << "<p class=\"notice danger\"><strong>This report shows personal values</strong> (names, e-mail "
              "addresses, places, account ids). Handle it like the recordings themselves.</p>\n";
    } else {
      out_ << "<p class=\"notice\">Personal values (names, e-mail addresses, places, account ids) are hidden and "
              "shown as <span class=\"redacted\">" << h(kRedacted)
           << "</span>, so this report can be forwarded. Run wmscan with <code>--show-values</code> to see them.</p>\n";
    }
    out_ << "</header>\n";
  }

  void write_tile(std::string_view css_class, std::size_t count, std::string_view label) {
    out_ << "<div class=\"tile " << css_class << (count == 0 ? " zero" : "") << "\"><b>" << count << "</b><span>"
         << h(label) << "</span></div>\n";
  }

  void write_summary() {
    std::map<Verdict, std::size_t> verdicts;
    std::map<Severity, std::size_t> severities;
    struct DetectorRow {
      std::size_t findings = 0;
      std::set<std::size_t> files;
      Severity worst = Severity::kInfo;
      std::string category;
    };
    std::map<std::string, DetectorRow> detectors;
    for (std::size_t i = 0; i < reports_.size(); ++i) {
      const Report& r = reports_[i];
      ++verdicts[classify(r)];
      for (const Finding& f : r.findings) {
        ++severities[f.severity];
        DetectorRow& row = detectors[f.detector];
        if (row.findings == 0 || severity_rank(f.severity) > severity_rank(row.worst)) row.worst = f.severity;
        ++row.findings;
        row.files.insert(i);
        if (row.category.empty()) row.category = f.category;
      }
    }

    out_ << "<section class=\"card summary\" id=\"summary\">\n<h2>Summary</h2>\n<h3>Files</h3>\n<div class=\"tiles\">\n";
    write_tile("v-marks", verdicts[Verdict::kMarks], "with marks");
    write_tile("v-fail", verdicts[Verdict::kCouldNotCheck], "could not be checked");
    write_tile("v-incomplete", verdicts[Verdict::kIncomplete], "checked incompletely");
    if (verdicts[Verdict::kNothingFoundGaps] > 0) {
      write_tile("v-gaps", verdicts[Verdict::kNothingFoundGaps], "nothing found, some checks not possible");
    }
    write_tile("v-clean", verdicts[Verdict::kClean], "clean");
    if (verdicts[Verdict::kSkipped] > 0) write_tile("v-skipped", verdicts[Verdict::kSkipped], "skipped");
    out_ << "</div>\n<h3>Findings by severity</h3>\n<div class=\"tiles\">\n";
    for (Severity s : kSeverities) write_tile(severity_class(s), severities[s], severity_label(s));
    out_ << "</div>\n";

    // Files, most serious first (stable: equal files keep their input order).
    std::vector<std::size_t> order(reports_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const int sa = seriousness(reports_[a]), sb = seriousness(reports_[b]);
      if (sa != sb) return sa > sb;
      return reports_[a].findings.size() > reports_[b].findings.size();
    });
    out_ << "<h3>Files, most serious first</h3>\n<table class=\"files\">\n<thead><tr><th>File</th><th>Verdict</th>"
            "<th>Findings</th></tr></thead>\n<tbody>\n";
    for (std::size_t i : order) {
      const Report& r = reports_[i];
      const Verdict v = classify(r);
      out_ << "<tr><td class=\"path\"><a href=\"#" << file_anchor(i) << "\">" << h(r.path) << "</a></td><td>";
      write_verdict_badge(r, v, /*small=*/true);
      const std::string counts = severity_counts_text(count_by_severity(r));
      out_ << "</td><td>" << (counts.empty() ? std::string("–") : h(counts)) << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n";

    if (!detectors.empty()) {
      std::vector<std::pair<std::string, DetectorRow>> rows(detectors.begin(), detectors.end());
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        if (a.second.worst != b.second.worst) return severity_rank(a.second.worst) > severity_rank(b.second.worst);
        return a.second.findings > b.second.findings;
      });
      out_ << "<h3>Findings by detector</h3>\n<table class=\"detectors\">\n<thead><tr><th>Detector</th><th>Kind</th>"
              "<th>Most serious</th><th class=\"num\">Findings</th><th class=\"num\">Files</th></tr></thead>\n<tbody>\n";
      for (const auto& [id, row] : rows) {
        out_ << "<tr><td><code>" << h(id) << "</code></td><td>" << h(category_words(row.category))
             << "</td><td><span class=\"sev " << severity_class(row.worst) << "\">" << severity_label(row.worst)
             << "</span></td><td class=\"num\">" << row.findings << "</td><td class=\"num\">" << row.files.size()
             << "</td></tr>\n";
      }
      out_ << "</tbody>\n</table>\n";
    }
    out_ << "</section>\n";
  }

  static std::string category_words(std::string_view category) {
    std::string out(category);
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
  }

  void write_verdict_badge(const Report& r, Verdict v, bool small) {
    std::string label(verdict_label(v));
    std::string css(verdict_class(v));
    if (v == Verdict::kMarks) {
      // Colour a file with marks by its worst mark: an encoder string is not an e-mail address.
      const Severity worst = r.worst_severity().value_or(Severity::kHigh);
      css = severity_class(worst);
      label += " · " + std::string(severity_name(worst));
    }
    out_ << "<span class=\"badge " << css << (small ? " small" : "") << "\">" << h(label) << "</span>";
    if (v == Verdict::kMarks && is_incomplete(r)) {
      out_ << " <span class=\"badge v-incomplete" << (small ? " small" : "") << "\">Incomplete</span>";
    }
  }

  void write_file(std::size_t index) {
    const Report& r = reports_[index];
    const Verdict v = classify(r);
    out_ << "<section class=\"card file\" id=\"" << file_anchor(index) << "\">\n<div class=\"file-head\">";
    write_verdict_badge(r, v, /*small=*/false);
    out_ << "<h2 class=\"path\">" << h(r.path) << "</h2></div>\n";

    std::string note(verdict_sentence(r, v));
    const std::string counts = severity_counts_text(count_by_severity(r));
    if (!counts.empty()) note += " " + plural(r.findings.size(), "finding", "findings") + ": " + counts + ".";
    out_ << "<p class=\"verdict-note\">" << h(note) << "</p>\n";

    std::string facts;
    auto add_fact = [&facts](const std::string& fact) {
      if (fact.empty()) return;
      facts += (facts.empty() ? "" : " · ") + fact;
    };
    if (r.duration_s > 0) add_fact(format_time(r.duration_s) + " long");
    add_fact(streams_text(r));
    if (!r.container.empty()) add_fact("container " + r.container);
    if (r.size_bytes > 0) add_fact(format_size(r.size_bytes));
    add_fact("status " + std::string(scan_status_name(r.status)));
    out_ << "<p class=\"facts\">" << h(facts) << "</p>\n";

    if (!r.errors.empty()) {
      out_ << "<div class=\"box errors\"><h3>Errors</h3><ul>\n";
      for (const std::string& e : r.errors) out_ << "<li>" << h(e) << "</li>\n";
      out_ << "</ul></div>\n";
    }

    // Most serious findings first within the file too.
    std::vector<const Finding*> findings;
    for (const Finding& f : r.findings) findings.push_back(&f);
    std::stable_sort(findings.begin(), findings.end(), [](const Finding* a, const Finding* b) {
      return severity_rank(a->severity) > severity_rank(b->severity);
    });
    for (const Finding* f : findings) write_finding(r, *f);

    if (!r.not_checked.empty()) {
      out_ << "<div class=\"box gaps\"><h3>Not checked</h3><ul>\n";
      for (const NotChecked& n : r.not_checked) {
        out_ << "<li><code>" << h(n.detector) << "</code>: " << h(n.reason) << "</li>\n";
      }
      out_ << "</ul></div>\n";
    }
    if (!r.detectors.empty()) {
      out_ << "<p class=\"ran\">Checked by:";
      for (std::size_t i = 0; i < r.detectors.size(); ++i) {
        out_ << (i == 0 ? " " : ", ") << h(r.detectors[i].id) << " " << h(r.detectors[i].version);
      }
      out_ << "</p>\n";
    }
    out_ << "</section>\n";
  }

  void write_finding(const Report& r, const Finding& f) {
    const std::string css = severity_class(f.severity);
    out_ << "<article class=\"finding " << css << "\">\n<div class=\"finding-head\"><span class=\"sev " << css
         << "\" title=\"" << h(severity_meaning(f.severity)) << "\">" << severity_label(f.severity) << "</span><span>"
         << h(confidence_words(f.confidence)) << "</span><span>·</span><span>" << h(category_words(f.category))
         << "</span><span>·</span><code>" << h(f.detector) << "</code></div>\n";
    out_ << "<p class=\"say\">" << h(f.summary) << "</p>\n";
    write_timeline(r, f);
    if (f.region) {
      out_ << "<p class=\"when\">Where in the picture: " << f.region->width << "×" << f.region->height
           << " pixels at x " << f.region->x << ", y " << f.region->y << ".</p>\n";
    }
    write_artifacts(f);
    if (!f.evidence.empty()) {
      out_ << "<table class=\"evidence\"><tbody>\n";
      for (const EvidenceField& e : f.evidence) {
        out_ << "<tr><th scope=\"row\">" << h(e.key) << "</th><td>";
        if (e.personal && !options_.show_values) {
          out_ << "<span class=\"redacted\">" << h(kRedacted) << "</span>";
        } else {
          const std::string value = evidence_value_text(e, options_);
          const std::string shown = core::ellipsize(value, kMaxEvidenceChars);
          out_ << (e.personal ? "<span class=\"personal\">" : "") << h(shown) << (e.personal ? "</span>" : "");
          if (shown.size() != value.size()) out_ << " <em>(shortened; the json output has it whole)</em>";
        }
        out_ << "</td></tr>\n";
      }
      out_ << "</tbody></table>\n";
    }
    out_ << "</article>\n";
  }

  void write_timeline(const Report& r, const Finding& f) {
    if (f.time_ranges_s.empty()) return;
    double duration_s = r.duration_s;
    for (const TimeRange& t : f.time_ranges_s) duration_s = std::max(duration_s, t.end_s);
    std::string words;
    for (std::size_t i = 0; i < f.time_ranges_s.size() && i < kMaxListedRanges; ++i) {
      const TimeRange& t = f.time_ranges_s[i];
      words += (i == 0 ? "" : ", ") + format_time(t.start_s) + " – " + format_time(t.end_s);
    }
    if (f.time_ranges_s.size() > kMaxListedRanges) {
      words += " and " + std::to_string(f.time_ranges_s.size() - kMaxListedRanges) + " more";
    }
    if (duration_s > 0) {
      out_ << "<div class=\"timeline\" role=\"img\" aria-label=\"" << h("When: " + words) << "\"><div class=\"track\">";
      for (std::size_t i = 0; i < f.time_ranges_s.size() && i < kMaxDrawnRanges; ++i) {
        const TimeRange& t = f.time_ranges_s[i];
        const double left = std::clamp(t.start_s / duration_s, 0.0, 1.0) * 100.0;
        const double width = std::clamp((t.end_s - t.start_s) / duration_s, 0.0, 1.0 - left / 100.0) * 100.0;
        out_ << "<span class=\"range\" style=\"left:" << format_number(left, 3) << "%;width:" << format_number(width, 3)
             << "%\" title=\"" << h(format_time(t.start_s) + " – " + format_time(t.end_s)) << "\"></span>";
      }
      // The moments the finding's pictures show (an annotated frame), so the reader knows which
      // part of the time the picture below stands for.
      for (const Artifact& a : f.artifacts) {
        if (!a.time_s) continue;
        const double at = std::clamp(*a.time_s / duration_s, 0.0, 1.0) * 100.0;
        out_ << "<span class=\"pictured\" style=\"left:" << format_number(at, 3) << "%\" title=\""
             << h(category_words(a.kind) + " at " + format_time(*a.time_s)) << "\"></span>";
      }
      out_ << "</div><div class=\"scale\"><span>" << (duration_s < 60 ? "0 s" : "0:00") << "</span><span>"
           << h(format_time(duration_s))
           << "</span></div></div>\n";
    }
    out_ << "<p class=\"when\">When: " << h(words) << "</p>\n";
  }

  void write_artifacts(const Finding& f) {
    if (f.artifacts.empty()) return;
    // A recovered mark or a frame shows what the redacted text says: the pictures of a finding
    // that carries personal values are withheld like the values themselves.
    const bool reveals_personal =
        std::any_of(f.evidence.begin(), f.evidence.end(), [](const EvidenceField& e) { return e.personal; });
    if (reveals_personal && !options_.show_values) {
      out_ << "<p class=\"when\">" << f.artifacts.size()
           << (f.artifacts.size() == 1 ? " picture" : " pictures")
           << " withheld: they show the personal value. Run with --show-values to include them.</p>\n";
      return;
    }
    std::string others;
    out_ << "<div class=\"figures\">\n";
    for (const Artifact& a : f.artifacts) {
      // Only raster types a browser shows as a picture; SVG could carry markup.
      const bool picture = a.media_type == "image/png" || a.media_type == "image/jpeg" ||
                           a.media_type == "image/gif" || a.media_type == "image/webp";
      const std::string caption = category_words(a.kind) + (a.time_s ? " at " + format_time(*a.time_s) : "") +
                                  (a.file_name.empty() ? "" : " (" + a.file_name + ")");
      if (!picture || a.bytes.empty()) {
        others += (others.empty() ? "" : ", ") + caption +
                  (a.bytes.empty() ? (a.stored_path.empty() ? ", not stored" : ", stored at " + a.stored_path)
                                   : ", " + format_size(a.bytes.size()));
        continue;
      }
      out_ << "<figure><img alt=\"" << h(category_words(a.kind)) << "\" src=\"data:" << a.media_type << ";base64,"
           << base64_encode(a.bytes) << "\"><figcaption>" << h(caption) << "</figcaption></figure>\n";
    }
    out_ << "</div>\n";
    if (!others.empty()) out_ << "<p class=\"when\">Other attachments, not shown: " << h(others) << "</p>\n";
  }

  void write_legend() {
    out_ << "<section class=\"card legend\" id=\"how-to-read\">\n<h2>How to read this report</h2>\n<dl>\n";
    for (Severity s : kSeverities) {
      out_ << "<dt><span class=\"sev " << severity_class(s) << "\">" << severity_label(s) << "</span></dt><dd>"
           << h(severity_meaning(s)) << ".</dd>\n";
    }
    out_ << "</dl>\n<p><strong>Clean</strong> means every check ran and found nothing. <strong>Nothing found</strong> "
            "means some checks were not possible (listed under “Not checked”). <strong>Could not check</strong> and "
            "<strong>Incomplete</strong> mean the file was not (fully) read: absence of marks is not established.</p>\n"
            "</section>\n";
  }

  std::ostream& out_;
  const std::vector<Report>& reports_;
  const WriteOptions& options_;
};

}  // namespace

void write_html(std::ostream& out, const std::vector<Report>& reports, const WriteOptions& options) {
  HtmlWriter(out, reports, options).write();
}

}  // namespace wm::report
