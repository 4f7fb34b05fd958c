// Reports built in code for the writer tests: a file with marks of every severity, a file
// whose every string is hostile markup, a clean file and a file that could not be scanned.
#ifndef WM_TESTS_UNIT_REPORT_REPORT_FIXTURES_H_
#define WM_TESTS_UNIT_REPORT_REPORT_FIXTURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "wm/report.h"

namespace wm::testing {

inline constexpr const char* kHostile = "<script>alert(1)</script>\"onerror=alert(2) x='";

// A 2x2 RGB PNG (red, white / white, red), written by Python's zlib + struct.
inline const std::vector<std::uint8_t> kTinyPng = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00,
    0x00, 0x00, 0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0xff, 0xff, 0x7f,
    0x10, 0x06, 0xb2, 0x00, 0x39, 0xd4, 0x07, 0xf9, 0x9b, 0x44, 0x2b, 0x84, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
// The same bytes in base64, from Python's base64 module (not from the code under test).
inline constexpr const char* kTinyPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR42mP4z8Dw//9/EAayADnUB/mbRCuEAAAAAElFTkSuQmCC";

inline Finding make_finding(std::string detector, Severity severity, double confidence, std::string summary) {
  Finding f;
  f.detector = std::move(detector);
  f.category = "metadata";
  f.severity = severity;
  f.confidence = confidence;
  f.summary = std::move(summary);
  return f;
}

// One finding of each severity, an e-mail address as a personal value, a timed visual mark
// with a region and a PNG.
inline Report marked_report() {
  Report r;
  r.path = "in/talk 1.mp4";
  r.size_bytes = 2'500'000;
  r.container = "mov,mp4,m4a,3gp,3g2,mj2";
  r.duration_s = 10.0;
  r.streams.push_back({0, "video", "h264", 10.0, 0, 0, 1280, 720});
  r.streams.push_back({1, "audio", "aac", 10.0, 48000, 2, 0, 0});
  Finding email = make_finding("meta.email", Severity::kHigh, 0.95, "An e-mail address is written in the comment field.");
  email.evidence = {{"field", std::string("comment"), false}, {"value", std::string("jane.doe@example.com"), true}};
  r.findings.push_back(email);
  Finding device = make_finding("meta.device", Severity::kMedium, 0.8, "The camera's make and model are recorded.");
  device.evidence = {{"model", std::string("Phone 15"), false}};
  r.findings.push_back(device);
  Finding blob = make_finding("meta.blob", Severity::kReview, 0.5, "An opaque private frame needs a person's judgement.");
  blob.evidence = {{"size_bytes", std::int64_t{512}, false}};
  r.findings.push_back(blob);
  r.findings.push_back(make_finding("meta.software", Severity::kLow, 0.9, "The encoder's name is recorded."));
  r.findings.push_back(make_finding("meta.timestamp", Severity::kInfo, 1.0, "The creation time is recorded."));
  Finding mark = make_finding("video.tiled_text", Severity::kHigh, 0.875, "Tiled semi-transparent text covers the picture.");
  mark.category = "visible_watermark";
  mark.time_ranges_s = {{1.0, 3.0}, {6.0, 7.5}};
  mark.region = Region{10, 20, 300, 40};
  mark.evidence = {{"text", std::string("jane.doe"), true}, {"opacity", 0.25, false}};
  mark.artifacts.push_back({"recovered_mark", "image/png", "mark.png", kTinyPng});
  r.findings.push_back(mark);
  r.detectors.push_back({"meta", "1.0", {}});
  return r;
}

// Every string a file can influence carries markup.
inline Report hostile_report() {
  Report r;
  r.path = std::string("clips/") + kHostile + ".mp4";
  r.container = std::string("mp4") + kHostile;
  r.duration_s = 4.0;
  r.streams.push_back({0, "video", std::string("h264") + kHostile, 4.0, 0, 0, 64, 64});
  Finding f = make_finding("meta.person", Severity::kHigh, 0.9, std::string("A name: ") + kHostile);
  f.category = std::string("metadata") + kHostile;
  f.evidence = {{"title", std::string(kHostile), false},
                {std::string("key") + kHostile, std::string("v") + kHostile, false},
                {"artist", std::string("Jane Doe ") + kHostile, true}};
  f.time_ranges_s = {{0.5, 1.0}};
  f.artifacts.push_back({std::string("kind") + kHostile, "image/svg+xml", std::string("a") + kHostile + ".svg",
                         {'<', 's', 'v', 'g', '>'}});
  f.artifacts.push_back({std::string("shot") + kHostile, "image/png", std::string("b") + kHostile + ".png", kTinyPng});
  r.findings.push_back(f);
  r.not_checked.push_back({std::string("audio") + kHostile, std::string("no audio ") + kHostile});
  r.errors.push_back(std::string("read ") + kHostile + ": failed");
  r.detectors.push_back({std::string("meta") + kHostile, std::string("1") + kHostile, {}});
  return r;
}

inline Report clean_report() {
  Report r;
  r.path = "in/clean.wav";
  r.size_bytes = 1000;
  r.container = "wav";
  r.duration_s = 2.0;
  r.detectors.push_back({"meta", "1.0", {}});
  return r;
}

inline Report failed_report() {
  Report r;
  r.path = "in/broken.mp4";
  r.size_bytes = 17;
  r.status = ScanStatus::kError;
  r.complete = false;
  r.errors.push_back("in/broken.mp4: Invalid data found when processing input");
  return r;
}

}  // namespace wm::testing

#endif  // WM_TESTS_UNIT_REPORT_REPORT_FIXTURES_H_
