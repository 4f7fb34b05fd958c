// Small readers of the report's Finding for the video module's own bookkeeping: an evidence
// field's value by key, a region as an OpenCV rectangle.
#ifndef WM_VIDEO_FINDING_FIELDS_H_
#define WM_VIDEO_FINDING_FIELDS_H_

#include <string>
#include <variant>

#include <opencv2/core.hpp>

#include "wm/report.h"

namespace wm::video {

// The number under `key` in the finding's evidence; `absent` when there is none.
inline double evidence_number(const Finding& f, const std::string& key, double absent = 0.0) {
  for (const EvidenceField& e : f.evidence) {
    if (e.key == key && std::holds_alternative<double>(e.value)) return std::get<double>(e.value);
  }
  return absent;
}

// Sets the number under `key` in the finding's evidence, where there is one.
inline void set_evidence_number(Finding& f, const std::string& key, double value) {
  for (EvidenceField& e : f.evidence) {
    if (e.key == key) e.value = value;
  }
}

// The text under `key` in the finding's evidence; empty when there is none.
inline std::string evidence_string(const Finding& f, const std::string& key) {
  for (const EvidenceField& e : f.evidence) {
    if (e.key == key && std::holds_alternative<std::string>(e.value)) return std::get<std::string>(e.value);
  }
  return {};
}

// Whether the finding's evidence has a field under `key`.
inline bool has_evidence(const Finding& f, const std::string& key) {
  for (const EvidenceField& e : f.evidence) {
    if (e.key == key) return true;
  }
  return false;
}

inline cv::Rect as_rect(const Region& r) { return {r.x, r.y, r.width, r.height}; }

// A text mark: tiled or a single line (not a logo, not burned-in text).
inline bool is_text_mark(const Finding& f) {
  return f.detector == "video.tiled_text" || f.detector == "video.text_overlay";
}

}  // namespace wm::video

#endif  // WM_VIDEO_FINDING_FIELDS_H_
