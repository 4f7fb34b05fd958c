#include "audio/aes128.h"

#include <gtest/gtest.h>

namespace wm::audio {
namespace {

AesBlock from_hex(const char* hex) {
  AesBlock out{};
  for (std::size_t i = 0; i < 16; ++i) out[i] = static_cast<std::uint8_t>(std::stoi(std::string(hex + 2 * i, 2), nullptr, 16));
  return out;
}

// FIPS-197 Appendix C.1 (AES-128).
TEST(Aes128, Fips197AppendixC1) {
  const Aes128 cipher(from_hex("000102030405060708090a0b0c0d0e0f"));
  EXPECT_EQ(cipher.encrypt(from_hex("00112233445566778899aabbccddeeff")),
            from_hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
}

// FIPS-197 Appendix B (the cipher example with key 2b7e1516...).
TEST(Aes128, Fips197AppendixB) {
  const Aes128 cipher(from_hex("2b7e151628aed2a6abf7158809cf4f3c"));
  EXPECT_EQ(cipher.encrypt(from_hex("3243f6a8885a308d313198a2e0370734")),
            from_hex("3925841d02dc09fbdc118597196a0b32"));
}

// NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt): keystream = ciphertext xor plaintext.
TEST(Aes128, CtrKeystreamMatchesSp80038a) {
  const Aes128 cipher(from_hex("2b7e151628aed2a6abf7158809cf4f3c"));
  AesCtrWords words(cipher, from_hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
  // Block 1: plaintext 6bc1bee22e409f96e93d7e117393172a, ciphertext 874d6191b620e3261bef6864990db6ce.
  EXPECT_EQ(words.next(), 0x6bc1bee22e409f96ULL ^ 0x874d6191b620e326ULL);
  EXPECT_EQ(words.next(), 0xe93d7e117393172aULL ^ 0x1bef6864990db6ceULL);
  // Block 2: plaintext ae2d8a571e03ac9c9eb76fac45af8e51, ciphertext 9806f66b7970fdff8617187bb9fffdff.
  EXPECT_EQ(words.next(), 0xae2d8a571e03ac9cULL ^ 0x9806f66b7970fdffULL);
  EXPECT_EQ(words.next(), 0x9eb76fac45af8e51ULL ^ 0x8617187bb9fffdffULL);
}

}  // namespace
}  // namespace wm::audio
