// Consistent-gradient statistics (Dekel et al., "On the Effectiveness of Visible Watermarks",
// CVPR 2017, section 3): across frames whose content differs, the only image gradients that
// stay put are those of an overlay, so the per-pixel median of the gradients converges to the
// overlay's gradient where the content varies, and to the content's own gradient where it
// does not (those pixels are told apart later by the temporal spread).
//
// Memory is bounded by the reservoir: capacity x width x height bytes of frames; the medians
// are computed row by row with one N-value scratch per pixel.
// What it cannot see: an overlay over content that never changes (its gradients look like
// content), or content that repeats identically in more than half of the kept frames.
#include "video/gradient_stats.h"

#include "dsp/order_statistics.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <opencv2/imgproc.hpp>

namespace wm::video {

FrameReservoir::FrameReservoir(int capacity, double min_change_gray, std::uint32_t seed)
    : capacity_(std::max(capacity, 1)), min_change_gray_(min_change_gray), rng_(seed) {}

void FrameReservoir::offer(const cv::Mat& gray8, double pts_s) {
  if (offered_ == 0) first_pts_s_ = pts_s;
  ++offered_;
  last_pts_s_ = std::max(last_pts_s_, pts_s);
  if (!frames_.empty() && frames_.front().size() != gray8.size()) return;  // size change: keep the first
  cv::Mat thumb;
  cv::resize(gray8, thumb, cv::Size(std::max(1, gray8.cols / 8), std::max(1, gray8.rows / 8)), 0, 0,
             cv::INTER_AREA);
  if (!last_thumb_.empty()) {
    const double change = cv::norm(thumb, last_thumb_, cv::NORM_L1) / static_cast<double>(thumb.total());
    if (change < min_change_gray_) return;
  }
  last_thumb_ = thumb;
  ++distinct_;
  if (static_cast<int>(frames_.size()) < capacity_) {
    frames_.push_back(gray8.clone());
    pts_s_.push_back(pts_s);
    return;
  }
  std::uniform_int_distribution<int> pick(0, distinct_ - 1);
  const int slot = pick(rng_);
  if (slot < capacity_) {
    frames_[static_cast<std::size_t>(slot)] = gray8.clone();
    pts_s_[static_cast<std::size_t>(slot)] = pts_s;
  }
}

namespace {

// Differences of 8-bit pixels are integers in [-255, 255]: the median works on 16-bit values
// (half the memory traffic of floats).
float median_of(std::vector<std::int16_t>& values) {
  const std::size_t n = values.size();
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (n % 2 == 1) return *mid;
  const int upper = *mid;
  const int lower = *std::max_element(values.begin(), mid);
  return 0.5f * static_cast<float>(lower + upper);
}

}  // namespace

GradientStatistics compute_gradient_statistics(const std::vector<cv::Mat>& frames, const std::function<bool()>& stop) {
  GradientStatistics out;
  if (frames.empty()) return out;
  const int rows = frames.front().rows, cols = frames.front().cols;
  const std::size_t n = frames.size();
  out.frame_count = static_cast<int>(n);
  out.median_gx = cv::Mat::zeros(rows, cols, CV_32F);
  out.median_gy = cv::Mat::zeros(rows, cols, CV_32F);
  out.mean_gray = cv::Mat::zeros(rows, cols, CV_32F);
  out.stddev_gray = cv::Mat::zeros(rows, cols, CV_32F);
  out.dark_gray = cv::Mat::zeros(rows, cols, CV_32F);
  out.bright_gray = cv::Mat::zeros(rows, cols, CV_32F);
  std::vector<std::int16_t> gx(n), gy(n);
  std::vector<const std::uint8_t*> row(n), below(n);
  for (int y = 0; y < rows; ++y) {
    if (stop && stop()) return GradientStatistics{};
    for (std::size_t k = 0; k < n; ++k) {
      row[k] = frames[k].ptr<std::uint8_t>(y);
      below[k] = frames[k].ptr<std::uint8_t>(std::min(y + 1, rows - 1));
    }
    float* mx = out.median_gx.ptr<float>(y);
    float* my = out.median_gy.ptr<float>(y);
    float* mean = out.mean_gray.ptr<float>(y);
    float* sd = out.stddev_gray.ptr<float>(y);
    float* dark = out.dark_gray.ptr<float>(y);
    float* bright = out.bright_gray.ptr<float>(y);
    for (int x = 0; x < cols; ++x) {
      std::int64_t sum = 0, sum_sq = 0;
      int darkest = 256, second_darkest = 256, brightest = -1, second_brightest = -1;
      for (std::size_t k = 0; k < n; ++k) {
        const int v = row[k][x];
        sum += v;
        sum_sq += v * v;
        if (v < darkest) {
          second_darkest = darkest;
          darkest = v;
        } else if (v < second_darkest) {
          second_darkest = v;
        }
        if (v > brightest) {
          second_brightest = brightest;
          brightest = v;
        } else if (v > second_brightest) {
          second_brightest = v;
        }
        gx[k] = static_cast<std::int16_t>(x + 1 < cols ? row[k][x + 1] - v : 0);
        gy[k] = static_cast<std::int16_t>(y + 1 < rows ? below[k][x] - v : 0);
      }
      const double m = static_cast<double>(sum) / static_cast<double>(n);
      mean[x] = static_cast<float>(m);
      sd[x] = static_cast<float>(std::sqrt(std::max(0.0, static_cast<double>(sum_sq) / static_cast<double>(n) - m * m)));
      mx[x] = median_of(gx);
      my[x] = median_of(gy);
      dark[x] = static_cast<float>(n > 1 ? second_darkest : darkest);
      bright[x] = static_cast<float>(n > 1 ? second_brightest : brightest);
    }
  }
  return out;
}

namespace {

// Row y of `frame` smoothed by the 3 x 3 binomial kernel (1 2 1) x (1 2 1), borders replicated:
// 16 times the smoothed gray level, exact in 16 bits (at most 16 x 255).
void smooth_row(const cv::Mat& frame, int y, std::vector<std::int16_t>& out, std::vector<int>& vertical) {
  const int rows = frame.rows, cols = frame.cols;
  const std::uint8_t* above = frame.ptr<std::uint8_t>(std::max(y - 1, 0));
  const std::uint8_t* row = frame.ptr<std::uint8_t>(y);
  const std::uint8_t* below = frame.ptr<std::uint8_t>(std::min(y + 1, rows - 1));
  for (int x = 0; x < cols; ++x) vertical[x] = above[x] + 2 * row[x] + below[x];
  for (int x = 0; x < cols; ++x) {
    const int left = vertical[std::max(x - 1, 0)], right = vertical[std::min(x + 1, cols - 1)];
    out[x] = static_cast<std::int16_t>(left + 2 * vertical[x] + right);
  }
}

}  // namespace

MedianGradients compute_smoothed_median_gradients(const std::vector<cv::Mat>& frames, const std::function<bool()>& stop) {
  static constexpr float kScale = 16.0f;  // the kernel's weights sum to 16
  MedianGradients out;
  if (frames.empty()) return out;
  const int rows = frames.front().rows, cols = frames.front().cols;
  const std::size_t n = frames.size();
  out.gx = cv::Mat::zeros(rows, cols, CV_32F);
  out.gy = cv::Mat::zeros(rows, cols, CV_32F);
  // Two smoothed rows per frame (this one and the one below), rolled down the picture.
  std::vector<std::vector<std::int16_t>> current(n, std::vector<std::int16_t>(cols));
  std::vector<std::vector<std::int16_t>> next(n, std::vector<std::int16_t>(cols));
  std::vector<int> vertical(cols);
  for (std::size_t k = 0; k < n; ++k) smooth_row(frames[k], 0, current[k], vertical);
  std::vector<std::int16_t> gx(n), gy(n);
  for (int y = 0; y < rows; ++y) {
    if (stop && stop()) return MedianGradients{};
    const bool has_below = y + 1 < rows;
    if (has_below) {
      for (std::size_t k = 0; k < n; ++k) smooth_row(frames[k], y + 1, next[k], vertical);
    }
    float* mx = out.gx.ptr<float>(y);
    float* my = out.gy.ptr<float>(y);
    for (int x = 0; x < cols; ++x) {
      for (std::size_t k = 0; k < n; ++k) {
        const int v = current[k][x];
        gx[k] = static_cast<std::int16_t>(x + 1 < cols ? current[k][x + 1] - v : 0);
        gy[k] = static_cast<std::int16_t>(has_below ? next[k][x] - v : 0);
      }
      mx[x] = median_of(gx) / kScale;
      my[x] = median_of(gy) / kScale;
    }
    std::swap(current, next);
  }
  return out;
}

std::vector<cv::Mat> local_levels(const std::vector<cv::Mat>& frames, int window_px) {
  std::vector<cv::Mat> out(frames.size());
  const int window = std::max(1, window_px);
  for (std::size_t k = 0; k < frames.size(); ++k) {
    cv::blur(frames[k], out[k], cv::Size(window, window), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  }
  return out;
}

double share_on_both_sides(const std::vector<cv::Mat>& levels, int mark_gray, int margin_gray, const cv::Mat& mask) {
  if (levels.empty()) return 0.0;
  const std::size_t n = levels.size();
  const std::size_t min_frames = std::max<std::size_t>(1, (n + 4) / 5);
  std::size_t counted = 0, both = 0;
  for (int y = 0; y < mask.rows; ++y) {
    const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < mask.cols; ++x) {
      if (m[x] == 0) continue;
      ++counted;
      std::size_t below = 0, above = 0;
      for (const cv::Mat& level : levels) {
        const int v = level.ptr<std::uint8_t>(y)[x];
        below += v < mark_gray - margin_gray ? 1 : 0;
        above += v > mark_gray + margin_gray ? 1 : 0;
      }
      both += below >= min_frames && above >= min_frames ? 1 : 0;
    }
  }
  return counted == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(counted);
}

MedianGradients compute_oriented_median_gradients(const std::vector<cv::Mat>& frames, const std::vector<cv::Mat>& levels,
                                                  int mark_gray, int margin_gray, const std::function<bool()>& stop) {
  static constexpr std::size_t kMinFrames = 4;
  MedianGradients out;
  if (frames.empty() || levels.size() != frames.size()) return out;
  const int rows = frames.front().rows, cols = frames.front().cols;
  const std::size_t n = frames.size();
  out.gx = cv::Mat::zeros(rows, cols, CV_32F);
  out.gy = cv::Mat::zeros(rows, cols, CV_32F);
  std::vector<std::int16_t> gx, gy;
  gx.reserve(n);
  gy.reserve(n);
  for (int y = 0; y < rows; ++y) {
    if (stop && stop()) return MedianGradients{};
    float* mx = out.gx.ptr<float>(y);
    float* my = out.gy.ptr<float>(y);
    for (int x = 0; x < cols; ++x) {
      gx.clear();
      gy.clear();
      for (std::size_t k = 0; k < n; ++k) {
        const int level = levels[k].ptr<std::uint8_t>(y)[x];
        if (std::abs(level - mark_gray) <= margin_gray) continue;
        const int sign = level < mark_gray ? 1 : -1;
        const std::uint8_t* row = frames[k].ptr<std::uint8_t>(y);
        const int v = row[x];
        gx.push_back(static_cast<std::int16_t>(x + 1 < cols ? sign * (row[x + 1] - v) : 0));
        gy.push_back(static_cast<std::int16_t>(y + 1 < rows ? sign * (frames[k].ptr<std::uint8_t>(y + 1)[x] - v) : 0));
      }
      if (gx.size() < kMinFrames) continue;
      mx[x] = median_of(gx);
      my[x] = median_of(gy);
    }
  }
  return out;
}

void forward_differences(const cv::Mat& image, cv::Mat& gx, cv::Mat& gy) {
  gx = cv::Mat::zeros(image.size(), CV_32F);
  gy = cv::Mat::zeros(image.size(), CV_32F);
  for (int y = 0; y < image.rows; ++y) {
    const float* row = image.ptr<float>(y);
    const float* below = image.ptr<float>(std::min(y + 1, image.rows - 1));
    float* dx = gx.ptr<float>(y);
    float* dy = gy.ptr<float>(y);
    for (int x = 0; x + 1 < image.cols; ++x) dx[x] = row[x + 1] - row[x];
    if (y + 1 < image.rows) {
      for (int x = 0; x < image.cols; ++x) dy[x] = below[x] - row[x];
    }
  }
}

void known_differences(const cv::Mat& image, const cv::Mat& known, cv::Mat& gx, cv::Mat& gy) {
  forward_differences(image, gx, gy);
  cv::Mat known_right = cv::Mat::zeros(known.size(), CV_8UC1), known_below = cv::Mat::zeros(known.size(), CV_8UC1);
  if (known.cols > 1) known.colRange(1, known.cols).copyTo(known_right.colRange(0, known.cols - 1));
  if (known.rows > 1) known.rowRange(1, known.rows).copyTo(known_below.rowRange(0, known.rows - 1));
  gx.setTo(0, (known == 0) | (known_right == 0));
  gy.setTo(0, (known == 0) | (known_below == 0));
}

void median_forward_differences(const std::vector<cv::Mat>& frames, const std::vector<std::size_t>& chosen,
                                const cv::Rect& box, cv::Mat& gx, cv::Mat& gy) {
  const cv::Size size = frames.empty() ? cv::Size() : frames.front().size();
  gx = cv::Mat::zeros(size, CV_32F);
  gy = cv::Mat::zeros(size, CV_32F);
  const cv::Rect inside = box & cv::Rect(0, 0, size.width, size.height);
  std::vector<const cv::Mat*> picked;
  for (const std::size_t i : chosen) {
    if (i < frames.size()) picked.push_back(&frames[i]);
  }
  if (picked.empty() || inside.area() == 0) return;
  std::vector<float> dx(picked.size()), dy(picked.size());
  for (int y = inside.y; y < inside.y + inside.height; ++y) {
    for (int x = inside.x; x < inside.x + inside.width; ++x) {
      for (std::size_t k = 0; k < picked.size(); ++k) {
        const cv::Mat& f = *picked[k];
        const int v = f.at<std::uint8_t>(y, x);
        dx[k] = x + 1 < f.cols ? static_cast<float>(f.at<std::uint8_t>(y, x + 1) - v) : 0.0f;
        dy[k] = y + 1 < f.rows ? static_cast<float>(f.at<std::uint8_t>(y + 1, x) - v) : 0.0f;
      }
      gx.at<float>(y, x) = dsp::upper_median(dx.data(), dx.size());
      gy.at<float>(y, x) = dsp::upper_median(dy.data(), dy.size());
    }
  }
}

std::vector<double> mark_presence(const std::vector<cv::Mat>& frames, const cv::Mat& mark_gx, const cv::Mat& mark_gy,
                                  const cv::Mat& mask) {
  std::vector<double> out;
  out.reserve(frames.size());
  std::vector<cv::Point> points;
  cv::findNonZero(mask, points);
  double energy = 0.0;
  for (const cv::Point& p : points) {
    const double mx = mark_gx.at<float>(p), my = mark_gy.at<float>(p);
    energy += mx * mx + my * my;
  }
  for (const cv::Mat& f : frames) {
    if (energy <= 0.0) {
      out.push_back(0.0);
      continue;
    }
    double dot = 0.0;
    for (const cv::Point& p : points) {
      const int v = f.at<std::uint8_t>(p);
      const int dx = p.x + 1 < f.cols ? f.at<std::uint8_t>(p.y, p.x + 1) - v : 0;
      const int dy = p.y + 1 < f.rows ? f.at<std::uint8_t>(p.y + 1, p.x) - v : 0;
      dot += dx * static_cast<double>(mark_gx.at<float>(p)) + dy * static_cast<double>(mark_gy.at<float>(p));
    }
    out.push_back(dot / energy);
  }
  return out;
}

bool shown_in_turn(const std::vector<double>& presence_a, const std::vector<double>& presence_b, double threshold,
                   std::size_t min_frames) {
  std::size_t a = 0, b = 0, both = 0;
  for (std::size_t i = 0; i < presence_a.size() && i < presence_b.size(); ++i) {
    const bool in_a = presence_a[i] >= threshold, in_b = presence_b[i] >= threshold;
    a += in_a ? 1 : 0;
    b += in_b ? 1 : 0;
    both += in_a && in_b ? 1 : 0;
  }
  return a >= min_frames && b >= min_frames && 4 * both <= std::min(a, b);
}

std::vector<PresenceRange> presence_ranges(const std::vector<double>& pts_s, const std::vector<double>& presence,
                                           double threshold, double first_s, double last_s) {
  std::vector<std::pair<double, bool>> timeline;
  for (std::size_t i = 0; i < pts_s.size() && i < presence.size(); ++i) {
    timeline.emplace_back(pts_s[i], presence[i] >= threshold);
  }
  std::sort(timeline.begin(), timeline.end());
  // A lone frame that disagrees with both its neighbours is taken to agree: over busy content a
  // faint line's presence measure flickers from frame to frame (the page's strokes now match the
  // mark's, now oppose them), and a mark shown or hidden for one sampled frame only is no segment.
  // In place, from the first frame on: a flicker mended counts as mended for the next frame, so
  // an alternating stretch settles instead of flipping.
  for (std::size_t i = 1; i + 1 < timeline.size(); ++i) {
    if (timeline[i - 1].second == timeline[i + 1].second) timeline[i].second = timeline[i - 1].second;
  }
  std::vector<PresenceRange> out;
  for (std::size_t i = 0; i < timeline.size();) {
    if (!timeline[i].second) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < timeline.size() && timeline[j + 1].second) ++j;
    PresenceRange r;
    r.start_s = i == 0 ? first_s : 0.5 * (timeline[i - 1].first + timeline[i].first);
    r.end_s = j + 1 == timeline.size() ? last_s : 0.5 * (timeline[j].first + timeline[j + 1].first);
    out.push_back(r);
    i = j + 1;
  }
  return out;
}

}  // namespace wm::video
