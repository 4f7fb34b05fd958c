// Burned-in labels and text marks of one recording, told apart: the overlay detector's last
// step. The still-text search (static_text.h) and the mark searches look at the same pixels
// from two sides, so a mark over a part of the picture that stood still is also found as still
// text, and still labels can also be found as a single faint line.
#ifndef WM_VIDEO_LABEL_MARKS_H_
#define WM_VIDEO_LABEL_MARKS_H_

#include <vector>

#include "wm/report.h"

namespace wm::video {

// Removes from `findings` the video.text_overlay findings that are burned-in labels, then the
// video.burned_in_text findings that are pieces of a text mark (the rules are in the .cpp).
// Regions are compared as given (any one coordinate system for all findings).
void drop_marks_read_as_labels(std::vector<Finding>& findings);

}  // namespace wm::video

#endif  // WM_VIDEO_LABEL_MARKS_H_
