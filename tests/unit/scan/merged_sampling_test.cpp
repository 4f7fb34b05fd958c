// One decode pass serves every video detector: the merged sampling request must give each of
// them at least what it asked for (frames as dense, pictures as wide, colour when wanted, every
// frame when one needs every frame). Only one video detector is built today, so the rule is
// checked here with stand-ins.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "scan/families.h"

namespace wm::scan {
namespace {

class StandInDetector final : public core::VideoDetector {
 public:
  explicit StandInDetector(const core::VideoSamplingRequest& request) : request_(request) {}
  core::VideoSamplingRequest sampling() const override { return request_; }
  Status start(const core::VideoStreamFormat&) override { return Status::ok(); }
  Status feed(const FrameView&) override { return Status::ok(); }
  core::DetectorOutput finish(bool) override { return {}; }

 private:
  core::VideoSamplingRequest request_;
};

core::VideoSamplingRequest request(double interval_s, int width_px, PixelFormat format, core::FrameChoice frames,
                                   int min_keyframes = 0, int max_frames = 0) {
  core::VideoSamplingRequest r;
  r.min_interval_s = interval_s;
  r.max_width_px = width_px;
  r.format = format;
  r.frames = frames;
  r.min_indexed_keyframes = min_keyframes;
  r.max_frames = max_frames;
  return r;
}

core::VideoSamplingRequest merge(const std::vector<core::VideoSamplingRequest>& requests) {
  std::vector<std::unique_ptr<core::VideoDetector>> detectors;
  for (const auto& r : requests) detectors.push_back(std::make_unique<StandInDetector>(r));
  return merged_sampling(detectors);
}

TEST(MergedSamplingTest, OneDetectorGetsExactlyItsRequest) {
  const auto r = merge({request(0.5, 1280, PixelFormat::kGray8, core::FrameChoice::kKeyframesWhenIndexed, 40, 7)});
  EXPECT_DOUBLE_EQ(r.min_interval_s, 0.5);
  EXPECT_EQ(r.max_width_px, 1280);
  EXPECT_EQ(r.format, PixelFormat::kGray8);
  EXPECT_EQ(r.frames, core::FrameChoice::kKeyframesWhenIndexed);
  EXPECT_EQ(r.min_indexed_keyframes, 40);
  EXPECT_EQ(r.max_frames, 7);
}

TEST(MergedSamplingTest, DensestWidestAndColourWin) {
  const auto r = merge({request(0.5, 640, PixelFormat::kGray8, core::FrameChoice::kAll, 0, 10),
                        request(0.2, 1920, PixelFormat::kBgr24, core::FrameChoice::kAll, 0, 30)});
  EXPECT_DOUBLE_EQ(r.min_interval_s, 0.2);
  EXPECT_EQ(r.max_width_px, 1920);
  EXPECT_EQ(r.format, PixelFormat::kBgr24);
  EXPECT_EQ(r.max_frames, 30);
  // A detector without a frame limit lifts the limit for all.
  EXPECT_EQ(merge({request(0.5, 640, PixelFormat::kGray8, core::FrameChoice::kAll, 0, 10),
                   request(0.5, 640, PixelFormat::kGray8, core::FrameChoice::kAll, 0, 0)})
                .max_frames,
            0);
}

TEST(MergedSamplingTest, FramesAreScaledDownByNoMoreThanTheLimitWithinTheMaximumWidth) {
  core::VideoSamplingRequest r;  // defaults: at most 1280 wide, by any factor
  EXPECT_EQ(core::analysed_width_px(r, 640), 640);
  EXPECT_EQ(core::analysed_width_px(r, 3840), 1280);
  // The video family's: 1280, halved at most, never over 1920.
  r.scaled_width_px = 1280;
  r.max_scale_down = 2.0;
  r.max_width_px = 1920;
  EXPECT_EQ(core::analysed_width_px(r, 1280), 1280);
  EXPECT_EQ(core::analysed_width_px(r, 1920), 1280);
  EXPECT_EQ(core::analysed_width_px(r, 2560), 1280);
  EXPECT_EQ(core::analysed_width_px(r, 2880), 1440);
  EXPECT_EQ(core::analysed_width_px(r, 3842), 1920);  // 1921, over the maximum
  EXPECT_EQ(core::analysed_width_px(r, 3840), 1920);
  EXPECT_EQ(core::analysed_width_px(r, 5120), 1920);
  // A maximum under the scaled width wins (a user asking for small, fast frames).
  r.max_width_px = 320;
  EXPECT_EQ(core::analysed_width_px(r, 3840), 320);
  EXPECT_EQ(core::analysed_width_px(r, 200), 200);
}

TEST(MergedSamplingTest, TheLeastScalingDownAndTheWidestFramesWin) {
  core::VideoSamplingRequest a = request(0.5, 1920, PixelFormat::kGray8, core::FrameChoice::kAll);
  a.scaled_width_px = 1280;
  a.max_scale_down = 2.0;
  core::VideoSamplingRequest b = request(0.5, 1280, PixelFormat::kGray8, core::FrameChoice::kAll);
  b.max_scale_down = 1.5;  // its scaled width is its maximum, 1280
  const auto r = merge({a, b});
  EXPECT_EQ(r.max_width_px, 1920);
  EXPECT_EQ(r.scaled_width_px, 1280);
  EXPECT_DOUBLE_EQ(r.max_scale_down, 1.5);
  EXPECT_EQ(core::analysed_width_px(r, 3840), 1920);
  EXPECT_EQ(core::analysed_width_px(r, 2400), 1600);
  // A detector that lets frames shrink by any factor does not lift another's limit.
  const auto c = merge({request(0.5, 640, PixelFormat::kGray8, core::FrameChoice::kAll), a});
  EXPECT_DOUBLE_EQ(c.max_scale_down, 2.0);
}

TEST(MergedSamplingTest, TheDetectorNeedingMostFramesDecidesWhichAreDecoded) {
  using core::FrameChoice;
  const auto gray = PixelFormat::kGray8;
  // Every frame beats key frames, in either order.
  EXPECT_EQ(merge({request(0.5, 640, gray, FrameChoice::kKeyframes), request(0.5, 640, gray, FrameChoice::kAll)}).frames,
            FrameChoice::kAll);
  EXPECT_EQ(merge({request(0.5, 640, gray, FrameChoice::kAll), request(0.5, 640, gray, FrameChoice::kKeyframesWhenIndexed, 40)})
                .frames,
            FrameChoice::kAll);
  // "Key frames when the index lists enough" beats "key frames always", with its own count;
  // two such requests keep the larger count.
  const auto k = merge({request(0.5, 640, gray, FrameChoice::kKeyframes),
                        request(0.5, 640, gray, FrameChoice::kKeyframesWhenIndexed, 40)});
  EXPECT_EQ(k.frames, FrameChoice::kKeyframesWhenIndexed);
  EXPECT_EQ(k.min_indexed_keyframes, 40);
  const auto kk = merge({request(0.5, 640, gray, FrameChoice::kKeyframesWhenIndexed, 40),
                         request(0.5, 640, gray, FrameChoice::kKeyframesWhenIndexed, 90),
                         request(0.5, 640, gray, FrameChoice::kKeyframes)});
  EXPECT_EQ(kk.frames, FrameChoice::kKeyframesWhenIndexed);
  EXPECT_EQ(kk.min_indexed_keyframes, 90);
}

}  // namespace
}  // namespace wm::scan
