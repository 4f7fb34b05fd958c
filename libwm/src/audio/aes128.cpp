// AES-128 written from FIPS-197 (sections 5.1 and 5.2): SubBytes through a table computed
// from the GF(2^8) inverse and the affine map, ShiftRows, MixColumns by xtime, and the key
// expansion with Rcon. The state is kept column-major as in the standard (byte r + 4c).
#include "audio/aes128.h"

#include <cstddef>

namespace wm::audio {

namespace {

std::uint8_t xtime(std::uint8_t x) {
  return static_cast<std::uint8_t>((x << 1) ^ ((x & 0x80) ? 0x1b : 0x00));
}

std::uint8_t gf_multiply(std::uint8_t a, std::uint8_t b) {
  std::uint8_t product = 0;
  while (b) {
    if (b & 1) product ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return product;
}

// The S-box of FIPS-197 5.1.1: multiplicative inverse in GF(2^8) followed by the affine map.
struct SBox {
  std::array<std::uint8_t, 256> table{};
  SBox() {
    for (int x = 0; x < 256; ++x) {
      std::uint8_t inverse = 0;
      if (x != 0) {
        for (int y = 1; y < 256; ++y) {
          if (gf_multiply(static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(y)) == 1) {
            inverse = static_cast<std::uint8_t>(y);
            break;
          }
        }
      }
      std::uint8_t s = inverse;
      for (int shift = 1; shift <= 4; ++shift) {
        s ^= static_cast<std::uint8_t>((inverse << shift) | (inverse >> (8 - shift)));
      }
      table[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(s ^ 0x63);
    }
  }
};

const std::array<std::uint8_t, 256>& sbox() {
  static const SBox instance;
  return instance.table;
}

}  // namespace

Aes128::Aes128(const AesKey& key) {
  const auto& s = sbox();
  for (std::size_t i = 0; i < 16; ++i) round_keys_[i] = key[i];
  std::uint8_t rcon = 0x01;
  for (std::size_t word = 4; word < 44; ++word) {
    std::array<std::uint8_t, 4> temp;
    for (std::size_t b = 0; b < 4; ++b) temp[b] = round_keys_[(word - 1) * 4 + b];
    if (word % 4 == 0) {
      const std::uint8_t first = temp[0];
      temp[0] = static_cast<std::uint8_t>(s[temp[1]] ^ rcon);
      temp[1] = s[temp[2]];
      temp[2] = s[temp[3]];
      temp[3] = s[first];
      rcon = xtime(rcon);
    }
    for (std::size_t b = 0; b < 4; ++b) {
      round_keys_[word * 4 + b] = static_cast<std::uint8_t>(round_keys_[(word - 4) * 4 + b] ^ temp[b]);
    }
  }
}

AesBlock Aes128::encrypt(const AesBlock& plain) const {
  const auto& s = sbox();
  AesBlock state;
  for (std::size_t i = 0; i < 16; ++i) state[i] = static_cast<std::uint8_t>(plain[i] ^ round_keys_[i]);
  for (int round = 1; round <= 10; ++round) {
    AesBlock shifted;
    // SubBytes and ShiftRows: row r of column c comes from column (c + r) mod 4.
    for (std::size_t c = 0; c < 4; ++c) {
      for (std::size_t r = 0; r < 4; ++r) shifted[r + 4 * c] = s[state[r + 4 * ((c + r) % 4)]];
    }
    if (round != 10) {
      for (std::size_t c = 0; c < 4; ++c) {
        const std::uint8_t a0 = shifted[4 * c], a1 = shifted[4 * c + 1];
        const std::uint8_t a2 = shifted[4 * c + 2], a3 = shifted[4 * c + 3];
        const std::uint8_t all = static_cast<std::uint8_t>(a0 ^ a1 ^ a2 ^ a3);
        shifted[4 * c] = static_cast<std::uint8_t>(a0 ^ all ^ xtime(static_cast<std::uint8_t>(a0 ^ a1)));
        shifted[4 * c + 1] = static_cast<std::uint8_t>(a1 ^ all ^ xtime(static_cast<std::uint8_t>(a1 ^ a2)));
        shifted[4 * c + 2] = static_cast<std::uint8_t>(a2 ^ all ^ xtime(static_cast<std::uint8_t>(a2 ^ a3)));
        shifted[4 * c + 3] = static_cast<std::uint8_t>(a3 ^ all ^ xtime(static_cast<std::uint8_t>(a3 ^ a0)));
      }
    }
    for (std::size_t i = 0; i < 16; ++i) {
      state[i] = static_cast<std::uint8_t>(shifted[i] ^ round_keys_[16 * static_cast<std::size_t>(round) + i]);
    }
  }
  return state;
}

std::uint64_t AesCtrWords::next() {
  if (used_words_ == 2) {
    stream_ = cipher_.encrypt(counter_);
    for (int i = 15; i >= 0; --i) {
      if (++counter_[static_cast<std::size_t>(i)] != 0) break;
    }
    used_words_ = 0;
  }
  std::uint64_t word = 0;
  for (int i = 0; i < 8; ++i) word = (word << 8) | stream_[static_cast<std::size_t>(8 * used_words_ + i)];
  ++used_words_;
  return word;
}

}  // namespace wm::audio
