// PNG (ISO/IEC 15948, RFC 2083) writer: colour type 2 (RGB), bit depth 8, filter type 0 with
// per-row filter "none" for flat plot colours except rows that differ little from the row
// above, which use "up" (cheap and good enough for plots). zlib provides deflate and CRC-32.
#include "core/png.h"

#include <zlib.h>

#include <cstring>
#include <string_view>

namespace wm::core {

RgbImage::RgbImage(int width_px, int height_px, std::uint8_t r, std::uint8_t g, std::uint8_t b)
    : width(width_px), height(height_px) {
  if (width <= 0 || height <= 0) {
    width = height = 0;
    return;
  }
  pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  for (std::size_t i = 0; i < pixels.size(); i += 3) {
    pixels[i] = r;
    pixels[i + 1] = g;
    pixels[i + 2] = b;
  }
}

void RgbImage::set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 3;
  pixels[at] = r;
  pixels[at + 1] = g;
  pixels[at + 2] = b;
}

namespace {

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

// Length, type, data, CRC-32 over type and data.
void put_chunk(std::vector<std::uint8_t>& out, std::string_view type, const std::uint8_t* data, std::size_t size) {
  put_u32(out, static_cast<std::uint32_t>(size));
  const std::size_t type_at = out.size();
  out.insert(out.end(), type.begin(), type.end());
  if (size > 0) out.insert(out.end(), data, data + size);
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), out.data() + type_at, static_cast<uInt>(size + 4));
  put_u32(out, static_cast<std::uint32_t>(crc));
}

}  // namespace

std::vector<std::uint8_t> encode_png(const RgbImage& image) {
  if (image.width <= 0 || image.height <= 0) return {};
  const std::size_t row_bytes = static_cast<std::size_t>(image.width) * 3;
  if (image.pixels.size() != row_bytes * static_cast<std::size_t>(image.height)) return {};
  // Scanlines: one filter byte, then the row (filter 0 "none", or 2 "up" when that leaves
  // more zero bytes — plots repeat rows, and zeros compress best).
  std::vector<std::uint8_t> raw;
  raw.reserve((row_bytes + 1) * static_cast<std::size_t>(image.height));
  std::vector<std::uint8_t> up(row_bytes);
  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t* row = image.pixels.data() + static_cast<std::size_t>(y) * row_bytes;
    std::size_t zeros_none = 0, zeros_up = 0;
    if (y > 0) {
      const std::uint8_t* above = row - row_bytes;
      for (std::size_t i = 0; i < row_bytes; ++i) {
        up[i] = static_cast<std::uint8_t>(row[i] - above[i]);
        zeros_up += up[i] == 0;
        zeros_none += row[i] == 0;
      }
    }
    if (y > 0 && zeros_up > zeros_none) {
      raw.push_back(2);
      raw.insert(raw.end(), up.begin(), up.end());
    } else {
      raw.push_back(0);
      raw.insert(raw.end(), row, row + row_bytes);
    }
  }
  uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> compressed(compressed_size);
  if (compress2(compressed.data(), &compressed_size, raw.data(), static_cast<uLong>(raw.size()), 9) != Z_OK) return {};

  std::vector<std::uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<std::uint8_t> header;
  put_u32(header, static_cast<std::uint32_t>(image.width));
  put_u32(header, static_cast<std::uint32_t>(image.height));
  header.insert(header.end(), {8, 2, 0, 0, 0});  // depth 8, RGB, deflate, filter 0, no interlace
  put_chunk(out, "IHDR", header.data(), header.size());
  put_chunk(out, "IDAT", compressed.data(), compressed_size);
  put_chunk(out, "IEND", nullptr, 0);
  return out;
}

}  // namespace wm::core
