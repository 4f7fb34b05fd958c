// run_media_pass: one read feeding both decoders, progress, cancel, callback errors, and
// tolerance of isolated corrupt packets (packets overwritten in place, found through the
// demuxer's own packet positions, so the container stays intact and only the codec sees
// the damage).
#include "io/media_pass.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "unit/io/io_test_util.h"

namespace wm::io {
namespace {

using testing::make_media;
using testing::packet_extents;
using testing::read_bytes;
using testing::TempDir;
using testing::write_bytes;

struct Collected {
  std::int64_t audio_frames = 0;
  int audio_channels = 0;
  int audio_rate_hz = 0;
  std::vector<double> video_pts_s;
  std::vector<double> progress;
};

MediaPassCallbacks collecting(Collected& c) {
  MediaPassCallbacks callbacks;
  callbacks.on_audio = [&c](const AudioBlock& block) {
    c.audio_frames += static_cast<std::int64_t>(block.frames);
    c.audio_channels = block.channels;
    c.audio_rate_hz = block.sample_rate_hz;
    return Status::ok();
  };
  callbacks.on_video = [&c](const VideoFrame& frame) {
    c.video_pts_s.push_back(frame.pts_s);
    return Status::ok();
  };
  callbacks.on_progress = [&c](double fraction) { c.progress.push_back(fraction); };
  return callbacks;
}

class MediaPassTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    ASSERT_TRUE(dir_->ok());
    const TempDir& d = *dir_;
    ASSERT_TRUE(make_media("-f lavfi -i testsrc2=size=160x120:rate=25:duration=3 "
                           "-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=3 "
                           "-c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p "
                           "-c:a pcm_s16le -ac 2",
                           d / "av.mkv"));
    // FLAC rejects a frame whose sync code is gone, deterministically.
    ASSERT_TRUE(make_media("-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=4 "
                           "-c:a flac -strict -2",
                           d / "flac.mp4"));
    ASSERT_TRUE(make_media("-f lavfi -i testsrc2=size=160x120:rate=25:duration=3 "
                           "-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=3 "
                           "-c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p "
                           "-c:a aac -movflags +faststart",
                           d / "av_faststart.mp4"));
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::filesystem::path file(const std::string& name) { return *dir_ / name; }

  // A copy of flac.mp4 with the packets at `indices` zeroed.
  static std::filesystem::path damaged_flac(const std::string& name,
                                            const std::vector<std::size_t>& indices) {
    const auto source = file("flac.mp4");
    auto bytes = read_bytes(source);
    const auto extents = packet_extents(source, 0);
    EXPECT_GT(extents.size(), 30u);
    for (std::size_t index : indices) {
      if (index >= extents.size()) continue;
      const auto [position, size] = extents[index];
      for (std::size_t i = 0; i < size && position + i < bytes.size(); ++i) bytes[position + i] = 0;
    }
    const auto path = file(name);
    EXPECT_TRUE(write_bytes(path, bytes));
    return path;
  }

  static std::unique_ptr<TempDir> dir_;
};

std::unique_ptr<TempDir> MediaPassTest::dir_;

TEST_F(MediaPassTest, ReadsAudioAndSampledVideoInOnePass) {
  auto demuxer = Demuxer::open(file("av.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.audio_stream_index = demuxer->best_stream(StreamKind::kAudio);
  spec.audio.channels = 1;
  spec.audio.sample_rate_hz = 16000;
  spec.video_stream_index = demuxer->best_stream(StreamKind::kVideo);
  spec.video.min_interval_s = 0.5;
  Collected c;
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, collecting(c), &stats);
  ASSERT_TRUE(status.is_ok()) << status.message();

  EXPECT_EQ(c.audio_channels, 1);
  EXPECT_EQ(c.audio_rate_hz, 16000);
  EXPECT_NEAR(static_cast<double>(c.audio_frames), 48000.0, 4.0);  // 3 s at 16 kHz
  EXPECT_EQ(stats.audio_frames, c.audio_frames);
  EXPECT_GT(stats.audio_blocks, 0);
  // Frames are 40 ms apart, so "at least 0.5 s" means every 13th: 0, 0.52, ... 2.6.
  ASSERT_EQ(c.video_pts_s.size(), 6u);
  for (std::size_t i = 0; i < c.video_pts_s.size(); ++i) {
    EXPECT_NEAR(c.video_pts_s[i], 0.52 * static_cast<double>(i), 1e-3);
  }
  EXPECT_EQ(stats.video_frames_decoded, 75);
  EXPECT_EQ(stats.video_frames_kept, 6);
  EXPECT_EQ(stats.corrupt_packets, 0);
  EXPECT_TRUE(stats.reached_end_of_file);
  EXPECT_GT(stats.packets_read, 75);

  ASSERT_GE(c.progress.size(), 10u);
  for (std::size_t i = 1; i < c.progress.size(); ++i) EXPECT_GE(c.progress[i], c.progress[i - 1]);
  EXPECT_GE(c.progress.front(), 0.0);
  EXPECT_EQ(c.progress.back(), 1.0);
}

TEST_F(MediaPassTest, VideoOnlyStopsOnceEnoughFramesAreKept) {
  auto demuxer = Demuxer::open(file("av.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.video_stream_index = demuxer->best_stream(StreamKind::kVideo);
  spec.video.min_interval_s = 0.0;
  spec.video.max_frames = 5;
  Collected c;
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, collecting(c), &stats);
  ASSERT_TRUE(status.is_ok()) << status.message();
  EXPECT_EQ(c.video_pts_s.size(), 5u);
  EXPECT_FALSE(stats.reached_end_of_file);
  EXPECT_TRUE(stats.stream_end_s.empty());  // stopped early: no stream was read to its end
  EXPECT_LT(stats.packets_read, 20);
  EXPECT_EQ(c.audio_frames, 0);
}

TEST_F(MediaPassTest, AudioContinuesAfterVideoSamplingIsDone) {
  auto demuxer = Demuxer::open(file("av.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.audio_stream_index = demuxer->best_stream(StreamKind::kAudio);
  spec.video_stream_index = demuxer->best_stream(StreamKind::kVideo);
  spec.video.max_frames = 2;
  Collected c;
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, collecting(c), &stats);
  ASSERT_TRUE(status.is_ok()) << status.message();
  EXPECT_EQ(c.video_pts_s.size(), 2u);
  EXPECT_EQ(c.audio_frames, 3 * 48000);  // PCM: every frame, to the end
  EXPECT_EQ(c.audio_channels, 2);
  EXPECT_TRUE(stats.reached_end_of_file);
  EXPECT_LT(stats.video_frames_decoded, 75);  // video packets stopped once 2 were kept
  // Only the stream read to the end says where it ended: the video's last packet read is not
  // the end of the video, and must not look like a file cut short.
  EXPECT_EQ(stats.stream_end_s.count(spec.video_stream_index), 0u);
  ASSERT_EQ(stats.stream_end_s.count(spec.audio_stream_index), 1u);
  EXPECT_NEAR(stats.stream_end_s.at(spec.audio_stream_index), 3.0, 0.05);
}

TEST_F(MediaPassTest, CancelStopsBetweenPackets) {
  auto demuxer = Demuxer::open(file("av.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.audio_stream_index = demuxer->best_stream(StreamKind::kAudio);
  Collected c;
  MediaPassCallbacks callbacks = collecting(c);
  int polls = 0;
  callbacks.is_cancelled = [&polls] { return ++polls > 10; };
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, callbacks, &stats);
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_NE(status.message().find("cancelled"), std::string::npos);
  EXPECT_EQ(stats.packets_read, 10);
  EXPECT_FALSE(stats.reached_end_of_file);
}

TEST_F(MediaPassTest, CallbackErrorIsReturnedUnchangedAndNotCountedAsCorrupt) {
  auto demuxer = Demuxer::open(file("av.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.video_stream_index = demuxer->best_stream(StreamKind::kVideo);
  Collected c;
  MediaPassCallbacks callbacks = collecting(c);
  callbacks.on_video = [](const VideoFrame&) {
    return Status::corrupt_input("detector says the frame is odd");
  };
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, callbacks, &stats);
  EXPECT_EQ(status.code(), StatusCode::kCorruptInput);
  EXPECT_EQ(status.message(), "detector says the frame is odd");
  EXPECT_EQ(stats.corrupt_packets, 0);
}

TEST_F(MediaPassTest, RejectsBadSpecs) {
  auto demuxer = Demuxer::open(file("av.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  Collected c;
  MediaPassSpec wrong_kind;
  wrong_kind.audio_stream_index = demuxer->best_stream(StreamKind::kVideo);
  EXPECT_EQ(run_media_pass(*demuxer, wrong_kind, collecting(c)).code(),
            StatusCode::kInvalidArgument);
  MediaPassSpec no_callback;
  no_callback.video_stream_index = demuxer->best_stream(StreamKind::kVideo);
  EXPECT_EQ(run_media_pass(*demuxer, no_callback, MediaPassCallbacks{}).code(),
            StatusCode::kInvalidArgument);
  MediaPassSpec nothing;  // no stream chosen: nothing to do, and that is fine
  EXPECT_TRUE(run_media_pass(*demuxer, nothing, collecting(c)).is_ok());
  EXPECT_EQ(c.progress.back(), 1.0);
}

TEST_F(MediaPassTest, IsolatedCorruptPacketsAreCountedAndSkipped) {
  const auto intact = file("flac.mp4");
  const auto damaged = damaged_flac("flac_two_glitches.mp4", {5, 20});
  std::int64_t intact_frames = 0;
  {
    auto demuxer = Demuxer::open(intact);
    ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
    MediaPassSpec spec;
    spec.audio_stream_index = 0;
    Collected c;
    ASSERT_TRUE(run_media_pass(*demuxer, spec, collecting(c)).is_ok());
    intact_frames = c.audio_frames;
    EXPECT_EQ(intact_frames, 4 * 48000);
  }
  auto demuxer = Demuxer::open(damaged);
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.audio_stream_index = 0;
  Collected c;
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, collecting(c), &stats);
  ASSERT_TRUE(status.is_ok()) << status.message();
  EXPECT_EQ(stats.corrupt_packets, 2);
  ASSERT_EQ(stats.corrupt_packet_messages.size(), 2u);
  EXPECT_EQ(stats.corrupt_packet_messages[0].rfind(
                "decode audio stream 0: Invalid data found when processing input", 0),
            0u)
      << stats.corrupt_packet_messages[0];
  EXPECT_TRUE(stats.reached_end_of_file);
  EXPECT_LT(c.audio_frames, intact_frames);           // two packets' worth are missing
  EXPECT_GT(c.audio_frames, intact_frames - 3 * 4608);  // and only those
}

TEST_F(MediaPassTest, ManyCorruptPacketsStopThePassWithFfmpegsMessage) {
  const auto damaged = damaged_flac("flac_broken_run.mp4", {10, 11, 12, 13, 14, 15});
  auto demuxer = Demuxer::open(damaged);
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.audio_stream_index = 0;
  Collected c;
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, collecting(c), &stats);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kCorruptInput);
  EXPECT_EQ(status.message(), "decode audio stream 0: Invalid data found when processing input");
  EXPECT_EQ(stats.corrupt_packets, 4);  // the fourth in a row is one too many
  EXPECT_FALSE(stats.reached_end_of_file);

  // The same damage with a larger tolerance reads to the end.
  auto again = Demuxer::open(damaged);
  ASSERT_TRUE(again.is_ok());
  spec.max_consecutive_corrupt_packets = 10;
  ASSERT_TRUE(run_media_pass(*again, spec, collecting(c), &stats).is_ok());
  EXPECT_EQ(stats.corrupt_packets, 6);

  // And a total budget applies too.
  const auto scattered = damaged_flac("flac_scattered.mp4", {2, 6, 10, 14, 18, 22});
  auto third = Demuxer::open(scattered);
  ASSERT_TRUE(third.is_ok());
  MediaPassSpec strict;
  strict.audio_stream_index = 0;
  strict.max_corrupt_packets = 3;
  EXPECT_EQ(run_media_pass(*third, strict, collecting(c), &stats).code(),
            StatusCode::kCorruptInput);
  EXPECT_EQ(stats.corrupt_packets, 4);
}

TEST_F(MediaPassTest, TruncatedFileEndsWithoutCrashing) {
  const auto bytes = read_bytes(file("av_faststart.mp4"));
  const auto path = file("av_truncated.mp4");
  ASSERT_TRUE(write_bytes(path, std::vector<std::uint8_t>(bytes.begin(),
                                                          bytes.begin() + bytes.size() * 6 / 10)));
  auto demuxer = Demuxer::open(path);
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  MediaPassSpec spec;
  spec.audio_stream_index = demuxer->best_stream(StreamKind::kAudio);
  spec.video_stream_index = demuxer->best_stream(StreamKind::kVideo);
  spec.video.min_interval_s = 0.0;
  Collected c;
  PassStats stats;
  const Status status = run_media_pass(*demuxer, spec, collecting(c), &stats);
  EXPECT_TRUE(status.is_ok() || status.code() == StatusCode::kCorruptInput) << status.message();
  EXPECT_GT(c.video_pts_s.size(), 5u);
  EXPECT_LT(c.video_pts_s.size(), 75u);
  EXPECT_GT(c.audio_frames, 0);
  EXPECT_LT(c.audio_frames, 3 * 48000);
}

}  // namespace
}  // namespace wm::io
