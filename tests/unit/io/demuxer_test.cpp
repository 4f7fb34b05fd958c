// Demuxer: stream/format/chapter/program descriptions read back from files made by the
// ffmpeg CLI, packet reading, stream discarding, limits, bad input and log routing.
#include "io/demuxer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "unit/io/io_test_util.h"
#include "wm/log.h"

namespace wm::io {
namespace {

using testing::make_media;
using testing::read_bytes;
using testing::TempDir;
using testing::write_bytes;

std::string value_of(const MetadataPairs& pairs, const std::string& key) {
  for (const auto& [k, v] : pairs) {
    if (k == key) return v;
  }
  return "<missing>";
}

class DemuxerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    ASSERT_TRUE(dir_->ok());
    const TempDir& d = *dir_;
    ASSERT_TRUE(make_media("-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=2 "
                           "-metadata title=Tone -c:a pcm_f32le",
                           d / "tone.wav"));
    const std::string av_inputs =
        "-f lavfi -i testsrc2=size=320x240:rate=25:duration=2 "
        "-f lavfi -i sine=frequency=1000:sample_rate=44100:duration=2 "
        "-c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p -c:a aac -ac 2 "
        "-metadata title=\"Clip title\" -metadata comment=\"made for wm\" ";
    ASSERT_TRUE(make_media(av_inputs + "-movflags +faststart", d / "av_faststart.mp4"));
    ASSERT_TRUE(make_media(av_inputs, d / "av_moov_at_end.mp4"));

    ASSERT_TRUE(write_bytes(d / "note.txt", {'h', 'e', 'l', 'l', 'o', ' ', 'n', 'o', 't', 'e', '\n'}));
    const std::string meta =
        ";FFMETADATA1\ntitle=Chaptered\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=Intro\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=3000\ntitle=Main part\n";
    ASSERT_TRUE(write_bytes(d / "meta.txt", std::vector<std::uint8_t>(meta.begin(), meta.end())));
    ASSERT_TRUE(make_media("-f lavfi -i sine=duration=3 -i " + testing::quoted(d / "meta.txt") +
                               " -map 0:a -map_metadata 1 -map_chapters 1 -attach " +
                               testing::quoted(d / "note.txt") +
                               " -metadata:s:t mimetype=text/plain -c:a flac",
                           d / "chapters.mkv"));
    ASSERT_TRUE(make_media("-f lavfi -i sine=duration=1 -c:a mp2 "
                           "-metadata service_name=\"WM Service\" -metadata service_provider=WM",
                           d / "program.ts"));
    ASSERT_TRUE(make_media("-f lavfi -i sine=duration=1 -f lavfi -i color=c=blue:s=64x64:d=1 "
                           "-map 0:a -map 1:v -frames:v 1 -c:a aac -c:v png "
                           "-disposition:v:0 attached_pic",
                           d / "cover.m4a"));
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static std::filesystem::path file(const std::string& name) { return *dir_ / name; }
  static std::unique_ptr<TempDir> dir_;
};

std::unique_ptr<TempDir> DemuxerTest::dir_;

TEST_F(DemuxerTest, DescribesWavFile) {
  auto demuxer = Demuxer::open(file("tone.wav"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  EXPECT_EQ(demuxer->format_name(), "wav");
  EXPECT_FALSE(demuxer->format_long_name().empty());
  EXPECT_NEAR(demuxer->duration_s(), 2.0, 0.01);
  EXPECT_NEAR(static_cast<double>(demuxer->bit_rate()), 48000.0 * 32, 48000.0 * 32 * 0.01);
  EXPECT_EQ(value_of(demuxer->format_metadata(), "title"), "Tone");
  ASSERT_EQ(demuxer->streams().size(), 1u);
  const StreamDesc& stream = demuxer->streams()[0];
  EXPECT_EQ(stream.index, 0);
  EXPECT_EQ(stream.kind, StreamKind::kAudio);
  EXPECT_EQ(stream.kind_name(), "audio");
  EXPECT_EQ(stream.codec_name, "pcm_f32le");
  EXPECT_EQ(stream.sample_rate_hz, 48000);
  EXPECT_EQ(stream.channels, 1);
  EXPECT_NEAR(stream.duration_s, 2.0, 0.01);
  EXPECT_EQ(stream.width, 0);
  EXPECT_TRUE(demuxer->chapters().empty());
  EXPECT_EQ(demuxer->best_stream(StreamKind::kAudio), 0);
  EXPECT_EQ(demuxer->best_stream(StreamKind::kVideo), -1);
}

TEST_F(DemuxerTest, DescribesMp4AudioAndVideo) {
  auto demuxer = Demuxer::open(file("av_faststart.mp4"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  EXPECT_NE(demuxer->format_name().find("mp4"), std::string::npos) << demuxer->format_name();
  EXPECT_NEAR(demuxer->duration_s(), 2.0, 0.1);
  EXPECT_GT(demuxer->bit_rate(), 0);
  EXPECT_EQ(value_of(demuxer->format_metadata(), "title"), "Clip title");
  EXPECT_EQ(value_of(demuxer->format_metadata(), "comment"), "made for wm");
  ASSERT_EQ(demuxer->streams().size(), 2u);
  const int video = demuxer->best_stream(StreamKind::kVideo);
  const int audio = demuxer->best_stream(StreamKind::kAudio);
  ASSERT_GE(video, 0);
  ASSERT_GE(audio, 0);
  ASSERT_NE(video, audio);
  const StreamDesc& v = demuxer->streams()[video];
  EXPECT_EQ(v.kind, StreamKind::kVideo);
  EXPECT_EQ(v.kind_name(), "video");
  EXPECT_EQ(v.codec_name, "h264");
  EXPECT_EQ(v.width, 320);
  EXPECT_EQ(v.height, 240);
  EXPECT_NEAR(v.frame_rate_hz, 25.0, 1e-6);
  EXPECT_FALSE(v.is_attached_picture);
  const StreamDesc& a = demuxer->streams()[audio];
  EXPECT_EQ(a.codec_name, "aac");
  EXPECT_EQ(a.sample_rate_hz, 44100);
  EXPECT_EQ(a.channels, 2);
  EXPECT_FALSE(value_of(a.metadata, "handler_name").empty());
}

TEST_F(DemuxerTest, ReadsChaptersMetadataAndAttachmentsFromMkv) {
  auto demuxer = Demuxer::open(file("chapters.mkv"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  EXPECT_EQ(demuxer->format_name(), "matroska,webm");
  EXPECT_EQ(value_of(demuxer->format_metadata(), "title"), "Chaptered");
  ASSERT_EQ(demuxer->chapters().size(), 2u);
  const ChapterDesc& first = demuxer->chapters()[0];
  const ChapterDesc& second = demuxer->chapters()[1];
  EXPECT_EQ(first.index, 0);
  EXPECT_NEAR(first.start_s, 0.0, 1e-9);
  EXPECT_NEAR(first.end_s, 1.5, 1e-9);
  EXPECT_EQ(value_of(first.metadata, "title"), "Intro");
  EXPECT_EQ(second.index, 1);
  EXPECT_NEAR(second.start_s, 1.5, 1e-9);
  EXPECT_NEAR(second.end_s, 3.0, 1e-9);
  EXPECT_EQ(value_of(second.metadata, "title"), "Main part");

  const auto& streams = demuxer->streams();
  // Matroska keeps no stream duration; the muxer's DURATION tag gives it.
  ASSERT_EQ(streams[0].kind, StreamKind::kAudio);
  EXPECT_NEAR(streams[0].duration_s, 3.0, 0.05);
  const auto attachment = std::find_if(streams.begin(), streams.end(), [](const StreamDesc& s) {
    return s.kind == StreamKind::kAttachment;
  });
  ASSERT_NE(attachment, streams.end());
  EXPECT_EQ(attachment->kind_name(), "attachment");
  EXPECT_EQ(attachment->attachment_filename, "note.txt");
  EXPECT_EQ(attachment->attachment_mimetype, "text/plain");
  EXPECT_EQ(attachment->attachment_size_bytes, 11);
}

TEST_F(DemuxerTest, ReadsProgramsFromTransportStream) {
  auto demuxer = Demuxer::open(file("program.ts"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  EXPECT_EQ(demuxer->format_name(), "mpegts");
  ASSERT_EQ(demuxer->programs().size(), 1u);
  const ProgramDesc& program = demuxer->programs()[0];
  EXPECT_EQ(program.id, 1);
  EXPECT_EQ(program.stream_indices, std::vector<int>{0});
  EXPECT_EQ(value_of(program.metadata, "service_name"), "WM Service");
  EXPECT_EQ(value_of(program.metadata, "service_provider"), "WM");
}

TEST_F(DemuxerTest, FlagsAttachedPictureAndNeverPicksItAsVideo) {
  auto demuxer = Demuxer::open(file("cover.m4a"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  ASSERT_EQ(demuxer->streams().size(), 2u);
  const StreamDesc& picture = demuxer->streams()[1];
  EXPECT_EQ(picture.kind, StreamKind::kVideo);
  EXPECT_EQ(picture.codec_name, "png");
  EXPECT_TRUE(picture.is_attached_picture);
  EXPECT_EQ(picture.width, 64);
  EXPECT_EQ(demuxer->best_stream(StreamKind::kVideo), -1);
  EXPECT_EQ(demuxer->best_stream(StreamKind::kAudio), 0);
}

TEST_F(DemuxerTest, ReadsEveryPacketThenEndsCleanly) {
  auto demuxer = Demuxer::open(file("av_faststart.mp4"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  const int video = demuxer->best_stream(StreamKind::kVideo);
  const int audio = demuxer->best_stream(StreamKind::kAudio);
  Packet packet;
  EXPECT_TRUE(packet.empty());
  EXPECT_EQ(packet.stream_index(), -1);
  EXPECT_FALSE(packet.pts_s().has_value());
  int video_packets = 0;
  int audio_packets = 0;
  int video_keyframes = 0;
  double last_audio_pts_s = -1.0;
  bool first_video = true;
  for (;;) {
    Result<bool> read = demuxer->read_packet(packet);
    ASSERT_TRUE(read.is_ok()) << read.status().message();
    if (!read.value()) break;
    EXPECT_FALSE(packet.empty());
    EXPECT_GT(packet.size_bytes(), 0u);
    EXPECT_GE(packet.position_bytes(), 0);
    ASSERT_TRUE(packet.pts_s().has_value());
    if (packet.stream_index() == video) {
      if (first_video) {
        EXPECT_TRUE(packet.is_keyframe());
      }
      first_video = false;
      ++video_packets;
      if (packet.is_keyframe()) ++video_keyframes;
      EXPECT_NEAR(packet.duration_s(), 0.04, 1e-6);
    } else if (packet.stream_index() == audio) {
      ++audio_packets;
      EXPECT_GT(*packet.pts_s(), last_audio_pts_s);  // audio packets come in time order
      last_audio_pts_s = *packet.pts_s();
    } else {
      ADD_FAILURE() << "packet of unexpected stream " << packet.stream_index();
    }
  }
  EXPECT_EQ(video_packets, 50);  // 2 s at 25 fps
  EXPECT_EQ(video_keyframes, 2);  // -g 25
  // 2 s of AAC at 44.1 kHz is 86.1 frames of 1024, plus the encoder's priming frame.
  EXPECT_GE(audio_packets, 87);
  EXPECT_LE(audio_packets, 89);
  // After the end: still the end, and the packet is empty again.
  Result<bool> again = demuxer->read_packet(packet);
  ASSERT_TRUE(again.is_ok());
  EXPECT_FALSE(again.value());
  EXPECT_TRUE(packet.empty());
}

TEST_F(DemuxerTest, DiscardedStreamsAreNotReturned) {
  auto demuxer = Demuxer::open(file("av_faststart.mp4"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  const int audio = demuxer->best_stream(StreamKind::kAudio);
  demuxer->set_discard_all_except({audio});
  Packet packet;
  int packets = 0;
  for (;;) {
    Result<bool> read = demuxer->read_packet(packet);
    ASSERT_TRUE(read.is_ok()) << read.status().message();
    if (!read.value()) break;
    EXPECT_EQ(packet.stream_index(), audio);
    ++packets;
  }
  EXPECT_GE(packets, 87);
}

TEST_F(DemuxerTest, PacketsAreMovable) {
  auto demuxer = Demuxer::open(file("tone.wav"));
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  Packet packet;
  Result<bool> read = demuxer->read_packet(packet);
  ASSERT_TRUE(read.is_ok() && read.value());
  const std::size_t size = packet.size_bytes();
  Packet moved = std::move(packet);
  EXPECT_EQ(moved.size_bytes(), size);
  EXPECT_EQ(moved.stream_index(), 0);
  EXPECT_NEAR(moved.pts_s().value_or(-1.0), 0.0, 1e-9);
  Demuxer other = std::move(*demuxer);
  read = other.read_packet(moved);  // reading continues on the moved demuxer
  ASSERT_TRUE(read.is_ok() && read.value());
  EXPECT_GT(moved.pts_s().value_or(-1.0), 0.0);
}

TEST_F(DemuxerTest, LimitsRejectAbsurdInput) {
  OpenLimits small_video;
  small_video.max_width_px = 100;
  auto wide = Demuxer::open(file("av_faststart.mp4"), small_video);
  ASSERT_FALSE(wide.is_ok());
  EXPECT_EQ(wide.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(wide.status().message().find("320x240"), std::string::npos) << wide.status().message();

  OpenLimits one_stream;
  one_stream.max_streams = 1;
  auto many = Demuxer::open(file("av_faststart.mp4"), one_stream);
  ASSERT_FALSE(many.is_ok());
  EXPECT_EQ(many.status().code(), StatusCode::kLimitExceeded);

  OpenLimits one_chapter;
  one_chapter.max_chapters = 1;
  auto chapters = Demuxer::open(file("chapters.mkv"), one_chapter);
  ASSERT_FALSE(chapters.is_ok());
  EXPECT_EQ(chapters.status().code(), StatusCode::kLimitExceeded);

  // The cover picture is not "video" for the size limit.
  OpenLimits tiny;
  tiny.max_width_px = 16;
  tiny.max_height_px = 16;
  EXPECT_TRUE(Demuxer::open(file("cover.m4a"), tiny).is_ok());
}

TEST_F(DemuxerTest, MissingFileIsNotFound) {
  const auto path = file("does_not_exist.mp4");
  auto demuxer = Demuxer::open(path);
  ASSERT_FALSE(demuxer.is_ok());
  EXPECT_EQ(demuxer.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(demuxer.status().message(), path.string() + ": no such file");
}

TEST_F(DemuxerTest, DirectoryIsAnIoError) {
  auto demuxer = Demuxer::open(dir_->path());
  ASSERT_FALSE(demuxer.is_ok());
  EXPECT_EQ(demuxer.status().code(), StatusCode::kIoError);
  EXPECT_NE(demuxer.status().message().find(dir_->path().string()), std::string::npos);
  EXPECT_NE(demuxer.status().message().find("directory"), std::string::npos);
}

TEST_F(DemuxerTest, FifoIsRefusedWithoutBlocking) {
  const auto path = file("pipe.mp4");
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  auto demuxer = Demuxer::open(path);
  ASSERT_FALSE(demuxer.is_ok());
  EXPECT_EQ(demuxer.status().code(), StatusCode::kIoError);
  std::filesystem::remove(path);
}

TEST_F(DemuxerTest, EmptyFileIsUnsupported) {
  const auto path = file("empty.mp4");
  ASSERT_TRUE(write_bytes(path, {}));
  auto demuxer = Demuxer::open(path);
  ASSERT_FALSE(demuxer.is_ok());
  EXPECT_EQ(demuxer.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(demuxer.status().message(), path.string() + ": empty file (0 bytes)");
}

TEST_F(DemuxerTest, RandomBytesAreNotMedia) {
  const auto path = file("random.mp4");
  ASSERT_TRUE(write_bytes(path, testing::seeded_bytes(64 * 1024, /*seed=*/7)));
  const auto before = read_bytes(path);
  auto demuxer = Demuxer::open(path);
  ASSERT_FALSE(demuxer.is_ok());
  EXPECT_EQ(demuxer.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(demuxer.status().message(),
            path.string() +
                ": not a media file FFmpeg can open (Invalid data found when processing input)");
  EXPECT_EQ(read_bytes(path), before);
}

TEST_F(DemuxerTest, TruncatedMp4WithoutIndexFailsCleanly) {
  // moov at the end: cutting the file in the middle of mdat loses the index.
  const auto bytes = read_bytes(file("av_moov_at_end.mp4"));
  const auto path = file("truncated_moov_at_end.mp4");
  ASSERT_TRUE(write_bytes(path, std::vector<std::uint8_t>(bytes.begin(),
                                                          bytes.begin() + bytes.size() / 2)));
  auto demuxer = Demuxer::open(path);
  ASSERT_FALSE(demuxer.is_ok());
  EXPECT_EQ(demuxer.status().code(), StatusCode::kCorruptInput) << demuxer.status().message();
  // Said as what it is, not "not a media file": the index is missing and the data cut short.
  const std::string& message = demuxer.status().message();
  EXPECT_EQ(message.rfind(path.string() + ": MP4/QuickTime file without its index ('moov' box); its 'mdat' box at byte ", 0), 0u)
      << message;
  EXPECT_NE(message.find("cut short"), std::string::npos) << message;
}

TEST_F(DemuxerTest, Mp4WhoseIndexWasNeverWrittenIsSaidSo) {
  // Every box whole, but no moov: what a recorder stopped before finishing leaves.
  const auto bytes = read_bytes(file("av_moov_at_end.mp4"));
  std::size_t moov = 0;
  for (std::size_t i = 4; i + 4 <= bytes.size(); ++i) {
    if (bytes[i] == 'm' && bytes[i + 1] == 'o' && bytes[i + 2] == 'o' && bytes[i + 3] == 'v') moov = i - 4;
  }
  ASSERT_GT(moov, 0u);
  const auto path = file("no_moov.mp4");
  ASSERT_TRUE(write_bytes(path, std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(moov))));
  auto demuxer = Demuxer::open(path);
  ASSERT_FALSE(demuxer.is_ok());
  EXPECT_EQ(demuxer.status().code(), StatusCode::kCorruptInput);
  EXPECT_EQ(demuxer.status().message(),
            path.string() + ": MP4/QuickTime file without its index ('moov' box): the file was cut short or never "
                            "finished (a recorder that crashed or was stopped leaves files like this), so its audio "
                            "and video cannot be located");
}

TEST_F(DemuxerTest, TruncatedMp4WithIndexEndsOrErrorsWhileReading) {
  // moov first: the index survives, the samples it points to past the cut do not.
  const auto bytes = read_bytes(file("av_faststart.mp4"));
  const auto path = file("truncated_faststart.mp4");
  ASSERT_TRUE(write_bytes(path, std::vector<std::uint8_t>(bytes.begin(),
                                                          bytes.begin() + bytes.size() / 2)));
  auto demuxer = Demuxer::open(path);
  ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
  Packet packet;
  int packets = 0;
  bool ended = false;
  for (int i = 0; i < 10000 && !ended; ++i) {
    Result<bool> read = demuxer->read_packet(packet);
    if (!read.is_ok()) {
      EXPECT_TRUE(read.status().code() == StatusCode::kCorruptInput ||
                  read.status().code() == StatusCode::kIoError)
          << read.status().message();
      ended = true;
    } else if (!read.value()) {
      ended = true;
    } else {
      ++packets;
    }
  }
  EXPECT_TRUE(ended);
  EXPECT_GT(packets, 10);   // the first half is there
  EXPECT_LT(packets, 138);  // not everything the index lists (50 video + ~88 audio)
}

TEST_F(DemuxerTest, OpeningAndReadingLeavesTheFileUnchanged) {
  for (const char* name : {"tone.wav", "av_faststart.mp4", "chapters.mkv", "cover.m4a"}) {
    const auto path = file(name);
    const auto before = read_bytes(path);
    const auto mtime_before = std::filesystem::last_write_time(path);
    const auto entries_before = std::distance(std::filesystem::directory_iterator(dir_->path()),
                                              std::filesystem::directory_iterator());
    {
      auto demuxer = Demuxer::open(path);
      ASSERT_TRUE(demuxer.is_ok()) << demuxer.status().message();
      Packet packet;
      while (true) {
        Result<bool> read = demuxer->read_packet(packet);
        ASSERT_TRUE(read.is_ok());
        if (!read.value()) break;
      }
    }
    EXPECT_EQ(read_bytes(path), before) << name;
    EXPECT_EQ(std::filesystem::last_write_time(path), mtime_before) << name;
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_->path()),
                            std::filesystem::directory_iterator()),
              entries_before)
        << "something was written beside " << name;
  }
}

TEST_F(DemuxerTest, FileNamesThatLookLikeProtocolsAreFiles) {
  // "concat:" would make FFmpeg read other files; here it must be just a (missing) name.
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(dir_->path());
  auto concat = Demuxer::open("concat:tone.wav|tone.wav");
  auto copy_ok = std::filesystem::copy_file("tone.wav", "http:tone.wav");
  auto http = Demuxer::open("http:tone.wav");
  std::filesystem::current_path(previous);
  ASSERT_FALSE(concat.is_ok());
  EXPECT_EQ(concat.status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(copy_ok);
  ASSERT_TRUE(http.is_ok()) << http.status().message();
  EXPECT_EQ(http->format_name(), "wav");
}

// ---- route_ffmpeg_log ----------------------------------------------------------------------

struct Captured {
  std::mutex mutex;
  std::vector<std::pair<LogLevel, std::string>> lines;
};

TEST_F(DemuxerTest, RouteFfmpegLogCapturesAndEmptySinkSilences) {
  // An MP4 file type box followed by garbage: FFmpeg's MP4 demuxer takes it and complains.
  const auto garbage = file("garbage_for_log.mp4");
  const std::string ftyp("\0\0\0\x18" "ftypisom\0\0\x02\0isomiso2", 24);
  std::vector<std::uint8_t> bytes(ftyp.begin(), ftyp.end());
  const auto tail = testing::seeded_bytes(4096, /*seed=*/11);
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  ASSERT_TRUE(write_bytes(garbage, bytes));

  auto captured = std::make_shared<Captured>();
  route_ffmpeg_log(
      [captured](LogLevel level, std::string_view message) {
        std::lock_guard<std::mutex> lock(captured->mutex);
        captured->lines.emplace_back(level, std::string(message));
      },
      LogLevel::kWarning);
  route_ffmpeg_log(  // a second call replaces the first: safe to call more than once
      [captured](LogLevel level, std::string_view message) {
        std::lock_guard<std::mutex> lock(captured->mutex);
        captured->lines.emplace_back(level, std::string(message));
      },
      LogLevel::kWarning);
  EXPECT_FALSE(Demuxer::open(garbage).is_ok());
  {
    std::lock_guard<std::mutex> lock(captured->mutex);
    ASSERT_FALSE(captured->lines.empty());
    bool saw_moov = false;
    for (const auto& [level, line] : captured->lines) {
      EXPECT_GE(level, LogLevel::kWarning) << line;
      EXPECT_FALSE(line.empty());
      EXPECT_NE(line.back(), '\n');
      if (line.find("moov atom not found") != std::string::npos) {
        saw_moov = true;
        EXPECT_EQ(level, LogLevel::kError);
        EXPECT_NE(line.find("[mov,mp4"), std::string::npos) << line;  // FFmpeg's prefix
      }
    }
    EXPECT_TRUE(saw_moov);
    captured->lines.clear();
  }

  // Only errors: the cover file's warning ("timescale not set") is filtered out.
  route_ffmpeg_log(
      [captured](LogLevel level, std::string_view message) {
        std::lock_guard<std::mutex> lock(captured->mutex);
        captured->lines.emplace_back(level, std::string(message));
      },
      LogLevel::kError);
  EXPECT_TRUE(Demuxer::open(file("cover.m4a")).is_ok());
  EXPECT_FALSE(Demuxer::open(garbage).is_ok());
  {
    std::lock_guard<std::mutex> lock(captured->mutex);
    ASSERT_FALSE(captured->lines.empty());
    for (const auto& [level, line] : captured->lines) EXPECT_EQ(level, LogLevel::kError) << line;
    captured->lines.clear();
  }

  route_ffmpeg_log({});  // silence
  EXPECT_FALSE(Demuxer::open(garbage).is_ok());
  std::lock_guard<std::mutex> lock(captured->mutex);
  EXPECT_TRUE(captured->lines.empty());
}

}  // namespace
}  // namespace wm::io
