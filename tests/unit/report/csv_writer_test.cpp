#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "report/escape.h"
#include "unit/report/report_fixtures.h"
#include "wm/write.h"

namespace wm {
namespace {

using Table = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader: fails the test on a stray quote or a row that does not end in CRLF.
Table parse_csv(const std::string& text) {
  Table rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        EXPECT_TRUE(i + 1 == text.size() || text[i + 1] == ',' || text[i + 1] == '\r') << "text after quote at " << i;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      EXPECT_FALSE(field_started) << "quote inside an unquoted field at " << i;
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      field_started = false;
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
      ++i;
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      field_started = false;
    } else {
      EXPECT_NE(c, '\n') << "bare LF outside quotes at " << i;
      field += c;
      field_started = true;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(row.empty() && field.empty()) << "last row does not end in CRLF";
  return rows;
}

Table write_csv(const std::vector<Report>& reports, WriteOptions options = {}) {
  std::ostringstream out;
  EXPECT_TRUE(write_reports(out, reports, OutputFormat::kCsv, options).is_ok());
  return parse_csv(out.str());
}

const std::vector<std::string> kHeader = {"path",    "status",      "detector", "category", "severity",
                                          "confidence", "summary", "time_ranges", "region",  "evidence"};

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(report::csv_field("plain text"), "plain text");
  EXPECT_EQ(report::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(report::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(report::csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(report::csv_field("two\r\nlines"), "\"two\nlines\"");
  EXPECT_EQ(report::csv_field(""), "");
}

TEST(CsvFieldTest, CleansBytesAndDefusesFormulas) {
  EXPECT_EQ(report::csv_field("bad \xff byte\x01"), "bad \xEF\xBF\xBD byte ");
  EXPECT_EQ(report::csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(report::csv_field("+1 555"), "'+1 555");
  EXPECT_EQ(report::csv_field("@cmd"), "'@cmd");
  EXPECT_EQ(report::csv_field("-2"), "'-2");
}

TEST(CsvWriterTest, OneRowPerFindingWithHeader) {
  const Table rows = write_csv({testing::marked_report()});
  ASSERT_EQ(rows.size(), 1 + testing::marked_report().findings.size());
  EXPECT_EQ(rows[0], kHeader);
  for (const auto& row : rows) EXPECT_EQ(row.size(), kHeader.size());
  EXPECT_EQ(rows[1][0], "in/talk 1.mp4");
  EXPECT_EQ(rows[1][1], "scanned");
  EXPECT_EQ(rows[1][2], "meta.email");
  EXPECT_EQ(rows[1][3], "metadata");
  EXPECT_EQ(rows[1][4], "high");
  EXPECT_EQ(rows[1][5], "0.95");
  EXPECT_EQ(rows[1][6], "An e-mail address is written in the comment field.");
  EXPECT_EQ(rows[1][9], "field=comment; value=[redacted]");
  const auto& mark = rows.back();
  EXPECT_EQ(mark[2], "video.tiled_text");
  EXPECT_EQ(mark[5], "0.875");
  EXPECT_EQ(mark[7], "1-3;6-7.5");
  EXPECT_EQ(mark[8], "x=10 y=20 w=300 h=40");
  EXPECT_EQ(mark[9], "text=[redacted]; opacity=0.25");
}

TEST(CsvWriterTest, RedactsPersonalValuesUnlessAsked) {
  std::ostringstream redacted, shown;
  ASSERT_TRUE(write_reports(redacted, {testing::marked_report()}, OutputFormat::kCsv, {}).is_ok());
  ASSERT_TRUE(write_reports(shown, {testing::marked_report()}, OutputFormat::kCsv, {.show_values = true}).is_ok());
  EXPECT_EQ(redacted.str().find("jane.doe"), std::string::npos);
  EXPECT_NE(shown.str().find("value=jane.doe@example.com"), std::string::npos);
}

TEST(CsvWriterTest, CommasQuotesAndNewlinesRoundTrip) {
  Report r;
  r.path = "dir, with comma/\"quoted\" name.mp4";
  Finding f = testing::make_finding("meta.free_text", Severity::kReview, 0.5, "Line one, with comma\nline \"two\"");
  f.evidence = {{"comment", std::string("multi\r\nline, \"value\""), false}};
  r.findings.push_back(f);
  const Table rows = write_csv({r});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], r.path);
  EXPECT_EQ(rows[1][6], "Line one, with comma\nline \"two\"");
  // Evidence values go through evidence_value_text, which turns line breaks into spaces.
  EXPECT_EQ(rows[1][9], "comment=multi  line, \"value\"");
}

TEST(CsvWriterTest, FilesWithoutFindingsKeepARow) {
  const Table rows = write_csv({testing::clean_report(), testing::failed_report()});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], "in/clean.wav");
  EXPECT_EQ(rows[1][1], "scanned");
  EXPECT_EQ(rows[1][2], "");
  EXPECT_EQ(rows[1][6], "clean");
  EXPECT_EQ(rows[2][1], "error");
  EXPECT_EQ(rows[2][6], "could not scan: in/broken.mp4: Invalid data found when processing input");
}

TEST(CsvWriterTest, EmptyBatchIsJustTheHeader) {
  const Table rows = write_csv({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], kHeader);
}

}  // namespace
}  // namespace wm
