#include "meta/neighbours.h"

#include <gtest/gtest.h>

#include <fstream>

namespace wm::meta {
namespace {

std::string evidence(const Finding& f, std::string_view key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) {
      if (auto s = std::get_if<std::string>(&e.value)) return *s;
      return std::to_string(std::get<std::int64_t>(e.value));
    }
  }
  return "<none>";
}

TEST(FileNameTest, ZoomPerParticipantAudio) {
  const auto fs = inspect_file_name("/x/audioJaneDoe11234567890.m4a");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].detector, "meta.file_name");
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(evidence(fs[0], "display_name"), "JaneDoe");
  EXPECT_TRUE(inspect_file_name("/x/audio.m4a").empty());
  EXPECT_TRUE(inspect_file_name("/x/audio_track_2.m4a").empty());
  EXPECT_TRUE(inspect_file_name("/x/GMT20260115-140000_Recording_1280x720.mp4").empty());
  EXPECT_EQ(inspect_file_name("/x/export-for-bob@example.com.mp4").size(), 1u);
}

TEST(SidecarTest, TranscriptSpeakers) {
  const auto names = transcript_speakers(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Jane Doe>Hello all</v>\n\n2\n"
      "00:00:04.000 --> 00:00:05.000\nJohn Smith: Thanks, Jane.\n\nNOTE: not a speaker\n");
  EXPECT_EQ(names, (std::vector<std::string>{"Jane Doe", "John Smith"}));
}

TEST(SidecarTest, ChatParticipants) {
  const auto names = chat_participants(
      "14:01:02 From Jane Doe to Everyone:\n\thello\n"
      "14:02:10 From John Smith to Jane Doe(Direct Message):\n\thi\n"
      "00:03:01\t From  Old Style : message\n"
      "this line From Nobody: ignored\n");
  EXPECT_EQ(names, (std::vector<std::string>{"Jane Doe", "John Smith", "Old Style"}));
}

TEST(SidecarTest, FindsZoomSidecarsBesideTheRecording) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "zoom_sidecars";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "chat.txt") << "14:01:02 From Jane Doe to Everyone:\n\thello jane@example.com\n";
  std::ofstream(dir / "GMT20260115-140000_Recording.transcript.vtt")
      << "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Jane Doe>Hi</v>\n";
  const auto fs = inspect_sidecars(dir / "GMT20260115-140000_Recording_1280x720.mp4");
  ASSERT_EQ(fs.size(), 2u);
  bool chat = false, transcript = false;
  for (const Finding& f : fs) {
    chat |= f.detector == "meta.sidecar_chat" && evidence(f, "names") == "Jane Doe" &&
            evidence(f, "emails") == "jane@example.com" && evidence(f, "sidecar") == "chat.txt";
    transcript |= f.detector == "meta.sidecar_transcript" && evidence(f, "name_count") == "1";
  }
  EXPECT_TRUE(chat);
  EXPECT_TRUE(transcript);
  // A meeting folder's chat and transcript belong to every recording in it.
  EXPECT_EQ(inspect_sidecars(dir / "audioJohnSmith2345678901.m4a").size(), 2u);
  const auto empty_dir = std::filesystem::path(::testing::TempDir()) / "no_sidecars";
  std::filesystem::create_directories(empty_dir);
  EXPECT_TRUE(inspect_sidecars(empty_dir / "a.mp4").empty());
}

TEST(SidecarTest, HugeFoldersAreNotListedForEveryFile) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "huge_folder";
  std::filesystem::create_directories(dir);
  for (int i = 0; i < 600; ++i) std::ofstream(dir / ("f" + std::to_string(i) + ".wav"));
  std::ofstream(dir / "Other_Meeting.transcript.vtt") << "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Jane Doe>Hi</v>\n";
  std::ofstream(dir / "f1.vtt") << "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v John Smith>Hi</v>\n";
  const auto fs = inspect_sidecars(dir / "f1.wav");
  ASSERT_EQ(fs.size(), 1u) << "only the same-stem sidecar is looked at in a folder this large";
  EXPECT_EQ(evidence(fs[0], "sidecar"), "f1.vtt");
}

}  // namespace
}  // namespace wm::meta
