// A minimal PNG encoder for evidence images (spectrogram crops, plots): 8-bit RGB, no
// interlace, one zlib-compressed IDAT chunk. Modules that do not link OpenCV (audio) use it to
// fill Finding::artifacts.
#ifndef WM_CORE_PNG_H_
#define WM_CORE_PNG_H_

#include <cstdint>
#include <vector>

namespace wm::core {

// An RGB image, 8 bits per channel, rows top to bottom, 3 * width bytes per row, no padding.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // size 3 * width * height

  RgbImage() = default;
  RgbImage(int width_px, int height_px, std::uint8_t r = 0, std::uint8_t g = 0, std::uint8_t b = 0);
  // Sets one pixel; coordinates outside the image are ignored (plots may clip).
  void set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b);
};

// The complete PNG file (signature, IHDR, IDAT, IEND). Empty when the image is empty
// (width or height <= 0) or its pixel buffer does not match its size.
std::vector<std::uint8_t> encode_png(const RgbImage& image);

}  // namespace wm::core

#endif  // WM_CORE_PNG_H_
