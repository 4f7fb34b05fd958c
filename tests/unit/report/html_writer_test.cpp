#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report/escape.h"
#include "unit/report/report_fixtures.h"
#include "wm/write.h"

namespace wm {
namespace {

std::string write_html(const std::vector<Report>& reports, WriteOptions options = {}) {
  std::ostringstream out;
  EXPECT_TRUE(write_reports(out, reports, OutputFormat::kHtml, options).is_ok());
  return out.str();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

struct Tag {
  std::string name;
  std::vector<std::string> attributes;
};

// Every tag in the page with its attribute names, read the way a browser tokenizes them
// (quoted values may hold anything but their own quote). The <style> body is skipped.
std::vector<Tag> scan_tags(const std::string& html) {
  std::vector<Tag> tags;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    ++i;
    Tag tag;
    while (i < html.size() && !std::isspace(static_cast<unsigned char>(html[i])) && html[i] != '>') {
      tag.name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[i++])));
    }
    while (i < html.size() && html[i] != '>') {
      if (std::isspace(static_cast<unsigned char>(html[i])) || html[i] == '/') {
        ++i;
        continue;
      }
      std::string name;
      while (i < html.size() && html[i] != '=' && html[i] != '>' && !std::isspace(static_cast<unsigned char>(html[i]))) {
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[i++])));
      }
      tag.attributes.push_back(name);
      if (i < html.size() && html[i] == '=') {
        ++i;
        if (html[i] == '"' || html[i] == '\'') {
          const std::size_t end = html.find(html[i], i + 1);
          i = end == std::string::npos ? html.size() : end + 1;
        } else {
          while (i < html.size() && html[i] != '>' && !std::isspace(static_cast<unsigned char>(html[i]))) ++i;
        }
      }
    }
    if (tag.name == "style") i = html.find("</style>", i);
    tags.push_back(tag);
  }
  return tags;
}

const std::set<std::string> kAllowedTags = {
    "!doctype", "html",  "/html", "head",   "/head", "meta",    "title",   "/title", "style",  "/style",
    "body",     "/body", "div",   "/div",   "header", "/header", "h1",     "/h1",    "h2",     "/h2",
    "h3",       "/h3",   "p",     "/p",     "span",  "/span",   "strong",  "/strong", "code",  "/code",
    "section",  "/section", "table", "/table", "thead", "/thead", "tbody", "/tbody", "tr",    "/tr",
    "th",       "/th",   "td",    "/td",    "a",     "/a",      "article", "/article", "figure", "/figure",
    "img",      "figcaption", "/figcaption", "ul", "/ul", "li",  "/li",    "dl",     "/dl",    "dt",
    "/dt",      "dd",    "/dd",   "em",     "/em",   "footer",  "/footer", "b",     "/b"};
const std::set<std::string> kAllowedAttributes = {"lang",  "charset", "http-equiv", "content", "name", "class", "id",
                                                  "href",  "title",   "style",      "src",     "alt",  "role",
                                                  "aria-label", "scope", "html"};

TEST(HtmlEscapeTest, EscapesTheFiveCharacters) {
  EXPECT_EQ(report::html_escape("a & b < c > d \" e ' f"), "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  EXPECT_EQ(report::html_escape("bad \xff\x01"), "bad \xEF\xBF\xBD ");
}

TEST(Base64Test, MatchesRfc4648Vectors) {
  auto b64 = [](std::string_view s) {
    return report::base64_encode({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
  };
  EXPECT_EQ(b64(""), "");
  EXPECT_EQ(b64("f"), "Zg==");
  EXPECT_EQ(b64("fo"), "Zm8=");
  EXPECT_EQ(b64("foo"), "Zm9v");
  EXPECT_EQ(b64("foob"), "Zm9vYg==");
  EXPECT_EQ(b64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
}

TEST(HtmlWriterTest, HostileStringsNeverBecomeMarkup) {
  for (const bool show_values : {false, true}) {
    const std::string html = write_html({testing::hostile_report(), testing::marked_report()}, {.show_values = show_values});
    EXPECT_EQ(lower(html).find("<script"), std::string::npos);
    EXPECT_EQ(html.find("\"onerror"), std::string::npos);
    EXPECT_EQ(html.find("'onerror"), std::string::npos);
    EXPECT_EQ(html.find(" onerror"), std::string::npos);
    EXPECT_EQ(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onerror=alert(2) x=&#39;"), std::string::npos);
    for (const Tag& tag : scan_tags(html)) {
      EXPECT_TRUE(kAllowedTags.count(tag.name)) << "unexpected tag <" << tag.name;
      for (const std::string& a : tag.attributes) {
        EXPECT_TRUE(kAllowedAttributes.count(a)) << "unexpected attribute " << a << " on <" << tag.name;
      }
    }
  }
}

TEST(HtmlWriterTest, SelfContainedWithStrictPolicyAndNoScript) {
  const std::string html = write_html({testing::marked_report()});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
                      "img-src data:; style-src &#39;unsafe-inline&#39;\">"),
            std::string::npos);
  EXPECT_EQ(lower(html).find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

TEST(HtmlWriterTest, PngArtifactsAreDataUrisOthersAreNot) {
  const std::string html = write_html({testing::hostile_report()}, {.show_values = true});
  EXPECT_EQ(count(html, std::string("src=\"data:image/png;base64,") + testing::kTinyPngBase64 + "\""), 1u);
  EXPECT_EQ(html.find("data:image/svg"), std::string::npos);
  EXPECT_EQ(count(html, "<img "), 1u);
}

TEST(HtmlWriterTest, RedactsPersonalValuesUnlessAsked) {
  const std::string redacted = write_html({testing::marked_report()});
  EXPECT_EQ(redacted.find("jane.doe"), std::string::npos);
  EXPECT_NE(redacted.find("[redacted]"), std::string::npos);
  const std::string shown = write_html({testing::marked_report()}, {.show_values = true});
  EXPECT_NE(shown.find("jane.doe@example.com"), std::string::npos);
  EXPECT_NE(shown.find("This report shows personal values"), std::string::npos);
}

TEST(HtmlWriterTest, PicturesOfPersonalFindingsAreWithheldUnlessAsked) {
  // The recovered mark shows the redacted e-mail, so it is withheld like the value.
  const std::string redacted = write_html({testing::marked_report()});
  EXPECT_EQ(count(redacted, "<img "), 0u);
  EXPECT_NE(redacted.find("1 picture withheld"), std::string::npos);
  const std::string shown = write_html({testing::marked_report()}, {.show_values = true});
  EXPECT_EQ(count(shown, "<img "), 1u);
  // Pictures of findings without personal values are always shown.
  Report r = testing::marked_report();
  for (Finding& f : r.findings) {
    for (EvidenceField& e : f.evidence) e.personal = false;
  }
  EXPECT_EQ(count(write_html({r}), "<img "), 1u);
}

TEST(HtmlWriterTest, StoredArtifactWithoutBytesNamesWhereItIs) {
  Report r = testing::marked_report();
  Finding& mark = r.findings.back();
  mark.evidence.clear();
  mark.artifacts[0].bytes.clear();
  mark.artifacts[0].stored_path = "evidence/talk-1/1_mark.png";
  const std::string html = write_html({r});
  EXPECT_EQ(count(html, "<img "), 0u);
  EXPECT_NE(html.find("stored at evidence/talk-1/1_mark.png"), std::string::npos);
}

TEST(HtmlWriterTest, APictureOfOneMomentSaysWhichAndIsMarkedOnTheTimeline) {
  Report r = testing::marked_report();
  Finding& mark = r.findings.back();
  mark.evidence.clear();
  r.duration_s = 100.0;
  mark.time_ranges_s = {{0.0, 50.0}};
  mark.artifacts[0].kind = "annotated_frame";
  mark.artifacts[0].time_s = 25.5;
  const std::string html = write_html({r});
  EXPECT_NE(html.find("annotated frame at 25.5 s"), std::string::npos);
  EXPECT_NE(html.find("class=\"pictured\" style=\"left:25.5%\""), std::string::npos);
  // Without a moment (a recovered mark), neither.
  mark.artifacts[0].time_s.reset();
  const std::string whole = write_html({r});
  EXPECT_EQ(whole.find("class=\"pictured\""), std::string::npos);
}

TEST(HtmlWriterTest, VerdictPerFile) {
  Report partial = testing::clean_report();
  partial.complete = false;
  partial.status = ScanStatus::kPartial;
  Report gaps = testing::clean_report();
  gaps.not_checked.push_back({"audio", "no audio stream"});
  const std::string html =
      write_html({testing::marked_report(), testing::clean_report(), testing::failed_report(), partial, gaps});
  EXPECT_NE(html.find(">Marks found · high</span>"), std::string::npos);
  EXPECT_NE(html.find(">Clean</span>"), std::string::npos);
  EXPECT_NE(html.find(">Could not check</span>"), std::string::npos);
  EXPECT_NE(html.find(">Incomplete</span>"), std::string::npos);
  EXPECT_NE(html.find(">Nothing found</span>"), std::string::npos);
  EXPECT_NE(html.find("Invalid data found when processing input"), std::string::npos);
  EXPECT_NE(html.find("no audio stream"), std::string::npos);
  for (int i = 1; i <= 5; ++i) EXPECT_NE(html.find("id=\"file-" + std::to_string(i) + "\""), std::string::npos);
}

TEST(HtmlWriterTest, AVideoStoredSidewaysIsDescribedAsShown) {
  Report turned = testing::clean_report();
  turned.streams = {{0, "video", "h264", 2.0, 0, 0, 720, 1280, 270}};
  Report upright = testing::clean_report();
  upright.streams = {{0, "video", "h264", 2.0, 0, 0, 1280, 720, 0}};
  const std::string html = write_html({turned, upright});
  // Regions are in the shown picture, so its size comes first.
  EXPECT_EQ(count(html, "video (h264 1280×720, stored 720×1280 and turned 270° to show)"), 1u);
  EXPECT_EQ(count(html, "video (h264 1280×720)"), 1u);
}

TEST(HtmlWriterTest, BatchSummaryListsMostSeriousFirst) {
  const std::string html = write_html({testing::clean_report(), testing::failed_report(), testing::marked_report()});
  const std::size_t summary = html.find("Files, most serious first");
  ASSERT_NE(summary, std::string::npos);
  const std::size_t marked = html.find("href=\"#file-3\"", summary);
  const std::size_t failed = html.find("href=\"#file-2\"", summary);
  const std::size_t clean = html.find("href=\"#file-1\"", summary);
  ASSERT_NE(marked, std::string::npos);
  EXPECT_LT(marked, failed);
  EXPECT_LT(failed, clean);
  EXPECT_NE(html.find("Findings by detector"), std::string::npos);
  EXPECT_EQ(write_html({testing::marked_report()}).find("Files, most serious first"), std::string::npos);
}

TEST(HtmlWriterTest, TimeRangesAreDrawnRelativeToDuration) {
  const std::string html = write_html({testing::marked_report()});
  EXPECT_NE(html.find("style=\"left:10%;width:20%\""), std::string::npos);
  EXPECT_NE(html.find("style=\"left:60%;width:15%\""), std::string::npos);
  EXPECT_NE(html.find("When: 1 s – 3 s, 6 s – 7.5 s"), std::string::npos);
}

}  // namespace
}  // namespace wm
