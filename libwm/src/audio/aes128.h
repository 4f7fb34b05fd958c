// AES-128 block encryption (FIPS-197), encrypt direction only, plus a CTR keystream.
//
// Used to derive audiowmark's pseudo-random layout from its key (see audiowmark.cpp); this is
// not a general cryptographic library: no decryption, no constant-time guarantee. Plain values,
// copy freely between threads.
#ifndef WM_AUDIO_AES128_H_
#define WM_AUDIO_AES128_H_

#include <array>
#include <cstdint>

namespace wm::audio {

using AesBlock = std::array<std::uint8_t, 16>;
using AesKey = std::array<std::uint8_t, 16>;

class Aes128 {
 public:
  explicit Aes128(const AesKey& key);
  // One 16-byte block, ECB.
  AesBlock encrypt(const AesBlock& plain) const;

 private:
  std::array<std::uint8_t, 176> round_keys_{};  // 11 round keys of 16 bytes
};

// AES-128-CTR keystream read as consecutive big-endian 64-bit words. The counter block is
// incremented as one 128-bit big-endian number after every 16 keystream bytes.
class AesCtrWords {
 public:
  AesCtrWords(const Aes128& cipher, const AesBlock& initial_counter)
      : cipher_(cipher), counter_(initial_counter) {}
  std::uint64_t next();

 private:
  const Aes128& cipher_;
  AesBlock counter_;
  AesBlock stream_{};
  int used_words_ = 2;  // words of stream_ already returned (0..2)
};

}  // namespace wm::audio

#endif  // WM_AUDIO_AES128_H_
