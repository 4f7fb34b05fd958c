// audio.audiowmark — reads marks made by audiowmark, from the format notes in
// ../shared/specs/audiowmark-detection.md, checked against ../shared/vectors/audiowmark/.
//
// Method
//   input (any rate, any channels) ─> mono mean ─> io::Resampler to 44.1 kHz ─> whole signal
//
//   1. Coarse sync search. For each of the two phases 0/512 samples, the dB of FFT bins
//      20..100 of every 1024-sample frame (Hann, sum 2) is computed once. A block start
//      s = phase + 1024 k then reads its 510 sync frames as rows k + position[f] of that table,
//      so every candidate on the 512-sample grid costs two dense 88-float dot products per
//      sync frame (band masks; vectorised), no FFT:
//
//        sync bit b = frames 85b .. 85b+84        U = sum dB(up bands), D = sum dB(down bands)
//        raw_b = U < D ? 1 - U/D : D/U - 1         score = mean_b(sign_b * raw_b) / 0.029
//        sign pattern A = - + - + - +   (B = + - + - + -, i.e. a negative A score)
//
//   2. Peaks of |score| at least half a block apart are refined (±512 samples in steps of 64,
//      then ±56 in steps of 8) with fresh FFTs of the sync frames only.
//   3. At the refined start, the data frames and their neighbours are transformed; each
//      transmitted bit sums, over its 60 (frame, up, down) triples, the up band's dB minus
//      the mean of its time neighbours, minus the same for the down band. De-interleaved and
//      normalised to [0,1], the 858 soft bits go to a soft Viterbi decoder (audiowmark_code).
//   4. Blocks whose sync score and error pass the thresholds are reported; soft bits of all
//      synchronised blocks are also combined (A with B: both generator sets, "AB"/"ALL"),
//      which reads marks too weak for one block.
//
// Thresholds (from the vectors): correct blocks have sync 1.2–2.1 and error 0.03–0.09;
// clean audio has sync <= 0.27 and error >= 0.37. A payload is reported only with sync
// >= kMinSyncScore and error <= kMaxError, so a random payload is never reported: the gap to
// the clean distribution is several of its widths on both measures.
//
// What it cannot see
//   - marks with a key it was not given (the all-zero key is always tried);
//   - in files of one block or longer, blocks cut by the file's end or start; a file shorter
//     than one block (51.7 s) is searched as a clip (search_clip(): zero padding, candidates
//     overlapping the clip by >= 15 s, frames of padding absent) — about 20 s of a block
//     suffices on the vectors; files shorter than 15 s are not read;
//   - time-stretched or pitch-shifted audio (audiowmark's --detect-speed is not implemented).
//
// Memory: the 44.1 kHz mono signal is analysed in a sliding window of 4 blocks (~207 s,
// 36 MB of samples plus ~12 MB of phase tables); each step keeps the last block and a frame
// so that a block across the cut is found whole in the next window, and blocks found twice
// are merged. Memory does not grow with the file's length (only the list of blocks found).
#include "audio/audiowmark.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "audio/mono.h"
#include "audio/plot.h"
#include "dsp/fft.h"
#include "dsp/windows.h"

namespace wm::audio {

namespace {

using namespace awm;

constexpr double kMinSyncScore = 0.6;     // clean audio stays below ~0.3
constexpr double kCandidateSyncScore = 0.45;
constexpr double kMaxError = 0.2;         // correct full blocks 0.03–0.09, noise >= 0.35
constexpr std::size_t kMaxCandidates = 12;
constexpr std::size_t kMaxClipCandidates = 4;  // a clip holds at most two blocks
constexpr std::size_t kMinClipSamples = 15 * kSampleRateHz;  // shortest clip searched
constexpr float kFloorDb = -96.0f;
constexpr std::size_t kFrame = kFrameSizeSamples;
constexpr std::size_t kWindowSamples = 4 * static_cast<std::size_t>(kBlockFrames) * kFrame;
constexpr std::size_t kKeepSamples = (static_cast<std::size_t>(kBlockFrames) + 2) * kFrame + kFrame / 2;

// Asks the kernel to back [data, data + bytes) with huge pages where it can (Linux transparent
// huge pages in "madvise" mode; a hint, without effect elsewhere). The window is written once,
// front to back, on every file: with 4-KiB pages its ~9,000 first-touch page faults cost more
// than resampling into it.
void advise_huge_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// dB of bins 20..100 of 1024-sample frames, reusing one FFT plan and aligned buffers.
class FrameAnalyzer {
 public:
  // `empty_as_zero` (clip search): a frame of only zero samples — the padding around a clip —
  // gives 0 in every band instead of the floor, so it adds nothing to the sync sums.
  explicit FrameAnalyzer(bool empty_as_zero = false)
      : empty_as_zero_(empty_as_zero), window_(dsp::hann_window(kFrame, 2.0)), in_(kFrame), out_(kFrame / 2 + 1) {}

  // Frame starting at sample `start` (may reach outside the signal: zeros there). False for a
  // frame of only zeros when empty_as_zero.
  bool db(const std::vector<float>& signal, long long start, float* out) {
    const long long n = static_cast<long long>(signal.size());
    bool any = false;
    for (std::size_t i = 0; i < kFrame; ++i) {
      const long long at = start + static_cast<long long>(i);
      const float v = (at >= 0 && at < n) ? signal[static_cast<std::size_t>(at)] : 0.0f;
      any = any || v != 0.0f;
      in_[i] = v * window_[i];
    }
    if (empty_as_zero_ && !any) {
      std::fill(out, out + kBandCount, 0.0f);
      return false;
    }
    dsp::forward_real_fft(kFrame, in_.data(), out_.data());
    for (int b = 0; b < kBandCount; ++b) {
      const std::complex<float> v = out_[static_cast<std::size_t>(kMinBand + b)];
      const float power = v.real() * v.real() + v.imag() * v.imag();
      out[b] = power > 0.0f ? std::max(kFloorDb, 10.0f * std::log10(power)) : kFloorDb;
    }
    return true;
  }

 private:
  bool empty_as_zero_;
  std::vector<float> window_;
  dsp::AlignedFloats in_;
  dsp::AlignedComplex out_;
};

// One sync bit's value from the summed dB of its "up" and "down" bins: positive when the up bins
// are louder, scaled by the quieter side so it does not depend on the level.
double sync_bit_value(double up, double down) {
  if (up < down && down != 0.0) return 1.0 - up / down;
  if (up != 0.0) return down / up - 1.0;
  return 0.0;
}

// Sync score of a block whose frame at position p is row(p) (a pointer to 81 dB values).
template <class RowAt>
double sync_score(const Layout& layout, RowAt row) {
  double total = 0.0;
  for (int bit = 0; bit < kSyncBits; ++bit) {
    double up = 0.0, down = 0.0;
    for (int f = bit * kFramesPerSyncBit; f < (bit + 1) * kFramesPerSyncBit; ++f) {
      const float* r = row(layout.sync_position[static_cast<std::size_t>(f)]);
      const auto& u = layout.sync_up[static_cast<std::size_t>(f)];
      const auto& d = layout.sync_down[static_cast<std::size_t>(f)];
      float su = 0.0f, sd = 0.0f;
      for (int j = 0; j < kBandsPerSide; ++j) {
        su += r[u[static_cast<std::size_t>(j)]];
        sd += r[d[static_cast<std::size_t>(j)]];
      }
      up += su;
      down += sd;
    }
    const double value = sync_bit_value(up, down);
    total += (bit % 2 == 1) ? value : -value;  // block A: bits 0 1 0 1 0 1
  }
  return total / kSyncBits / (0.01 * 2.9);
}

double sync_score_at(const Layout& layout, const std::vector<float>& signal, long long start,
                     FrameAnalyzer& analyzer, std::vector<float>& rows) {
  rows.resize(static_cast<std::size_t>(kBlockFrames) * kBandCount);
  for (int f = 0; f < kSyncFrames; ++f) {
    const int p = layout.sync_position[static_cast<std::size_t>(f)];
    analyzer.db(signal, start + static_cast<long long>(p) * static_cast<long long>(kFrame),
                rows.data() + static_cast<std::size_t>(p) * kBandCount);
  }
  return sync_score(layout, [&](int p) { return rows.data() + static_cast<std::size_t>(p) * kBandCount; });
}

struct Candidate {
  long long start = 0;
  double score = 0.0;
};

// The coarse search scores every row k of a phase table as a block start, in batches of
// kBatch consecutive starts: one vector add takes a band's dB at frame k + position for kBatch
// starts at once from the band-major table. Each start's sums are formed exactly as
// sync_score()'s dense formulation had them (see sync_sum_offsets), so the scores are the same
// to the last bit.
constexpr std::size_t kBatch = 16;
// Four floats (GCC/Clang vector extension); a batch is held in four of them, named separately
// so the compiler keeps them in registers (a 16-float vector type was spilled on every add).
using Quad = float __attribute__((vector_size(4 * sizeof(float))));
// The dense formulation summed each sync bit's up (down) bands over its frames in kLanes
// interleaved float accumulators (band c into accumulator c % kLanes, frames in order, bands
// ascending within a frame), then added the accumulators in order as doubles.
constexpr std::size_t kLanes = 4;

// For each sync bit, side (up, down) and accumulator: the offsets band * stride + position of
// the (frame, band) pairs it adds, in the order the dense formulation added them. Duplicate
// bands of a frame count once (they were one mask entry).
struct SyncSumOffsets {
  // [bit][side][lane] -> offsets into a band-major table
  std::array<std::array<std::array<std::vector<std::uint32_t>, kLanes>, 2>, kSyncBits> offsets;
};

SyncSumOffsets sync_sum_offsets(const Layout& layout, std::size_t stride) {
  SyncSumOffsets out;
  for (int f = 0; f < kSyncFrames; ++f) {
    const auto frame = static_cast<std::size_t>(f);
    const auto bit = static_cast<std::size_t>(f / kFramesPerSyncBit);
    for (std::size_t side = 0; side < 2; ++side) {
      std::array<bool, kBandCount> in_mask{};
      for (const std::uint8_t band : side == 0 ? layout.sync_up[frame] : layout.sync_down[frame]) in_mask[band] = true;
      for (std::size_t band = 0; band < static_cast<std::size_t>(kBandCount); ++band) {
        if (!in_mask[band]) continue;
        out.offsets[bit][side][band % kLanes].push_back(
            static_cast<std::uint32_t>(band * stride + static_cast<std::size_t>(layout.sync_position[frame])));
      }
    }
  }
  return out;
}

// sync_score() of the kBatch block starts whose first frames are rows first .. first + kBatch - 1
// of a band-major phase table (`table` points at its element 0).
std::array<double, kBatch> coarse_sync_scores(const SyncSumOffsets& sums, const float* table, std::size_t first) {
  std::array<double, kBatch> total{};
  const float* base = table + first;
  for (std::size_t bit = 0; bit < static_cast<std::size_t>(kSyncBits); ++bit) {
    std::array<std::array<double, kBatch>, 2> side_sum{};
    for (std::size_t side = 0; side < 2; ++side) {
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        Quad a0 = {}, a1 = {}, a2 = {}, a3 = {};
        for (const std::uint32_t offset : sums.offsets[bit][side][lane]) {
          Quad x0, x1, x2, x3;
          std::memcpy(&x0, base + offset, sizeof x0);
          std::memcpy(&x1, base + offset + 4, sizeof x1);
          std::memcpy(&x2, base + offset + 8, sizeof x2);
          std::memcpy(&x3, base + offset + 12, sizeof x3);
          a0 += x0;
          a1 += x1;
          a2 += x2;
          a3 += x3;
        }
        for (std::size_t i = 0; i < 4; ++i) {
          side_sum[side][i] += a0[i];
          side_sum[side][4 + i] += a1[i];
          side_sum[side][8 + i] += a2[i];
          side_sum[side][12 + i] += a3[i];
        }
      }
    }
    for (std::size_t i = 0; i < kBatch; ++i) {
      const double value = sync_bit_value(side_sum[0][i], side_sum[1][i]);
      total[i] += (bit % 2 == 1) ? value : -value;  // block A: bits 0 1 0 1 0 1
    }
  }
  for (double& t : total) t = t / kSyncBits / (0.01 * 2.9);
  return total;
}

}  // namespace

std::vector<double> audiowmark_coarse_scores(const Layout& layout, const AudiowmarkSpectra::Phase& table) {
  std::vector<double> out;
  if (table.frames < static_cast<std::size_t>(kBlockFrames)) return out;
  const SyncSumOffsets sums = sync_sum_offsets(layout, table.stride);
  const std::size_t starts = table.frames - static_cast<std::size_t>(kBlockFrames) + 1;
  out.reserve(starts);
  for (std::size_t first = 0; first < starts; first += kBatch) {
    const std::array<double, kBatch> scores = coarse_sync_scores(sums, table.db.data(), first);
    for (std::size_t i = 0; i < kBatch && first + i < starts; ++i) out.push_back(scores[i]);
  }
  return out;
}

namespace {

std::vector<Candidate> coarse_candidates(const Layout& layout, const AudiowmarkSpectra& spectra, std::size_t max_candidates) {
  std::vector<Candidate> all;
  for (std::size_t phase_index = 0; phase_index < spectra.phases.size(); ++phase_index) {
    const std::size_t phase = phase_index * AudiowmarkSpectra::kPhaseStepSamples;
    const std::vector<double> scores = audiowmark_coarse_scores(layout, spectra.phases[phase_index]);
    for (std::size_t k = 0; k < scores.size(); ++k) all.push_back({static_cast<long long>(phase + k * kFrame), scores[k]});
  }
  std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
    return std::abs(a.score) > std::abs(b.score);
  });
  std::vector<Candidate> picked;
  const long long min_gap = static_cast<long long>(kBlockFrames / 2) * static_cast<long long>(kFrame);
  for (const Candidate& c : all) {
    if (std::abs(c.score) < kCandidateSyncScore || picked.size() >= max_candidates) break;
    bool near = false;
    for (const Candidate& p : picked) near = near || std::llabs(p.start - c.start) < min_gap;
    if (!near) picked.push_back(c);
  }
  return picked;
}

Candidate refine(const Layout& layout, const std::vector<float>& signal, Candidate best, bool clip) {
  FrameAnalyzer analyzer(clip);
  std::vector<float> rows;
  for (const auto& [radius, step] : {std::pair{512, 64}, std::pair{56, 8}}) {
    const long long center = best.start;
    for (long long offset = -radius; offset <= radius; offset += step) {
      if (offset == 0) continue;
      const long long start = center + offset;
      if (start < 0) continue;
      const double score = sync_score_at(layout, signal, start, analyzer, rows);
      if (std::abs(score) > std::abs(best.score)) best = {start, score};
    }
  }
  return best;
}

// 858 soft bits in [0,1], coded order, for the block at `start`.
std::vector<float> soft_bits(const Layout& layout, const std::vector<float>& signal, long long start, bool clip) {
  FrameAnalyzer analyzer(clip);
  // Row p + 1 holds frame position p, for p = -1 .. kBlockFrames.
  std::vector<float> rows(static_cast<std::size_t>(kBlockFrames + 2) * kBandCount);
  const long long n = static_cast<long long>(signal.size());
  std::vector<char> inside(kBlockFrames + 2);
  for (int p = -1; p <= kBlockFrames; ++p) {
    const long long at = start + static_cast<long long>(p) * static_cast<long long>(kFrame);
    const bool has_audio = analyzer.db(signal, at, rows.data() + static_cast<std::size_t>(p + 1) * kBandCount);
    inside[static_cast<std::size_t>(p + 1)] = has_audio && at >= 0 && at + static_cast<long long>(kFrame) <= n;
  }
  auto detrended = [&](int p, int band) {
    const float* here = rows.data() + static_cast<std::size_t>(p + 1) * kBandCount;
    const float* before = here - kBandCount;
    const float* after = here + kBandCount;
    const bool has_before = inside[static_cast<std::size_t>(p)] != 0;
    const bool has_after = inside[static_cast<std::size_t>(p + 2)] != 0;
    float neighbours = here[band];
    if (has_before && has_after) {
      neighbours = 0.5f * (before[band] + after[band]);
    } else if (has_before) {
      neighbours = before[band];
    } else if (has_after) {
      neighbours = after[band];
    }
    return here[band] - neighbours;
  };
  std::vector<float> transmitted(kCodedBits);
  for (int i = 0; i < kCodedBits; ++i) {
    float v = 0.0f;
    for (const auto& [frame, pair] : layout.bit_triples[static_cast<std::size_t>(i)]) {
      const int p = layout.data_position[frame];
      v += detrended(p, layout.data_up[frame][pair]) - detrended(p, layout.data_down[frame][pair]);
    }
    transmitted[static_cast<std::size_t>(i)] = v;
  }
  std::vector<float> coded(kCodedBits);
  double mean_abs = 0.0;
  for (int i = 0; i < kCodedBits; ++i) {
    coded[static_cast<std::size_t>(layout.coded_index[static_cast<std::size_t>(i)])] = transmitted[static_cast<std::size_t>(i)];
    mean_abs += std::abs(transmitted[static_cast<std::size_t>(i)]);
  }
  mean_abs /= kCodedBits;
  for (float& v : coded) v = mean_abs > 0.0 ? static_cast<float>(0.5 * (v / mean_abs + 1.0)) : 0.5f;
  return coded;
}

double confidence_from(double error, double sync) {
  // Logistic in the Viterbi error centred between the correct (<= 0.1) and the noise
  // (>= 0.35) distributions of the vectors, scaled down for a weak sync.
  const double from_error = 1.0 / (1.0 + std::exp((error - 0.25) / 0.025));
  const double from_sync = std::clamp((std::abs(sync) - 0.3) / 0.5, 0.0, 1.0);
  return std::clamp(from_error * from_sync, 0.0, 1.0);
}

std::string block_type_name(BlockType t) { return t == BlockType::kA ? "A" : "B"; }


// Sync score of every block candidate against its start time (A blue, B green), the blocks
// that carry the payload drawn wider, and the reporting threshold dashed.
std::vector<std::uint8_t> block_scores_png(const std::vector<AudiowmarkBlock>& blocks, const AudiowmarkMatch& match,
                                           double duration_s) {
  double top = 2.0 * kMinSyncScore;
  for (const auto& b : blocks) top = std::max(top, b.sync_score);
  plot::Canvas canvas(640, 180, 0.0, std::max(duration_s, 1.0), 0.0, top * 1.1);
  canvas.hline(kMinSyncScore, plot::kRed, true);
  for (const auto& b : blocks) {
    const bool used = std::any_of(match.blocks.begin(), match.blocks.end(),
                                  [&](const AudiowmarkBlock& m) { return m.start_samples == b.start_samples; });
    const double t = static_cast<double>(b.start_samples) / kSampleRateHz;
    canvas.bar(t, b.sync_score, b.type == BlockType::kA ? plot::kBlue : plot::kGreen, used ? 3 : 1);
  }
  canvas.axes(plot::nice_ticks(0.0, std::max(duration_s, 1.0), 8), plot::nice_ticks(0.0, top * 1.1, 4), 0, 1);
  return canvas.png();
}

}  // namespace

AudiowmarkSpectra analyse_audiowmark_spectra(const std::vector<float>& mono_44k, bool clip) {
  AudiowmarkSpectra spectra;
  FrameAnalyzer analyzer(clip);
  std::array<float, kBandCount> bands;
  for (std::size_t phase = 0; phase < kFrame; phase += AudiowmarkSpectra::kPhaseStepSamples) {
    AudiowmarkSpectra::Phase table;
    table.frames = mono_44k.size() > phase ? (mono_44k.size() - phase) / kFrame : 0;
    table.stride = table.frames + AudiowmarkSpectra::kPaddingFrames;
    table.db.assign(static_cast<std::size_t>(kBandCount) * table.stride, 0.0f);
    for (std::size_t k = 0; k < table.frames; ++k) {
      analyzer.db(mono_44k, static_cast<long long>(phase + k * kFrame), bands.data());
      for (std::size_t b = 0; b < bands.size(); ++b) table.db[b * table.stride + k] = bands[b];
    }
    spectra.phases.push_back(std::move(table));
  }
  return spectra;
}

std::vector<AudiowmarkBlock> find_audiowmark_blocks(const std::vector<float>& mono_44k,
                                                   const AudiowmarkSpectra& spectra, const Layout& layout, bool clip) {
  std::vector<AudiowmarkBlock> blocks;
  for (Candidate c : coarse_candidates(layout, spectra, clip ? kMaxClipCandidates : kMaxCandidates)) {
    c = refine(layout, mono_44k, c, clip);
    AudiowmarkBlock block;
    block.start_samples = static_cast<std::size_t>(c.start);
    block.type = c.score >= 0 ? BlockType::kA : BlockType::kB;
    block.sync_score = std::abs(c.score);
    block.soft = soft_bits(layout, mono_44k, c.start, clip);
    const Decoded decoded = viterbi_decode(block.soft, block.type, false);
    block.payload_hex = bits_to_hex(decoded.bits);
    block.error = decoded.error;
    blocks.push_back(std::move(block));
  }
  std::sort(blocks.begin(), blocks.end(),
            [](const AudiowmarkBlock& a, const AudiowmarkBlock& b) { return a.start_samples < b.start_samples; });
  return blocks;
}

std::optional<AudiowmarkMatch> combine_audiowmark_blocks(const std::vector<AudiowmarkBlock>& blocks) {
  std::vector<const AudiowmarkBlock*> synced;
  for (const auto& b : blocks) {
    if (b.sync_score >= kMinSyncScore) synced.push_back(&b);
  }
  if (synced.empty()) return std::nullopt;

  std::vector<float> sum_a(kCodedBits, 0.0f), sum_b(kCodedBits, 0.0f);
  int count_a = 0, count_b = 0;
  double sync_sum = 0.0;
  for (const auto* b : synced) {
    auto& sum = b->type == BlockType::kA ? sum_a : sum_b;
    for (int i = 0; i < kCodedBits; ++i) sum[static_cast<std::size_t>(i)] += b->soft[static_cast<std::size_t>(i)];
    (b->type == BlockType::kA ? count_a : count_b) += 1;
    sync_sum += b->sync_score;
  }
  for (float& v : sum_a) v /= static_cast<float>(std::max(count_a, 1));
  for (float& v : sum_b) v /= static_cast<float>(std::max(count_b, 1));

  AudiowmarkMatch match;
  Decoded decoded;
  if (count_a > 0 && count_b > 0) {
    std::vector<float> ab;
    ab.reserve(2 * kCodedBits);
    for (int step = 0; step < kCodedBits / kCodeRate; ++step) {
      for (int k = 0; k < kCodeRate; ++k) ab.push_back(sum_a[static_cast<std::size_t>(step * kCodeRate + k)]);
      for (int k = 0; k < kCodeRate; ++k) ab.push_back(sum_b[static_cast<std::size_t>(step * kCodeRate + k)]);
    }
    decoded = viterbi_decode(ab, BlockType::kA, true);
    match.combination = synced.size() == 2 ? "AB" : "ALL";
  } else {
    const BlockType type = count_a > 0 ? BlockType::kA : BlockType::kB;
    decoded = viterbi_decode(count_a > 0 ? sum_a : sum_b, type, false);
    match.combination = synced.size() == 1 ? block_type_name(type) : "ALL";
  }
  if (decoded.error > kMaxError) return std::nullopt;
  match.payload_hex = bits_to_hex(decoded.bits);
  match.error = decoded.error;
  match.sync_score = sync_sum / static_cast<double>(synced.size());
  match.confidence = confidence_from(match.error, match.sync_score);
  for (const auto* b : synced) match.blocks.push_back(*b);
  return match;
}

Result<AudiowmarkKey> read_audiowmark_key_file(const std::filesystem::path& path) {
  const std::string what = "audiowmark key file " + path.string();
  std::ifstream in(path);
  if (!in) return Status::invalid_argument(what + ": cannot be read");
  AudiowmarkKey key;
  key.name = path.filename().string();
  bool have_key = false;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string word;
    if (!(words >> word) || word[0] == '#') continue;
    if (word == "key") {
      std::string hex;
      words >> hex;
      if (hex.size() != 32 || !std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c); })) {
        return Status::invalid_argument(what + ": key must be 32 hex digits");
      }
      for (std::size_t i = 0; i < 16; ++i) key.key[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
      have_key = true;
    } else if (word == "name") {
      const auto first = line.find('"');
      const auto last = line.rfind('"');
      if (first != std::string::npos && last > first) key.name = line.substr(first + 1, last - first - 1);
    }
  }
  if (!have_key) return Status::invalid_argument(what + ": no line `key <32 hex digits>`");
  return key;
}

AudiowmarkDetector::AudiowmarkDetector(std::vector<AudiowmarkKey> user_keys, std::vector<std::string> key_paths)
    : key_paths_(std::move(key_paths)) {
  AudiowmarkKey zero;
  zero.is_default = true;
  keys_.push_back(zero);
  for (auto& k : user_keys) keys_.push_back(std::move(k));
}

Status AudiowmarkDetector::start(const core::AudioStreamFormat& format) {
  format_ = format;
  mono_44k_.clear();
  // The window fills to kWindowSamples (~3.5 min at 44.1 kHz) before it is processed: reserved
  // once, it does not grow by doubling (each doubling copied the signal into fresh pages).
  mono_44k_.reserve(kWindowSamples + 2 * kFrame * 64);
  advise_huge_pages(mono_44k_.data(), mono_44k_.capacity() * sizeof(float));
  matches_.clear();
  have_pts_ = false;
  window_offset_samples_ = 0;
  total_samples_ = 0;
  blocks_.assign(keys_.size(), {});
  error_ = Status::ok();
  return open_mono_resampler(format, kSampleRateHz, "audio.audiowmark", resampler_);
}

Status AudiowmarkDetector::feed(const AudioView& audio) {
  if (!error_.is_ok()) return Status::ok();
  if (!have_pts_) {
    first_pts_s_ = audio.pts_s;
    have_pts_ = true;
  }
  mono_.clear();
  append_mono(audio, format_.channels, mono_);
  const std::size_t before = mono_44k_.size();
  if (resampler_) {
    error_ = resampler_->process(mono_.data(), mono_.size(), mono_44k_);
  } else {
    mono_44k_.insert(mono_44k_.end(), mono_.begin(), mono_.end());
  }
  total_samples_ += mono_44k_.size() - before;
  if (mono_44k_.size() >= kWindowSamples) {
    process_window();
    const std::size_t drop = mono_44k_.size() - kKeepSamples;
    mono_44k_.erase(mono_44k_.begin(), mono_44k_.begin() + static_cast<std::ptrdiff_t>(drop));
    window_offset_samples_ += drop;
  }
  return Status::ok();
}

// A clip shorter than one block (audiowmark's CLIP mode): the clip is placed between zeros, so
// that every block position overlapping it by at least 15 s is a candidate; frames of
// padding count as absent (0 in the sync sums, no soft bits), so the sync score and soft bits
// come from the part of the block the clip holds. The thresholds are those of full blocks.
void AudiowmarkDetector::search_clip() {
  if (cancel_requested()) return;
  // Zeros on each side of the clip: one block less the shortest overlap searched, so every
  // candidate block holds at least kMinClipSamples of the clip.
  const std::size_t pad = static_cast<std::size_t>(kBlockFrames) * kFrame - kMinClipSamples;
  std::vector<float> padded(pad, 0.0f);
  padded.insert(padded.end(), mono_44k_.begin(), mono_44k_.end());
  padded.resize(padded.size() + pad, 0.0f);
  if (layouts_.size() != keys_.size()) make_layouts();
  const AudiowmarkSpectra spectra = analyse_audiowmark_spectra(padded, true);
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    if (cancel_requested()) return;
    // Candidates that lie mostly in the padding have high, meaningless sync scores (a few
    // frames decide them), so they are not combined: only the candidate that decodes best is
    // kept, and the error threshold decides (absent frames give neutral soft bits, which
    // raise the error, so a block needs enough of its frames in the clip to pass).
    std::optional<AudiowmarkBlock> best;
    for (AudiowmarkBlock& block : find_audiowmark_blocks(padded, spectra, layouts_[k], true)) {
      if (!best || block.error < best->error) best = std::move(block);
    }
    if (best) {
      best->start_samples = best->start_samples > pad ? best->start_samples - pad : 0;
      blocks_[k].push_back(std::move(*best));
    }
  }
}

void AudiowmarkDetector::make_layouts() {
  layouts_.clear();
  for (const auto& key : keys_) {
    if (key.is_default) {
      // The all-zero key's layout is the same for every file: made once per process
      // (thread-safe static initialisation), not once per scan.
      static const Layout zero_key_layout = make_layout(AesKey{});
      layouts_.push_back(zero_key_layout);
    } else {
      layouts_.push_back(make_layout(key.key));
    }
  }
}

void AudiowmarkDetector::process_window() {
  if (mono_44k_.size() < static_cast<std::size_t>(kBlockFrames) * kFrame) return;
  // A cancelled scan (core/detector.h) stops between the steps; finish() says so.
  if (cancel_requested()) return;
  if (layouts_.size() != keys_.size()) make_layouts();  // only when there is a block to read
  if (cancel_requested()) return;
  const AudiowmarkSpectra spectra = analyse_audiowmark_spectra(mono_44k_);
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    if (cancel_requested()) return;
    for (AudiowmarkBlock& block : find_audiowmark_blocks(mono_44k_, spectra, layouts_[k])) {
      block.start_samples += window_offset_samples_;
      auto& known = blocks_[k];
      auto same = std::find_if(known.begin(), known.end(), [&](const AudiowmarkBlock& b) {
        const auto gap = b.start_samples > block.start_samples ? b.start_samples - block.start_samples
                                                               : block.start_samples - b.start_samples;
        return gap < kFrame;
      });
      if (same == known.end()) {
        known.push_back(std::move(block));
      } else if (block.sync_score > same->sync_score) {
        *same = std::move(block);
      }
    }
  }
}

core::DetectorOutput AudiowmarkDetector::finish(bool complete) {
  core::DetectorOutput out;
  out.run.id = "audio.audiowmark";
  out.run.version = kAudiowmarkVersion;
  std::string keys_parameter;
  for (const auto& p : key_paths_) keys_parameter += (keys_parameter.empty() ? "" : ",") + p;
  out.run.parameters = {{"keys", keys_parameter.empty() ? "(all-zero key only)" : keys_parameter}};
  if (resampler_ && error_.is_ok()) {
    const std::size_t before = mono_44k_.size();
    error_ = resampler_->flush(mono_44k_);
    total_samples_ += mono_44k_.size() - before;
  }
  if (!error_.is_ok()) {
    out.not_checked.push_back({"audio.audiowmark", error_.message()});
    return out;
  }
  const std::size_t min_samples = static_cast<std::size_t>(kBlockFrames) * kFrame;
  const bool clip = total_samples_ < min_samples;
  if (clip && total_samples_ < kMinClipSamples) {
    out.not_checked.push_back({"audio.audiowmark", "audio shorter than 15 s: too little of an audiowmark block to read"});
    return out;
  }
  if (clip) {
    search_clip();
  } else {
    process_window();
  }
  if (cancel_requested()) {
    out.not_checked.push_back({"audio.audiowmark", "scan cancelled: the last part of the audio was not searched for blocks"});
  }
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    const AudiowmarkKey& key = keys_[k];
    auto& blocks = blocks_[k];
    std::sort(blocks.begin(), blocks.end(),
              [](const AudiowmarkBlock& a, const AudiowmarkBlock& b) { return a.start_samples < b.start_samples; });
    auto match = combine_audiowmark_blocks(blocks);
    if (!match) continue;
    if (clip) match->combination = "CLIP-" + match->combination;
    match->key_name = key.name;
    match->default_key = key.is_default;
    matches_.push_back(*match);

    Finding f;
    f.detector = "audio.audiowmark";
    f.category = "audio_signature";
    f.severity = Severity::kHigh;
    f.confidence = match->confidence;
    f.summary = key.is_default
                    ? "An audiowmark watermark with the default all-zero key carries a 128-bit payload anyone can read."
                    : "An audiowmark watermark readable with a supplied key carries a 128-bit payload.";
    f.evidence.push_back({"payload_hex", match->payload_hex, true});
    f.evidence.push_back({"key", key.is_default ? std::string("all-zero (default)") : key.name, false});
    f.evidence.push_back({"combination", match->combination, false});
    f.evidence.push_back({"error", match->error, false});
    f.evidence.push_back({"sync_score", match->sync_score, false});
    f.evidence.push_back({"blocks", static_cast<std::int64_t>(match->blocks.size()), false});
    std::string types;
    for (const auto& b : match->blocks) {
      const double start_s = first_pts_s_ + static_cast<double>(b.start_samples) / kSampleRateHz;
      f.time_ranges_s.push_back({start_s, start_s + static_cast<double>(min_samples) / kSampleRateHz});
      types += (types.empty() ? "" : ",") + block_type_name(b.type);
    }
    f.evidence.push_back({"block_types", types, false});
    if (artifacts_) {
      auto png = block_scores_png(blocks, *match, static_cast<double>(total_samples_) / kSampleRateHz);
      if (!png.empty()) f.artifacts.push_back({"score_over_time", "image/png", "audio.audiowmark_blocks.png", std::move(png)});
    }
    out.findings.push_back(std::move(f));
  }
  if (!complete) {
    out.not_checked.push_back({"audio.audiowmark", "stream ended early; the unread part was not checked"});
  }
  // What no keyless reader here can see: say so rather than let a clean audiowmark result
  // read as "no audio watermark" (audio.unknown_mark says it itself when it runs).
  if (!unknown_mark_runs_) {
    out.not_checked.push_back({"audio.unknown_mark",
                               "audiowmark marks under keys not supplied, and the per-listener marks Zoom and Webex add "
                               "to played audio (vendor-only decoders), were not checked (audio.unknown_mark is off)"});
  }
  mono_44k_.clear();
  mono_44k_.shrink_to_fit();
  return out;
}

}  // namespace wm::audio
