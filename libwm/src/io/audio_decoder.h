// AudioDecoder: one audio stream of a Demuxer decoded to interleaved float32 blocks.
//
// Call order: create() for a stream of an open Demuxer, decode() for each packet of that
// stream in file order, flush() once at the end (it drains the decoder and the resampler's
// delay). Blocks reach the sink during decode()/flush(), on the calling thread, in order; a
// block is only valid during the sink call. A sink that returns an error stops the call and
// that error is returned unchanged.
//
// Output: every block has the same channel count and sample rate, fixed at create() (from
// AudioOutputSpec, or the stream's own when 0), even if the stream changes mid-file; libswresample
// converts. Downmixes are normalised so each output channel's coefficients sum to at most 1:
// stereo to mono is the mean of left and right, so a mixdown never clips.
//
// The decoder copies what it needs from the Demuxer at create(); it does not refer to it
// afterwards. Movable, not copyable; one thread at a time. No FFmpeg header is included here.
#ifndef WM_IO_AUDIO_DECODER_H_
#define WM_IO_AUDIO_DECODER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "io/demuxer.h"
#include "wm/scan.h"
#include "wm/status.h"

namespace wm::io {

struct AudioOutputSpec {
  int sample_rate_hz = 0;  // 0: the stream's own rate; otherwise 1..768000
  int channels = 0;        // 0: the stream's own channels; 1: mono downmix; up to 64
  int thread_count = 1;    // decoder threads; 0 lets FFmpeg choose
};

// Interleaved float32 audio: `frames` multi-channel sample frames (not samples), so `samples`
// holds frames * channels values, nominally in [-1, 1].
struct AudioBlock {
  std::vector<float> samples;
  std::size_t frames = 0;
  int channels = 0;
  int sample_rate_hz = 0;
  double pts_s = 0.0;  // time of the first frame on the stream's timeline (see below)

  // A non-owning view for Session::feed_audio and detectors.
  AudioView view() const { return AudioView{samples.data(), frames, channels, pts_s}; }
};

using AudioSink = std::function<Status(const AudioBlock&)>;

class AudioDecoder {
 public:
  // Errors: invalid_argument (not an audio stream, bad spec), unsupported (no decoder for the
  // codec, or channels/rate FFmpeg cannot convert), internal (allocation).
  static Result<AudioDecoder> create(const Demuxer& demuxer, int stream_index,
                                     const AudioOutputSpec& spec = {});

  AudioDecoder(AudioDecoder&&) noexcept;
  AudioDecoder& operator=(AudioDecoder&&) noexcept;
  ~AudioDecoder();

  int stream_index() const;
  // Output format of every block; 0 until known when the container did not say (rare).
  int sample_rate_hz() const;
  int channels() const;

  // Decodes one packet of this decoder's stream. A packet the codec rejects is corrupt_input
  // "decode audio stream N: <FFmpeg's message>"; the decoder stays usable for later packets.
  // pts_s of a block is the decoded frame's timestamp minus the resampler's delay; blocks
  // without a timestamp continue from the previous block.
  Status decode(const Packet& packet, const AudioSink& sink);

  // End of stream: drains the decoder and the resampler. decode() after flush() is an
  // invalid_argument error.
  Status flush(const AudioSink& sink);

  std::size_t frames_delivered() const;  // frames (not samples) handed to sinks so far

 private:
  struct Impl;
  explicit AudioDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wm::io

#endif  // WM_IO_AUDIO_DECODER_H_
