// audio.audiowmark: a compatible reader for marks made by audiowmark (keyed patchwork on FFT
// magnitudes, 128-bit payload). See audiowmark.cpp for the method.
//
// Call order follows core::AudioDetector. One instance per scan, one thread at a time.
#ifndef WM_AUDIO_AUDIOWMARK_H_
#define WM_AUDIO_AUDIOWMARK_H_

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audio/audiowmark_code.h"
#include "core/detector.h"
#include "io/resampler.h"

namespace wm::audio {

inline constexpr char kAudiowmarkVersion[] = "1.0";

struct AudiowmarkKey {
  std::string name;  // the key file's `name "..."`, else its file name; "" for the all-zero key
  AesKey key{};
  bool is_default = false;  // the all-zero key anyone can read with
};

// Reads an audiowmark key file (a line `key <32 hex digits>`, optionally `name "..."`).
// invalid_argument naming the file for a missing, unreadable or malformed key.
Result<AudiowmarkKey> read_audiowmark_key_file(const std::filesystem::path& path);

// One block whose sync pattern was found, and what decoding it gave.
struct AudiowmarkBlock {
  std::size_t start_samples = 0;  // at 44.1 kHz, from the first sample fed
  awm::BlockType type = awm::BlockType::kA;
  double sync_score = 0.0;        // ~1 or more: a mark; ~0.25 clean audio
  std::string payload_hex;
  double error = 1.0;             // Viterbi error per coded bit; ~0.05 correct, >0.35 noise
  std::vector<float> soft;        // 858 de-interleaved soft bits in [0,1] (coded order)
};

struct AudiowmarkMatch {
  std::string key_name;
  bool default_key = false;
  std::string payload_hex;
  double error = 1.0;
  double sync_score = 0.0;
  std::string combination;  // "A", "B", "AB", "ALL"; "CLIP-" before it for a clip shorter than a block
  double confidence = 0.0;
  std::vector<AudiowmarkBlock> blocks;  // the blocks that carry this payload
};

// Key-independent part of the sync search: dB of bins 20..100 for every 1024-sample frame at
// each of two phases (0 and 512 samples), band-major: db[band * stride + frame], each band's
// row followed by kPaddingFrames zeros (the coarse search reads a batch of starts past the
// last one).
struct AudiowmarkSpectra {
  static constexpr std::size_t kPhaseStepSamples = 512;
  static constexpr std::size_t kPaddingFrames = 16;
  struct Phase {
    std::size_t frames = 0;
    std::size_t stride = 0;  // frames + kPaddingFrames
    std::vector<float> db;
  };
  std::vector<Phase> phases;
};
// `clip`: frames of only zeros (padding around a clip) give 0 dB in every band, not the floor.
AudiowmarkSpectra analyse_audiowmark_spectra(const std::vector<float>& mono_44k, bool clip = false);
// The coarse search's sync score of every block start on one phase's frame grid (start k: the
// block's first frame is frame k of `table`); empty when the table is shorter than a block.
// Positive for block A, negative for B (exposed for tests).
std::vector<double> audiowmark_coarse_scores(const awm::Layout& layout, const AudiowmarkSpectra::Phase& table);

// Analysis of mono 44.1 kHz audio under one key (exposed for tests and the evaluation).
std::vector<AudiowmarkBlock> find_audiowmark_blocks(const std::vector<float>& mono_44k,
                                                   const AudiowmarkSpectra& spectra,
                                                   const awm::Layout& layout, bool clip = false);
std::optional<AudiowmarkMatch> combine_audiowmark_blocks(const std::vector<AudiowmarkBlock>& blocks);

class AudiowmarkDetector final : public core::AudioDetector {
 public:
  // The all-zero key is always tried first; `user_keys` after it.
  explicit AudiowmarkDetector(std::vector<AudiowmarkKey> user_keys, std::vector<std::string> key_paths = {});
  Status start(const core::AudioStreamFormat& format) override;
  Status feed(const AudioView& audio) override;
  core::DetectorOutput finish(bool complete) override;
  // Attach the block sync scores over time (PNG) to each finding; on by default.
  void set_artifacts(bool on) { artifacts_ = on; }
  // When audio.unknown_mark runs it reports what no keyless search here can see; otherwise
  // this detector says that marks under other keys were not checked.
  void set_unknown_mark_runs(bool on) { unknown_mark_runs_ = on; }

  // Matches found by finish() (for tests).
  const std::vector<AudiowmarkMatch>& matches() const { return matches_; }

 private:
  std::vector<AudiowmarkKey> keys_;
  std::vector<std::string> key_paths_;
  bool artifacts_ = true;
  bool unknown_mark_runs_ = false;
  core::AudioStreamFormat format_;
  std::optional<io::Resampler> resampler_;
  std::vector<float> mono_;      // input rate, reused per feed
  void process_window();
  void search_clip();   // files shorter than one block
  void make_layouts();

  std::vector<awm::Layout> layouts_;  // one per key, made at the first full window
  std::vector<std::vector<AudiowmarkBlock>> blocks_;  // per key, absolute start_samples
  std::vector<float> mono_44k_;  // sliding window at 44.1 kHz (see audiowmark.cpp)
  std::size_t window_offset_samples_ = 0;  // absolute index of mono_44k_[0]
  std::size_t total_samples_ = 0;
  double first_pts_s_ = 0.0;
  bool have_pts_ = false;
  Status error_;
  std::vector<AudiowmarkMatch> matches_;
};

}  // namespace wm::audio

#endif  // WM_AUDIO_AUDIOWMARK_H_
