#include "audio/unknown_mark.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "audio_test_util.h"
#include "dsp/fft.h"

namespace wm::audio {
namespace {

using testing::run_on_samples;

constexpr int kRate = 44100;
constexpr std::size_t kBlock = 1024;

// Noise with a slowly wandering spectral tilt and level, never repeating.
std::vector<float> programme(double seconds, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  std::vector<float> out(static_cast<std::size_t>(kRate * seconds));
  float low = 0.0f;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const float tilt = 0.5f + 0.4f * static_cast<float>(std::sin(2.0 * std::numbers::pi * 0.07 * t));
    low = tilt * low + (1.0f - tilt) * noise(generator);
    out[i] = static_cast<float>(0.6 + 0.4 * std::sin(2.0 * std::numbers::pi * 0.31 * t)) * low;
  }
  return out;
}

// A magnitude patchwork: block k (1024 samples) has the magnitudes of bins [lo, hi) scaled
// by 1 +- depth, the sign drawn from a generator seeded with k mod period (so it repeats
// every `period` blocks); phases are kept.
void add_patchwork(std::vector<float>& signal, int period, int lo, int hi, float depth) {
  dsp::AlignedFloats in(kBlock);
  dsp::AlignedComplex spectrum(kBlock / 2 + 1);
  for (std::size_t start = 0; start + kBlock <= signal.size(); start += kBlock) {
    const std::size_t k = start / kBlock;
    std::mt19937 pattern(static_cast<unsigned>(k % static_cast<std::size_t>(period)) + 17u);
    std::copy_n(signal.begin() + static_cast<std::ptrdiff_t>(start), kBlock, in.data());
    dsp::forward_real_fft(kBlock, in.data(), spectrum.data());
    for (int b = lo; b < hi; ++b) spectrum[static_cast<std::size_t>(b)] *= (pattern() & 1u) ? 1.0f + depth : 1.0f - depth;
    dsp::inverse_real_fft(kBlock, spectrum.data(), in.data());
    for (std::size_t i = 0; i < kBlock; ++i) signal[start + i] = in[i] / static_cast<float>(kBlock);
  }
}

bool has_line(const core::DetectorOutput& out, const std::string& words) {
  return std::any_of(out.not_checked.begin(), out.not_checked.end(),
                     [&](const NotChecked& n) { return n.reason.find(words) != std::string::npos; });
}

TEST(UnknownMark, FindsARepeatingPatchworkAtItsPeriod) {
  std::vector<float> signal = programme(90.0, 3);
  add_patchwork(signal, 700, 40, 120, 0.35f);  // 16.3 s period, 1.7-5.2 kHz, about +-2.6 dB
  UnknownMarkDetector detector;
  const auto out = run_on_samples(detector, signal, kRate, 1);
  ASSERT_TRUE(detector.peak().valid);
  EXPECT_EQ(detector.peak().lag_frames % 700, 0) << detector.peak().lag_frames;
  ASSERT_EQ(out.findings.size(), 1u) << "z " << detector.peak().z;
  EXPECT_EQ(out.findings[0].severity, Severity::kReview);
  EXPECT_EQ(out.findings[0].detector, "audio.unknown_mark");
  EXPECT_TRUE(has_line(out, "Zoom and Webex"));
}

TEST(UnknownMark, CleanAndLoopedContentAreNotMarks) {
  {
    UnknownMarkDetector detector;
    const auto out = run_on_samples(detector, programme(75.0, 4), kRate, 1);
    EXPECT_TRUE(out.findings.empty()) << "z " << detector.peak().z << " at " << detector.peak().period_s << " s";
    EXPECT_TRUE(has_line(out, "Zoom and Webex"));
  }
  {
    // The same 12 s of noise six times: the content repeats, so every statistic repeats.
    const std::vector<float> piece = programme(12.0, 5);
    std::vector<float> looped;
    for (int i = 0; i < 6; ++i) looped.insert(looped.end(), piece.begin(), piece.end());
    UnknownMarkDetector detector;
    const auto out = run_on_samples(detector, looped, kRate, 1);
    EXPECT_TRUE(out.findings.empty()) << "z " << detector.peak().z << " at " << detector.peak().period_s << " s";
  }
}

TEST(UnknownMark, ShortSilentAndOtherRates) {
  {
    UnknownMarkDetector detector;
    const auto out = run_on_samples(detector, programme(10.0, 6), kRate, 1);
    EXPECT_TRUE(out.findings.empty());
    EXPECT_TRUE(has_line(out, "less than 30 s"));
  }
  {
    UnknownMarkDetector detector;
    const auto out = run_on_samples(detector, std::vector<float>(48000 * 2 * 40, 0.0f), 48000, 2);
    EXPECT_TRUE(out.findings.empty());
    EXPECT_TRUE(has_line(out, "less than 30 s"));
  }
  {
    // 8 kHz telephone audio is resampled; no crash, no finding on clean noise.
    std::vector<float> narrow = programme(35.0, 7);
    narrow.resize(narrow.size() * 8000 / kRate);
    UnknownMarkDetector detector;
    const auto out = run_on_samples(detector, narrow, 8000, 1);
    EXPECT_TRUE(out.findings.empty());
  }
}

}  // namespace
}  // namespace wm::audio
