// Static text lines (video.burned_in_text): where to read.
//
// An opaque static element is found as a region that never changed (report_static_ui), but a
// gallery view's labels are often not on one: Zoom and Teams draw the name on a semi-transparent
// box, Meet draws it bare with a shadow, so the camera picture changes right around the letters,
// and the still regions that are left (a gallery's background and tile borders) can be one
// component as large as the frame. What every such label has is its letters: opaque, sharp and
// unchanged in every frame. So the search looks for the strong edges of the temporal mean on
// pixels that never changed, and groups them the way a line of text is built.
#include "video/static_text.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace wm::video {
namespace {

// Union-find over box indices.
int root_of(std::vector<int>& parent, int i) {
  while (parent[static_cast<std::size_t>(i)] != i) {
    parent[static_cast<std::size_t>(i)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(i)])];
    i = parent[static_cast<std::size_t>(i)];
  }
  return i;
}

// Two boxes are neighbours on one line: they overlap vertically by most of the smaller one's
// height, their heights differ by less than a factor of two, and the gap between them is at most
// one and a half times the taller one's height (a proportional font's word space is a third to
// a half of it, a wide font's, such as OpenCV's Hershey, up to its whole height).
bool same_line(const cv::Rect& a, const cv::Rect& b) {
  const int overlap = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  const int low = std::min(a.height, b.height), high = std::max(a.height, b.height);
  if (overlap < 0.6 * low || high > 2 * low) return false;
  const int gap = std::max(a.x, b.x) - std::min(a.x + a.width, b.x + b.width);
  return gap <= 1.5 * high;
}

// Another line of about the same height (within 1.3 x) right above or below `line` (within 1.5
// line heights) that overlaps it horizontally by at least half the narrower one: then both are
// rows of a block of text. (A piece of a tiled mark over a still border beside a label is not.)
bool has_line_neighbour(const cv::Rect& line, const std::vector<cv::Rect>& lines) {
  for (const cv::Rect& other : lines) {
    if (other == line) continue;
    if (std::max(line.height, other.height) > 1.3 * std::min(line.height, other.height)) continue;
    const int horizontal = std::min(line.x + line.width, other.x + other.width) - std::max(line.x, other.x);
    if (horizontal < 0.5 * std::min(line.width, other.width)) continue;
    const int vertical_gap = std::max(line.y, other.y) - std::min(line.y + line.height, other.y + other.height);
    if (vertical_gap < 1.5 * std::max(line.height, other.height)) return true;
  }
  return false;
}

// Whether the letters of `line` themselves stood still. The ground is the box's median level
// (a plate, the picture around bare letters, a page); the ink is what lies far from it on either
// side (a name and its shadow both). Opaque letters change only by the codec's noise, which
// grows with how much the picture around them changes (a 16-px name at CRF 30 on a plate over a
// busy picture: ink 7.8 gray, plate 15): the ink's median temporal spread must stay under
// `max_spread_gray` or under 0.6 of the ground's. The ink of a ghost (the mean of text shown for
// a while and then scrolled away) changed far more than the bare page around it.
bool ink_stood_still(const cv::Mat& mean_gray, const cv::Mat& stddev_gray, const cv::Rect& line, double max_spread_gray) {
  constexpr double kMinInkDistanceGray = 25.0;
  constexpr double kInkShareOfRange = 0.4;
  constexpr double kMaxInkToGroundSpread = 0.6;
  const cv::Mat crop = mean_gray(line);
  std::vector<float> values(crop.begin<float>(), crop.end<float>());
  std::sort(values.begin(), values.end());
  const auto at = [&](double q) { return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))]; };
  const double far = std::max(kMinInkDistanceGray, kInkShareOfRange * (at(0.98) - at(0.02)));
  cv::Mat distance;
  cv::absdiff(crop, cv::Scalar(at(0.5)), distance);
  const cv::Mat ink = distance >= far, ground = distance < 0.5 * far;
  const cv::Mat line_spread = stddev_gray(line);
  // Median of the temporal spread over `mask`; -1 when the mask is empty.
  const auto median_spread = [&](const cv::Mat& mask) {
    std::vector<float> spread;
    for (int y = 0; y < mask.rows; ++y) {
      for (int x = 0; x < mask.cols; ++x) {
        if (mask.at<std::uint8_t>(y, x) != 0) spread.push_back(line_spread.at<float>(y, x));
      }
    }
    if (spread.empty()) return -1.0f;
    std::nth_element(spread.begin(), spread.begin() + static_cast<std::ptrdiff_t>(spread.size() / 2), spread.end());
    return spread[spread.size() / 2];
  };
  const float ink_spread = median_spread(ink);
  if (ink_spread < 0.0f) return false;
  return ink_spread < max_spread_gray || ink_spread < kMaxInkToGroundSpread * median_spread(ground);
}

// 255 where `labels` (CV_32S, from connectedComponents) holds a label marked in `chosen`, else 0:
// one pass over the picture, however many components are chosen.
cv::Mat mask_of_labels(const cv::Mat& labels, const std::vector<std::uint8_t>& chosen) {
  cv::Mat mask(labels.size(), CV_8UC1);
  for (int y = 0; y < labels.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    std::uint8_t* row = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < labels.cols; ++x) row[x] = chosen[static_cast<std::size_t>(label[x])] != 0 ? 255 : 0;
  }
  return mask;
}

// The ink (0 in `binary8`) connected to the picture's edge, as a CV_8UC1 mask.
cv::Mat ink_touching_edges(const cv::Mat& binary8) {
  cv::Mat labels;
  const int count = cv::connectedComponents(binary8 == 0, labels, 8, CV_32S);
  std::vector<std::uint8_t> at_edge(static_cast<std::size_t>(count), 0);
  for (int x = 0; x < labels.cols; ++x) {
    at_edge[static_cast<std::size_t>(labels.at<int>(0, x))] = 1;
    at_edge[static_cast<std::size_t>(labels.at<int>(labels.rows - 1, x))] = 1;
  }
  for (int y = 0; y < labels.rows; ++y) {
    at_edge[static_cast<std::size_t>(labels.at<int>(y, 0))] = 1;
    at_edge[static_cast<std::size_t>(labels.at<int>(y, labels.cols - 1))] = 1;
  }
  if (count > 0) at_edge[0] = 0;  // label 0 is the ground
  return mask_of_labels(labels, at_edge);
}

}  // namespace

cv::Mat straight_runs(const cv::Mat& mask8, int min_length_px) {
  cv::Mat across, down;
  cv::morphologyEx(mask8, across, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(min_length_px, 1)));
  cv::morphologyEx(mask8, down, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, min_length_px)));
  return across | down;
}

std::vector<cv::Rect> find_static_text_lines(const cv::Mat& mean_gray, const cv::Mat& stddev_gray,
                                             const StaticTextParams& params) {
  CV_Assert(mean_gray.type() == CV_32FC1 && stddev_gray.type() == CV_32FC1 && mean_gray.size() == stddev_gray.size());
  cv::Mat dx, dy, magnitude;
  cv::Sobel(mean_gray, dx, CV_32F, 1, 0);
  cv::Sobel(mean_gray, dy, CV_32F, 0, 1);
  cv::magnitude(dx, dy, magnitude);
  cv::Mat strokes = (magnitude > params.min_edge) & (stddev_gray < params.max_spread_gray);
  const int max_height_px = std::max(params.min_height_px, static_cast<int>(params.max_height_fraction * mean_gray.rows));
  cv::Mat labels, stats, centroids;
  // Edges taller than a line or wider than a third of the frame go first (a label box's outline,
  // a gallery's tile borders; a letter's edges are neither): closed together with them, the
  // letters next to them would be lost in one frame-sized piece, or two tiles' labels joined.
  int count = cv::connectedComponentsWithStats(strokes, labels, stats, centroids, 8, CV_32S);
  std::vector<std::uint8_t> too_large(static_cast<std::size_t>(count), 0);
  for (int i = 1; i < count; ++i) {
    too_large[static_cast<std::size_t>(i)] =
        stats.at<int>(i, cv::CC_STAT_HEIGHT) > max_height_px || stats.at<int>(i, cv::CC_STAT_WIDTH) > mean_gray.cols / 3;
  }
  // In one pass, however many such edges (a still screen has many).
  strokes.setTo(0, mask_of_labels(labels, too_large));
  // Straight runs longer than any letter's edge are rules, not text: a tile border that the
  // codec's flicker broke into segments short enough to stay, a plate's or a table's outline.
  // Left in, a segment beside a label joins it to the next tile's label along the border.
  const int rule_length_px = std::max(4 * params.min_height_px, static_cast<int>(0.75 * max_height_px));
  strokes &= ~straight_runs(strokes, rule_length_px);
  // Both edges of a stroke, and the letters of a word, join.
  cv::morphologyEx(strokes, strokes, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 3)));
  count = cv::connectedComponentsWithStats(strokes, labels, stats, centroids, 8, CV_32S);
  std::vector<cv::Rect> pieces;
  for (int i = 1; i < count; ++i) {
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    // Letters and words; dots, accents and single edges are too small to say anything, and a
    // piece taller than a line is a frame, a border or a picture's outline.
    if (box.height < params.min_height_px / 2 || box.height > max_height_px || box.area() < 30) continue;
    pieces.push_back(box);
  }
  std::vector<int> parent(pieces.size());
  std::iota(parent.begin(), parent.end(), 0);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    for (std::size_t j = i + 1; j < pieces.size(); ++j) {
      if (same_line(pieces[i], pieces[j])) parent[static_cast<std::size_t>(root_of(parent, static_cast<int>(i)))] =
          root_of(parent, static_cast<int>(j));
    }
  }
  std::vector<cv::Rect> joined(pieces.size());
  std::vector<bool> used(pieces.size(), false);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const auto r = static_cast<std::size_t>(root_of(parent, static_cast<int>(i)));
    joined[r] = used[r] ? (joined[r] | pieces[i]) : pieces[i];
    used[r] = true;
  }
  std::vector<cv::Rect> lines;
  for (std::size_t i = 0; i < joined.size(); ++i) {
    const cv::Rect& line = joined[i];
    if (!used[i] || line.height < params.min_height_px || line.height > max_height_px) continue;
    if (line.width < params.min_aspect * line.height) continue;
    if (!ink_stood_still(mean_gray, stddev_gray, line, params.max_spread_gray)) continue;
    lines.push_back(line);
  }
  std::vector<cv::Rect> alone;
  for (const cv::Rect& line : lines) {
    if (!has_line_neighbour(line, lines)) alone.push_back(line);
  }
  std::sort(alone.begin(), alone.end(), [](const cv::Rect& a, const cv::Rect& b) { return a.width > b.width; });
  if (static_cast<int>(alone.size()) > params.max_lines) alone.resize(static_cast<std::size_t>(params.max_lines));
  return alone;
}

void clear_ink_touching_edges(cv::Mat& gray8, cv::Mat& binary8) {
  CV_Assert(gray8.type() == CV_8UC1 && binary8.type() == CV_8UC1 && gray8.size() == binary8.size());
  const cv::Mat at_edge = ink_touching_edges(binary8);
  if (cv::countNonZero(at_edge) == 0) return;
  gray8.setTo(cv::Scalar(cv::mean(gray8, binary8)[0]), at_edge);
  binary8.setTo(cv::Scalar(255), at_edge);
}

cv::Rect letters_box(const cv::Mat& binary8) {
  CV_Assert(binary8.type() == CV_8UC1);
  const cv::Mat letters = (binary8 == 0) & ~ink_touching_edges(binary8);
  std::vector<cv::Point> points;
  cv::findNonZero(letters, points);
  return points.empty() ? cv::Rect() : cv::boundingRect(points);
}

}  // namespace wm::video
