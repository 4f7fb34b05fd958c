#include "dsp/order_statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace wm::dsp {
namespace {

// The formulation the helpers replace (as the beacon detector wrote it).
float nth_element_median(std::vector<float> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Random sets with many ties (values on a 0.5 dB grid) and without, sizes 1..70 (both the
// insertion sort and the nth_element branch).
std::vector<float> random_set(std::mt19937& rng, std::size_t n, bool ties) {
  std::uniform_real_distribution<float> level(-120.0f, 0.0f);
  std::vector<float> v(n);
  for (float& x : v) x = ties ? std::round(level(rng) / 8.0f) * 0.5f : level(rng);
  return v;
}

TEST(UpperMedian, EqualsNthElementOnRandomSets) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 4000; ++trial) {
    const std::size_t n = 1 + static_cast<std::size_t>(trial % 70);
    const std::vector<float> original = random_set(rng, n, trial % 3 == 0);
    std::vector<float> v = original;
    EXPECT_EQ(upper_median(v.data(), v.size()), nth_element_median(original)) << "n " << n << " trial " << trial;
    EXPECT_TRUE(std::is_permutation(v.begin(), v.end(), original.begin()));  // reordered, nothing lost
  }
}

TEST(UpperMedian, KnownValues) {
  std::vector<float> odd{5.0f, 1.0f, 3.0f};
  EXPECT_EQ(upper_median(odd.data(), odd.size()), 3.0f);
  std::vector<float> even{4.0f, 1.0f, 3.0f, 2.0f};
  EXPECT_EQ(upper_median(even.data(), even.size()), 3.0f);  // the upper of the middle two
  std::vector<float> one{-7.5f};
  EXPECT_EQ(upper_median(one.data(), 1), -7.5f);
}

TEST(UnderMarginOverUpperMedian, AgreesWithTheMedianOnRandomSets) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> level(-120.0f, 0.0f);
  int under = 0, over = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    const std::size_t n = 1 + static_cast<std::size_t>(trial % 40);
    const std::vector<float> v = random_set(rng, n, trial % 2 == 0);
    const float median = nth_element_median(v);
    // Levels right at the boundary (level - median == margin exactly) as well as random ones.
    const float margin = trial % 4 == 0 ? 12.0f : 0.5f * static_cast<float>(trial % 50);
    const float at = trial % 3 == 0 ? median + margin : level(rng);
    const bool expected = at - median < margin;
    EXPECT_EQ(under_margin_over_upper_median(v.data(), v.size(), at, margin), expected)
        << "n " << n << " trial " << trial;
    (expected ? under : over) += 1;
  }
  EXPECT_GT(under, 1000);  // both outcomes are exercised
  EXPECT_GT(over, 1000);
}

TEST(UnderMarginOverUpperMedian, CountsTheUpperHalf) {
  // 20 values: ten at -100 and ten at -50; the upper median is -50.
  std::vector<float> v(20, -100.0f);
  std::fill(v.begin() + 10, v.end(), -50.0f);
  EXPECT_TRUE(under_margin_over_upper_median(v.data(), v.size(), -39.0f, 12.0f));   // 11 dB over
  EXPECT_FALSE(under_margin_over_upper_median(v.data(), v.size(), -38.0f, 12.0f));  // 12 dB over
  v[10] = -100.0f;  // eleven at -100: the upper median drops to -100
  EXPECT_FALSE(under_margin_over_upper_median(v.data(), v.size(), -39.0f, 12.0f));
}

}  // namespace
}  // namespace wm::dsp
