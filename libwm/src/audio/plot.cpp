// Plot primitives for the audio evidence PNGs. Bresenham lines, clipping to the plot area, and
// a 3x5 bitmap font holding only what tick labels need (digits, '.', '-').
#include "audio/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace wm::audio::plot {

namespace {

// 3x5 glyphs, one row per 3 bits (MSB left), rows top to bottom.
int glyph_row(char c, int row) {
  static const int digits[10][5] = {
      {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 3, 1, 7}, {5, 5, 7, 1, 1},
      {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 2, 2, 2}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};
  if (c >= '0' && c <= '9') return digits[c - '0'][row];
  if (c == '.') return row == 4 ? 2 : 0;
  if (c == '-') return row == 2 ? 7 : 0;
  return 0;
}

}  // namespace

Canvas::Canvas(int width_px, int height_px, double x_min, double x_max, double y_min, double y_max)
    : image_(width_px, height_px, 255, 255, 255),
      x_min_(x_min),
      x_max_(x_max > x_min ? x_max : x_min + 1.0),
      y_min_(y_min),
      y_max_(y_max > y_min ? y_max : y_min + 1.0) {}

int Canvas::px(double x) const {
  const double w = image_.width - kLeft - kRight - 1;
  return kLeft + static_cast<int>(std::lround((x - x_min_) / (x_max_ - x_min_) * w));
}

int Canvas::py(double y) const {
  const double h = image_.height - kTop - kBottom - 1;
  return kTop + static_cast<int>(std::lround((y_max_ - y) / (y_max_ - y_min_) * h));
}

void Canvas::pixel_in_area(int x, int y, Rgb c) {
  if (x < kLeft || x > image_.width - kRight - 1 || y < kTop || y > image_.height - kBottom - 1) return;
  image_.set(x, y, c.r, c.g, c.b);
}

void Canvas::line(double x0, double y0, double x1, double y1, Rgb c) {
  if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
  auto clamp_px = [](double v) { return std::clamp(v, -1e6, 1e6); };
  int ax = static_cast<int>(clamp_px(px(x0))), ay = static_cast<int>(clamp_px(py(y0)));
  const int bx = static_cast<int>(clamp_px(px(x1))), by = static_cast<int>(clamp_px(py(y1)));
  const int dx = std::abs(bx - ax), dy = -std::abs(by - ay);
  const int sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
  int err = dx + dy;
  for (int steps = 0; steps < 4096; ++steps) {
    pixel_in_area(ax, ay, c);
    if (ax == bx && ay == by) break;
    const int e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      ax += sx;
    }
    if (e2 <= dx) {
      err += dx;
      ay += sy;
    }
  }
}

void Canvas::polyline(const std::vector<double>& xs, const std::vector<double>& ys, Rgb c) {
  for (std::size_t i = 1; i < std::min(xs.size(), ys.size()); ++i) line(xs[i - 1], ys[i - 1], xs[i], ys[i], c);
}

void Canvas::hline(double y, Rgb c, bool dashed) {
  const int row = py(y);
  for (int x = kLeft; x < image_.width - kRight; ++x) {
    if (!dashed || (x / 4) % 2 == 0) pixel_in_area(x, row, c);
  }
}

void Canvas::vline(double x, Rgb c, bool dashed) {
  const int column = px(x);
  for (int y = kTop; y < image_.height - kBottom; ++y) {
    if (!dashed || (y / 4) % 2 == 0) pixel_in_area(column, y, c);
  }
}

void Canvas::bar(double x, double y, Rgb c, int half_width_px) {
  const int column = px(x), top = py(y), bottom = py(y_min_);
  for (int dx = -half_width_px; dx <= half_width_px; ++dx) {
    for (int row = std::min(top, bottom); row <= std::max(top, bottom); ++row) pixel_in_area(column + dx, row, c);
  }
}

void Canvas::span(double x0, double x1, double y0, double y1, Rgb c) {
  const int left = std::min(px(x0), px(x1)), right = std::max(px(x0), px(x1));
  const int top = std::min(py(y0), py(y1)), bottom = std::max(py(y0), py(y1));
  for (int y = std::max(top, kTop); y <= std::min(bottom, image_.height - kBottom - 1); ++y) {
    for (int x = std::max(left, kLeft); x <= std::min(right, image_.width - kRight - 1); ++x) pixel_in_area(x, y, c);
  }
}

void Canvas::text(int x, int y, const std::string& s, Rgb c) {
  for (char ch : s) {
    for (int row = 0; row < 5; ++row) {
      const int bits = glyph_row(ch, row);
      for (int col = 0; col < 3; ++col) {
        if (bits & (4 >> col)) image_.set(x + col, y + row, c.r, c.g, c.b);
      }
    }
    x += 4;
  }
}

void Canvas::axes(const std::vector<double>& x_ticks, const std::vector<double>& y_ticks, int decimals_x,
                  int decimals_y) {
  const int left = kLeft - 1, right = image_.width - kRight, top = kTop - 1, bottom = image_.height - kBottom;
  for (int x = left; x <= right; ++x) {
    image_.set(x, top, 0, 0, 0);
    image_.set(x, bottom, 0, 0, 0);
  }
  for (int y = top; y <= bottom; ++y) {
    image_.set(left, y, 0, 0, 0);
    image_.set(right, y, 0, 0, 0);
  }
  char buffer[32];
  for (double t : x_ticks) {
    const int x = px(t);
    if (x < left || x > right) continue;
    for (int k = 1; k <= 3; ++k) image_.set(x, bottom + k, 0, 0, 0);
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals_x, t);
    const std::string s = buffer;
    text(std::clamp(x - static_cast<int>(s.size()) * 2, 0, image_.width - 4 * static_cast<int>(s.size())), bottom + 6, s, kBlack);
  }
  for (double t : y_ticks) {
    const int y = py(t);
    if (y < top || y > bottom) continue;
    for (int k = 1; k <= 3; ++k) image_.set(left - k, y, 0, 0, 0);
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals_y, t);
    const std::string s = buffer;
    text(std::max(0, left - 5 - 4 * static_cast<int>(s.size())), std::clamp(y - 2, 0, image_.height - 5), s, kBlack);
  }
}

void heat_map(Canvas& canvas, const std::vector<float>& values, int rows, int columns, float lo, float hi) {
  if (rows <= 0 || columns <= 0 || values.size() < static_cast<std::size_t>(rows) * static_cast<std::size_t>(columns)) return;
  const core::RgbImage& image = canvas.image();
  const int x0 = Canvas::kLeft, x1 = image.width - Canvas::kRight - 1;
  const int y0 = Canvas::kTop, y1 = image.height - Canvas::kBottom - 1;
  const float range = hi > lo ? hi - lo : 1.0f;
  for (int y = y0; y <= y1; ++y) {
    const int row = std::clamp(static_cast<int>((static_cast<double>(y1 - y) + 0.5) / (y1 - y0 + 1) * rows), 0, rows - 1);
    for (int x = x0; x <= x1; ++x) {
      const int column = std::clamp(static_cast<int>((static_cast<double>(x - x0) + 0.5) / (x1 - x0 + 1) * columns), 0, columns - 1);
      const float v = values[static_cast<std::size_t>(row) * static_cast<std::size_t>(columns) + static_cast<std::size_t>(column)];
      const float t = std::clamp((v - lo) / range, 0.0f, 1.0f);
      // 16 grey levels: plenty for a spectrogram and far smaller once compressed.
      const auto grey = static_cast<std::uint8_t>(255 - 17 * static_cast<int>(t * 15.0f + 0.5f));
      canvas.pixel_in_area(x, y, {grey, grey, grey});
    }
  }
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  std::vector<double> ticks;
  if (!(hi > lo) || count < 1 || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  const double raw = (hi - lo) / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step && ticks.size() < 50; t += step) {
    ticks.push_back(std::abs(t) < 1e-12 ? 0.0 : t);
  }
  return ticks;
}

}  // namespace wm::audio::plot
