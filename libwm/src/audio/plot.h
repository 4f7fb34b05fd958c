// Small plots for audio evidence images (no fonts beyond a 3x5 pixel digit set, no OpenCV):
// a canvas with a plot area, value-to-pixel mapping, lines, bars, spans and tick labels.
// Images are kept small (<= 800 x 240) so HTML reports stay light.
#ifndef WM_AUDIO_PLOT_H_
#define WM_AUDIO_PLOT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/png.h"

namespace wm::audio::plot {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};
inline constexpr Rgb kBlack{0, 0, 0};
inline constexpr Rgb kGrey{170, 170, 170};
inline constexpr Rgb kRed{210, 30, 30};
inline constexpr Rgb kBlue{30, 70, 200};
inline constexpr Rgb kGreen{20, 150, 60};
inline constexpr Rgb kOrange{230, 130, 0};

// A white image with a plot area inset by margins; x and y ranges map onto the area
// (y grows upwards). Drawing outside the area is clipped to it.
class Canvas {
 public:
  Canvas(int width_px, int height_px, double x_min, double x_max, double y_min, double y_max);

  int px(double x) const;  // pixel column of value x
  int py(double y) const;  // pixel row of value y
  void line(double x0, double y0, double x1, double y1, Rgb colour);
  void polyline(const std::vector<double>& xs, const std::vector<double>& ys, Rgb colour);
  void hline(double y, Rgb colour, bool dashed = false);
  void vline(double x, Rgb colour, bool dashed = false);
  void bar(double x, double y, Rgb colour, int half_width_px = 1);  // from y_min up to y
  void span(double x0, double x1, double y0, double y1, Rgb colour);  // filled rectangle
  void pixel_in_area(int x, int y, Rgb colour);
  // Frame around the area and numeric tick labels (digits, '.', '-') at the given values.
  void axes(const std::vector<double>& x_ticks, const std::vector<double>& y_ticks, int decimals_x = 0,
            int decimals_y = 0);
  std::vector<std::uint8_t> png() const { return core::encode_png(image_); }
  const core::RgbImage& image() const { return image_; }

  static constexpr int kLeft = 34, kRight = 8, kTop = 6, kBottom = 16;

 private:
  void text(int x, int y, const std::string& s, Rgb colour);  // 3x5 glyphs, top-left at (x, y)
  core::RgbImage image_;
  double x_min_, x_max_, y_min_, y_max_;
};

// Grey-scale heat map of rows x columns values (row 0 at the bottom) into the plot area,
// values mapped linearly from [lo, hi] to white..black.
void heat_map(Canvas& canvas, const std::vector<float>& values, int rows, int columns, float lo, float hi);

// Evenly spaced "nice" tick values covering [lo, hi] (about `count` of them).
std::vector<double> nice_ticks(double lo, double hi, int count);

}  // namespace wm::audio::plot

#endif  // WM_AUDIO_PLOT_H_
