#include "audio/audiowmark.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "audio/audiowmark_code.h"
#include "audio_test_util.h"

namespace wm::audio {
namespace {

using testing::run_on_file;
using testing::run_on_samples;
using testing::vectors_dir;

constexpr char kVectorPayload[] = "8a1f0e2c3b4d5e6f708192a3b4c5d6e7";

std::array<std::uint8_t, awm::kPayloadBits> random_bits(unsigned seed) {
  std::mt19937 generator(seed);
  std::array<std::uint8_t, awm::kPayloadBits> bits{};
  for (auto& b : bits) b = static_cast<std::uint8_t>(generator() & 1u);
  return bits;
}

TEST(AudiowmarkCode, ViterbiRecoversCleanCodewordWithZeroError) {
  const auto bits = random_bits(7);
  for (auto type : {awm::BlockType::kA, awm::BlockType::kB}) {
    const auto coded = awm::encode(bits, type);
    ASSERT_EQ(coded.size(), static_cast<std::size_t>(awm::kCodedBits));
    std::vector<float> soft(coded.begin(), coded.end());
    const auto decoded = awm::viterbi_decode(soft, type, false);
    EXPECT_EQ(decoded.bits, bits);
    EXPECT_NEAR(decoded.error, 0.0, 1e-9);
  }
}

TEST(AudiowmarkCode, ViterbiCorrectsNoisySoftBitsAndAbCombination) {
  const auto bits = random_bits(11);
  std::mt19937 generator(3);
  std::normal_distribution<float> noise(0.0f, 0.45f);
  const auto coded = awm::encode_ab(bits);
  std::vector<float> soft;
  for (auto c : coded) soft.push_back(static_cast<float>(c) + noise(generator));
  const auto decoded = awm::viterbi_decode(soft, awm::BlockType::kA, true);
  EXPECT_EQ(decoded.bits, bits);
  EXPECT_GT(decoded.error, 0.1);
}

TEST(AudiowmarkCode, HexIsMostSignificantBitFirst) {
  std::array<std::uint8_t, awm::kPayloadBits> bits{};
  bits[0] = 1;    // 8 in the first hex digit
  bits[127] = 1;  // 1 in the last
  EXPECT_EQ(awm::bits_to_hex(bits), "80000000000000000000000000000001");
}

TEST(AudiowmarkCode, LayoutIsAPermutation) {
  const awm::Layout layout = awm::make_layout(AesKey{});
  std::vector<int> seen(awm::kBlockFrames, 0);
  for (int p : layout.sync_position) seen[static_cast<std::size_t>(p)]++;
  for (int p : layout.data_position) seen[static_cast<std::size_t>(p)]++;
  for (int s : seen) EXPECT_EQ(s, 1);
  for (std::size_t f = 0; f < layout.sync_up.size(); ++f) {
    std::vector<int> bands(awm::kBandCount, 0);
    for (auto b : layout.sync_up[f]) bands[b]++;
    for (auto b : layout.sync_down[f]) bands[b]++;
    for (int c : bands) EXPECT_LE(c, 1);
  }
}

// The coarse sync score as the detector computed it before the batched search (dense 0/1 band
// masks over rows padded to 88 floats, four interleaved float accumulators per side, added as
// doubles): the batched search must give the same doubles, bit for bit.
double dense_coarse_score(const awm::Layout& layout, const AudiowmarkSpectra::Phase& table, std::size_t k) {
  constexpr std::size_t kStride = 88, kLanes = 4;
  double total = 0.0;
  for (int bit = 0; bit < awm::kSyncBits; ++bit) {
    std::array<float, kLanes> lane_up{}, lane_down{};
    for (int f = bit * awm::kFramesPerSyncBit; f < (bit + 1) * awm::kFramesPerSyncBit; ++f) {
      const auto frame = static_cast<std::size_t>(f);
      std::array<float, kStride> row{}, up{}, down{};
      const std::size_t at = k + static_cast<std::size_t>(layout.sync_position[frame]);
      for (std::size_t b = 0; b < static_cast<std::size_t>(awm::kBandCount); ++b) row[b] = table.db[b * table.stride + at];
      for (auto b : layout.sync_up[frame]) up[b] = 1.0f;
      for (auto b : layout.sync_down[frame]) down[b] = 1.0f;
      for (std::size_t c = 0; c < kStride; ++c) {
        lane_up[c % kLanes] += row[c] * up[c];
        lane_down[c % kLanes] += row[c] * down[c];
      }
    }
    double u = 0.0, d = 0.0;
    for (std::size_t l = 0; l < kLanes; ++l) {
      u += lane_up[l];
      d += lane_down[l];
    }
    const double value = u < d && d != 0.0 ? 1.0 - u / d : u != 0.0 ? d / u - 1.0 : 0.0;
    total += bit % 2 == 1 ? value : -value;
  }
  return total / awm::kSyncBits / (0.01 * 2.9);
}

TEST(AudiowmarkCoarseSearch, BatchedScoresEqualTheDenseFormulation) {
  // Noise with a slow level swing (so the scores are not all near zero), a block and a bit
  // long: a few hundred starts per phase, the last batch partly past the final start.
  std::mt19937 generator(5);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  const std::size_t samples = static_cast<std::size_t>(awm::kBlockFrames + 300) * awm::kFrameSizeSamples + 77;
  std::vector<float> signal(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    signal[i] = noise(generator) * static_cast<float>(1.0 + 0.5 * std::sin(static_cast<double>(i) * 3e-5));
  }
  const awm::Layout layout = awm::make_layout(AesKey{});
  const AudiowmarkSpectra spectra = analyse_audiowmark_spectra(signal);
  ASSERT_EQ(spectra.phases.size(), 2u);
  for (const auto& table : spectra.phases) {
    const std::vector<double> scores = audiowmark_coarse_scores(layout, table);
    ASSERT_EQ(scores.size(), table.frames - awm::kBlockFrames + 1);
    double largest = 0.0;
    for (std::size_t k = 0; k < scores.size(); ++k) {
      ASSERT_EQ(scores[k], dense_coarse_score(layout, table, k)) << "start " << k;
      largest = std::max(largest, std::abs(scores[k]));
    }
    EXPECT_GT(largest, 0.0);
  }
  // Shorter than a block: no start.
  const AudiowmarkSpectra short_spectra = analyse_audiowmark_spectra(std::vector<float>(100000, 0.01f));
  EXPECT_TRUE(audiowmark_coarse_scores(layout, short_spectra.phases[0]).empty());
}

TEST(AudiowmarkKeyFile, ReadsKeyAndNameAndRejectsGarbage) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto good = dir / "wm_audio_test_good.key";
  const auto bad = dir / "wm_audio_test_bad.key";
  std::ofstream(good) << "# comment\nkey 000102030405060708090a0b0c0d0e0f\nname \"someone\"\n";
  std::ofstream(bad) << "key 0001\n";
  auto key = read_audiowmark_key_file(good);
  ASSERT_TRUE(key.is_ok()) << key.status().message();
  EXPECT_EQ(key->name, "someone");
  EXPECT_EQ(key->key[15], 0x0f);
  auto broken = read_audiowmark_key_file(bad);
  EXPECT_FALSE(broken.is_ok());
  EXPECT_NE(broken.status().message().find("wm_audio_test_bad.key"), std::string::npos);
  EXPECT_FALSE(read_audiowmark_key_file(dir / "wm_audio_test_missing.key").is_ok());
  std::filesystem::remove(good);
  std::filesystem::remove(bad);
}

TEST(AudiowmarkDetector, SilenceAndNoiseGiveNoPayload) {
  std::mt19937 generator(5);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  std::vector<float> signal(static_cast<std::size_t>(44100 * 62), 0.0f);
  for (std::size_t i = signal.size() / 2; i < signal.size(); ++i) signal[i] = noise(generator);
  AudiowmarkDetector detector({});
  const auto out = run_on_samples(detector, signal, 44100, 1);
  EXPECT_TRUE(out.findings.empty());
  // A clean result still says which marks could not be looked for.
  bool vendor_marks_named = false;
  for (const auto& n : out.not_checked) {
    vendor_marks_named = vendor_marks_named || (n.detector == "audio.unknown_mark" && n.reason.find("Zoom") != std::string::npos);
  }
  EXPECT_TRUE(vendor_marks_named);
}

TEST(AudiowmarkDetector, ShortInputIsNotChecked) {
  AudiowmarkDetector detector({});
  const auto out = run_on_samples(detector, std::vector<float>(22050, 0.0f), 44100, 1);
  EXPECT_TRUE(out.findings.empty());
  ASSERT_EQ(out.not_checked.size(), 1u);
}

class AudiowmarkVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(vectors_dir())) GTEST_SKIP() << "no vectors at " << vectors_dir();
  }
};

void expect_payload(const char* name, std::vector<AudiowmarkKey> keys, const std::string& payload) {
  AudiowmarkDetector detector(std::move(keys));
  auto out = run_on_file(detector, vectors_dir() / name);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  for (const auto& m : detector.matches()) {
    std::printf("%s: key '%s' %s error %.3f sync %.3f %s conf %.3f\n", name, m.key_name.c_str(),
                m.payload_hex.c_str(), m.error, m.sync_score, m.combination.c_str(), m.confidence);
    for (const auto& b : m.blocks) {
      std::printf("   block %s at %.2f s sync %.3f error %.3f %s\n", b.type == awm::BlockType::kA ? "A" : "B",
                  static_cast<double>(b.start_samples) / 44100.0, b.sync_score, b.error, b.payload_hex.c_str());
    }
  }
  if (payload.empty()) {
    EXPECT_TRUE(out->findings.empty()) << name;
    return;
  }
  ASSERT_EQ(detector.matches().size(), 1u) << name;
  EXPECT_EQ(detector.matches()[0].payload_hex, payload) << name;
  ASSERT_EQ(out->findings.size(), 1u);
  EXPECT_EQ(out->findings[0].severity, Severity::kHigh);
  ASSERT_EQ(out->findings[0].artifacts.size(), 1u) << name;
  EXPECT_EQ(out->findings[0].artifacts[0].kind, "score_over_time");
  ASSERT_GT(out->findings[0].artifacts[0].bytes.size(), 8u);
  EXPECT_EQ(out->findings[0].artifacts[0].bytes[1], 'P');
}

TEST_F(AudiowmarkVectors, Clip60ReadsPayload) { expect_payload("zero_clip60.flac", {}, kVectorPayload); }

TEST_F(AudiowmarkVectors, CleanFileGivesNothing) { expect_payload("clean_150s.flac", {}, ""); }

TEST_F(AudiowmarkVectors, KeyedFileNeedsItsKey) {
  auto key = read_audiowmark_key_file(vectors_dir() / "k1.key");
  ASSERT_TRUE(key.is_ok()) << key.status().message();
  EXPECT_EQ(key->name, "vectors-k1");
  AudiowmarkDetector detector({key.value()});
  auto out = run_on_file(detector, vectors_dir() / "k1_150s.flac");
  ASSERT_TRUE(out.is_ok());
  // The all-zero key (always tried first) finds nothing; only k1 reads the payload.
  ASSERT_EQ(detector.matches().size(), 1u);
  EXPECT_EQ(detector.matches()[0].payload_hex, "c0ffee00deadbeef0123456789abcdef");
  EXPECT_EQ(detector.matches()[0].key_name, "vectors-k1");
  EXPECT_FALSE(detector.matches()[0].default_key);
}

// Four copies of the 60-s clip (240 s) cross the 4-block analysis window: blocks on both sides
// of the cut are found once each and decoded together.
TEST_F(AudiowmarkVectors, SlidingWindowFindsBlocksAcrossTheCut) {
  std::vector<float> clip;
  struct Collect final : core::AudioDetector {
    std::vector<float>* out;
    Status start(const core::AudioStreamFormat&) override { return Status::ok(); }
    Status feed(const AudioView& v) override {
      out->insert(out->end(), v.data, v.data + v.frames * static_cast<std::size_t>(v.channels));
      return Status::ok();
    }
    core::DetectorOutput finish(bool) override { return {}; }
  } collect;
  collect.out = &clip;
  ASSERT_TRUE(run_on_file(collect, vectors_dir() / "zero_clip60.flac").is_ok());
  std::vector<float> four;
  for (int i = 0; i < 4; ++i) four.insert(four.end(), clip.begin(), clip.end());
  AudiowmarkDetector detector({});
  const auto out = run_on_samples(detector, four, 44100, 1, 44100);
  ASSERT_EQ(detector.matches().size(), 1u);
  EXPECT_EQ(detector.matches()[0].payload_hex, kVectorPayload);
  const auto& blocks = detector.matches()[0].blocks;
  ASSERT_EQ(blocks.size(), 4u);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_NEAR(static_cast<double>(blocks[i].start_samples) / 44100.0, 5.8 + 60.0 * static_cast<double>(i), 0.05);
  }
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].time_ranges_s.size(), 4u);
}

// A 40-s piece (shorter than one block) of a marked file is read by the CLIP search; the same
// piece of the unmarked host gives nothing.
TEST_F(AudiowmarkVectors, ClipShorterThanOneBlockIsSearched) {
  struct Collect final : core::AudioDetector {
    std::vector<float> samples;
    Status start(const core::AudioStreamFormat&) override { return Status::ok(); }
    Status feed(const AudioView& v) override {
      samples.insert(samples.end(), v.data, v.data + v.frames * static_cast<std::size_t>(v.channels));
      return Status::ok();
    }
    core::DetectorOutput finish(bool) override { return {}; }
  };
  for (const char* name : {"zero_150s.flac", "clean_150s.flac"}) {
    Collect collect;
    ASSERT_TRUE(run_on_file(collect, vectors_dir() / name).is_ok());
    ASSERT_GE(collect.samples.size(), 60u * 44100u);
    const std::vector<float> piece(collect.samples.begin() + 20 * 44100, collect.samples.begin() + 60 * 44100);
    AudiowmarkDetector detector({});
    const auto out = run_on_samples(detector, piece, 44100, 1);
    if (std::string(name) == "zero_150s.flac") {
      ASSERT_EQ(detector.matches().size(), 1u) << name;
      EXPECT_EQ(detector.matches()[0].payload_hex, kVectorPayload);
      EXPECT_EQ(detector.matches()[0].combination.rfind("CLIP-", 0), 0u) << detector.matches()[0].combination;
    } else {
      EXPECT_TRUE(detector.matches().empty()) << name;
      EXPECT_TRUE(out.findings.empty());
    }
  }
}

}  // namespace
}  // namespace wm::audio
