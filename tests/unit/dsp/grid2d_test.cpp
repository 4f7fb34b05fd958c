#include "dsp/grid2d.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace wm::dsp {
namespace {

TEST(Grid2dTest, PoissonSolveRecoversAKnownImage) {
  // u is zero outside the grid; its 5-point Laplacian is the right-hand side.
  const int rows = 37, cols = 52;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> u(static_cast<std::size_t>(rows) * cols);
  for (float& v : u) v = value(rng);
  auto at = [&](int y, int x) -> float {
    if (y < 0 || x < 0 || y >= rows || x >= cols) return 0.0f;
    return u[static_cast<std::size_t>(y) * cols + x];
  };
  std::vector<float> rhs(u.size());
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      rhs[static_cast<std::size_t>(y) * cols + x] = at(y - 1, x) + at(y + 1, x) + at(y, x - 1) + at(y, x + 1) - 4 * at(y, x);
    }
  }
  Result<std::vector<float>> solved = solve_poisson_dirichlet(rows, cols, rhs);
  ASSERT_TRUE(solved.is_ok()) << solved.status().message();
  double worst = 0.0;
  for (std::size_t i = 0; i < u.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs((*solved)[i] - u[i])));
  EXPECT_LT(worst, 1e-3);
}

TEST(Grid2dTest, PoissonRejectsBadSizes) {
  EXPECT_FALSE(solve_poisson_dirichlet(0, 4, {}).is_ok());
  EXPECT_FALSE(solve_poisson_dirichlet(2, 2, std::vector<float>(3)).is_ok());
}

TEST(Grid2dTest, AutocorrelationPeaksAtThePeriodAndDoesNotWrap) {
  const int rows = 40, cols = 90;
  std::vector<float> in(static_cast<std::size_t>(rows) * cols, 0.0f);
  for (int y = 5; y < rows; y += 12) {
    for (int x = 3; x < cols; x += 17) in[static_cast<std::size_t>(y) * cols + x] = 1.0f;
  }
  Result<Autocorrelation> ac = autocorrelate_2d(rows, cols, in, 30, 45);  // lags up to 30 so -28 is inside
  ASSERT_TRUE(ac.is_ok());
  // 3 rows x 6 columns of dots: 18 at lag 0, 3 x 5 = 15 at (0, 17), 2 x 6 = 12 at (12, 0).
  EXPECT_NEAR(ac->at(0, 0), 18.0f, 1e-3);
  EXPECT_NEAR(ac->at(0, 17), 15.0f, 1e-3);
  EXPECT_NEAR(ac->at(0, -17), 15.0f, 1e-3);
  EXPECT_NEAR(ac->at(12, 0), 12.0f, 1e-3);
  EXPECT_NEAR(ac->at(0, 5), 0.0f, 1e-3);
  EXPECT_NEAR(ac->at(-28, 0), 0.0f, 1e-3);  // 40 - 12 = 28: a circular correlation would peak here
}

}  // namespace
}  // namespace wm::dsp
