// Burned-in labels and text marks told apart (label_marks.h).
#include "video/label_marks.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "video/finding_fields.h"
#include "video/mark_reader.h"

namespace wm::video {
namespace {

// Burned-in text read this close to a text mark's reading (reading_distance, or piece_distance
// to a piece of it; not a name beside an address, name_beside_plain_text) is that mark.
constexpr double kSameMarkMaxReadingDistance = 0.34;
// Burned-in text under a tiled mark's region is a label only when read at least this surely.
constexpr double kLabelUnderMarkMinConfidence = 0.8;
// A single line at least this opaque (alpha) over lines read as burned-in text is those labels;
// a fainter one is a mark over a picture that stood still there (hv101 `087`: 0.14-0.16).
constexpr double kLabelMinAlpha = 0.5;
// A single line lying at least this share of its area inside one label read surely is a piece of
// that label: white letters on a semi-transparent plate let the picture through around them
// (hv141 `065`: `Diva`, 51 x 25 px at alpha 0.29, inside `Priya Raman` read at 0.96).
constexpr double kInsideLabelMinShare = 0.8;

bool overlaps(const cv::Rect& a, const cv::Rect& b) { return (a & b).area() > 0; }

// A single line found where labels were read, as nearly opaque as they are, is those labels: the
// single-line search also sees the still text lines (a gallery's names read as one `Jonas` line
// at alpha 0.66 over four of them). So is one of any opacity whose region is taller than wide
// and holds two labels one above the other: a line rotated 0-45 degrees is wider than tall, and
// no line holds two stacked lines (bare names with a shadow, a column of two, read as `mide` at
// alpha 0.32). So is one of any opacity that lies inside a label read surely (`sure_labels`): a
// mark is not drawn inside a name's box, and smaller than it.
bool single_line_is_labels(const Finding& line, const std::vector<cv::Rect>& labels,
                           const std::vector<cv::Rect>& sure_labels) {
  if (!line.region) return false;
  const cv::Rect place = as_rect(*line.region);
  if (std::any_of(sure_labels.begin(), sure_labels.end(), [&](const cv::Rect& r) {
        return (r & place).area() >= kInsideLabelMinShare * place.area();
      })) {
    return true;
  }
  if (evidence_number(line, "alpha") >= kLabelMinAlpha &&
      std::any_of(labels.begin(), labels.end(), [&](const cv::Rect& r) { return overlaps(r, place); })) {
    return true;
  }
  if (place.height <= place.width) return false;
  std::vector<cv::Rect> inside;
  std::copy_if(labels.begin(), labels.end(), std::back_inserter(inside),
               [&](const cv::Rect& r) { return place.contains((r.tl() + r.br()) / 2); });
  return std::any_of(inside.begin(), inside.end(), [&](const cv::Rect& upper) {
    return std::any_of(inside.begin(), inside.end(), [&](const cv::Rect& lower) { return lower.y >= upper.y + upper.height; });
  });
}

struct Mark {
  std::string reading;                  // as read
  std::optional<cv::Rect> single_line;  // a single line's place
};

// A text mark over a part of the picture that stands still (a page's bare margin, a gallery tile
// whose person sits still) is still text there too, and the still-text search finds its pieces:
// burned-in text that reads as (nearly) a piece of a text mark's reading (or of a tile's second
// line: `Dana Whitfield`, `itfield` beside a tiled number with that name under it) is that mark
// (`iple.com`, `jane.c`, `3erger` beside tiled `jane.doe@example.com` and `Tom Berger`), and so
// is burned-in text on a single line's place (read there in other pieces: `i-team@example` where
// the line read `ops-team` and `mple.org`; a region taller than half its width is no line's
// place, and can hold a gallery's labels). Under a tiled mark a piece can also read as nothing
// like it (`Pie`, `Nth`, `WN, th` at 0.62-0.72): there only a confident reading (>=
// kLabelUnderMarkMinConfidence; names measured 0.90-0.96) is a label. A person's name is not
// an address or its local part read in another way (name_beside_plain_text): `Jane Doe` on a
// tile beside tiled `jane.doe` is that person's label.
bool burned_in_text_is_a_mark(const Finding& text, const std::vector<Mark>& marks, const std::vector<cv::Rect>& tiled_regions) {
  const std::optional<cv::Rect> place = text.region ? std::optional<cv::Rect>(as_rect(*text.region)) : std::nullopt;
  if (place && evidence_number(text, "ocr_confidence") < kLabelUnderMarkMinConfidence &&
      std::any_of(tiled_regions.begin(), tiled_regions.end(), [&](const cv::Rect& r) { return overlaps(r, *place); })) {
    return true;
  }
  const std::string label = evidence_string(text, "text");
  return std::any_of(marks.begin(), marks.end(), [&](const Mark& mark) {
    if (mark.reading.empty()) return false;
    if (!name_beside_plain_text(label, mark.reading) &&
        (piece_distance(folded(label), folded(mark.reading)) <= kSameMarkMaxReadingDistance ||
         reading_distance(folded(label), folded(mark.reading)) <= kSameMarkMaxReadingDistance)) {
      return true;
    }
    return place && mark.single_line && mark.single_line->width >= 2 * mark.single_line->height &&
           overlaps(*mark.single_line, *place);
  });
}

}  // namespace

void drop_marks_read_as_labels(std::vector<Finding>& findings) {
  std::vector<cv::Rect> labels;
  std::vector<cv::Rect> sure_labels;
  for (const Finding& f : findings) {
    if (f.detector != "video.burned_in_text" || !f.region) continue;
    labels.push_back(as_rect(*f.region));
    if (evidence_number(f, "ocr_confidence") >= kLabelUnderMarkMinConfidence) sure_labels.push_back(labels.back());
  }
  std::erase_if(findings, [&](const Finding& f) {
    return f.detector == "video.text_overlay" && single_line_is_labels(f, labels, sure_labels);
  });
  std::vector<Mark> marks;
  std::vector<cv::Rect> tiled_regions;
  for (const Finding& f : findings) {
    if (!is_text_mark(f)) continue;
    Mark mark{evidence_string(f, "text"), std::nullopt};
    if (f.region && f.detector == "video.text_overlay") mark.single_line = as_rect(*f.region);
    if (f.region && f.detector == "video.tiled_text") tiled_regions.push_back(as_rect(*f.region));
    marks.push_back(std::move(mark));
    // A tile's second line over a still part is still text as much as its first.
    if (const std::string second = evidence_string(f, "second_text"); !second.empty()) marks.push_back({second, std::nullopt});
  }
  if (marks.empty()) return;
  std::erase_if(findings, [&](const Finding& f) {
    return f.detector == "video.burned_in_text" && burned_in_text_is_a_mark(f, marks, tiled_regions);
  });
}

}  // namespace wm::video
