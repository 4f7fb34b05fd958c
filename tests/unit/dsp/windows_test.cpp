#include "dsp/windows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace wm::dsp {
namespace {

TEST(HannWindow, SumsToRequestedValueAndIsPeriodic) {
  const auto w = hann_window(1024, 2.0);
  ASSERT_EQ(w.size(), 1024u);
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 2.0, 1e-5);
  EXPECT_FLOAT_EQ(w[0], 0.0f);                       // periodic: zero at 0, peak at N/2
  EXPECT_NEAR(w[512], 4.0 / 1024.0, 1e-7);           // 1.0 scaled by 2 / (N / 2)
  EXPECT_NEAR(w[256], w[768], 1e-9);                 // symmetric about N/2
  EXPECT_NEAR(w[256], 0.5 * 4.0 / 1024.0, 1e-7);
  EXPECT_TRUE(hann_window(0, 2.0).empty());
}

}  // namespace
}  // namespace wm::dsp
