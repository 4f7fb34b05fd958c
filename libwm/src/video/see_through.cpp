#include "video/see_through.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "video/matte.h"

namespace wm::video {
namespace {

// A slab needs this many core pixels and ground pixels to be compared.
constexpr int kMinSlabCorePx = 4;
constexpr int kMinSlabGroundPx = 8;

}  // namespace

SeeThrough measure_see_through(const std::vector<cv::Mat>& frames, const cv::Mat& mean_gray, const cv::Rect& letters,
                               const SeeThroughParams& params) {
  SeeThrough result;
  const cv::Rect frame_rect(0, 0, mean_gray.cols, mean_gray.rows);
  const int pad_px = std::max(3, letters.height / 2);
  const cv::Rect crop = (letters + cv::Size(2 * pad_px, 2 * pad_px) - cv::Point(pad_px, pad_px)) & frame_rect;
  if (frames.size() < 4 || crop.width < 8 || crop.height < 8) return result;

  // The letters' ink: the minority of the mean's Otsu split (dark letters on light ground or
  // the other way round); the ground: what lies more than two pixels from any ink.
  cv::Mat mean8;
  mean_gray(crop).convertTo(mean8, CV_8U);
  cv::Mat ink;
  cv::threshold(mean8, ink, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (cv::countNonZero(ink) > static_cast<int>(ink.total() / 2)) ink = ~ink;
  cv::Mat near_ink;
  cv::dilate(ink, near_ink, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  const cv::Mat ground = ~near_ink;
  if (cv::countNonZero(ground) < kMinSlabGroundPx || cv::countNonZero(ink) < kMinSlabCorePx) return result;

  // The cores: the ink pixels farthest from the ground's gray in the mean.
  const double ground_gray = cv::mean(mean_gray(crop), ground)[0];
  const cv::Mat contrast = cv::abs(mean_gray(crop) - ground_gray);
  const double core_min = percentile(masked_values(contrast, ink), 1.0 - params.core_share);
  const cv::Mat core = ink & (contrast >= core_min);

  // Per slab and frame, the cores' and the ground's mean gray.
  const int slab_px = std::max(8, letters.height);
  struct Slab {
    cv::Rect box;  // in the crop
    std::vector<double> core_gray, ground_gray;
  };
  std::vector<Slab> slabs;
  for (int x = 0; x < crop.width; x += slab_px) {
    const cv::Rect box(x, 0, std::min(slab_px, crop.width - x), crop.height);
    if (cv::countNonZero(core(box)) >= kMinSlabCorePx && cv::countNonZero(ground(box)) >= kMinSlabGroundPx) {
      slabs.push_back({box, {}, {}});
    }
  }
  if (slabs.size() < 2) return result;
  for (const cv::Mat& f : frames) {
    cv::Mat patch;
    f(crop).convertTo(patch, CV_32F);
    for (Slab& s : slabs) {
      s.core_gray.push_back(cv::mean(patch(s.box), core(s.box))[0]);
      s.ground_gray.push_back(cv::mean(patch(s.box), ground(s.box))[0]);
    }
  }

  // One least-squares slope over every slab's changes about its own means.
  double sum_cg = 0.0, sum_gg = 0.0, sum_cc = 0.0, sum_core = 0.0, sum_ground = 0.0;
  std::size_t n = 0;
  for (const Slab& s : slabs) {
    const std::size_t frames_n = s.core_gray.size();
    double mc = 0.0, mg = 0.0;
    for (std::size_t t = 0; t < frames_n; ++t) {
      mc += s.core_gray[t];
      mg += s.ground_gray[t];
    }
    mc /= static_cast<double>(frames_n);
    mg /= static_cast<double>(frames_n);
    sum_core += mc;
    sum_ground += mg;
    for (std::size_t t = 0; t < frames_n; ++t) {
      const double dc = s.core_gray[t] - mc, dg = s.ground_gray[t] - mg;
      sum_cg += dc * dg;
      sum_gg += dg * dg;
      sum_cc += dc * dc;
      ++n;
    }
  }
  result.ground_spread_gray = std::sqrt(sum_gg / static_cast<double>(n));
  if (result.ground_spread_gray < params.min_ground_spread_gray) return result;
  result.measured = true;
  const double slope = sum_cg / sum_gg;
  // Letters that never changed (opaque, without noise) do not follow the ground at all.
  result.correlation = sum_cc > 0.0 ? sum_cg / std::sqrt(sum_gg * sum_cc) : 0.0;
  result.alpha = std::clamp(1.0 - slope, 0.0, 1.0);
  if (result.alpha > kMinColourAlpha) {
    const double core_mean = sum_core / static_cast<double>(slabs.size());
    const double ground_mean = sum_ground / static_cast<double>(slabs.size());
    result.colour_gray = std::clamp((core_mean - (1.0 - result.alpha) * ground_mean) / result.alpha, 0.0, 255.0);
  }
  return result;
}

}  // namespace wm::video
