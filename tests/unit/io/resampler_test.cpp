#include "io/resampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "io_test_util.h"

namespace wm::io {
namespace {

TEST(Resampler, KeepsFrequencyAndLengthAcrossRates) {
  constexpr int kIn = 48000, kOut = 44100, kChannels = 2;
  const std::size_t frames = kIn * 2;
  std::vector<float> in(frames * kChannels);
  for (std::size_t i = 0; i < frames; ++i) {
    in[i * 2] = 0.5f * static_cast<float>(std::sin(2.0 * std::numbers::pi * 1000.0 * i / kIn));
    in[i * 2 + 1] = 0.25f * static_cast<float>(std::sin(2.0 * std::numbers::pi * 3000.0 * i / kIn));
  }
  auto resampler = Resampler::create(kChannels, kIn, kOut);
  ASSERT_TRUE(resampler.is_ok()) << resampler.status().message();
  std::vector<float> out;
  for (std::size_t at = 0; at < frames; at += 1000) {
    const std::size_t n = std::min<std::size_t>(1000, frames - at);
    ASSERT_TRUE(resampler->process(in.data() + at * kChannels, n, out).is_ok());
  }
  ASSERT_TRUE(resampler->flush(out).is_ok());
  const std::size_t out_frames = out.size() / kChannels;
  EXPECT_NEAR(static_cast<double>(out_frames), kOut * 2.0, 64.0);
  const auto left = testing::channel_of(out, kChannels, 0);
  const auto right = testing::channel_of(out, kChannels, 1);
  EXPECT_NEAR(testing::tone_amplitude(left, kOut, 1000.0, 4410, 44100), 0.5, 0.01);
  EXPECT_NEAR(testing::tone_amplitude(right, kOut, 3000.0, 4410, 44100), 0.25, 0.01);
  EXPECT_LT(testing::tone_amplitude(left, kOut, 3000.0, 4410, 44100), 0.005);
  EXPECT_FALSE(resampler->process(in.data(), 10, out).is_ok());  // after flush
}

TEST(Resampler, RejectsBadArguments) {
  EXPECT_EQ(Resampler::create(0, 48000, 44100).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Resampler::create(2, 0, 44100).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Resampler::create(2, 48000, 900000).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wm::io
