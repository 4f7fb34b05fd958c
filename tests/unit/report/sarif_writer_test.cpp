#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>
#include <string>

#include "report/escape.h"
#include "unit/report/report_fixtures.h"
#include "wm/write.h"

namespace wm {
namespace {

using Json = nlohmann::json;

Json write_sarif(const std::vector<Report>& reports, WriteOptions options = {}) {
  std::ostringstream out;
  EXPECT_TRUE(write_reports(out, reports, OutputFormat::kSarif, options).is_ok());
  EXPECT_TRUE(Json::accept(out.str()));
  return Json::parse(out.str());
}

const Json& result_for(const Json& run, std::string_view rule_id) {
  for (const Json& r : run["results"]) {
    if (r["ruleId"] == rule_id) return r;
  }
  ADD_FAILURE() << "no result for " << rule_id;
  static const Json kNone;
  return kNone;
}

TEST(SarifWriterTest, LogHasVersionSchemaAndOneRun) {
  const Json log = write_sarif({testing::marked_report()});
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_TRUE(log["$schema"].is_string());
  EXPECT_NE(log["$schema"].get<std::string>().find("sarif-schema-2.1.0.json"), std::string::npos);
  ASSERT_EQ(log["runs"].size(), 1u);
  const Json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "wmscan");
  EXPECT_TRUE(driver["version"].is_string());
  EXPECT_FALSE(driver["version"].get<std::string>().empty());
}

TEST(SarifWriterTest, OneRulePerDetectorWithDescription) {
  const Json log = write_sarif({testing::marked_report(), testing::marked_report()});
  const Json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  std::set<std::string> ids;
  for (const Json& rule : rules) {
    ids.insert(rule["id"].get<std::string>());
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty()) << rule["id"];
  }
  EXPECT_EQ(ids, (std::set<std::string>{"meta.blob", "meta.device", "meta.email", "meta.software", "meta.timestamp",
                                        "video.tiled_text"}));
  EXPECT_EQ(rules.size(), ids.size());
  for (const Json& result : log["runs"][0]["results"]) {
    EXPECT_EQ(rules[result["ruleIndex"].get<std::size_t>()]["id"], result["ruleId"]);
  }
}

TEST(SarifWriterTest, LevelsFollowSeverityAndReviewIsAKind) {
  const Json log = write_sarif({testing::marked_report()});
  const Json& run = log["runs"][0];
  ASSERT_EQ(run["results"].size(), testing::marked_report().findings.size());
  EXPECT_EQ(result_for(run, "meta.email")["level"], "error");
  EXPECT_EQ(result_for(run, "meta.email")["kind"], "fail");
  EXPECT_EQ(result_for(run, "meta.device")["level"], "warning");
  EXPECT_EQ(result_for(run, "meta.software")["level"], "note");
  EXPECT_EQ(result_for(run, "meta.timestamp")["level"], "note");
  EXPECT_EQ(result_for(run, "meta.blob")["kind"], "review");
  EXPECT_EQ(result_for(run, "meta.blob")["level"], "none");
}

TEST(SarifWriterTest, ResultCarriesMessageLocationAndProperties) {
  const Json log = write_sarif({testing::marked_report()});
  const Json& run = log["runs"][0];
  const Json& email = result_for(run, "meta.email");
  EXPECT_EQ(email["message"]["text"], "An e-mail address is written in the comment field.");
  EXPECT_EQ(email["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "in/talk%201.mp4");
  EXPECT_EQ(email["properties"]["confidence"], 0.95);
  EXPECT_EQ(email["properties"]["evidence"]["value"], "[redacted]");
  const Json& mark = result_for(run, "video.tiled_text");
  EXPECT_EQ(mark["properties"]["time_ranges_s"], Json::parse("[[1.0, 3.0], [6.0, 7.5]]"));
  EXPECT_EQ(mark["properties"]["region"]["width"], 300);
  EXPECT_EQ(run["artifacts"][0]["location"]["uri"], "in/talk%201.mp4");
  EXPECT_EQ(run["artifacts"][0]["length"], 2'500'000);
}

TEST(SarifWriterTest, RedactsPersonalValuesUnlessAsked) {
  std::ostringstream redacted, shown;
  ASSERT_TRUE(write_reports(redacted, {testing::marked_report()}, OutputFormat::kSarif, {}).is_ok());
  ASSERT_TRUE(write_reports(shown, {testing::marked_report()}, OutputFormat::kSarif, {.show_values = true}).is_ok());
  EXPECT_EQ(redacted.str().find("jane.doe"), std::string::npos);
  EXPECT_NE(shown.str().find("jane.doe@example.com"), std::string::npos);
}

TEST(SarifWriterTest, UnscannedFilesAreNotificationsAndFailures) {
  Report partial = testing::clean_report();
  partial.path = "in/cut.mp4";
  partial.status = ScanStatus::kPartial;
  partial.complete = false;
  partial.errors.push_back("in/cut.mp4: decode video stream 0: end of file");
  Report gaps = testing::clean_report();
  gaps.not_checked.push_back({"audio", "no audio stream"});
  const Json log = write_sarif({testing::clean_report(), testing::failed_report(), partial, gaps});
  const Json& run = log["runs"][0];
  const Json& invocation = run["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  const Json& notes = invocation["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0]["level"], "error");
  EXPECT_NE(notes[0]["message"]["text"].get<std::string>().find("Invalid data"), std::string::npos);
  EXPECT_EQ(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "in/broken.mp4");
  EXPECT_EQ(notes[1]["level"], "warning");
  EXPECT_EQ(notes[2]["level"], "note");
  EXPECT_EQ(notes[2]["message"]["text"], "audio not checked: no audio stream");
  ASSERT_EQ(run["results"].size(), 2u);  // the clean files have no result
  EXPECT_EQ(result_for(run, "wmscan.could_not_scan")["level"], "error");
  EXPECT_EQ(result_for(run, "wmscan.incomplete")["level"], "warning");
}

TEST(SarifWriterTest, AllScannedRunIsSuccessful) {
  const Json log = write_sarif({testing::clean_report()});
  EXPECT_EQ(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
  EXPECT_TRUE(log["runs"][0]["results"].empty());
  EXPECT_TRUE(log["runs"][0]["tool"]["driver"]["rules"].empty());
}

TEST(PathToUriTest, RelativeStaysRelativeAbsoluteBecomesFileUri) {
  EXPECT_EQ(report::path_to_uri("in/a.mp4"), "in/a.mp4");
  EXPECT_EQ(report::path_to_uri("in/a b#1%.mp4"), "in/a%20b%231%25.mp4");
  EXPECT_EQ(report::path_to_uri("/data/x.mp4"), "file:///data/x.mp4");
  EXPECT_EQ(report::path_to_uri("caf\xC3\xA9.wav"), "caf%C3%A9.wav");
}

}  // namespace
}  // namespace wm
