// The report model: what a scan found in one file, and what it could not check.
//
// A Finding is one identifying mark with the evidence a person can check. Values that are
// personal data (names, e-mails, coordinates, ids) are flagged `personal` and redacted by every
// writer unless the host asks for them (WriteOptions::show_values).
// Thread safety: plain values; copy freely between threads.
#ifndef WM_REPORT_H_
#define WM_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "wm/export.h"

namespace wm {

// Version of the JSON report layout (docs/report.schema.json). Bumped on any
// incompatible change of field names or meanings.
inline constexpr std::string_view kReportSchemaVersion = "1.0";

// How serious a finding is (DESIGN.md rubric):
//   high   - a person, account, e-mail, phone, location or signer can be read off;
//   medium - a device, a unique id, or a mark whose payload is present but unreadable;
//   low    - software/encoder strings;
//   info   - context (opaque UI, codec low-pass); never fails a scan;
//   review - an opaque blob a person must judge.
// For --fail-on, the order is info < low < review < medium < high.
enum class Severity { kInfo = 0, kLow = 1, kReview = 2, kMedium = 3, kHigh = 4 };

WM_EXPORT std::string_view severity_name(Severity severity);             // "high", ...
WM_EXPORT std::optional<Severity> parse_severity(std::string_view name);  // inverse; nullopt if unknown
WM_EXPORT int severity_rank(Severity severity);                          // the --fail-on order above

struct TimeRange {
  double start_s = 0.0;
  double end_s = 0.0;
};

// A rectangle in source pixels (before any scaling the detector did).
struct Region {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

using EvidenceValue = std::variant<std::string, double, std::int64_t, bool>;

// One detector-specific field of evidence ("field": "©ART", "value": "Jane Doe").
struct EvidenceField {
  std::string key;
  EvidenceValue value;
  bool personal = false;  // redacted unless show_values
};

// An image or other file that backs a finding (recovered watermark, annotated frame).
struct Artifact {
  Artifact() = default;
  Artifact(std::string kind_, std::string media_type_, std::string file_name_, std::vector<std::uint8_t> bytes_ = {})
      : kind(std::move(kind_)), media_type(std::move(media_type_)), file_name(std::move(file_name_)),
        bytes(std::move(bytes_)) {}

  std::string kind;        // "recovered_mark", "annotated_frame", "spectrogram", ...
  std::string media_type;  // "image/png"
  std::string file_name;   // suggested name, no directory
  std::vector<std::uint8_t> bytes;  // empty in a report read back from JSON
  // Where a host stored `bytes` (wmscan --artifacts DIR); empty when not stored. Written to
  // and read from JSON so a later `wmscan merge` can embed the picture again.
  std::string stored_path;
  // The moment of the recording the picture shows, in the stream's seconds as time_ranges_s,
  // when it shows one (an annotated frame); a recovered mark or a plot over the whole file has
  // none.
  std::optional<double> time_s;
};

struct Finding {
  std::string detector;  // dotted id: "meta.email", "video.tiled_text", "audio.audiowmark"
  std::string category;  // "metadata", "visible_watermark", "audio_signature", "sidecar"
  Severity severity = Severity::kInfo;
  double confidence = 0.0;  // [0, 1]
  std::string summary;      // one plain sentence; never contains a personal value
  std::vector<TimeRange> time_ranges_s;
  std::optional<Region> region;
  std::vector<EvidenceField> evidence;
  std::vector<Artifact> artifacts;
};

// Something a detector could not examine, and why. "Nothing found" and "not checked" are
// never the same line.
struct NotChecked {
  std::string detector;
  std::string reason;
};

struct DetectorRun {
  std::string id;       // "meta"
  std::string version;  // "1.0"
  std::vector<std::pair<std::string, std::string>> parameters;
};

struct StreamSummary {
  int index = 0;
  std::string kind;   // "audio", "video", "subtitle", "data", "attachment"
  std::string codec;  // FFmpeg codec name
  double duration_s = 0.0;
  int sample_rate_hz = 0;
  int channels = 0;
  int width = 0;   // coded picture, pixels
  int height = 0;
  int rotation_deg = 0;  // clockwise turn players apply (display matrix); regions are in the turned picture
};

// Outcome of one file. `complete` is false when the scan stopped early (cancel, decode error,
// truncated input, a limit): its findings are real but absence of findings proves nothing.
enum class ScanStatus { kScanned, kPartial, kError, kUnsupported, kSkipped };
WM_EXPORT std::string_view scan_status_name(ScanStatus status);

struct Report {
  std::string path;  // as the host gave it; writers never make it absolute
  std::uint64_t size_bytes = 0;
  std::string sha256;  // hex SHA-256 of the file's bytes; empty when not computed
  ScanStatus status = ScanStatus::kScanned;
  bool complete = true;
  std::string container;  // FFmpeg demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  double duration_s = 0.0;
  std::vector<StreamSummary> streams;
  std::vector<Finding> findings;
  std::vector<NotChecked> not_checked;
  std::vector<std::string> errors;  // one line each, naming the file and the cause
  std::vector<DetectorRun> detectors;

  // The most serious severity among findings (by severity_rank), or nullopt if none.
  WM_EXPORT std::optional<Severity> worst_severity() const;
};

}  // namespace wm

#endif  // WM_REPORT_H_
