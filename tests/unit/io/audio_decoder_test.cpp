// AudioDecoder: frame counts, resampling, downmix, timestamps and the tone itself survive
// decoding, on files made by the ffmpeg CLI.
#include "io/audio_decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "unit/io/io_test_util.h"

namespace wm::io {
namespace {

using testing::channel_of;
using testing::decode_audio;
using testing::DecodedAudio;
using testing::dominant_frequency_hz;
using testing::make_media;
using testing::rms;
using testing::TempDir;
using testing::tone_amplitude;

// lavfi's sine source: amplitude 1/8.
constexpr double kSineAmplitude = 0.125;

class AudioDecoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    ASSERT_TRUE(dir_->ok());
    const TempDir& d = *dir_;
    ASSERT_TRUE(make_media("-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=2 "
                           "-c:a pcm_f32le",
                           d / "sine48k.wav"));
    // Left 0.5 * sine, right 0.25 * sine, in phase: the mono mean is 0.375 * sine.
    ASSERT_TRUE(make_media("-f lavfi -i "
                           "\"aevalsrc=0.5*sin(2*PI*1000*t)|0.25*sin(2*PI*1000*t):s=48000:d=2\" "
                           "-c:a pcm_f32le",
                           d / "stereo_unequal.wav"));
    // Both channels carry the full-scale-1/8 tone (an explicit stereo source: "-ac 2" on a
    // mono input would mix it down by 3 dB).
    ASSERT_TRUE(make_media("-f lavfi -i "
                           "\"aevalsrc=0.125*sin(2*PI*1000*t)|0.125*sin(2*PI*1000*t):s=44100:d=2\" "
                           "-c:a aac -b:a 128k",
                           d / "stereo44k.m4a"));
    // Two MP3 streams back to back: 1 s mono at 44.1 kHz, then 1 s stereo at 48 kHz. The
    // decoder's output format changes mid-stream.
    ASSERT_TRUE(make_media("-f lavfi -i sine=frequency=1000:sample_rate=44100:duration=1 "
                           "-c:a libmp3lame -b:a 128k -write_xing 0 -id3v2_version 0",
                           d / "part1.mp3"));
    ASSERT_TRUE(make_media("-f lavfi -i "
                           "\"aevalsrc=0.125*sin(2*PI*1000*t)|0.125*sin(2*PI*1000*t):s=48000:d=1\" "
                           "-c:a libmp3lame -b:a 128k -write_xing 0 -id3v2_version 0",
                           d / "part2.mp3"));
    const std::string concat = "cat " + testing::quoted(d / "part1.mp3") + " " +
                               testing::quoted(d / "part2.mp3") + " > " +
                               testing::quoted(d / "changing.mp3");
    ASSERT_EQ(std::system(concat.c_str()), 0);
    ASSERT_TRUE(make_media("-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=1 "
                           "-f lavfi -i testsrc2=size=64x48:rate=10:duration=1 "
                           "-c:a pcm_s16le -c:v mpeg4",
                           d / "av.mkv"));
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::filesystem::path file(const std::string& name) { return *dir_ / name; }
  static std::unique_ptr<TempDir> dir_;
};

std::unique_ptr<TempDir> AudioDecoderTest::dir_;

TEST_F(AudioDecoderTest, NativeWavKeepsEveryFrameAndTheTone) {
  const DecodedAudio audio = decode_audio(file("sine48k.wav"), {});
  ASSERT_TRUE(audio.status.is_ok()) << audio.status.message();
  EXPECT_EQ(audio.sample_rate_hz, 48000);
  EXPECT_EQ(audio.channels, 1);
  EXPECT_EQ(audio.frames, 96000u);  // exactly 2 s: PCM has no codec delay
  ASSERT_FALSE(audio.block_pts_s.empty());
  EXPECT_NEAR(audio.block_pts_s.front(), 0.0, 1e-9);
  // A 1 s window holds exactly 1000 cycles.
  EXPECT_NEAR(tone_amplitude(audio.samples, 48000, 1000.0, 24000, 48000), kSineAmplitude, 1e-3);
  EXPECT_NEAR(rms(audio.samples, 24000, 48000), kSineAmplitude / std::sqrt(2.0), 1e-3);
  EXPECT_EQ(dominant_frequency_hz(audio.samples, 48000, 24000, 4800, 100.0, 8000.0), 1000.0);
}

TEST_F(AudioDecoderTest, ResamplesTo44100WithoutLosingFramesOrTone) {
  AudioOutputSpec spec;
  spec.sample_rate_hz = 44100;
  const DecodedAudio audio = decode_audio(file("sine48k.wav"), spec);
  ASSERT_TRUE(audio.status.is_ok()) << audio.status.message();
  EXPECT_EQ(audio.sample_rate_hz, 44100);
  EXPECT_EQ(audio.channels, 1);
  // 2 s at 44.1 kHz, the resampler's delay drained by flush().
  EXPECT_NEAR(static_cast<double>(audio.frames), 88200.0, 4.0);
  EXPECT_NEAR(tone_amplitude(audio.samples, 44100, 1000.0, 22050, 44100), kSineAmplitude,
              kSineAmplitude * 0.01);
  EXPECT_NEAR(rms(audio.samples, 22050, 44100), kSineAmplitude / std::sqrt(2.0),
              kSineAmplitude * 0.01);
  EXPECT_EQ(dominant_frequency_hz(audio.samples, 44100, 22050, 4410, 100.0, 8000.0), 1000.0);
}

TEST_F(AudioDecoderTest, BlockTimestampsAreContinuous) {
  AudioOutputSpec spec;
  spec.sample_rate_hz = 44100;
  const DecodedAudio audio = decode_audio(file("sine48k.wav"), spec);
  ASSERT_TRUE(audio.status.is_ok()) << audio.status.message();
  ASSERT_GT(audio.block_pts_s.size(), 2u);
  for (std::size_t i = 1; i < audio.block_pts_s.size(); ++i) {
    const double expected =
        audio.block_pts_s[i - 1] + static_cast<double>(audio.block_frames[i - 1]) / 44100.0;
    EXPECT_NEAR(audio.block_pts_s[i], expected, 1e-3) << "block " << i;
  }
  EXPECT_NEAR(audio.block_pts_s.front(), 0.0, 1e-3);
}

TEST_F(AudioDecoderTest, MonoDownmixIsTheMeanOfTheChannels) {
  const DecodedAudio stereo = decode_audio(file("stereo_unequal.wav"), {});
  ASSERT_TRUE(stereo.status.is_ok()) << stereo.status.message();
  ASSERT_EQ(stereo.channels, 2);
  EXPECT_NEAR(tone_amplitude(channel_of(stereo.samples, 2, 0), 48000, 1000.0, 0, 48000), 0.5,
              1e-3);
  EXPECT_NEAR(tone_amplitude(channel_of(stereo.samples, 2, 1), 48000, 1000.0, 0, 48000), 0.25,
              1e-3);

  AudioOutputSpec spec;
  spec.channels = 1;
  const DecodedAudio mono = decode_audio(file("stereo_unequal.wav"), spec);
  ASSERT_TRUE(mono.status.is_ok()) << mono.status.message();
  EXPECT_EQ(mono.channels, 1);
  EXPECT_EQ(mono.sample_rate_hz, 48000);
  EXPECT_EQ(mono.frames, 96000u);
  EXPECT_NEAR(tone_amplitude(mono.samples, 48000, 1000.0, 0, 48000), 0.375, 1e-3);
}

TEST_F(AudioDecoderTest, DecodesStereoAac) {
  const DecodedAudio audio = decode_audio(file("stereo44k.m4a"), {});
  ASSERT_TRUE(audio.status.is_ok()) << audio.status.message();
  EXPECT_EQ(audio.sample_rate_hz, 44100);
  EXPECT_EQ(audio.channels, 2);
  // The MP4 edit list removes the encoder's priming; what is left is 2 s give or take
  // the last AAC frame (1024 frames).
  EXPECT_NEAR(static_cast<double>(audio.frames), 88200.0, 1024.0);
  for (int c = 0; c < 2; ++c) {
    const auto samples = channel_of(audio.samples, 2, c);
    EXPECT_NEAR(tone_amplitude(samples, 44100, 1000.0, 22050, 44100), kSineAmplitude,
                kSineAmplitude * 0.05)
        << "channel " << c;
    EXPECT_EQ(dominant_frequency_hz(samples, 44100, 22050, 4410, 100.0, 8000.0), 1000.0);
  }

  AudioOutputSpec spec;
  spec.channels = 1;
  spec.sample_rate_hz = 16000;
  const DecodedAudio mono = decode_audio(file("stereo44k.m4a"), spec);
  ASSERT_TRUE(mono.status.is_ok()) << mono.status.message();
  EXPECT_EQ(mono.channels, 1);
  EXPECT_EQ(mono.sample_rate_hz, 16000);
  EXPECT_NEAR(static_cast<double>(mono.frames), 32000.0, 400.0);
  EXPECT_NEAR(tone_amplitude(mono.samples, 16000, 1000.0, 8000, 16000), kSineAmplitude,
              kSineAmplitude * 0.05);
}

TEST_F(AudioDecoderTest, FormatChangeMidStreamKeepsOneOutputFormat) {
  AudioOutputSpec spec;
  spec.sample_rate_hz = 32000;
  spec.channels = 1;
  const DecodedAudio audio = decode_audio(file("changing.mp3"), spec);
  ASSERT_TRUE(audio.status.is_ok()) << audio.status.message();
  EXPECT_EQ(audio.sample_rate_hz, 32000);
  EXPECT_EQ(audio.channels, 1);
  // 2 s at 32 kHz plus each MP3's encoder delay and padding (under 2 * 2304 input frames).
  EXPECT_GE(audio.frames, 64000u);
  EXPECT_LE(audio.frames, 64000u + 2u * 1600u);
  // The tone is there at full level on both sides of the change (the stereo half is
  // mixed down as the mean of two equal channels).
  EXPECT_NEAR(tone_amplitude(audio.samples, 32000, 1000.0, 6400, 12800), kSineAmplitude,
              kSineAmplitude * 0.1);
  EXPECT_NEAR(tone_amplitude(audio.samples, 32000, 1000.0, 44800, 12800), kSineAmplitude,
              kSineAmplitude * 0.1);
}

TEST_F(AudioDecoderTest, RejectsWrongStreamsSpecsAndPackets) {
  auto demuxer = Demuxer::open(file("av.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  const int audio = demuxer->best_stream(StreamKind::kAudio);
  const int video = demuxer->best_stream(StreamKind::kVideo);
  ASSERT_GE(audio, 0);
  ASSERT_GE(video, 0);

  auto on_video = AudioDecoder::create(*demuxer, video);
  ASSERT_FALSE(on_video.is_ok());
  EXPECT_EQ(on_video.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AudioDecoder::create(*demuxer, 99).status().code(), StatusCode::kInvalidArgument);
  AudioOutputSpec bad;
  bad.sample_rate_hz = -1;
  EXPECT_EQ(AudioDecoder::create(*demuxer, audio, bad).status().code(),
            StatusCode::kInvalidArgument);
  bad = {};
  bad.channels = 1000;
  EXPECT_EQ(AudioDecoder::create(*demuxer, audio, bad).status().code(),
            StatusCode::kInvalidArgument);

  auto decoder = AudioDecoder::create(*demuxer, audio);
  ASSERT_TRUE(decoder.is_ok()) << decoder.status().message();
  EXPECT_EQ(decoder->stream_index(), audio);
  EXPECT_EQ(decoder->sample_rate_hz(), 48000);
  EXPECT_EQ(decoder->channels(), 1);
  const AudioSink ignore = [](const AudioBlock&) { return Status::ok(); };

  Packet empty;
  EXPECT_EQ(decoder->decode(empty, ignore).code(), StatusCode::kInvalidArgument);
  Packet packet;
  bool saw_video_packet = false;
  bool saw_audio_packet = false;
  while (!(saw_video_packet && saw_audio_packet)) {
    Result<bool> read = demuxer->read_packet(packet);
    ASSERT_TRUE(read.is_ok() && read.value());
    if (packet.stream_index() == video && !saw_video_packet) {
      saw_video_packet = true;
      const Status status = decoder->decode(packet, ignore);
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_NE(status.message().find("decode audio stream " + std::to_string(audio)),
                std::string::npos)
          << status.message();
    } else if (packet.stream_index() == audio) {
      saw_audio_packet = true;
      EXPECT_EQ(decoder->decode(packet, {}).code(), StatusCode::kInvalidArgument);  // no sink
      EXPECT_TRUE(decoder->decode(packet, ignore).is_ok());
    }
  }
  EXPECT_TRUE(decoder->flush(ignore).is_ok());
  EXPECT_TRUE(decoder->flush(ignore).is_ok());  // a second flush has nothing left
  EXPECT_EQ(decoder->decode(packet, ignore).code(), StatusCode::kInvalidArgument);
}

TEST_F(AudioDecoderTest, SinkErrorStopsDecodingAndIsReturnedUnchanged) {
  auto demuxer = Demuxer::open(file("sine48k.wav"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  auto decoder = AudioDecoder::create(*demuxer, 0);
  ASSERT_TRUE(decoder.is_ok()) << decoder.status().message();
  int calls = 0;
  const AudioSink failing = [&](const AudioBlock&) {
    ++calls;
    return Status::internal("detector exploded");
  };
  Packet packet;
  Result<bool> read = demuxer->read_packet(packet);
  ASSERT_TRUE(read.is_ok() && read.value());
  const Status status = decoder->decode(packet, failing);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.message(), "detector exploded");
  EXPECT_EQ(calls, 1);
}

TEST_F(AudioDecoderTest, DecoderOutlivesItsDemuxer) {
  Packet packet;
  std::optional<AudioDecoder> decoder;
  {
    auto demuxer = Demuxer::open(file("sine48k.wav"));
    ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
    auto created = AudioDecoder::create(*demuxer, 0);
    ASSERT_TRUE(created.is_ok()) << created.status().message();
    decoder.emplace(std::move(created).value());
    Result<bool> read = demuxer->read_packet(packet);
    ASSERT_TRUE(read.is_ok() && read.value());
  }
  std::size_t frames = 0;
  const AudioSink count = [&](const AudioBlock& block) {
    frames += block.frames;
    return Status::ok();
  };
  EXPECT_TRUE(decoder->decode(packet, count).is_ok());
  EXPECT_TRUE(decoder->flush(count).is_ok());
  EXPECT_GT(frames, 0u);
  EXPECT_EQ(decoder->frames_delivered(), frames);
}

}  // namespace
}  // namespace wm::io
