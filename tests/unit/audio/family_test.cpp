#include "audio/family.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include "audio_test_util.h"

namespace wm::audio {
namespace {

TEST(AudioFamily, DescribesItself) {
  const DetectorDescription d = describe_audio_family();
  EXPECT_EQ(d.id, "audio");
  EXPECT_FALSE(d.version.empty());
  EXPECT_EQ(d.finding_ids.size(), 4u);
  ASSERT_EQ(d.parameters.size(), 4u);
  EXPECT_EQ(d.parameters[0].name, "audiowmark_keys");
  EXPECT_EQ(d.parameters[1].name, "artifacts");
  EXPECT_EQ(d.parameters[2].name, "unknown_mark");
  EXPECT_EQ(d.parameters[2].default_value, "false");
}

TEST(AudioFamily, UnknownMarkIsOffByDefaultAndValidated) {
  ScanOptions options;
  auto made = make_audio_detectors(options);
  ASSERT_TRUE(made.is_ok());
  EXPECT_EQ(made.value().size(), 3u);
  options.parameters["audio.unknown_mark"] = "true";
  made = make_audio_detectors(options);
  ASSERT_TRUE(made.is_ok());
  EXPECT_EQ(made.value().size(), 4u);
  options.parameters["audio.unknown_mark"] = "yes please";
  made = make_audio_detectors(options);
  ASSERT_FALSE(made.is_ok());
  EXPECT_NE(made.status().message().find("audio.unknown_mark"), std::string::npos);
  options.parameters["audio.unknown_mark"] = "true";
  for (const char* bad : {"", "-1", "0", "7x", "nan"}) {
    options.parameters["audio.unknown_mark_min_z"] = bad;
    made = make_audio_detectors(options);
    ASSERT_FALSE(made.is_ok()) << bad;
    EXPECT_NE(made.status().message().find("audio.unknown_mark_min_z"), std::string::npos);
  }
  options.parameters["audio.unknown_mark_min_z"] = "6.5";
  EXPECT_TRUE(make_audio_detectors(options).is_ok());
}

TEST(AudioFamily, ArtifactsParameterIsValidated) {
  ScanOptions options;
  options.parameters["audio.artifacts"] = "maybe";
  auto made = make_audio_detectors(options);
  ASSERT_FALSE(made.is_ok());
  EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(made.status().message().find("audio.artifacts"), std::string::npos);
  options.parameters["audio.artifacts"] = "false";
  EXPECT_TRUE(make_audio_detectors(options).is_ok());
}

TEST(AudioFamily, BadKeyFileIsInvalidArgumentNamingTheParameter) {
  ScanOptions options;
  options.parameters["audio.audiowmark_keys"] = "/nonexistent/key.file";
  auto made = make_audio_detectors(options);
  ASSERT_FALSE(made.is_ok());
  EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(made.status().message().find("audio.audiowmark_keys"), std::string::npos);
  EXPECT_NE(made.status().message().find("/nonexistent/key.file"), std::string::npos);
}

// Bad input through every detector: silence, DC, full-scale clipping, 8 kHz telephone audio,
// 0.5 s, six channels, NaN/Inf. Never a crash, never a finding.
TEST(AudioFamily, BadInputGivesNoFindings) {
  struct Case {
    const char* name;
    int rate_hz;
    int channels;
    double seconds;
    int kind;  // 0 silence, 1 DC, 2 noise clipped at full scale, 3 NaN/Inf noise
  };
  const Case cases[] = {{"silence", 48000, 2, 4.0, 0}, {"dc", 44100, 1, 4.0, 1},
                        {"clipping", 48000, 1, 4.0, 2}, {"telephone", 8000, 1, 6.0, 3},
                        {"half second", 44100, 1, 0.5, 3}, {"six channels", 48000, 6, 3.0, 3}};
  for (const Case& c : cases) {
    std::mt19937 generator(1);
    std::normal_distribution<float> noise(0.0f, 0.2f);
    std::vector<float> samples(static_cast<std::size_t>(c.rate_hz * c.seconds) * static_cast<std::size_t>(c.channels));
    for (std::size_t i = 0; i < samples.size(); ++i) {
      switch (c.kind) {
        case 0: samples[i] = 0.0f; break;
        case 1: samples[i] = 0.5f; break;
        case 2: samples[i] = std::clamp(10.0f * noise(generator), -1.0f, 1.0f); break;
        default:
          samples[i] = i % 101 == 0 ? std::numeric_limits<float>::quiet_NaN()
                       : i % 103 == 0 ? std::numeric_limits<float>::infinity() : noise(generator);
      }
    }
    ScanOptions all;
    all.parameters["audio.unknown_mark"] = "true";  // every audio detector, the experimental one too
    auto made = make_audio_detectors(all);
    ASSERT_TRUE(made.is_ok());
    for (auto& detector : made.value()) {
      const auto out = testing::run_on_samples(*detector, samples, c.rate_hz, c.channels);
      for (const auto& f : out.findings) {
        EXPECT_LE(severity_rank(f.severity), severity_rank(Severity::kInfo)) << c.name << ": " << f.detector;
      }
      EXPECT_FALSE(out.run.id.empty());
    }
  }
}

}  // namespace
}  // namespace wm::audio
