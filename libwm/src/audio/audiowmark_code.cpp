// audiowmark's block layout and channel code, written from the format notes in
// ../shared/specs/audiowmark-detection.md and checked against the reference vectors.
//
// Pseudo-random streams: seed(s, id) = AES-ECB(key, [s: 8 bytes BE][id][7 zero bytes]) is the
// initial counter of an AES-CTR keystream read as big-endian 64-bit words. Every shuffle is
// the forward Fisher-Yates "j = i + r() % (n - i)".
//
// Channel code: rate 1/6, constraint length 16; the 15-bit state is the last 15 input bits.
// The Viterbi decoder keeps all 2^15 path metrics (squared distance to soft values in [0,1])
// and one decision bit per state and step for the trace-back (143 x 32768 bytes).
#include "audio/audiowmark_code.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>

namespace wm::audio::awm {

namespace {

constexpr std::array<std::uint32_t, 6> kGeneratorsA = {066561, 071545, 063635, 063543, 052547, 067657};
constexpr std::array<std::uint32_t, 6> kGeneratorsB = {075211, 054435, 052475, 075307, 045627, 051757};
constexpr int kStates = 1 << (16 - 1);
constexpr int kInputBits = kPayloadBits + kTailBits;

enum StreamId : std::uint8_t { kDataBands = 1, kSyncBands = 2, kMix = 4, kBitOrder = 5, kFramePosition = 6 };

AesCtrWords make_stream(const Aes128& cipher, std::uint64_t s, std::uint8_t stream_id) {
  AesBlock block{};
  for (int i = 0; i < 8; ++i) block[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(s >> (56 - 8 * i));
  block[8] = stream_id;
  return AesCtrWords(cipher, cipher.encrypt(block));
}

template <class T>
void shuffle(std::vector<T>& v, AesCtrWords& random) {
  const std::size_t n = v.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(random.next() % (n - i));
    std::swap(v[i], v[j]);
  }
}

void frame_bands(const Aes128& cipher, int frame, std::uint8_t stream_id,
                 std::array<std::uint8_t, kBandsPerSide>& up, std::array<std::uint8_t, kBandsPerSide>& down) {
  std::vector<std::uint8_t> bands(kBandCount);
  std::iota(bands.begin(), bands.end(), std::uint8_t{0});
  AesCtrWords random = make_stream(cipher, static_cast<std::uint64_t>(frame), stream_id);
  shuffle(bands, random);
  std::copy_n(bands.begin(), kBandsPerSide, up.begin());
  std::copy_n(bands.begin() + kBandsPerSide, kBandsPerSide, down.begin());
}

const std::array<std::uint32_t, 6>& generators(BlockType type) {
  return type == BlockType::kA ? kGeneratorsA : kGeneratorsB;
}

// Output pattern (bit k = generator k) for each 16-bit register value.
std::vector<std::uint8_t> output_table(BlockType type) {
  std::vector<std::uint8_t> table(1 << 16);
  const auto& g = generators(type);
  for (std::uint32_t reg = 0; reg < (1u << 16); ++reg) {
    std::uint8_t pattern = 0;
    for (int k = 0; k < 6; ++k) {
      if (std::popcount(reg & g[static_cast<std::size_t>(k)]) & 1) pattern |= static_cast<std::uint8_t>(1 << k);
    }
    table[reg] = pattern;
  }
  return table;
}

std::vector<std::uint8_t> encode_with(const std::array<std::uint8_t, kPayloadBits>& payload_bits,
                                      const std::vector<const std::array<std::uint32_t, 6>*>& sets) {
  std::vector<std::uint8_t> out;
  std::uint32_t reg = 0;
  for (int i = 0; i < kInputBits; ++i) {
    const std::uint32_t bit = i < kPayloadBits ? payload_bits[static_cast<std::size_t>(i)] & 1u : 0u;
    reg = ((reg << 1) | bit) & 0xFFFFu;
    for (const auto* set : sets) {
      for (std::uint32_t g : *set) out.push_back(static_cast<std::uint8_t>(std::popcount(reg & g) & 1));
    }
  }
  return out;
}

}  // namespace

Layout make_layout(const AesKey& key) {
  const Aes128 cipher(key);
  Layout layout;
  layout.sync_up.resize(kSyncFrames);
  layout.sync_down.resize(kSyncFrames);
  for (int f = 0; f < kSyncFrames; ++f) {
    frame_bands(cipher, f, kSyncBands, layout.sync_up[static_cast<std::size_t>(f)],
                layout.sync_down[static_cast<std::size_t>(f)]);
  }
  layout.data_up.resize(kDataFrames);
  layout.data_down.resize(kDataFrames);
  for (int f = 0; f < kDataFrames; ++f) {
    frame_bands(cipher, f, kDataBands, layout.data_up[static_cast<std::size_t>(f)],
                layout.data_down[static_cast<std::size_t>(f)]);
  }

  std::vector<int> positions(kBlockFrames);
  std::iota(positions.begin(), positions.end(), 0);
  AesCtrWords position_random = make_stream(cipher, 0, kFramePosition);
  shuffle(positions, position_random);
  layout.sync_position.assign(positions.begin(), positions.begin() + kSyncFrames);
  layout.data_position.assign(positions.begin() + kSyncFrames, positions.end());

  std::vector<std::pair<std::uint16_t, std::uint8_t>> triples;
  triples.reserve(static_cast<std::size_t>(kDataFrames) * kBandsPerSide);
  for (int f = 0; f < kDataFrames; ++f) {
    for (int j = 0; j < kBandsPerSide; ++j) {
      triples.emplace_back(static_cast<std::uint16_t>(f), static_cast<std::uint8_t>(j));
    }
  }
  AesCtrWords mix_random = make_stream(cipher, 0, kMix);
  shuffle(triples, mix_random);
  layout.bit_triples.resize(kCodedBits);
  for (std::size_t i = 0; i < triples.size(); ++i) {
    layout.bit_triples[i / kTriplesPerBit][i % kTriplesPerBit] = triples[i];
  }

  layout.coded_index.resize(kCodedBits);
  std::iota(layout.coded_index.begin(), layout.coded_index.end(), 0);
  AesCtrWords order_random = make_stream(cipher, 0, kBitOrder);
  shuffle(layout.coded_index, order_random);
  return layout;
}

std::vector<std::uint8_t> encode(const std::array<std::uint8_t, kPayloadBits>& payload_bits, BlockType type) {
  return encode_with(payload_bits, {&generators(type)});
}

std::vector<std::uint8_t> encode_ab(const std::array<std::uint8_t, kPayloadBits>& payload_bits) {
  return encode_with(payload_bits, {&kGeneratorsA, &kGeneratorsB});
}

Decoded viterbi_decode(const std::vector<float>& soft, BlockType type, bool ab) {
  const int outputs_per_step = ab ? 12 : 6;
  Decoded result;
  if (soft.size() != static_cast<std::size_t>(kInputBits * outputs_per_step)) return result;

  const std::vector<std::uint8_t> table_first = output_table(ab ? BlockType::kA : type);
  const std::vector<std::uint8_t> table_second = ab ? output_table(BlockType::kB) : std::vector<std::uint8_t>{};

  constexpr float kUnreached = std::numeric_limits<float>::infinity();
  std::vector<float> metric(kStates, kUnreached), next(kStates);
  metric[0] = 0.0f;
  std::vector<std::uint8_t> decisions(static_cast<std::size_t>(kInputBits) * kStates);
  std::array<float, 64> cost_first{}, cost_second{};

  for (int step = 0; step < kInputBits; ++step) {
    const float* s = soft.data() + static_cast<std::size_t>(step) * outputs_per_step;
    for (int pattern = 0; pattern < 64; ++pattern) {
      float c1 = 0.0f, c2 = 0.0f;
      for (int k = 0; k < 6; ++k) {
        const float bit = static_cast<float>((pattern >> k) & 1);
        c1 += (s[k] - bit) * (s[k] - bit);
        if (ab) c2 += (s[6 + k] - bit) * (s[6 + k] - bit);
      }
      cost_first[static_cast<std::size_t>(pattern)] = c1;
      cost_second[static_cast<std::size_t>(pattern)] = c2;
    }
    std::uint8_t* decided = decisions.data() + static_cast<std::size_t>(step) * kStates;
    for (int state = 0; state < kStates; ++state) {
      const std::uint32_t low = static_cast<std::uint32_t>(state) >> 1;
      const std::uint32_t bit = static_cast<std::uint32_t>(state) & 1u;
      float best = kUnreached;
      std::uint8_t choice = 0;
      for (std::uint32_t top = 0; top < 2; ++top) {
        const std::uint32_t previous = low | (top << 14);
        const float m = metric[previous];
        if (m == kUnreached) continue;
        const std::uint32_t reg = (previous << 1) | bit;
        float c = m + cost_first[table_first[reg]];
        if (ab) c += cost_second[table_second[reg]];
        if (c < best) {
          best = c;
          choice = static_cast<std::uint8_t>(top);
        }
      }
      next[static_cast<std::size_t>(state)] = best;
      decided[state] = choice;
    }
    metric.swap(next);
  }

  std::uint32_t state = 0;
  std::vector<std::uint8_t> inputs(kInputBits);
  for (int step = kInputBits - 1; step >= 0; --step) {
    inputs[static_cast<std::size_t>(step)] = static_cast<std::uint8_t>(state & 1u);
    const std::uint32_t top = decisions[static_cast<std::size_t>(step) * kStates + state];
    state = (state >> 1) | (top << 14);
  }
  std::copy_n(inputs.begin(), kPayloadBits, result.bits.begin());
  result.error = metric[0] / static_cast<double>(soft.size());
  return result;
}

std::string bits_to_hex(const std::array<std::uint8_t, kPayloadBits>& bits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (int d = 0; d < kPayloadBits / 4; ++d) {
    int v = 0;
    for (int b = 0; b < 4; ++b) v = (v << 1) | (bits[static_cast<std::size_t>(4 * d + b)] & 1);
    hex += kDigits[v];
  }
  return hex;
}

}  // namespace wm::audio::awm
