// Helpers shared by the audio tests: decode a file through io at its native rate and feed an
// AudioDetector the way the scan pipeline does.
#ifndef WM_TESTS_UNIT_AUDIO_AUDIO_TEST_UTIL_H_
#define WM_TESTS_UNIT_AUDIO_AUDIO_TEST_UTIL_H_

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/detector.h"
#include "io/audio_decoder.h"
#include "io/demuxer.h"

namespace wm::audio::testing {

inline std::filesystem::path vectors_dir() {
  return std::filesystem::path(WM_SOURCE_DIR "/../shared/vectors/audiowmark");
}

// Decodes the best audio stream of `path` and runs `detector` over it.
inline Result<core::DetectorOutput> run_on_file(core::AudioDetector& detector, const std::filesystem::path& path) {
  WM_ASSIGN_OR_RETURN(io::Demuxer demuxer, io::Demuxer::open(path));
  const int stream = demuxer.best_stream(io::StreamKind::kAudio);
  if (stream < 0) return Status::invalid_argument("no audio stream in " + path.string());
  WM_ASSIGN_OR_RETURN(io::AudioDecoder decoder, io::AudioDecoder::create(demuxer, stream));
  bool started = false;
  const io::AudioSink sink = [&](const io::AudioBlock& block) -> Status {
    if (!started) {
      core::AudioStreamFormat format;
      format.sample_rate_hz = block.sample_rate_hz;
      format.channels = block.channels;
      WM_RETURN_IF_ERROR(detector.start(format));
      started = true;
    }
    return detector.feed(block.view());
  };
  io::Packet packet;
  for (;;) {
    WM_ASSIGN_OR_RETURN(bool more, demuxer.read_packet(packet));
    if (!more) break;
    if (packet.stream_index() != stream) continue;
    WM_RETURN_IF_ERROR(decoder.decode(packet, sink));
  }
  WM_RETURN_IF_ERROR(decoder.flush(sink));
  return detector.finish(true);
}

// Feeds an in-memory interleaved signal in blocks of `block_frames`.
inline core::DetectorOutput run_on_samples(core::AudioDetector& detector, const std::vector<float>& interleaved,
                                           int sample_rate_hz, int channels, std::size_t block_frames = 4096) {
  core::AudioStreamFormat format;
  format.sample_rate_hz = sample_rate_hz;
  format.channels = channels;
  format.duration_s = static_cast<double>(interleaved.size() / channels) / sample_rate_hz;
  if (!detector.start(format).is_ok()) return detector.finish(false);
  const std::size_t frames = interleaved.size() / static_cast<std::size_t>(channels);
  for (std::size_t at = 0; at < frames; at += block_frames) {
    const std::size_t n = std::min(block_frames, frames - at);
    AudioView view{interleaved.data() + at * static_cast<std::size_t>(channels), n, channels,
                   static_cast<double>(at) / sample_rate_hz};
    if (!detector.feed(view).is_ok()) break;
  }
  return detector.finish(true);
}

}  // namespace wm::audio::testing

#endif  // WM_TESTS_UNIT_AUDIO_AUDIO_TEST_UTIL_H_
