// What a mark drawn over a scrolled page leaves once the page itself is taken away. Internal to
// the video module.
//
// A page scrolled under a fixed mark shows every line of the page at several places on screen,
// and the mark at one: aligning the frames by their scroll offsets, the per-pixel median of the
// page over the other frames that show it is the page under a frame without its mark. A frame less its page is the
// mark alone, scaled by how far the page under it lies from the mark's colour:
//   I - P = alpha (c - P),
// so a white mark over a white page leaves nothing where the page is bare and a full-strength
// copy wherever ink passed under it (what no per-pixel statistic of the unaligned frames shows:
// there the mark is a small lift of the ink, smaller than the ink's own variation). Least squares
// over the frames then estimate alpha per screen pixel for a mark lighter than the page (c = 255)
// and for a darker one (c = 0); a grey mark is lighter over ink and darker over bare page, and
// shows in either.
//
// Only vertical scrolling by whole pixels is aligned (a browser's or editor's scrolling at the
// recorded size): a recording scaled after capture, or scrolled sideways, is not.
#ifndef WM_VIDEO_SCROLL_RESIDUAL_H_
#define WM_VIDEO_SCROLL_RESIDUAL_H_

#include <functional>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace wm::video {

// Opacity estimates per screen pixel (CV_32F, 0 where no page passed under it), their
// least-squares weights (CV_32F, the sum over the frames of (c - P)^2: how much page of a
// contrasting gray passed under the pixel) and where the estimates hold (CV_8UC1, 255 where that
// weight is enough).
struct ScrollResidual {
  cv::Mat lighter_alpha;  // a mark lighter than the page (c = 255)
  cv::Mat lighter_weight;
  cv::Mat lighter_known;
  cv::Mat darker_alpha;   // a mark darker than the page (c = 0)
  cv::Mat darker_weight;
  cv::Mat darker_known;
  int scroll_positions = 0;  // distinct scroll offsets the estimate used (over all runs)
};

// Vertical scroll offset between two frames of a page: `later` shows at row y what `earlier`
// showed at row y + offset (positive when the page moved up). Nothing when no offset makes
// most of the overlap agree (a slide change, sideways or scaled motion, a changing picture).
std::optional<int> scroll_offset_px(const cv::Mat& earlier, const cv::Mat& later);

// The estimate above from `frames` (CV_8UC1, one size) taken at `times_s`. Runs of frames linked
// by scroll offsets are aligned separately; a run counts when it shows at least 3 distinct
// offsets. Nothing when no run does, or when `stop` asks to stop.
std::optional<ScrollResidual> compute_scroll_residual(const std::vector<cv::Mat>& frames,
                                                      const std::vector<double>& times_s,
                                                      const std::function<bool()>& stop);

// One opacity for each pixel's neighbourhood (a Gaussian of `sigma_px`): the least-squares
// estimate over it, each pixel counted by its weight (`alpha`, `weight` as in ScrollResidual).
// The codec leaves the mark's lift spread a pixel or two around the few pixels where ink passed
// under a stroke, beside pixels of little weight whose estimates are mostly noise; averaging the
// estimates alike would let those count as much.
cv::Mat pooled_alpha(const cv::Mat& alpha, const cv::Mat& weight, double sigma_px);

}  // namespace wm::video

#endif  // WM_VIDEO_SCROLL_RESIDUAL_H_
