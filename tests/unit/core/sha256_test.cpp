#include "core/sha256.h"

#include <gtest/gtest.h>

#include <fstream>

namespace wm::core {
namespace {

std::string hex(std::string_view s) {
  Sha256 h;
  h.update(s);
  return h.hex_digest();
}

TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(chunk);
  EXPECT_EQ(million.hex_digest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, SplitUpdatesEqualOneUpdate) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 31);
  Sha256 split;
  for (std::size_t i = 0; i < data.size(); i += 7) split.update(std::string_view(data).substr(i, 7));
  EXPECT_EQ(split.hex_digest(), hex(data));
}

TEST(Sha256Test, FileMatchesBytesAndErrorsNameTheFile) {
  const auto p = std::filesystem::path(::testing::TempDir()) / "sha_file.bin";
  std::ofstream(p, std::ios::binary) << "abc";
  auto digest = sha256_file(p);
  ASSERT_TRUE(digest.is_ok());
  EXPECT_EQ(*digest, hex("abc"));
  auto missing = sha256_file("/nonexistent/x.bin");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/x.bin"), std::string::npos);
}

}  // namespace
}  // namespace wm::core
