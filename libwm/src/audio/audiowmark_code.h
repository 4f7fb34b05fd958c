// audiowmark's format as data: the key-derived layout of one block and its channel code.
//
// Everything here follows ../shared/specs/audiowmark-detection.md (format facts, not code).
// A Layout is derived once per key and is read-only afterwards: share it between threads.
#ifndef WM_AUDIO_AUDIOWMARK_CODE_H_
#define WM_AUDIO_AUDIOWMARK_CODE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "audio/aes128.h"

namespace wm::audio::awm {

inline constexpr int kFrameSizeSamples = 1024;   // analysis frame at 44.1 kHz, no overlap
inline constexpr int kSampleRateHz = 44100;
inline constexpr int kMinBand = 20;              // FFT bins 20..100 inclusive
inline constexpr int kMaxBand = 100;
inline constexpr int kBandCount = kMaxBand - kMinBand + 1;
inline constexpr int kBandsPerSide = 30;         // up bands, and as many down bands, per frame
inline constexpr int kSyncFrames = 510;
inline constexpr int kSyncBits = 6;
inline constexpr int kFramesPerSyncBit = 85;
inline constexpr int kDataFrames = 1716;
inline constexpr int kBlockFrames = kSyncFrames + kDataFrames;  // 2226 frames per block
inline constexpr int kPayloadBits = 128;
inline constexpr int kTailBits = 15;
inline constexpr int kCodeRate = 6;
inline constexpr int kCodedBits = (kPayloadBits + kTailBits) * kCodeRate;  // 858
inline constexpr int kTriplesPerBit = 60;

enum class BlockType { kA, kB };

// The pseudo-random layout of a block under one key.
struct Layout {
  // Per sync frame index and per data frame index: 30 up and 30 down bands, as offsets from
  // kMinBand (0..80).
  std::vector<std::array<std::uint8_t, kBandsPerSide>> sync_up, sync_down;
  std::vector<std::array<std::uint8_t, kBandsPerSide>> data_up, data_down;
  // Position (frame index within the block, 0..2225) of each sync frame and data frame.
  std::vector<int> sync_position, data_position;
  // For transmitted bit i, its 60 (data frame index, pair index) triples.
  std::vector<std::array<std::pair<std::uint16_t, std::uint8_t>, kTriplesPerBit>> bit_triples;
  // Transmitted bit i carries coded bit coded_index[i].
  std::vector<int> coded_index;
};

Layout make_layout(const AesKey& key);

// 128 payload bits (MSB first per hex digit) plus the zero tail, encoded with the A or B
// generators: 858 coded bits (0/1), before interleaving. For tests and round trips.
std::vector<std::uint8_t> encode(const std::array<std::uint8_t, kPayloadBits>& payload_bits, BlockType type);
// The same with both generator sets (AB combination): 1716 coded bits, A outputs then B
// outputs for each input bit.
std::vector<std::uint8_t> encode_ab(const std::array<std::uint8_t, kPayloadBits>& payload_bits);

struct Decoded {
  std::array<std::uint8_t, kPayloadBits> bits{};
  double error = 1.0;  // final path metric / coded bits (squared distance)
};

// Soft-decision Viterbi over soft values in [0, 1] (0 = bit 0, 1 = bit 1), coded-bit order
// (de-interleaved). `soft` has 858 values for one block type, 1716 for AB (see encode_ab).
Decoded viterbi_decode(const std::vector<float>& soft, BlockType type, bool ab);

std::string bits_to_hex(const std::array<std::uint8_t, kPayloadBits>& bits);

}  // namespace wm::audio::awm

#endif  // WM_AUDIO_AUDIOWMARK_CODE_H_
