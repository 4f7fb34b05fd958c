#include "audio/mono.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace wm::audio {
namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(Mono, MixesSanitisesAndClampsEveryLayout) {
  // 7 frames: the vector body and the scalar tail both run.
  const std::vector<float> mono_in = {0.5f, kNan, -kInf, 9.0f, -9.0f, 0.25f, kInf};
  std::vector<float> out = {42.0f};  // appended after what is there
  append_mono(AudioView{mono_in.data(), 7, 1, 0.0}, 1, out);
  EXPECT_EQ(out, (std::vector<float>{42.0f, 0.5f, 0.0f, 0.0f, 4.0f, -4.0f, 0.25f, 0.0f}));

  const std::vector<float> stereo = {1.0f, 0.0f, kNan, 0.5f, 6.0f, 6.0f, -1.0f, -0.5f, 0.2f, 0.4f};
  out.clear();
  append_mono(AudioView{stereo.data(), 5, 2, 0.0}, 2, out);
  ASSERT_EQ(out.size(), 5u);
  const float want[] = {0.5f, 0.25f, 4.0f, -0.75f, 0.3f};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_FLOAT_EQ(out[i], want[i]) << i;

  const std::vector<float> six = {1, 1, 1, 1, 1, kInf, 6, 6, 6, 6, 6, 6};
  out.clear();
  append_mono(AudioView{six.data(), 2, 6, 0.0}, 6, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FLOAT_EQ(out[0], 5.0f / 6.0f);
  EXPECT_FLOAT_EQ(out[1], 4.0f);
}

TEST(Mono, SharedMixIsReusedOnlyForTheSameBlock) {
  SharedMono shared;
  std::uint64_t a = 0, b = 0;
  std::vector<float> block = {1.0f, 3.0f, 2.0f, 2.0f};
  const AudioView view{block.data(), 2, 2, 0.0};
  EXPECT_EQ(shared.mix(view, 2, a), (std::vector<float>{2.0f, 2.0f}));
  block[0] = 3.0f;  // a second consumer of the same block gets the first mix
  EXPECT_EQ(shared.mix(view, 2, b), (std::vector<float>{2.0f, 2.0f}));
  // The next block reuses the buffer: a consumer that is one block behind gets a fresh mix.
  const AudioView next{block.data(), 2, 2, 0.04};
  EXPECT_EQ(shared.mix(next, 2, a), (std::vector<float>{3.0f, 2.0f}));
  std::uint64_t late = 0;  // skipped the first block: never served another block's mix
  block[0] = -1.0f;
  EXPECT_EQ(shared.mix(next, 2, late), (std::vector<float>{1.0f, 2.0f}));
}

}  // namespace
}  // namespace wm::audio
