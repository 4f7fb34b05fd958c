#include "core/file_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace wm::core {
namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& bytes) {
  const auto p = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

TEST(FileReaderTest, ReadsAndClampsAtEnd) {
  const auto p = write_temp("reader_clamp.bin", "0123456789");
  auto reader = FileReader::open(p);
  ASSERT_TRUE(reader.is_ok()) << reader.status().message();
  EXPECT_EQ(reader->size_bytes(), 10u);
  std::vector<std::uint8_t> buf;
  ASSERT_TRUE(reader->read_at(7, 100, buf).is_ok());
  EXPECT_EQ(std::string(buf.begin(), buf.end()), "789");
  ASSERT_TRUE(reader->read_at(10, 5, buf).is_ok());
  EXPECT_TRUE(buf.empty());
  ASSERT_TRUE(reader->read_at(~0ull, 5, buf).is_ok());
  EXPECT_TRUE(buf.empty());
}

TEST(FileReaderTest, ReadExactNamesWhatRanPastTheEnd) {
  const auto p = write_temp("reader_exact.bin", "abc");
  auto reader = FileReader::open(p);
  ASSERT_TRUE(reader.is_ok());
  std::vector<std::uint8_t> buf;
  const Status s = reader->read_exact(1, 8, buf, "box 'moov'");
  EXPECT_EQ(s.code(), StatusCode::kCorruptInput);
  EXPECT_NE(s.message().find("box 'moov'"), std::string::npos);
  EXPECT_NE(s.message().find("reader_exact.bin"), std::string::npos);
}

TEST(FileReaderTest, MissingFileAndDirectoryAreNamedErrors) {
  auto missing = FileReader::open("/nonexistent/dir/x.mp4");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent/dir/x.mp4"), std::string::npos);
  auto dir = FileReader::open(::testing::TempDir());
  ASSERT_FALSE(dir.is_ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kIoError);
  EXPECT_NE(dir.status().message().find("directory"), std::string::npos);
}

TEST(EndianTest, LoadsBothOrders) {
  const std::uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(load_be32(b), 0x01020304u);
  EXPECT_EQ(load_le32(b), 0x04030201u);
  EXPECT_EQ(load_be64(b), 0x0102030405060708ull);
  EXPECT_EQ(load_le64(b), 0x0807060504030201ull);
  EXPECT_EQ(load_be16(b), 0x0102u);
}

}  // namespace
}  // namespace wm::core
