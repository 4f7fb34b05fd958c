#include "video/scroll_residual.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include <opencv2/imgproc.hpp>

namespace wm::video {

namespace {

// Two aligned frames agree where they differ by at most this (codec noise, a faint mark's lift);
// an offset holds when at most this share of the overlap disagrees (a strong mark's strokes,
// shown at different page places in the two frames, take 2-5 %; a wrong offset over text far
// more), on at least this share of the frame's rows, and at most this share of the disagreement
// at the best offset elsewhere.
constexpr double kAgreeGray = 16.0;
constexpr double kMaxDisagreeingShare = 0.1;
constexpr double kMinOverlapShare = 0.25;
constexpr double kMaxShareOfRunnerUp = 0.5;
// A picture with too little structure to tell offsets apart (a bare page) gives none.
constexpr double kMinRunnerUpShare = 0.01;
// Offsets kept from the quarter-size search, and how far around each the full frames are tried.
constexpr std::size_t kCoarseCandidates = 4;
constexpr int kRefinePx = 4;
// A page pixel is estimated from at least this many distinct scroll positions (for each of them,
// from the others: two at least).
constexpr int kMinPositions = 3;
// Least-squares weight (sum of squared page-to-colour distances) a screen pixel needs before its
// opacity counts as estimated: one pass of ink 140 gray from the mark's colour, or two of 100.
constexpr double kMinKnownWeight = 2.0e4;
// Runs longer than this many frame heights are not aligned (memory; no recording scrolls that
// far between two of the few dozen frames kept).
constexpr int kMaxPageHeights = 64;

double disagreeing_share(const cv::Mat& earlier, const cv::Mat& later, int offset_px) {
  const int rows = earlier.rows - std::abs(offset_px);
  if (rows < kMinOverlapShare * earlier.rows) return 1.0;
  const cv::Mat a = earlier.rowRange(std::max(0, offset_px), std::max(0, offset_px) + rows);
  const cv::Mat b = later.rowRange(std::max(0, -offset_px), std::max(0, -offset_px) + rows);
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  return cv::countNonZero(diff > kAgreeGray) / static_cast<double>(diff.total());
}

struct Position {
  int offset_px;
  cv::Mat mean;  // CV_32F: the frames shown at this offset, averaged
};

// Adds one run's estimate (positions sorted by offset) to the least-squares sums.
void accumulate_run(const std::vector<Position>& positions, cv::Mat& lighter_num, cv::Mat& lighter_den,
                    cv::Mat& darker_num, cv::Mat& darker_den, const std::function<bool()>& stop) {
  const int height = positions.front().mean.rows, width = positions.front().mean.cols;
  const int first = positions.front().offset_px, last = positions.back().offset_px + height;
  // Per page row: the rows of the positions that show it (their screen row y) and of the sums.
  struct Covering {
    const float* view;
    double* lighter_num;
    double* lighter_den;
    double* darker_num;
    double* darker_den;
  };
  std::vector<Covering> covering;
  std::vector<float> values, sorted;
  for (int page_y = first; page_y < last; ++page_y) {
    if (page_y % 64 == 0 && stop && stop()) return;
    covering.clear();
    for (const Position& p : positions) {
      if (p.offset_px > page_y || page_y >= p.offset_px + height) continue;
      const int y = page_y - p.offset_px;
      covering.push_back({p.mean.ptr<float>(y), lighter_num.ptr<double>(y), lighter_den.ptr<double>(y),
                          darker_num.ptr<double>(y), darker_den.ptr<double>(y)});
    }
    const int n = static_cast<int>(covering.size());
    if (n < kMinPositions) continue;
    values.resize(static_cast<std::size_t>(n));
    for (int x = 0; x < width; ++x) {
      for (int k = 0; k < n; ++k) values[k] = covering[k].view[x];
      sorted = values;
      std::sort(sorted.begin(), sorted.end());
      for (int k = 0; k < n; ++k) {
        // The page under this frame's pixel is the median of the other frames' views of it: a
        // frame's own mark stays out of its page.
        const int rank = static_cast<int>(std::lower_bound(sorted.begin(), sorted.end(), values[k]) - sorted.begin());
        const auto other = [&](int i) { return static_cast<double>(sorted[i < rank ? i : i + 1]); };
        const int others = n - 1;
        const double page = others % 2 == 1 ? other(others / 2) : 0.5 * (other(others / 2 - 1) + other(others / 2));
        const double residual = values[k] - page;
        const double towards_white = 255.0 - page, towards_black = -page;
        const Covering& c = covering[k];
        c.lighter_num[x] += residual * towards_white;
        c.lighter_den[x] += towards_white * towards_white;
        c.darker_num[x] += residual * towards_black;
        c.darker_den[x] += towards_black * towards_black;
      }
    }
  }
}

void estimate(const cv::Mat& num, const cv::Mat& den, cv::Mat& alpha, cv::Mat& weight, cv::Mat& known) {
  alpha = cv::Mat::zeros(num.size(), CV_32F);
  den.convertTo(weight, CV_32F);
  known = cv::Mat::zeros(num.size(), CV_8UC1);
  for (int y = 0; y < num.rows; ++y) {
    for (int x = 0; x < num.cols; ++x) {
      const double d = den.at<double>(y, x);
      if (d <= 0.0) continue;
      alpha.at<float>(y, x) = static_cast<float>(std::clamp(num.at<double>(y, x) / d, -1.0, 1.0));
      if (d >= kMinKnownWeight) known.at<std::uint8_t>(y, x) = 255;
    }
  }
}

}  // namespace

std::optional<int> scroll_offset_px(const cv::Mat& earlier, const cv::Mat& later) {
  if (earlier.empty() || earlier.size() != later.size() || earlier.type() != CV_8UC1 || later.type() != CV_8UC1) {
    return std::nullopt;
  }
  // Every offset is tried on quarter-size copies (mean absolute difference over the overlap);
  // the few best are refined on the full frames. (Phase correlation's window fades out the rows
  // that overlap after a long scroll.)
  cv::Mat a, b;
  cv::resize(earlier, a, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  cv::resize(later, b, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  const int max_small = static_cast<int>((1.0 - kMinOverlapShare) * a.rows);
  std::vector<std::pair<double, int>> coarse;
  for (int d = -max_small; d <= max_small; ++d) {
    const int rows = a.rows - std::abs(d);
    cv::Mat diff;
    cv::absdiff(a.rowRange(std::max(0, d), std::max(0, d) + rows), b.rowRange(std::max(0, -d), std::max(0, -d) + rows),
                diff);
    coarse.push_back({cv::mean(diff)[0], d});
  }
  std::sort(coarse.begin(), coarse.end());
  std::set<int> candidates = {0};
  for (std::size_t k = 0; k < std::min<std::size_t>(kCoarseCandidates, coarse.size()); ++k) {
    for (int d = -kRefinePx; d <= kRefinePx; ++d) candidates.insert(4 * coarse[k].second + d);
  }
  // The offset must also stand out: on a sparse page two unrelated views disagree on little more
  // than their ink, so the best offset is compared with the best one at least 3 rows away.
  std::vector<std::pair<double, int>> shares;
  for (const int offset : candidates) shares.push_back({disagreeing_share(earlier, later, offset), offset});
  std::sort(shares.begin(), shares.end());
  const auto [best_share, best] = shares.front();
  double runner_up = 1.0;
  for (const auto& [share, offset] : shares) {
    if (std::abs(offset - best) >= 3) {
      runner_up = share;
      break;
    }
  }
  if (best_share > kMaxDisagreeingShare || best_share > kMaxShareOfRunnerUp * runner_up ||
      runner_up < kMinRunnerUpShare) {
    return std::nullopt;
  }
  return best;
}

std::optional<ScrollResidual> compute_scroll_residual(const std::vector<cv::Mat>& frames,
                                                      const std::vector<double>& times_s,
                                                      const std::function<bool()>& stop) {
  if (frames.size() < static_cast<std::size_t>(kMinPositions) || frames.size() != times_s.size()) return std::nullopt;
  std::vector<std::size_t> order(frames.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return times_s[i] < times_s[j]; });

  // Runs of frames linked by offsets; in each, the frames at one offset averaged.
  std::vector<std::map<int, std::vector<std::size_t>>> runs(1);
  int offset_px = 0;
  runs.back()[0].push_back(order.front());
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (stop && stop()) return std::nullopt;
    const std::optional<int> step = scroll_offset_px(frames[order[k - 1]], frames[order[k]]);
    if (step) {
      offset_px += *step;
    } else {
      runs.emplace_back();
      offset_px = 0;
    }
    runs.back()[offset_px].push_back(order[k]);
  }

  const cv::Size size = frames.front().size();
  cv::Mat lighter_num = cv::Mat::zeros(size, CV_64F), lighter_den = cv::Mat::zeros(size, CV_64F);
  cv::Mat darker_num = cv::Mat::zeros(size, CV_64F), darker_den = cv::Mat::zeros(size, CV_64F);
  ScrollResidual out;
  for (const auto& run : runs) {
    if (run.size() < static_cast<std::size_t>(kMinPositions)) continue;
    if (run.rbegin()->first - run.begin()->first > kMaxPageHeights * size.height) continue;
    std::vector<Position> positions;
    for (const auto& [offset, members] : run) {
      cv::Mat sum = cv::Mat::zeros(size, CV_32F);
      for (const std::size_t i : members) cv::accumulate(frames[i], sum);
      positions.push_back({offset, sum / static_cast<double>(members.size())});
    }
    accumulate_run(positions, lighter_num, lighter_den, darker_num, darker_den, stop);
    if (stop && stop()) return std::nullopt;
    out.scroll_positions += static_cast<int>(positions.size());
  }
  if (out.scroll_positions == 0) return std::nullopt;
  estimate(lighter_num, lighter_den, out.lighter_alpha, out.lighter_weight, out.lighter_known);
  estimate(darker_num, darker_den, out.darker_alpha, out.darker_weight, out.darker_known);
  return out;
}

cv::Mat pooled_alpha(const cv::Mat& alpha, const cv::Mat& weight, double sigma_px) {
  cv::Mat weighted, pooled_weight;
  cv::GaussianBlur(alpha.mul(weight), weighted, cv::Size(), sigma_px);
  cv::GaussianBlur(weight, pooled_weight, cv::Size(), sigma_px);
  // Under a tenth of a gray level's square of weight there is nothing to estimate from.
  return weighted / cv::max(pooled_weight, 0.1);
}

}  // namespace wm::video
