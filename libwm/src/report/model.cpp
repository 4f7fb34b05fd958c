#include "wm/report.h"

#include <algorithm>
#include <array>

namespace wm {

namespace {
constexpr std::array<std::pair<Severity, std::string_view>, 5> kSeverityNames{{
    {Severity::kInfo, "info"},
    {Severity::kLow, "low"},
    {Severity::kReview, "review"},
    {Severity::kMedium, "medium"},
    {Severity::kHigh, "high"},
}};
}  // namespace

std::string_view severity_name(Severity severity) {
  for (const auto& [s, name] : kSeverityNames) {
    if (s == severity) return name;
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view name) {
  for (const auto& [s, n] : kSeverityNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

int severity_rank(Severity severity) { return static_cast<int>(severity); }

std::string_view scan_status_name(ScanStatus status) {
  switch (status) {
    case ScanStatus::kScanned: return "scanned";
    case ScanStatus::kPartial: return "partial";
    case ScanStatus::kError: return "error";
    case ScanStatus::kUnsupported: return "unsupported";
    case ScanStatus::kSkipped: return "skipped";
  }
  return "error";
}

std::optional<Severity> Report::worst_severity() const {
  std::optional<Severity> worst;
  for (const Finding& f : findings) {
    if (!worst || severity_rank(f.severity) > severity_rank(*worst)) worst = f.severity;
  }
  return worst;
}

}  // namespace wm
