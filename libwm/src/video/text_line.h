// Where a single (untiled) text overlay may be: windows around elongated islands of consistent
// gradients. Internal to the video module (OpenCV types are fine here).
#ifndef WM_VIDEO_TEXT_LINE_H_
#define WM_VIDEO_TEXT_LINE_H_

#include <vector>

#include <opencv2/core.hpp>

namespace wm::video {

struct LineSearchParams {
  double smoothing_px = 5.0;           // Gaussian σ of the local gradient energy
  double energy_over_spread = 6.0;     // a stroke area's energy: this many robust deviations above the median
  double min_energy_gray2 = 2.0;       // ... and at least this (gray² per pixel): flat fields have no noise to scale by
  int join_radius_px = 10;             // letters, and words a space apart, join into one island
  int min_pixels = 60;                 // pixels above the energy bar an island needs
  double min_aspect = 2.0;             // long side / short side of the island's rotated box
  int min_short_side_px = 8;
  double max_short_side_fraction = 0.2;  // of the frame's height: taller is not one line
  double min_isolation = 3.0;          // share above the bar inside / in a ring around the island
  int min_margin_px = 16;              // the window around the island, at least this...
  int max_windows = 4;                 // ... strongest islands first
};

// Windows (analysed pixels, within the frame) around the islands of local gradient energy of
// (gx, gy) (CV_32FC1, zero where meaningless) inside `valid` (CV_8UC1) that look like one line
// of text, strongest (summed energy above the bar) first. Each window is the island's box grown by its short
// side (at least min_margin_px), so the line's strokes and the ground around them are both in it.
std::vector<cv::Rect> find_line_windows(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid,
                                        const LineSearchParams& params = {});

}  // namespace wm::video

#endif  // WM_VIDEO_TEXT_LINE_H_
