// Burned-in labels and text marks told apart (label_marks.h).
#include "video/label_marks.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
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

// A still text line whose letters let the picture through, reported as a mark by the still-text
// search (the overlay detector's report_see_through_line, family 0.46; only it gives this
// evidence). Such a line may be a piece of a mark the mark searches found: see below.
bool is_see_through_still_line(const Finding& f) {
  return f.detector == "video.text_overlay" && has_evidence(f, "letters_follow_picture_correlation");
}

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

// A still line read as see-through and a single line that the line search found on the same
// place are one mark read twice: the still part may hold only a piece of the line (`15 555` of a
// phone number whose ends moved with the picture), or the line search only a piece of what the
// still picture shows whole (`ample` of `m.rossi@corp.example`). The reading with more letters
// and digits stays (then the surer one); the other finding goes.
void keep_the_fuller_reading_of_each_line(std::vector<Finding>& findings) {
  std::vector<bool> dropped(findings.size(), false);
  const auto fullness = [](const Finding& f) {
    return std::make_pair(count_alphanumerics(evidence_string(f, "text")), evidence_number(f, "ocr_confidence"));
  };
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!is_see_through_still_line(findings[i]) || !findings[i].region) continue;
    for (std::size_t j = 0; j < findings.size() && !dropped[i]; ++j) {
      const Finding& other = findings[j];
      if (dropped[j] || other.detector != "video.text_overlay" || is_see_through_still_line(other) || !other.region ||
          !overlaps(as_rect(*findings[i].region), as_rect(*other.region))) {
        continue;
      }
      if (fullness(findings[i]) > fullness(other)) {
        dropped[j] = true;
      } else {
        dropped[i] = true;
      }
    }
  }
  std::vector<Finding> kept;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!dropped[i]) kept.push_back(std::move(findings[i]));
  }
  findings = std::move(kept);
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
  keep_the_fuller_reading_of_each_line(findings);
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
    if (!is_text_mark(f) || is_see_through_still_line(f)) continue;
    Mark mark{evidence_string(f, "text"), std::nullopt};
    if (f.region && f.detector == "video.text_overlay") mark.single_line = as_rect(*f.region);
    if (f.region && f.detector == "video.tiled_text") tiled_regions.push_back(as_rect(*f.region));
    marks.push_back(std::move(mark));
    // A tile's second line over a still part is still text as much as its first.
    if (const std::string second = evidence_string(f, "second_text"); !second.empty()) marks.push_back({second, std::nullopt});
  }
  if (marks.empty()) return;
  std::erase_if(findings, [&](const Finding& f) {
    return (f.detector == "video.burned_in_text" || is_see_through_still_line(f)) &&
           burned_in_text_is_a_mark(f, marks, tiled_regions);
  });
}

}  // namespace wm::video
