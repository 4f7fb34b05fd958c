// Whether a line of still text lets the picture through. A name label or a caption is opaque:
// its letters keep their gray while the picture around them changes. A semi-transparent mark
// over camera video that moves little is found among the still lines too (its letters change
// only by (1 - alpha) of the picture under them, often under the codec's flicker), and is a
// mark, not a label. Over the frames, a see-through letter follows the ground beside it with a
// slope of 1 - alpha; an opaque one does not follow it at all (estimate_alpha, matte.h, compares
// spreads the same way for a recovered matte; here the letters come from the still picture).
// Internal to the video module (OpenCV types are fine here).
#ifndef WM_VIDEO_SEE_THROUGH_H_
#define WM_VIDEO_SEE_THROUGH_H_

#include <vector>

#include <opencv2/core.hpp>

namespace wm::video {

struct SeeThroughParams {
  // The ground beside the letters must change by this much (RMS over the frames, gray levels)
  // for the letters' following it to be measured: over a still plate nothing can be told.
  double min_ground_spread_gray = 3.0;
  // Of a line's ink (the minority of its Otsu split), the share farthest from the ground's gray
  // in the mean is its letters' cores: anti-aliased edges are part ground, and follow the
  // picture even on opaque letters. A fifth: with the pixels within 0.6 of the 90th
  // percentile's contrast (about half the ink), opaque 13-16 px names on semi-transparent plates
  // measured 0.53-0.74; with the fifth 0.60-0.81, while 0.35-opaque lines stayed at 0.32-0.33.
  double core_share = 0.2;
};

struct SeeThrough {
  bool measured = false;          // the ground changed enough, beside enough letters, to tell
  double alpha = 1.0;             // 1 - (the letters' slope on the ground), clamped to 0..1
  double correlation = 0.0;       // of the letters' and the ground's changes
  double ground_spread_gray = 0.0;
  double colour_gray = 0.0;       // the letters' own gray, when alpha > 0.02
};

// Measures, over `frames` (CV_8UC1, analysed size), how the letters inside `letters` (analysed
// pixels) follow the ground around them. `mean_gray` (CV_32FC1) is the frames' temporal mean,
// in which the letters are told from their ground. The line is cut into slabs about a line's
// height wide, each compared with its own ground, so a picture that changes differently along
// the line is followed slab by slab.
SeeThrough measure_see_through(const std::vector<cv::Mat>& frames, const cv::Mat& mean_gray, const cv::Rect& letters,
                               const SeeThroughParams& params = {});

}  // namespace wm::video

#endif  // WM_VIDEO_SEE_THROUGH_H_
