#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "report/text_writer.h"
#include "wm/write.h"

namespace wm {
namespace {

Report sample_report() {
  Report r;
  r.path = "in/a.mp4";
  r.size_bytes = 1234;
  r.container = "mov,mp4,m4a,3gp,3g2,mj2";
  r.duration_s = 2.0004;
  r.streams.push_back({0, "audio", "aac", 2.0, 48000, 2, 0, 0});
  Finding f;
  f.detector = "meta.email";
  f.category = "metadata";
  f.severity = Severity::kHigh;
  f.confidence = 0.95;
  f.summary = "An e-mail address is written in the comment field.";
  f.evidence = {{"field", std::string("comment (format)"), false},
                {"value", std::string("jane.doe@example.com"), true}};
  r.findings.push_back(f);
  Finding g;
  g.detector = "meta.software";
  g.category = "metadata";
  g.severity = Severity::kLow;
  g.confidence = 0.9;
  g.summary = "bad \xff utf8 and <script>alert(1)</script>";
  g.evidence = {{"value", std::string("Lavf\x01"), false}, {"count", std::int64_t{3}, false}};
  r.findings.push_back(g);
  r.detectors.push_back({"meta", "1.0", {{"inspect_neighbours", "true"}}});
  return r;
}

TEST(JsonWriterTest, RedactsPersonalValuesUnlessAsked) {
  std::ostringstream redacted, shown;
  ASSERT_TRUE(write_reports(redacted, {sample_report()}, OutputFormat::kJson, {}).is_ok());
  ASSERT_TRUE(write_reports(shown, {sample_report()}, OutputFormat::kJson, {.show_values = true}).is_ok());
  EXPECT_EQ(redacted.str().find("jane.doe"), std::string::npos);
  EXPECT_NE(shown.str().find("jane.doe@example.com"), std::string::npos);
  const auto doc = nlohmann::json::parse(redacted.str());
  EXPECT_EQ(doc["schema_version"], "1.0");
  EXPECT_EQ(doc["values_redacted"], true);
  const auto& file = doc["files"][0];
  EXPECT_EQ(file["findings"][0]["evidence"]["value"], "[redacted]");
  EXPECT_EQ(file["findings"][0]["redacted"][0], "value");
  EXPECT_EQ(file["worst_severity"], "high");
  EXPECT_EQ(file["duration_s"], 2.0);  // rounded for stable goldens
  EXPECT_EQ(doc["summary"]["findings_by_severity"]["high"], 1);
  EXPECT_EQ(file["findings"][1]["evidence"]["count"], 3);
}

TEST(JsonWriterTest, InvalidUtf8NeverThrows) {
  std::ostringstream out;
  ASSERT_TRUE(write_reports(out, {sample_report()}, OutputFormat::kJson, {.show_values = true}).is_ok());
  EXPECT_TRUE(nlohmann::json::accept(out.str()));
  EXPECT_NE(out.str().find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(JsonlWriterTest, OneObjectPerLine) {
  std::ostringstream out;
  Report other = sample_report();
  other.path = "b.wav";
  ASSERT_TRUE(write_reports(out, {sample_report(), other}, OutputFormat::kJsonl, {}).is_ok());
  std::istringstream in(out.str());
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["schema_version"], "1.0");
    ++lines;
  }
  EXPECT_EQ(lines, 2);
}

TEST(JsonlReaderTest, ArtifactsKeepWhereTheyWereStored) {
  Report r = sample_report();
  r.findings[0].artifacts.push_back({"recovered_mark", "image/png", "mark.png", {0x89, 'P', 'N', 'G'}});
  r.findings[0].artifacts.back().stored_path = "evidence/a-1/1_mark.png";
  r.findings[1].artifacts.push_back({"spectrogram", "image/png", "spec.png", {1, 2, 3}});
  std::ostringstream out;
  ASSERT_TRUE(write_jsonl_record(out, r, {}).is_ok());
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["findings"][0]["artifacts"][0]["path"], "evidence/a-1/1_mark.png");
  EXPECT_FALSE(j["findings"][1]["artifacts"][0].contains("path"));  // not stored: no path
  std::string line = out.str();
  line.pop_back();  // the newline
  auto back = parse_jsonl_record(line);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  ASSERT_EQ(back->findings[0].artifacts.size(), 1u);
  const Artifact& a = back->findings[0].artifacts[0];
  EXPECT_EQ(a.kind, "recovered_mark");
  EXPECT_EQ(a.file_name, "mark.png");
  EXPECT_EQ(a.stored_path, "evidence/a-1/1_mark.png");
  EXPECT_TRUE(a.bytes.empty());  // the JSON never carries the bytes
  EXPECT_EQ(back->findings[1].artifacts[0].stored_path, "");
}

TEST(JsonlReaderTest, TheMomentAPictureShowsIsWrittenOnlyWhenThereIsOneAndReadBack) {
  Report r = sample_report();
  r.findings[0].artifacts.push_back({"annotated_frame", "image/png", "frame.png", {1, 2}});
  r.findings[0].artifacts.back().time_s = 12.25;
  r.findings[0].artifacts.push_back({"recovered_mark", "image/png", "mark.png", {3}});
  std::ostringstream out;
  ASSERT_TRUE(write_jsonl_record(out, r, {}).is_ok());
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_DOUBLE_EQ(j["findings"][0]["artifacts"][0]["time_s"].get<double>(), 12.25);
  EXPECT_FALSE(j["findings"][0]["artifacts"][1].contains("time_s"));
  std::string line = out.str();
  line.pop_back();
  auto back = parse_jsonl_record(line);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  ASSERT_EQ(back->findings[0].artifacts.size(), 2u);
  ASSERT_TRUE(back->findings[0].artifacts[0].time_s.has_value());
  EXPECT_DOUBLE_EQ(*back->findings[0].artifacts[0].time_s, 12.25);
  EXPECT_FALSE(back->findings[0].artifacts[1].time_s.has_value());
}

TEST(JsonlReaderTest, AVideoStreamsTurnIsWrittenOnlyWhenThereIsOneAndReadBack) {
  Report r = sample_report();
  r.streams.push_back({1, "video", "h264", 2.0, 0, 0, 1920, 1080, 90});
  r.streams.push_back({2, "video", "h264", 2.0, 0, 0, 640, 360, 0});
  std::ostringstream out;
  ASSERT_TRUE(write_jsonl_record(out, r, {}).is_ok());
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["streams"][1]["rotation_deg"], 90);
  EXPECT_FALSE(j["streams"][2].contains("rotation_deg"));
  std::string line = out.str();
  line.pop_back();
  auto back = parse_jsonl_record(line);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  ASSERT_EQ(back->streams.size(), 3u);
  EXPECT_EQ(back->streams[1].rotation_deg, 90);
  EXPECT_EQ(back->streams[2].rotation_deg, 0);
}

TEST(TextWriterTest, ReadableVerdictsAndNoColourByDefault) {
  Report clean;
  clean.path = "clean.mp4";
  clean.container = "mov,mp4,m4a,3gp,3g2,mj2";
  Report failed;
  failed.path = "broken.mp4";
  failed.status = ScanStatus::kError;
  failed.complete = false;
  failed.errors.push_back("broken.mp4: not a media file");
  std::ostringstream out;
  ASSERT_TRUE(write_reports(out, {sample_report(), clean, failed}, OutputFormat::kText, {}).is_ok());
  const std::string s = out.str();
  EXPECT_NE(s.find("MARKS FOUND: 1 high, 1 low"), std::string::npos) << s;
  EXPECT_NE(s.find("clean.mp4"), std::string::npos);
  EXPECT_NE(s.find("CLEAN"), std::string::npos);
  EXPECT_NE(s.find("COULD NOT SCAN"), std::string::npos);
  EXPECT_NE(s.find("[redacted]"), std::string::npos);
  EXPECT_EQ(s.find("jane.doe"), std::string::npos);
  EXPECT_EQ(s.find("\x1b["), std::string::npos);
  EXPECT_NE(s.find("1 with marks, 1 clean, 1 not fully scanned"), std::string::npos);
  std::ostringstream colored;
  ASSERT_TRUE(write_reports(colored, {sample_report()}, OutputFormat::kText, {.color = true}).is_ok());
  EXPECT_NE(colored.str().find("\x1b["), std::string::npos);
}

TEST(TextWriterTest, IncompleteIsNeverClean) {
  Report partial;
  partial.path = "cut.mp4";
  partial.complete = false;
  partial.status = ScanStatus::kPartial;
  EXPECT_NE(report::verdict(partial), "clean");
  Report unchecked;
  unchecked.path = "x";
  unchecked.not_checked.push_back({"meta", "subtitle text not read"});
  EXPECT_NE(report::verdict(unchecked), "clean");
}

TEST(SeverityTest, NamesAndOrder) {
  for (Severity s : {Severity::kInfo, Severity::kLow, Severity::kReview, Severity::kMedium, Severity::kHigh}) {
    EXPECT_EQ(parse_severity(severity_name(s)), s);
  }
  EXPECT_FALSE(parse_severity("urgent").has_value());
  EXPECT_LT(severity_rank(Severity::kLow), severity_rank(Severity::kReview));
  EXPECT_LT(severity_rank(Severity::kReview), severity_rank(Severity::kMedium));
}

}  // namespace
}  // namespace wm
