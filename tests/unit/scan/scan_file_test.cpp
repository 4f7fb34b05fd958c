#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "wm/scan.h"

namespace wm {
namespace {

std::filesystem::path fixture(const char* name) { return std::filesystem::path(WM_TEST_DATA_DIR) / name; }

bool has_detector(const Report& r, std::string_view id) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.detector == id; });
}

TEST(ScanFileTest, FindsMetadataAndCallsHooksInOrder) {
  std::vector<double> fractions;
  std::vector<std::string> streamed;
  ScanHooks hooks;
  hooks.on_progress = [&](const Progress& p) { fractions.push_back(p.fraction); };
  hooks.on_finding = [&](const Finding& f) { streamed.push_back(f.detector); };
  ScanOptions meta_only;
  meta_only.detectors = {"meta"};
  auto report = scan_file(fixture("meta.mp4"), meta_only, hooks);
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_TRUE(report->complete);
  EXPECT_EQ(report->status, ScanStatus::kScanned);
  EXPECT_TRUE(has_detector(*report, "meta.email"));
  EXPECT_TRUE(has_detector(*report, "meta.c2pa"));
  EXPECT_EQ(streamed.size(), report->findings.size());
  ASSERT_GE(fractions.size(), 2u);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);
  ASSERT_EQ(report->detectors.size(), 1u);
  EXPECT_EQ(report->detectors[0].id, "meta");
  EXPECT_FALSE(report->streams.empty());
}

TEST(ScanFileTest, CleanFileHasNoFindings) {
  ScanOptions meta_only;
  meta_only.detectors = {"meta"};
  auto report = scan_file(fixture("clean.mp4"), meta_only);
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_TRUE(report->findings.empty()) << report->findings.front().detector << ": " << report->findings.front().summary;
  EXPECT_TRUE(report->complete);
}

TEST(ScanFileTest, CancelGivesAnIncompleteReportNotACleanOne) {
  ScanHooks hooks;
  hooks.is_cancelled = [] { return true; };
  auto report = scan_file(fixture("meta.mp4"), {}, hooks);
  ASSERT_TRUE(report.is_ok());
  EXPECT_FALSE(report->complete);
  EXPECT_EQ(report->status, ScanStatus::kPartial);
  EXPECT_FALSE(report->errors.empty());
}

TEST(ScanFileTest, BadInputsAreNamedErrorsOrPartialReports) {
  for (const char* name : {"bad/empty.mp4", "bad/random.mp4", "bad/adir.mp4", "bad/nonexistent.mp4"}) {
    auto report = scan_file(fixture(name), {});
    ASSERT_FALSE(report.is_ok()) << name;
    EXPECT_NE(report.status().message().find(std::filesystem::path(name).filename().string()), std::string::npos)
        << report.status().message();
  }
  for (const char* name : {"bad/truncated.mp4", "bad/box_too_big.mp4", "bad/lying_chunk.wav", "bad/garbage_id3.mp3"}) {
    auto report = scan_file(fixture(name), {});
    if (report.is_ok()) {
      EXPECT_FALSE(report->complete) << name << " scanned as if whole";
      EXPECT_EQ(report->status, ScanStatus::kPartial) << name;
    } else {
      EXPECT_NE(report.status().message().find(std::filesystem::path(name).filename().string()), std::string::npos);
    }
  }
}

TEST(ScanFileTest, DetectorSelectionOfMetaOnly) {
  ScanOptions options;
  options.detectors = {"meta"};
  options.inspect_neighbours = false;
  auto report = scan_file(fixture("zoom/audioJaneDoe11234567890.m4a"), options);
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_FALSE(has_detector(*report, "meta.file_name"));
  EXPECT_EQ(report->detectors[0].parameters[0].second, "false");
}

}  // namespace
}  // namespace wm
