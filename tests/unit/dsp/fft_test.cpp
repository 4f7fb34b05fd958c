#include "dsp/fft.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

namespace wm::dsp {
namespace {

TEST(FftTest, SineLandsInItsBinWithAnalyticMagnitude) {
  constexpr std::size_t n = 1024;
  AlignedFloats in(n);
  AlignedComplex out(n / 2 + 1);
  for (std::size_t i = 0; i < n; ++i) in[i] = 0.5f * std::sin(2.0 * std::numbers::pi * 37.0 * i / n);
  forward_real_fft(n, in.data(), out.data());
  // A sine of amplitude A in bin k has |X[k]| = A * n / 2.
  EXPECT_NEAR(std::abs(out[37]), 0.5 * n / 2, 1e-2);
  EXPECT_LT(std::abs(out[36]), 1e-2);
  EXPECT_LT(std::abs(out[0]), 1e-2);
}

TEST(FftTest, InverseRoundTripsScaledByN) {
  constexpr std::size_t n = 480;  // not a power of two
  AlignedFloats in(n), back(n);
  AlignedComplex bins(n / 2 + 1);
  for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<float>((i * 7919) % 101) / 101.0f - 0.5f;
  std::vector<float> original(in.data(), in.data() + n);
  forward_real_fft(n, in.data(), bins.data());
  inverse_real_fft(n, bins.data(), back.data());
  for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(back[i] / n, original[i], 1e-5);
}

TEST(FftTest, ManyThreadsShareThePlans) {
  constexpr std::size_t n = 2048;
  std::vector<std::thread> threads;
  std::vector<float> peaks(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &peaks] {
      AlignedFloats in(n);
      AlignedComplex out(n / 2 + 1);
      for (int rep = 0; rep < 50; ++rep) {
        for (std::size_t i = 0; i < n; ++i) in[i] = std::cos(2.0 * std::numbers::pi * (10 + t) * i / n);
        forward_real_fft(n, in.data(), out.data());
      }
      peaks[t] = std::abs(out[10 + t]);
    });
  }
  for (auto& th : threads) th.join();
  for (float p : peaks) EXPECT_NEAR(p, n / 2.0, 1e-1);
}

}  // namespace
}  // namespace wm::dsp
