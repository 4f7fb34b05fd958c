// VideoDecoder: frame counts, time-spread sampling, keyframe-only decoding, output size,
// stride and pixel values, on files made by the ffmpeg CLI.
#include "io/video_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "unit/io/io_test_util.h"

namespace wm::io {
namespace {

using testing::decode_video;
using testing::DecodedVideo;
using testing::make_media;
using testing::TempDir;

constexpr double kEpsilonS = 1e-6;

class VideoDecoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    ASSERT_TRUE(dir_->ok());
    const TempDir& d = *dir_;
    // 4 s at 25 fps = 100 frames; a key frame every 25 frames (0, 1, 2, 3 s) and no others.
    ASSERT_TRUE(make_media("-f lavfi -i testsrc2=size=320x240:rate=25:duration=4 "
                           "-c:v libx264 -preset ultrafast -g 25 -keyint_min 25 -sc_threshold 0 "
                           "-bf 2 -pix_fmt yuv420p",
                           d / "gop25.mp4"));
    // The same stream in MPEG-TS, which keeps no index: key frames are unknown before reading.
    ASSERT_TRUE(make_media("-i " + testing::quoted(d / "gop25.mp4") + " -c copy", d / "gop25.ts"));
    for (const char* color : {"white", "black", "red"}) {
      ASSERT_TRUE(make_media(std::string("-f lavfi -i color=c=") + color +
                                 ":size=64x48:rate=25:duration=0.2 "
                                 "-c:v libx264 -preset ultrafast -crf 1 -pix_fmt yuv420p",
                             d / (std::string(color) + ".mp4")));
    }
    ASSERT_TRUE(make_media("-f lavfi -i color=c=white:size=64x48:rate=25:duration=0.2 "
                           "-c:v mjpeg -pix_fmt yuvj420p -q:v 2",
                           d / "white_mjpeg.avi"));
    // A display matrix (as a phone held upright writes one), and the first frame as the ffmpeg
    // CLI shows it (turned by default), as raw gray bytes.
    ASSERT_TRUE(make_media("-f lavfi -i testsrc2=size=320x240:rate=25:duration=0.2 "
                           "-c:v libx264 -preset ultrafast -crf 1 -pix_fmt yuv420p",
                           d / "upright.mp4"));
    // (The mov muxer writes the matrix from the tag when the stream is copied, not re-encoded.)
    ASSERT_TRUE(make_media("-i " + testing::quoted(d / "upright.mp4") + " -c copy -metadata:s:v rotate=90",
                           d / "rotated.mp4"));
    ASSERT_TRUE(make_media("-i " + testing::quoted(d / "rotated.mp4") +
                               " -frames:v 1 -sws_flags bilinear+accurate_rnd+bitexact -f rawvideo -pix_fmt gray",
                           d / "rotated_by_ffmpeg.gray"));
    ASSERT_TRUE(make_media("-f lavfi -i sine=duration=1 -c:a pcm_s16le", d / "audio_only.wav"));
    // Bit errors the decoder conceals: in a P-frame of the first GOP (packet 4 in decode
    // order), and in the key frame of the second GOP (packet 25).
    ASSERT_TRUE(testing::write_with_damaged_packets(d / "gop25.mp4", 0, {4}, 8, d / "damaged_p.mp4"));
    ASSERT_TRUE(testing::write_with_damaged_packets(d / "gop25.mp4", 0, {25}, 8, d / "damaged_key.mp4"));
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::filesystem::path file(const std::string& name) { return *dir_ / name; }
  static std::unique_ptr<TempDir> dir_;
};

std::unique_ptr<TempDir> VideoDecoderTest::dir_;

TEST_F(VideoDecoderTest, ZeroIntervalKeepsEveryFrameAsGray) {
  SamplingSpec spec;
  spec.min_interval_s = 0.0;
  const DecodedVideo video = decode_video(file("gop25.mp4"), spec);
  ASSERT_TRUE(video.status.is_ok()) << video.status.message();
  ASSERT_EQ(video.frames.size(), 100u);  // all of them, including those flush() drains
  EXPECT_EQ(video.frames_decoded, 100);
  for (std::size_t i = 0; i < video.frames.size(); ++i) {
    const VideoFrame& frame = video.frames[i];
    EXPECT_EQ(frame.width, 320);
    EXPECT_EQ(frame.height, 240);
    EXPECT_EQ(frame.stride_bytes, 320);
    EXPECT_EQ(frame.format, PixelFormat::kGray8);
    EXPECT_EQ(frame.pixels.size(), 320u * 240u);
    EXPECT_NEAR(frame.pts_s, 0.04 * static_cast<double>(i), 1e-6);  // presentation order
  }
  EXPECT_EQ(video.damaged.flagged, 0);
  EXPECT_EQ(video.damaged.left_out, 0);
  const FrameView view = video.frames[0].view();
  EXPECT_EQ(view.data, video.frames[0].pixels.data());
  EXPECT_EQ(view.stride_bytes, 320);
  // testsrc2 is not flat: the picture has real content.
  const auto [low, high] =
      std::minmax_element(video.frames[0].pixels.begin(), video.frames[0].pixels.end());
  EXPECT_GT(*high - *low, 100);
}

TEST_F(VideoDecoderTest, ThreadedDecodingGivesTheSamePixels) {
  SamplingSpec single;
  single.min_interval_s = 0.5;
  SamplingSpec threaded = single;
  threaded.thread_count = 3;
  const DecodedVideo a = decode_video(file("gop25.mp4"), single);
  const DecodedVideo b = decode_video(file("gop25.mp4"), threaded);
  ASSERT_TRUE(a.status.is_ok()) << a.status.message();
  ASSERT_TRUE(b.status.is_ok()) << b.status.message();
  ASSERT_EQ(a.frames.size(), 8u);
  ASSERT_EQ(b.frames.size(), a.frames.size());
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    EXPECT_EQ(a.frames[i].pts_s, b.frames[i].pts_s);
    EXPECT_EQ(a.frames[i].pixels, b.frames[i].pixels) << "frame " << i;
  }
}

// A flagged frame and the frames predicted from it, up to the next key frame, never reach the
// sink, whatever the thread count: the report of a damaged file must not change from run to run.
TEST_F(VideoDecoderTest, DamagedFramesAreLeftOutUntilTheNextCleanKeyFrame) {
  std::vector<DecodedVideo> runs;
  for (int threads : {1, 2, 3, 0, 2, 2}) {
    SamplingSpec spec;
    spec.min_interval_s = 0.0;
    spec.thread_count = threads;
    runs.push_back(decode_video(file("damaged_p.mp4"), spec));
    const DecodedVideo& video = runs.back();
    ASSERT_TRUE(video.status.is_ok()) << video.status.message();
    EXPECT_EQ(video.frames_decoded, 100) << threads << " threads";
    EXPECT_GE(video.damaged.flagged, 1) << threads << " threads";
    EXPECT_GE(video.damaged.left_out, video.damaged.flagged);
    EXPECT_EQ(static_cast<std::int64_t>(video.frames.size()) + video.damaged.left_out, 100);
    // The picture before the damage and the whole second GOP on are kept.
    EXPECT_GT(video.damaged.first_s, 0.0);
    EXPECT_LT(video.damaged.last_s, 1.0 - kEpsilonS);
    for (const VideoFrame& frame : video.frames) {
      EXPECT_TRUE(frame.pts_s < video.damaged.first_s - kEpsilonS || frame.pts_s > video.damaged.last_s + kEpsilonS)
          << "kept a frame at " << frame.pts_s << " s inside the damaged stretch";
    }
    EXPECT_EQ(std::count_if(video.frames.begin(), video.frames.end(),
                            [](const VideoFrame& f) { return f.pts_s > 1.0 - kEpsilonS; }),
              75);
  }
  for (const DecodedVideo& video : runs) {
    EXPECT_EQ(video.damaged.flagged, runs[0].damaged.flagged);
    EXPECT_EQ(video.damaged.left_out, runs[0].damaged.left_out);
    EXPECT_EQ(video.damaged.first_s, runs[0].damaged.first_s);
  }
}

TEST_F(VideoDecoderTest, TimeSpreadSamplingKeepsFramesAtLeastTheIntervalApart) {
  for (const double interval_s : {1.0, 0.5, 0.3}) {
    SamplingSpec spec;
    spec.min_interval_s = interval_s;
    const DecodedVideo video = decode_video(file("gop25.mp4"), spec);
    ASSERT_TRUE(video.status.is_ok()) << video.status.message();
    EXPECT_EQ(video.frames_decoded, 100);
    ASSERT_FALSE(video.frames.empty());
    EXPECT_NEAR(video.frames.front().pts_s, 0.0, kEpsilonS);
    for (std::size_t i = 1; i < video.frames.size(); ++i) {
      const double gap_s = video.frames[i].pts_s - video.frames[i - 1].pts_s;
      EXPECT_GE(gap_s, interval_s - kEpsilonS) << "interval " << interval_s << " frame " << i;
      EXPECT_LT(gap_s, interval_s + 0.04 + kEpsilonS);  // the first frame at or after it
    }
  }
  SamplingSpec one_second;
  const DecodedVideo video = decode_video(file("gop25.mp4"), one_second);  // default: 1 s
  ASSERT_TRUE(video.status.is_ok()) << video.status.message();
  ASSERT_EQ(video.frames.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(video.frames[i].pts_s, double(i), kEpsilonS);

  SamplingSpec half;
  half.min_interval_s = 0.5;
  EXPECT_EQ(decode_video(file("gop25.mp4"), half).frames.size(), 8u);
  SamplingSpec third;
  third.min_interval_s = 0.3;  // 0, 0.32, 0.64, 0.96, ... every 8 frames: ceil(100 / 8)
  EXPECT_EQ(decode_video(file("gop25.mp4"), third).frames.size(), 13u);
}

TEST_F(VideoDecoderTest, MaxFramesStopsTheDecoder) {
  SamplingSpec spec;
  spec.min_interval_s = 0.0;
  spec.max_frames = 3;
  const DecodedVideo video = decode_video(file("gop25.mp4"), spec);
  ASSERT_TRUE(video.status.is_ok()) << video.status.message();
  EXPECT_EQ(video.frames.size(), 3u);
  EXPECT_TRUE(video.done);
  EXPECT_LT(video.frames_decoded, 100);  // later packets were not even decoded
}

TEST_F(VideoDecoderTest, KeyframesOnlyDecodesOnlyKeyframesAndLeavesOutADamagedOne) {
  SamplingSpec spec;
  spec.min_interval_s = 0.0;
  spec.keyframes_only = true;
  const DecodedVideo video = decode_video(file("gop25.mp4"), spec);
  ASSERT_TRUE(video.status.is_ok()) << video.status.message();
  ASSERT_EQ(video.frames.size(), 4u);
  EXPECT_EQ(video.frames_decoded, 4);  // skip_frame: the others were never decoded
  for (std::size_t i = 0; i < video.frames.size(); ++i) {
    EXPECT_TRUE(video.frames[i].is_keyframe);
    EXPECT_NEAR(video.frames[i].pts_s, static_cast<double>(i), kEpsilonS);
  }
  // Without keyframes_only the same interval gives the same times but decodes everything.
  SamplingSpec every;
  every.min_interval_s = 0.0;
  const DecodedVideo all = decode_video(file("gop25.mp4"), every);
  const auto keys = std::count_if(all.frames.begin(), all.frames.end(),
                                  [](const VideoFrame& f) { return f.is_keyframe; });
  EXPECT_EQ(keys, 4);
  // A damaged key frame is left out, and the next clean one ends the damaged stretch.
  const DecodedVideo damaged = decode_video(file("damaged_key.mp4"), spec);
  ASSERT_TRUE(damaged.status.is_ok()) << damaged.status.message();
  EXPECT_EQ(damaged.damaged.flagged, 1);
  EXPECT_EQ(damaged.damaged.left_out, 1);
  EXPECT_NEAR(damaged.damaged.first_s, 1.0, kEpsilonS);
  ASSERT_EQ(damaged.frames.size(), 3u);
  EXPECT_NEAR(damaged.frames[0].pts_s, 0.0, kEpsilonS);
  EXPECT_NEAR(damaged.frames[1].pts_s, 2.0, kEpsilonS);
  EXPECT_NEAR(damaged.frames[2].pts_s, 3.0, kEpsilonS);
}

// What the video detector's video.frames=auto decides on: the key frames the container's index
// lists, known at open without reading a packet.
TEST_F(VideoDecoderTest, IndexedKeyframesComeFromTheContainerIndex) {
  Result<Demuxer> mp4 = Demuxer::open(file("gop25.mp4"));
  ASSERT_TRUE(mp4.is_ok()) << mp4.status().message();
  EXPECT_EQ(mp4->indexed_keyframes(mp4->best_stream(StreamKind::kVideo)), 4);
  EXPECT_EQ(mp4->indexed_keyframes(7), -1);  // no such stream
  Result<Demuxer> ts = Demuxer::open(file("gop25.ts"));
  ASSERT_TRUE(ts.is_ok()) << ts.status().message();
  EXPECT_EQ(ts->indexed_keyframes(ts->best_stream(StreamKind::kVideo)), 0);
}

TEST_F(VideoDecoderTest, ScalesAndConvertsToBgr) {
  SamplingSpec spec;
  spec.out_width = 160;  // height follows: 120
  spec.format = PixelFormat::kBgr24;
  const DecodedVideo video = decode_video(file("gop25.mp4"), spec);
  ASSERT_TRUE(video.status.is_ok()) << video.status.message();
  ASSERT_FALSE(video.frames.empty());
  const VideoFrame& frame = video.frames[0];
  EXPECT_EQ(frame.width, 160);
  EXPECT_EQ(frame.height, 120);
  EXPECT_EQ(frame.stride_bytes, 480);
  EXPECT_EQ(frame.format, PixelFormat::kBgr24);
  EXPECT_EQ(frame.pixels.size(), 480u * 120u);

  SamplingSpec by_height;
  by_height.out_height = 61;  // width follows: 81.33 -> 81
  by_height.format = PixelFormat::kRgb24;
  const DecodedVideo odd = decode_video(file("gop25.mp4"), by_height);
  ASSERT_TRUE(odd.status.is_ok()) << odd.status.message();
  ASSERT_FALSE(odd.frames.empty());
  EXPECT_EQ(odd.frames[0].width, 81);
  EXPECT_EQ(odd.frames[0].height, 61);
  EXPECT_EQ(odd.frames[0].stride_bytes, 243);
  EXPECT_EQ(odd.frames[0].pixels.size(), 243u * 61u);

  SamplingSpec both;
  both.out_width = 100;
  both.out_height = 50;
  const DecodedVideo stretched = decode_video(file("gop25.mp4"), both);
  ASSERT_FALSE(stretched.frames.empty());
  EXPECT_EQ(stretched.frames[0].width, 100);
  EXPECT_EQ(stretched.frames[0].height, 50);
}

TEST_F(VideoDecoderTest, OutputIsFullRange) {
  SamplingSpec gray;
  const auto white = decode_video(file("white.mp4"), gray);
  ASSERT_TRUE(white.status.is_ok()) << white.status.message();
  ASSERT_FALSE(white.frames.empty());
  for (std::uint8_t p : white.frames[0].pixels) ASSERT_GE(p, 250);  // limited 235 -> 255

  const auto black = decode_video(file("black.mp4"), gray);
  ASSERT_FALSE(black.frames.empty());
  for (std::uint8_t p : black.frames[0].pixels) ASSERT_LE(p, 4);  // limited 16 -> 0

  const auto jpeg = decode_video(file("white_mjpeg.avi"), gray);  // full-range source (yuvj)
  ASSERT_TRUE(jpeg.status.is_ok()) << jpeg.status.message();
  ASSERT_FALSE(jpeg.frames.empty());
  for (std::uint8_t p : jpeg.frames[0].pixels) ASSERT_GE(p, 250);

  SamplingSpec bgr;
  bgr.format = PixelFormat::kBgr24;
  const auto red = decode_video(file("red.mp4"), bgr);
  ASSERT_FALSE(red.frames.empty());
  const auto& px = red.frames[0].pixels;
  const std::size_t centre = (24 * 64 + 32) * 3;
  EXPECT_LE(px[centre + 0], 8);    // B
  EXPECT_LE(px[centre + 1], 8);    // G
  EXPECT_GE(px[centre + 2], 245);  // R

  SamplingSpec rgb;
  rgb.format = PixelFormat::kRgb24;
  const auto red_rgb = decode_video(file("red.mp4"), rgb);
  ASSERT_FALSE(red_rgb.frames.empty());
  EXPECT_GE(red_rgb.frames[0].pixels[centre + 0], 245);  // R first
  EXPECT_LE(red_rgb.frames[0].pixels[centre + 2], 8);
}

TEST_F(VideoDecoderTest, RejectsWrongStreamsAndSpecs) {
  auto audio_only = Demuxer::open(file("audio_only.wav"));
  ASSERT_TRUE(audio_only.is_ok()) << audio_only.status().message();
  auto on_audio = VideoDecoder::create(*audio_only, 0);
  ASSERT_FALSE(on_audio.is_ok());
  EXPECT_EQ(on_audio.status().code(), StatusCode::kInvalidArgument);

  auto demuxer = Demuxer::open(file("gop25.mp4"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  SamplingSpec negative;
  negative.min_interval_s = -1.0;
  EXPECT_EQ(VideoDecoder::create(*demuxer, 0, negative).status().code(),
            StatusCode::kInvalidArgument);
  SamplingSpec huge;
  huge.out_width = 100000;
  EXPECT_EQ(VideoDecoder::create(*demuxer, 0, huge).status().code(),
            StatusCode::kInvalidArgument);
  SamplingSpec frames;
  frames.max_frames = -2;
  EXPECT_EQ(VideoDecoder::create(*demuxer, 0, frames).status().code(),
            StatusCode::kInvalidArgument);

  // Frames larger than the limit are refused, not converted.
  SamplingSpec small;
  small.max_width_px = 100;
  small.max_height_px = 100;
  const DecodedVideo refused = decode_video(file("gop25.mp4"), small);
  EXPECT_FALSE(refused.status.is_ok());
  EXPECT_TRUE(refused.frames.empty());
}

TEST_F(VideoDecoderTest, SinkErrorIsReturnedUnchanged) {
  auto demuxer = Demuxer::open(file("gop25.mp4"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  auto decoder = VideoDecoder::create(*demuxer, 0);
  ASSERT_TRUE(decoder.is_ok()) << decoder.status().message();
  const VideoSink failing = [](const VideoFrame&) { return Status::cancelled("stop here"); };
  Packet packet;
  Status status;
  while (status.is_ok()) {
    Result<bool> read = demuxer->read_packet(packet);
    ASSERT_TRUE(read.is_ok());
    if (!read.value()) {
      status = decoder->flush(failing);
      break;
    }
    status = decoder->decode(packet, failing);
  }
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(status.message(), "stop here");
  EXPECT_EQ(decoder->frames_kept(), 1);
}

TEST_F(VideoDecoderTest, TurnsFramesAsTheDisplayMatrixSaysTheWayFfmpegShowsThem) {
  auto demuxer = Demuxer::open(file("rotated.mp4"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  const StreamDesc& stream =
      demuxer->streams()[static_cast<std::size_t>(demuxer->best_stream(StreamKind::kVideo))];
  EXPECT_EQ(stream.width, 320);
  EXPECT_EQ(stream.rotation_deg, 270);  // `rotate=90` asks players for a quarter turn to the left
  const std::vector<std::uint8_t> shown = testing::read_bytes(file("rotated_by_ffmpeg.gray"));
  ASSERT_EQ(shown.size(), 240u * 320u);
  // Mean absolute difference between the first kept frame, turned by `degrees`, and ffmpeg's.
  const auto difference_from_ffmpeg = [&](int degrees) {
    SamplingSpec spec;
    spec.max_frames = 1;
    spec.rotate_clockwise_deg = degrees;
    const DecodedVideo video = decode_video(file("rotated.mp4"), spec);
    EXPECT_TRUE(video.status.is_ok()) << video.status.message();
    if (video.frames.empty() || video.frames[0].pixels.size() != shown.size()) return 255.0;
    EXPECT_EQ(video.frames[0].width, 240);
    EXPECT_EQ(video.frames[0].stride_bytes, 240);
    double sum = 0.0;
    for (std::size_t i = 0; i < shown.size(); ++i) sum += std::abs(video.frames[0].pixels[i] - shown[i]);
    return sum / static_cast<double>(shown.size());
  };
  EXPECT_LT(difference_from_ffmpeg(stream.rotation_deg), 2.0);
  EXPECT_GT(difference_from_ffmpeg(90), 20.0);   // the other way round
  SamplingSpec spec;
  spec.max_frames = 1;
  const DecodedVideo as_stored = decode_video(file("rotated.mp4"), spec);
  ASSERT_TRUE(as_stored.status.is_ok());
  ASSERT_FALSE(as_stored.frames.empty());
  EXPECT_EQ(as_stored.frames[0].width, 320);  // not turned unless asked
  EXPECT_EQ(as_stored.frames[0].height, 240);
  spec.rotate_clockwise_deg = 180;
  const DecodedVideo upside_down = decode_video(file("rotated.mp4"), spec);
  ASSERT_TRUE(upside_down.status.is_ok());
  ASSERT_FALSE(upside_down.frames.empty());
  EXPECT_EQ(upside_down.frames[0].width, 320);
  EXPECT_EQ(upside_down.frames[0].height, 240);
}

TEST_F(VideoDecoderTest, RefusesATurnThatIsNotAQuarterTurn) {
  SamplingSpec spec;
  spec.rotate_clockwise_deg = 45;
  const DecodedVideo video = decode_video(file("gop25.mp4"), spec);
  EXPECT_EQ(video.status.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wm::io
