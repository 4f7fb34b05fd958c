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

struct StillPatchParams {
  double max_area_fraction = 0.02;  // of the frame: a still tile or picture-in-picture window is larger
  int edge_reach_px = 3;            // an outline pixel this close to an edge of the still picture is beside it
  // A patch with more of its outline beside edges is a still object's (a bare label's words, an
  // icon): measured 1.00 on every word of the gallery sample's labels, 0.20-0.59 on the calm
  // patches that cut single lines over camera-like content.
  double max_outline_at_edges_share = 0.8;
};

// The mask of changing content `changing` (CV_8UC1) with some of the still patches it encloses
// filled in, for the single-line search. Where the picture under a line stood still (the slow
// centre of turning camera-like content, a wall behind a speaker) the median gradient is the
// still picture's: the line's strokes and whatever still content is there. Left out, such a
// patch cuts the line into pieces that are read apart (`ops-team@` for `ops-team@example.org`).
// Filled are the patches that touch no side of the frame (bars, toolbars and letterboxes do),
// cover at most max_area_fraction of it, hold no whole still text line (`still_lines`: a name
// label's plate is still and enclosed by its tile's video too), and whose outline does not run
// beside edges of the still picture (`still_edges`, CV_8UC1, the median gradient's strong
// pixels) all the way round: the letters of a bare label are each a still patch, outlined by
// their own edges, where a calm stretch of background is crossed by a line's strokes only where
// the line enters and leaves it.
cv::Mat with_enclosed_still_patches(const cv::Mat& changing, const cv::Mat& still_edges,
                                    const std::vector<cv::Rect>& still_lines, const StillPatchParams& params = {});

// The mask of changing content `changing` (CV_8UC1) with its narrow still gaps bridged, for the
// single-line search: every still pixel that no still square `max_gap_px` a side holds is set
// (a morphological closing). Under monospaced text scrolled by whole lines (a terminal, an editor
// paged by the keyboard) ink passes only through each glyph's own columns and each line's own
// rows: the columns between glyphs and the rows between lines never change, and a line drawn
// over them is cut into slivers that do not read. Where the ground in such a gap is still, its
// median gradients are the line's strokes alone. Pixels inside `keep_out` (the still text lines
// read as labels) stay as `changing` has them: a label's plate is still and enclosed too.
cv::Mat with_narrow_still_gaps_bridged(const cv::Mat& changing, int max_gap_px, const std::vector<cv::Rect>& keep_out);

struct GroundSpreadParams {
  int ring_px = 4;                    // the ring around the strokes, beyond a 1-px fringe
  double min_ring_spread_gray = 2.0;  // the ground must change: over this, a pixel is not still
  // An overlay of opacity a passes 1 - a of its ground's change to its strokes (0.82-0.94
  // measured for grey lines at 0.3 over camera video, codec noise included); opaque still text
  // only the codec's flicker.
  double min_share_of_ring = 0.6;
};

// Whether the strokes of a line read in a window (`strokes`, CV_8UC1) change with the ground
// around them: the median of the frames' spread (`stddev_gray`, CV_32FC1, gray) under the strokes
// is at least min_share_of_ring of the median over a ring around them, which itself changes by
// more than min_ring_spread_gray. Over content that changes only a little everywhere (a camera
// picture of a still scene) under half of a semi-transparent line's strokes lie on pixels that
// pass the detector's changing-content masks, yet they change as the picture beside them does:
// held-out 151 `059`, `Tom Berger` in grey at 0.3 over camera video, was read at 0.96 and
// dropped with 33 % of its strokes over changing pixels (ring 2.7 gray, strokes 2.5).
bool strokes_change_with_ground(const cv::Mat& stddev_gray, const cv::Mat& strokes,
                                const GroundSpreadParams& params = {});

}  // namespace wm::video

#endif  // WM_VIDEO_TEXT_LINE_H_
