// Helpers shared by the io tests: a private temp directory, media made by the ffmpeg CLI at
// test time, and the small signal measurements the tests assert on.
#ifndef WM_TESTS_UNIT_IO_IO_TEST_UTIL_H_
#define WM_TESTS_UNIT_IO_IO_TEST_UTIL_H_

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "io/audio_decoder.h"
#include "io/demuxer.h"
#include "io/video_decoder.h"

namespace wm::io::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wm_io_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  bool ok() const { return !path_.empty(); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::string quoted(const std::filesystem::path& path) {
  std::string out = "'";
  for (char c : path.string()) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs `ffmpeg -nostdin -v error -y <arguments> <output>`; true when it exits 0 and wrote
// a non-empty file.
inline bool make_media(const std::string& arguments, const std::filesystem::path& output) {
  const std::string command =
      "ffmpeg -nostdin -hide_banner -v error -y " + arguments + " " + quoted(output);
  if (std::system(command.c_str()) != 0) return false;
  std::error_code error;
  return std::filesystem::file_size(output, error) > 0 && !error;
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in),
                                   std::istreambuf_iterator<char>());
}

inline bool write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// (position, size) of every packet of `stream_index`, read through the Demuxer.
inline std::vector<std::pair<std::int64_t, std::size_t>> packet_extents(const std::filesystem::path& path,
                                                                        int stream_index) {
  std::vector<std::pair<std::int64_t, std::size_t>> extents;
  auto demuxer = Demuxer::open(path);
  if (!demuxer.is_ok()) return extents;
  Packet packet;
  for (;;) {
    Result<bool> read = demuxer->read_packet(packet);
    if (!read.is_ok() || !read.value()) break;
    if (packet.stream_index() == stream_index) {
      extents.emplace_back(packet.position_bytes(), packet.size_bytes());
    }
  }
  return extents;
}

// A copy of `source` at `output` with `count` bytes set to 0xFF in the middle of the packets at
// `indices` (file order) of `stream_index`: the container stays intact, the codec sees bit
// errors it conceals (a zeroed packet would more likely be rejected outright).
inline bool write_with_damaged_packets(const std::filesystem::path& source, int stream_index,
                                       const std::vector<std::size_t>& indices, std::size_t count,
                                       const std::filesystem::path& output) {
  auto bytes = read_bytes(source);
  const auto extents = packet_extents(source, stream_index);
  for (std::size_t index : indices) {
    if (index >= extents.size()) return false;
    const auto [position, size] = extents[index];
    const std::size_t middle = static_cast<std::size_t>(position) + size / 2;
    if (count > size / 2 || middle + count > bytes.size()) return false;
    std::fill_n(bytes.begin() + static_cast<std::ptrdiff_t>(middle), count, std::uint8_t{0xFF});
  }
  return write_bytes(output, bytes);
}

inline std::vector<std::uint8_t> seeded_bytes(std::size_t count, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::vector<std::uint8_t> bytes(count);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(generator() & 0xFF);
  return bytes;
}

// Everything an AudioDecoder produced for one stream, concatenated.
struct DecodedAudio {
  Status status;
  std::vector<float> samples;  // interleaved
  std::size_t frames = 0;
  int channels = 0;
  int sample_rate_hz = 0;
  std::vector<double> block_pts_s;
  std::vector<std::size_t> block_frames;
};

inline DecodedAudio decode_audio(const std::filesystem::path& path, const AudioOutputSpec& spec,
                                 int stream_index = -1) {
  DecodedAudio out;
  auto demuxer = Demuxer::open(path);
  if (!demuxer.is_ok()) {
    out.status = demuxer.status();
    return out;
  }
  if (stream_index < 0) stream_index = demuxer->best_stream(StreamKind::kAudio);
  auto decoder = AudioDecoder::create(*demuxer, stream_index, spec);
  if (!decoder.is_ok()) {
    out.status = decoder.status();
    return out;
  }
  const AudioSink sink = [&](const AudioBlock& block) {
    if (block.samples.size() != block.frames * static_cast<std::size_t>(block.channels)) {
      return Status::internal("block size does not match frames * channels");
    }
    out.samples.insert(out.samples.end(), block.samples.begin(), block.samples.end());
    out.frames += block.frames;
    out.channels = block.channels;
    out.sample_rate_hz = block.sample_rate_hz;
    out.block_pts_s.push_back(block.pts_s);
    out.block_frames.push_back(block.frames);
    return Status::ok();
  };
  Packet packet;
  for (;;) {
    Result<bool> read = demuxer->read_packet(packet);
    if (!read.is_ok()) {
      out.status = read.status();
      return out;
    }
    if (!read.value()) break;
    if (packet.stream_index() != stream_index) continue;
    out.status = decoder->decode(packet, sink);
    if (!out.status.is_ok()) return out;
  }
  out.status = decoder->flush(sink);
  return out;
}

inline std::vector<float> channel_of(const std::vector<float>& interleaved, int channels, int c) {
  std::vector<float> out;
  if (channels <= 0) return out;
  out.reserve(interleaved.size() / channels);
  for (std::size_t i = static_cast<std::size_t>(c); i < interleaved.size(); i += channels) {
    out.push_back(interleaved[i]);
  }
  return out;
}

// Amplitude of the component at `frequency_hz` (one DFT bin, any frequency) over
// samples [begin, begin + count).
inline double tone_amplitude(const std::vector<float>& mono, int sample_rate_hz,
                             double frequency_hz, std::size_t begin, std::size_t count) {
  double re = 0.0;
  double im = 0.0;
  const double step = 2.0 * std::numbers::pi * frequency_hz / sample_rate_hz;
  for (std::size_t n = 0; n < count && begin + n < mono.size(); ++n) {
    re += mono[begin + n] * std::cos(step * static_cast<double>(n));
    im -= mono[begin + n] * std::sin(step * static_cast<double>(n));
  }
  return 2.0 * std::hypot(re, im) / static_cast<double>(count);
}

// The frequency in [step_hz, max_hz] (multiples of step_hz) with the largest amplitude.
inline double dominant_frequency_hz(const std::vector<float>& mono, int sample_rate_hz,
                                    std::size_t begin, std::size_t count, double step_hz,
                                    double max_hz) {
  double best_hz = 0.0;
  double best_amplitude = -1.0;
  for (double f = step_hz; f <= max_hz; f += step_hz) {
    const double amplitude = tone_amplitude(mono, sample_rate_hz, f, begin, count);
    if (amplitude > best_amplitude) {
      best_amplitude = amplitude;
      best_hz = f;
    }
  }
  return best_hz;
}

inline double rms(const std::vector<float>& mono, std::size_t begin, std::size_t count) {
  double sum = 0.0;
  std::size_t n = 0;
  for (; n < count && begin + n < mono.size(); ++n) sum += double{mono[begin + n]} * mono[begin + n];
  return n ? std::sqrt(sum / static_cast<double>(n)) : 0.0;
}

// Every frame a VideoDecoder kept for one stream.
struct DecodedVideo {
  Status status;
  std::vector<VideoFrame> frames;
  std::int64_t frames_decoded = 0;
  DamagedFrames damaged;
  bool done = false;
};

inline DecodedVideo decode_video(const std::filesystem::path& path, const SamplingSpec& spec) {
  DecodedVideo out;
  auto demuxer = Demuxer::open(path);
  if (!demuxer.is_ok()) {
    out.status = demuxer.status();
    return out;
  }
  const int stream_index = demuxer->best_stream(StreamKind::kVideo);
  auto decoder = VideoDecoder::create(*demuxer, stream_index, spec);
  if (!decoder.is_ok()) {
    out.status = decoder.status();
    return out;
  }
  const VideoSink sink = [&](const VideoFrame& frame) {
    out.frames.push_back(frame);
    return Status::ok();
  };
  Packet packet;
  for (;;) {
    Result<bool> read = demuxer->read_packet(packet);
    if (!read.is_ok()) {
      out.status = read.status();
      return out;
    }
    if (!read.value()) break;
    if (packet.stream_index() != stream_index) continue;
    out.status = decoder->decode(packet, sink);
    if (!out.status.is_ok()) return out;
  }
  out.status = decoder->flush(sink);
  out.frames_decoded = decoder->frames_decoded();
  out.damaged = decoder->damaged();
  out.done = decoder->is_done();
  return out;
}

}  // namespace wm::io::testing

#endif  // WM_TESTS_UNIT_IO_IO_TEST_UTIL_H_
