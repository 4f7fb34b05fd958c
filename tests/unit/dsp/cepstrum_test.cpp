#include "dsp/cepstrum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "dsp/fft.h"

namespace wm::dsp {
namespace {

// White noise plus an echo of decay a at d samples: the real cepstrum has a peak of a/2 at
// quefrency d (ln|1 + a e^{-jwd}| = a cos(wd) - a^2/2 cos(2wd) + ...) and a dip of -a^2/4 at 2d.
TEST(RealCepstrum, EchoGivesPeakAtDelayAndDipAtTwice) {
  constexpr std::size_t kSize = 4096;
  constexpr int kDelay = 60;
  constexpr float kDecay = 0.5f;
  std::mt19937 generator(7);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  std::vector<float> source(kSize * 40 + kDelay);
  for (float& v : source) v = noise(generator);
  RealCepstrum cepstrum(kSize);
  std::vector<double> mean(kSize, 0.0);
  std::vector<float> frame(kSize), c;
  for (int f = 0; f < 40; ++f) {
    for (std::size_t i = 0; i < kSize; ++i) {
      const std::size_t at = static_cast<std::size_t>(f) * kSize + kDelay + i;
      frame[i] = source[at] + kDecay * source[at - kDelay];
    }
    cepstrum.compute(frame.data(), c);
    for (std::size_t q = 0; q < kSize; ++q) mean[q] += c[q] / 40.0;
  }
  EXPECT_NEAR(mean[kDelay], kDecay / 2.0, 0.03);
  EXPECT_NEAR(mean[2 * kDelay], -kDecay * kDecay / 4.0, 0.03);
  EXPECT_NEAR(mean[kDelay + 17], 0.0, 0.02);
}

// The pair shares one FFT: its full-range half equals compute(); with a floor far below the
// signal every bin is above it (fraction 1) and both halves agree; a tone alone leaves most
// bins under a -55 dB floor.
TEST(RealCepstrum, PairMatchesSingleAndReportsFractionAboveFloor) {
  constexpr std::size_t kSize = 1024;
  std::mt19937 generator(3);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  std::vector<float> frame(kSize);
  for (float& v : frame) v = noise(generator);
  RealCepstrum cepstrum(kSize);
  std::vector<float> single, full, floored;
  EXPECT_DOUBLE_EQ(cepstrum.compute(frame.data(), single), 1.0);
  EXPECT_DOUBLE_EQ(cepstrum.compute_pair(frame.data(), -180.0, full, floored), 1.0);
  ASSERT_EQ(full.size(), kSize);
  for (std::size_t q = 0; q < kSize; ++q) {
    EXPECT_FLOAT_EQ(full[q], single[q]);
    EXPECT_NEAR(floored[q], single[q], 1e-5);
  }
  std::vector<float> tone(kSize);
  for (std::size_t i = 0; i < kSize; ++i) tone[i] = std::sin(0.3 * static_cast<double>(i));
  const double fraction = cepstrum.compute_pair(tone.data(), -55.0, full, floored);
  EXPECT_GT(fraction, 0.0);
  EXPECT_LT(fraction, 0.2);
  for (float v : floored) EXPECT_TRUE(std::isfinite(v));
}

// White noise with an echo (a = 0.4 at 40 samples), then every bin above a quarter of the
// rate cleared. In the full-range cepstrum the band edge is a step of ~60 nepers whose ringing
// (~step / (pi q)) buries the echo; the band view tapers it away: the echo's peak is a/2 times
// the returned factor (about the band's share of the bins) and stands clear of lags nearby.
TEST(RealCepstrum, BandViewKeepsTheEchoOfLowPassedSound) {
  constexpr std::size_t kSize = 2048;
  constexpr int kDelay = 40, kFrames = 30;
  constexpr float kDecay = 0.4f;
  RealCepstrum cepstrum(kSize);
  AlignedFloats time(kSize);
  AlignedComplex bins(kSize / 2 + 1);
  std::vector<double> band_mean(kSize, 0.0);
  double factor_sum = 0.0;
  std::vector<float> source(kSize + kDelay), full, band;
  std::mt19937 generator(11);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  for (int f = 0; f < kFrames; ++f) {
    for (float& v : source) v = noise(generator);
    for (std::size_t i = 0; i < kSize; ++i) time[i] = source[i + kDelay] + kDecay * source[i];
    forward_real_fft(kSize, time.data(), bins.data());
    for (std::size_t k = kSize / 4; k < bins.size(); ++k) bins[k] = 0.0f;
    inverse_real_fft(kSize, bins.data(), time.data());
    std::vector<float> frame(time.data(), time.data() + kSize);
    cepstrum.compute(frame.data(), full);
    factor_sum += cepstrum.band_of_last_frame(BandViewOptions{}, band);
    ASSERT_EQ(band.size(), kSize);
    for (std::size_t q = 0; q < kSize; ++q) band_mean[q] += band[q];
  }
  const double factor = factor_sum / kFrames;
  EXPECT_NEAR(factor, 0.45, 0.05);
  EXPECT_NEAR(band_mean[kDelay] / factor_sum, kDecay / 2.0, 0.04);
  for (int q = kDelay - 12; q <= kDelay + 12; ++q) {
    if (std::abs(q - kDelay) > 4) {
      EXPECT_LT(std::abs(band_mean[q] / factor_sum), 0.04) << q;
    }
  }
}

TEST(RealCepstrum, SilenceIsFinite) {
  RealCepstrum cepstrum(512);
  std::vector<float> zeros(512, 0.0f), c;
  cepstrum.compute(zeros.data(), c);
  for (float v : c) EXPECT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace wm::dsp
