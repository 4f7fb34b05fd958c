// PNG writer: structure (signature, chunk order, IHDR fields, CRCs) and the pixels read back by
// inflating IDAT with zlib and undoing the row filters. (No PNG decoder is linked in core tests.)
#include "core/png.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace wm::core {
namespace {

std::uint32_t read_u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

struct Chunk {
  std::string type;
  std::vector<std::uint8_t> data;
};

// Splits a PNG into chunks, failing the test on a bad signature, length or CRC.
std::vector<Chunk> parse(const std::vector<std::uint8_t>& png) {
  const std::vector<std::uint8_t> signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<Chunk> chunks;
  EXPECT_GE(png.size(), signature.size());
  if (png.size() < signature.size()) return chunks;
  EXPECT_TRUE(std::equal(signature.begin(), signature.end(), png.begin()));
  std::size_t at = signature.size();
  while (at + 12 <= png.size()) {
    const std::uint32_t length = read_u32(png, at);
    EXPECT_LE(at + 12 + length, png.size());
    if (at + 12 + length > png.size()) break;
    Chunk c;
    c.type.assign(png.begin() + static_cast<std::ptrdiff_t>(at + 4), png.begin() + static_cast<std::ptrdiff_t>(at + 8));
    c.data.assign(png.begin() + static_cast<std::ptrdiff_t>(at + 8), png.begin() + static_cast<std::ptrdiff_t>(at + 8 + length));
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), png.data() + at + 4, length + 4);
    EXPECT_EQ(read_u32(png, at + 8 + length), static_cast<std::uint32_t>(crc)) << "CRC of " << c.type;
    chunks.push_back(std::move(c));
    at += 12 + length;
  }
  EXPECT_EQ(at, png.size()) << "trailing bytes";
  return chunks;
}

// Inflates the IDAT data and undoes filters 0 (none) and 2 (up); other filters fail the test
// (the writer does not use them).
std::vector<std::uint8_t> decode_pixels(const std::vector<std::uint8_t>& idat, int width, int height) {
  const std::size_t row_bytes = static_cast<std::size_t>(width) * 3;
  std::vector<std::uint8_t> raw((row_bytes + 1) * static_cast<std::size_t>(height));
  uLongf raw_size = raw.size();
  EXPECT_EQ(uncompress(raw.data(), &raw_size, idat.data(), idat.size()), Z_OK);
  EXPECT_EQ(raw_size, raw.size());
  std::vector<std::uint8_t> pixels(row_bytes * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    const std::uint8_t filter = raw[static_cast<std::size_t>(y) * (row_bytes + 1)];
    const std::uint8_t* in = raw.data() + static_cast<std::size_t>(y) * (row_bytes + 1) + 1;
    std::uint8_t* out = pixels.data() + static_cast<std::size_t>(y) * row_bytes;
    EXPECT_TRUE(filter == 0 || (filter == 2 && y > 0)) << "row " << y << " filter " << int{filter};
    for (std::size_t i = 0; i < row_bytes; ++i) {
      out[i] = filter == 2 ? static_cast<std::uint8_t>(in[i] + out[static_cast<std::ptrdiff_t>(i) - static_cast<std::ptrdiff_t>(row_bytes)]) : in[i];
    }
  }
  return pixels;
}

TEST(Png, StructureAndPixelsRoundTrip) {
  RgbImage image(37, 11, 250, 250, 250);
  std::mt19937 rng(7);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (y % 3 == 1) image.set(x, y, static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng()));
    }
  }
  image.set(5, 0, 255, 0, 0);
  image.set(-1, 0, 1, 2, 3);   // ignored
  image.set(37, 10, 1, 2, 3);  // ignored
  const std::vector<std::uint8_t> png = encode_png(image);
  const std::vector<Chunk> chunks = parse(png);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].type, "IHDR");
  EXPECT_EQ(chunks[1].type, "IDAT");
  EXPECT_EQ(chunks[2].type, "IEND");
  EXPECT_TRUE(chunks[2].data.empty());
  ASSERT_EQ(chunks[0].data.size(), 13u);
  EXPECT_EQ(read_u32(chunks[0].data, 0), 37u);
  EXPECT_EQ(read_u32(chunks[0].data, 4), 11u);
  EXPECT_EQ(chunks[0].data[8], 8);   // bit depth
  EXPECT_EQ(chunks[0].data[9], 2);   // RGB
  EXPECT_EQ(chunks[0].data[10], 0);  // deflate
  EXPECT_EQ(chunks[0].data[11], 0);  // filter method
  EXPECT_EQ(chunks[0].data[12], 0);  // no interlace
  EXPECT_EQ(decode_pixels(chunks[1].data, 37, 11), image.pixels);
}

TEST(Png, FlatImageCompressesWell) {
  RgbImage image(800, 240, 255, 255, 255);
  for (int x = 0; x < 800; ++x) image.set(x, 120, 0, 0, 200);
  const std::vector<std::uint8_t> png = encode_png(image);
  ASSERT_FALSE(png.empty());
  EXPECT_LT(png.size(), 4000u);  // 576,000 pixel bytes of two colours
  const std::vector<Chunk> chunks = parse(png);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(decode_pixels(chunks[1].data, 800, 240), image.pixels);
}

TEST(Png, EmptyOrInconsistentImageGivesNoBytes) {
  EXPECT_TRUE(encode_png(RgbImage()).empty());
  EXPECT_TRUE(encode_png(RgbImage(0, 5)).empty());
  RgbImage broken(4, 4);
  broken.pixels.resize(10);
  EXPECT_TRUE(encode_png(broken).empty());
}

}  // namespace
}  // namespace wm::core
