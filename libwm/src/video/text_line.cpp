// Single text lines (video.text_overlay): where to read.
//
// The untiled path first reads the whole frame's reconstruction. That works over screen content,
// whose median is flat away from the mark. Over content that keeps changing everywhere (camera
// video, noise, a fractal zoom) the median keeps a little of the content at every pixel; integrated
// over the whole frame, that residue is a landscape of blobs as deep as the strokes, and the
// matte's scale (set by the frame's extreme values) and OCR's page layout both drown the line.
//
// Per pixel, a faint line's consistent gradients can be under that residue's (a logo's edge test,
// 4 x the field's 90th percentile, misses a 0.25 white line over strong noise), but a line packs
// many stroke edges into a small area: the gradient energy averaged over a few pixels stands out
// of the residue's, whose own local average varies little. The bar is set by the field itself
// (median and MAD of that local energy over `valid`), so it follows the residue's level.
// Islands above it that are elongated and isolated are read in a window around them, where the
// strokes are the extreme values and the ground around them sets the level.
#include "video/text_line.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "video/logo.h"
#include "video/matte.h"

namespace wm::video {

std::vector<cv::Rect> find_line_windows(const cv::Mat& gx, const cv::Mat& gy, const cv::Mat& valid,
                                        const LineSearchParams& params) {
  if (params.max_windows <= 0) return {};
  // Local energy over valid pixels only (normalised convolution): the mask's edges do not dilute it.
  cv::Mat weight, energy, squared_y;
  valid.convertTo(weight, CV_32F, 1.0 / 255.0);
  cv::multiply(gx, gx, energy);
  cv::multiply(gy, gy, squared_y);
  energy = (energy + squared_y).mul(weight);
  cv::GaussianBlur(energy, energy, cv::Size(0, 0), params.smoothing_px);
  cv::GaussianBlur(weight, weight, cv::Size(0, 0), params.smoothing_px);
  energy /= cv::max(weight, 1e-3);

  std::vector<float> values = masked_values(energy, valid);
  if (values.size() < 1000) return {};
  const double median = percentile(values, 0.5);
  for (float& v : values) v = static_cast<float>(std::abs(v - median));
  const double spread = 1.4826 * percentile(values, 0.5);
  const double bar = std::max(params.min_energy_gray2, median + params.energy_over_spread * spread);
  const cv::Mat hot = (energy > bar) & valid;

  cv::Mat joined;
  const int join = 2 * params.join_radius_px + 1;
  cv::dilate(hot, joined, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(join, join)));
  std::vector<std::vector<cv::Point>> outlines;
  cv::findContours(joined, outlines, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);

  const cv::Rect frame(cv::Point(0, 0), gx.size());
  const double max_short_side_px = params.max_short_side_fraction * gx.rows;
  struct Island {
    cv::Rect window;
    double strength;
  };
  std::vector<Island> islands;
  for (const auto& outline : outlines) {
    const cv::RotatedRect turned = cv::minAreaRect(outline);
    // The dilation widened the island by the join radius on every side.
    const double long_side = std::max(turned.size.width, turned.size.height) - 2.0 * params.join_radius_px;
    const double short_side = std::min(turned.size.width, turned.size.height) - 2.0 * params.join_radius_px;
    if (short_side < params.min_short_side_px || short_side > max_short_side_px) continue;
    if (long_side < params.min_aspect * short_side) continue;
    const cv::Rect box = cv::boundingRect(outline) & frame;
    const cv::Mat box_hot = hot(box);
    const int pixels = cv::countNonZero(box_hot);
    if (pixels < params.min_pixels) continue;
    const double inside = pixels / static_cast<double>(box.area());
    const double around = ring_density(hot, valid, box, std::max(12, static_cast<int>(short_side)));
    if (inside < params.min_isolation * std::max(around, 0.002)) continue;
    const int margin = std::max(params.min_margin_px, static_cast<int>(short_side));
    const cv::Rect window =
        cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) & frame;
    islands.push_back({window, (cv::mean(energy(box), box_hot)[0] - bar) * pixels});
  }
  std::sort(islands.begin(), islands.end(), [](const Island& a, const Island& b) { return a.strength > b.strength; });
  std::vector<cv::Rect> out;
  for (const Island& island : islands) {
    if (static_cast<int>(out.size()) >= params.max_windows) break;
    out.push_back(island.window);
  }
  return out;
}

cv::Mat with_enclosed_still_patches(const cv::Mat& changing, const cv::Mat& still_edges,
                                    const std::vector<cv::Rect>& still_lines, const StillPatchParams& params) {
  cv::Mat labels, boxes, centroids;
  const int count = cv::connectedComponentsWithStats(~changing, labels, boxes, centroids, 4, CV_32S);
  const double max_area_px = params.max_area_fraction * static_cast<double>(changing.total());
  const cv::Rect frame(cv::Point(0, 0), changing.size());
  std::vector<std::uint8_t> fill(static_cast<std::size_t>(count), 0);
  bool any = false;
  for (int i = 1; i < count; ++i) {
    const cv::Rect box(boxes.at<int>(i, cv::CC_STAT_LEFT), boxes.at<int>(i, cv::CC_STAT_TOP),
                       boxes.at<int>(i, cv::CC_STAT_WIDTH), boxes.at<int>(i, cv::CC_STAT_HEIGHT));
    const bool enclosed = box.x > 0 && box.y > 0 && box.br().x < changing.cols && box.br().y < changing.rows;
    const bool holds_a_line = std::any_of(still_lines.begin(), still_lines.end(),
                                          [&](const cv::Rect& line) { return (line & box) == line; });
    const bool small = boxes.at<int>(i, cv::CC_STAT_AREA) <= max_area_px;
    if (!enclosed || !small || holds_a_line) continue;
    // The patch's outline: beside edges of the still picture all round, it is a still object's
    // (a letter of a bare label, an icon); a calm stretch of background is crossed by the line's
    // strokes only where the line enters and leaves it.
    const int by = params.edge_reach_px + 1;
    const cv::Rect grown = cv::Rect(box.x - by, box.y - by, box.width + 2 * by, box.height + 2 * by) & frame;
    const cv::Mat patch = labels(grown) == i;
    cv::Mat inner;
    cv::erode(patch, inner, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    const cv::Mat outline = patch & ~inner;
    cv::Mat near_edges;
    const int reach = 2 * params.edge_reach_px + 1;
    cv::dilate(still_edges(grown), near_edges, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(reach, reach)));
    const int outline_px = cv::countNonZero(outline);
    const int outline_at_edges_px = cv::countNonZero(outline & near_edges);
    fill[static_cast<std::size_t>(i)] = outline_at_edges_px < params.max_outline_at_edges_share * outline_px;
    any = any || fill[static_cast<std::size_t>(i)] != 0;
  }
  cv::Mat out = changing.clone();
  if (!any) return out;
  for (int y = 0; y < labels.rows; ++y) {
    const int* row = labels.ptr<int>(y);
    std::uint8_t* o = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (fill[static_cast<std::size_t>(row[x])] != 0) o[x] = 255;
    }
  }
  return out;
}

cv::Mat with_narrow_still_gaps_bridged(const cv::Mat& changing, int max_gap_px, const std::vector<cv::Rect>& keep_out) {
  if (max_gap_px < 2) return changing.clone();
  cv::Mat bridged;
  cv::morphologyEx(changing, bridged, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(max_gap_px, max_gap_px)));
  const cv::Rect frame(cv::Point(0, 0), changing.size());
  for (const cv::Rect& box : keep_out) {
    const cv::Rect inside = box & frame;
    if (inside.area() > 0) changing(inside).copyTo(bridged(inside));
  }
  return bridged;
}

bool strokes_change_with_ground(const cv::Mat& stddev_gray, const cv::Mat& strokes, const GroundSpreadParams& params) {
  cv::Mat fringe, ring;
  cv::dilate(strokes, fringe, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
  const int side = 2 * (params.ring_px + 1) + 1;
  cv::dilate(strokes, ring, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(side, side)));
  ring &= ~fringe;
  const std::vector<float> under = masked_values(stddev_gray, strokes);
  const std::vector<float> around = masked_values(stddev_gray, ring);
  if (under.empty() || around.empty()) return false;
  const double ring_spread_gray = percentile(around, 0.5);
  return ring_spread_gray > params.min_ring_spread_gray && percentile(under, 0.5) >= params.min_share_of_ring * ring_spread_gray;
}

}  // namespace wm::video
