// Lines of text that stay put while the picture changes: participant name labels on the tiles of
// a gallery view (on an opaque box, on a semi-transparent one, or bare with a shadow), captions
// burned into the picture. Internal to the video module (OpenCV types are fine here).
#ifndef WM_VIDEO_STATIC_TEXT_H_
#define WM_VIDEO_STATIC_TEXT_H_

#include <vector>

#include <opencv2/core.hpp>

namespace wm::video {

struct StaticTextParams {
  double max_spread_gray = 8.0;  // temporal std of a pixel that never changed (a sharp edge flickers up to this)
  double min_edge = 80.0;        // Sobel (3 x 3) magnitude of the mean picture on a stroke's edge: a step of ~20 gray
  int min_height_px = 8;         // a line's height: from smaller text nothing can be read...
  double max_height_fraction = 0.12;  // ... and one taller than this share of the frame is not one line
  double min_aspect = 2.0;       // a line's width / height (a name has several letters)
  int max_lines = 12;            // the widest lines first
};

// Boxes (analysed pixels) of the text lines in the still part of a picture: strong edges of the
// temporal mean `mean_gray` on pixels whose temporal spread `stddev_gray` (both CV_32FC1) stayed
// under the codec's flicker, joined into letters, words and then lines (boxes side by side on
// one baseline, a gap of at most about one and a half line heights apart), whose ink stood still
// too. Only the text itself need be still: a semi-transparent label box or a shadow lets the
// changing picture through around it. Lines
// whose neighbours above or below are still text too (a page that stands still, a menu) are
// part of a block, not a label, and are left out. Widest first, at most max_lines.
std::vector<cv::Rect> find_static_text_lines(const cv::Mat& mean_gray, const cv::Mat& stddev_gray,
                                             const StaticTextParams& params = {});

// The horizontal and vertical runs of at least `min_length_px` non-zero pixels in `mask8`
// (CV_8UC1): straight rules — a table's or a plate's outline, a tile border, a bar's edge — which
// no letter's or logo's edge is as long as.
cv::Mat straight_runs(const cv::Mat& mask8, int min_length_px);

// A second try at reading the crop of one line: `gray8` and its binarised copy `binary8`
// (CV_8UC1, same size, dark ink = 0 on a light ground = 255). The line was cut out with a margin
// of ground around its letters, so ink that reaches the crop's edge is seldom the line's: a tile
// border, a plate's outline, the picture beside a label. Tesseract, given a line boxed in by
// such strokes, often reads nothing at all. That ink becomes ground in both pictures (a letter
// that touches such a stroke goes with it, hence only when the crop as it is gave nothing).
void clear_ink_touching_edges(cv::Mat& gray8, cv::Mat& binary8);

// The box of the ink in such a crop that does not reach its edge: the letters (without the
// plate's sides, which the line's box can include). Empty when there is none.
cv::Rect letters_box(const cv::Mat& binary8);

}  // namespace wm::video

#endif  // WM_VIDEO_STATIC_TEXT_H_
