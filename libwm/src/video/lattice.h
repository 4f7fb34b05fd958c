// Stage 2: the lattice of a tiled overlay (two translation vectors) from the 2-D
// autocorrelation of the consistent-gradient map, and folding of a field over that lattice.
#ifndef WM_VIDEO_LATTICE_H_
#define WM_VIDEO_LATTICE_H_

#include <functional>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "wm/status.h"

namespace wm::video {

struct Lattice {
  cv::Point2f v1;  // shortest repeat vector, pixels (x right, y down)
  cv::Point2f v2;  // shortest repeat vector not parallel to v1; (0,0) if only one was found
  double strength = 0.0;  // normalised autocorrelation at the weaker of v1/v2, 0..1
  // How far the weakest of the lattice's peaks at v1, v2 and v1+v2 / v1-v2 (the better of the
  // two diagonals) stands above the autocorrelation map's own spread (robust z-score over all
  // lags); 0 when v2 is missing. A lattice is a pattern of peaks, so its diagonal must be there
  // too: random peaks of a noisy map rarely form one.
  double significance = 0.0;
  double period_px() const;  // |v1|
  double angle_deg() const;  // direction of v1, degrees counter-clockwise from +x, in (-90, 90]
};

// `fields`: CV_32FC1 maps whose autocorrelations are summed — the signed consistent gradients
// (gx, gy) in the detector, since signed gradients decorrelate as soon as glyphs misalign, where
// a magnitude map keeps a ridge along every text row; `valid`: CV_8UC1 mask (non-zero where the
// background varies, so the fields mean something). Lags shorter than `min_lag_px` are ignored
// (a stroke correlates with itself). A basis with a vector on a ridge (halfway to it the
// autocorrelation stays high: a long straight edge shifted along itself) has no v2. nullopt
// when no repeat reaches `min_strength`.
// `exclude` (may be null): lags the content's grid explains are not peaks — any shift by whole
// lines (a page scrolled by lines shows nearly the same lines at every row, so what is left of
// the content after remove_grid_component repeats there, and the two combs' side lobes
// multiply to positive values there), or, without a line pitch, shifts by whole characters.
struct ContentGrid;
Result<std::optional<Lattice>> estimate_lattice(const std::vector<cv::Mat>& fields, const cv::Mat& valid,
                                                double min_lag_px, double min_strength,
                                                const ContentGrid* exclude = nullptr);

// The two halves of estimate_lattice, for a caller that picks lattices at more than one strength
// from the same fields: the normalised autocorrelation map (lags -max..max in both directions,
// the zero lag at the centre; 0 where too few valid pixels pair up; empty when the fields carry
// no energy or fewer than 100 pixels are valid), and the lattice its peaks give.
Result<cv::Mat> lattice_autocorrelation(const std::vector<cv::Mat>& fields, const cv::Mat& valid);
std::optional<Lattice> lattice_from_autocorrelation(const cv::Mat& rho, double min_lag_px, double min_strength,
                                                    const ContentGrid* exclude = nullptr);

// Axis-aligned repeats of the content itself, in pixels (0 = none): the text lines of a page
// scrolled by whole lines, or a monospace character grid, sit at the same rows (columns) in
// every frame, so the per-pixel median keeps an "average glyph" pattern with that period.
struct ContentGrid {
  double period_y = 0.0;  // line pitch
  double period_x = 0.0;  // character pitch
  bool found() const { return period_y > 0.0 || period_x > 0.0; }
};

// A period counts only when it shows both in the single frames (each frame's row / column
// profile of gradient energy) and in the consistent-gradient fields `gx`, `gy` (CV_32FC1,
// valid where `valid` is non-zero): a tiled mark repeats in the fields but its rows are not
// those of the content, and content that scrolls smoothly has line structure in every frame but
// none in the median. Periods from `min_period_px` to `max_period_px`.
ContentGrid find_content_grid(const std::vector<cv::Mat>& frames, const cv::Mat& gx, const cv::Mat& gy,
                              const cv::Mat& valid, double min_period_px, double max_period_px);

// Whether `lattice` is the layout of a gallery view rather than a mark: it repeats along the
// frame's axes with at most 4 x 4 cells in the frame, and the temporal mean `mean_gray`
// (CV_32FC1) has straight edges down whole columns and along whole rows (where the video tiles
// meet the borders or gaps between them) one period apart along each axis. The tiles' labels
// and those edges repeat at that period; a tiled mark is not laid out on a frame's tile grid.
bool lattice_on_tile_grid(const cv::Mat& mean_gray, const Lattice& lattice);

// Whether both vectors of `lattice` are steps on the content's own grid (whole lines down,
// whole characters across; with no pitch along an axis, no step along it): a page scrolled by
// whole lines in a monospace font keeps an "average glyph" pattern in the median whose 2-D
// repeats are such steps, and they are not a mark. The grid is found as in the search under a
// content grid (same frames and fields).
bool lattice_on_content_grid(const std::vector<cv::Mat>& frames, const cv::Mat& gx, const cv::Mat& gy,
                             const cv::Mat& valid, const Lattice& lattice);

// `field` minus its part that repeats with the line pitch and the character pitch: every valid
// pixel minus the mean of the valid pixels 1..3 pitches above and below it (a comb filter), then
// the same across with the character pitch. What repeats locally with the pitch cancels, even when it changes slowly down
// the page; a pattern with another period (a rotated tiled mark, or one with other row
// spacing) keeps its amplitude. Pixels outside `valid` are left unchanged.
cv::Mat remove_grid_component(const cv::Mat& field, const cv::Mat& valid, const ContentGrid& grid);

// The second lattice search, for content whose own structure stays in the median (see
// ContentGrid): the grid's part is removed from `gx`, `gy`; the fields are weighted by temporal
// stability, spread_floor / max(spread_floor, stddev) (busy text leaves more noise in the
// median), for the search only; and a lattice counts on its significance (>= min_significance)
// rather than on a fixed strength. `lattice` is empty when there is no grid or no significant
// two-vector lattice; `gx`, `gy` are then the residual fields (or the inputs, without a grid).
struct GridSearch {
  ContentGrid grid;
  std::optional<Lattice> lattice;
  cv::Mat gx;
  cv::Mat gy;
};
Result<GridSearch> search_lattice_under_content_grid(const std::vector<cv::Mat>& frames, const cv::Mat& gx,
                                                     const cv::Mat& gy, const cv::Mat& valid, const cv::Mat& stddev,
                                                     double spread_floor, double min_lag_px, double min_significance);

// Per-pixel weights (CV_32FC1, 0..1, defined at every pixel) that temper the regions of `gx`,
// `gy` whose local gradient energy stands far above the frame's typical level: a
// picture-in-picture box of full-contrast content over a shared page keeps edges in the median
// that outweigh a semi-transparent mark's in the autocorrelation. Local energy: RMS over the
// valid pixels of an odd window max(16, width / 10) px wide (at least 17); typical: the median of
// that RMS over the valid pixels. A pixel's weight is min(1, typical / local RMS), so every region
// above the typical level counts as much as a typical one. Empty (nothing to temper) when fewer
// than 100 pixels are valid, when the typical RMS is under a tenth of a gray level, or when less than
// 2 % of the valid pixels lie where it exceeds 4 x typical.
cv::Mat tempering_weight(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid);

// Average of `field` (CV_32FC1) over all lattice translates that overlap the frame, weighted by
// `weight` (CV_32FC1, 0 where the field is meaningless): out(p) = sum_t w(p+t) f(p+t) / sum_t w(p+t).
// `support` receives sum_t w(p+t) (how much evidence went into each pixel). `stop` (may be
// empty) is polled before each translate; when it says true the result is an empty Mat.
cv::Mat fold_over_lattice(const cv::Mat& field, const cv::Mat& weight, const Lattice& lattice, cv::Mat* support,
                          const std::function<bool()>& stop = {});

}  // namespace wm::video

#endif  // WM_VIDEO_LATTICE_H_
