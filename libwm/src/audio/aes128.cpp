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

// SubBytes, ShiftRows and MixColumns of rounds 1-9 as four lookups per column (the usual
// "T-table" form of the same arithmetic): column[r] holds, for the byte x that row r of an
// output column takes after ShiftRows, the 4 bytes (rows 0..3) MixColumns makes of S(x) —
// S(x) times column r of the MixColumns matrix (2 3 1 1 / 1 2 3 1 / 1 1 2 3 / 3 1 1 2). An
// output column is the XOR of the four entries. Several times faster than byte-wise rounds:
// the zero key's layout (~300,000 AES words) cost ~3 % of an audio scan.
struct RoundTables {
  std::array<std::array<std::array<std::uint8_t, 4>, 256>, 4> column{};
  RoundTables() {
    const auto& s = sbox();
    constexpr std::uint8_t kMix[4][4] = {{2, 3, 1, 1}, {1, 2, 3, 1}, {1, 1, 2, 3}, {3, 1, 1, 2}};
    for (std::size_t r = 0; r < 4; ++r) {
      for (std::size_t x = 0; x < 256; ++x) {
        for (std::size_t row = 0; row < 4; ++row) column[r][x][row] = gf_multiply(s[x], kMix[row][r]);
      }
    }
  }
};

const RoundTables& round_tables() {
  static const RoundTables instance;
  return instance;
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
  const auto& t = round_tables().column;
  AesBlock state;
  for (std::size_t i = 0; i < 16; ++i) state[i] = static_cast<std::uint8_t>(plain[i] ^ round_keys_[i]);
  // Byte `row` of output column c after ShiftRows: the byte of column (c + row) mod 4.
  auto shifted = [&](std::size_t row, std::size_t c) { return state[row + 4 * ((c + row) % 4)]; };
  for (std::size_t round = 1; round <= 10; ++round) {
    const std::uint8_t* key = round_keys_.data() + 16 * round;
    AesBlock next;
    for (std::size_t c = 0; c < 4; ++c) {
      const std::uint8_t b0 = shifted(0, c), b1 = shifted(1, c), b2 = shifted(2, c), b3 = shifted(3, c);
      for (std::size_t row = 0; row < 4; ++row) {
        const std::uint8_t mixed =
            round < 10 ? static_cast<std::uint8_t>(t[0][b0][row] ^ t[1][b1][row] ^ t[2][b2][row] ^ t[3][b3][row])
                       : s[shifted(row, c)];  // the last round has no MixColumns
        next[row + 4 * c] = static_cast<std::uint8_t>(mixed ^ key[row + 4 * c]);
      }
    }
    state = next;
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
