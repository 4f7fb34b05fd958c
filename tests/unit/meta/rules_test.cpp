#include "meta/rules.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wm::meta {
namespace {

MetaField text(std::string key, std::string value, std::string source = "format") {
  MetaField f;
  f.key = std::move(key);
  f.value = std::move(value);
  f.source = std::move(source);
  return f;
}

const Finding* find(const std::vector<Finding>& fs, std::string_view detector) {
  auto it = std::find_if(fs.begin(), fs.end(), [&](const Finding& f) { return f.detector == detector; });
  return it == fs.end() ? nullptr : &*it;
}

std::string evidence(const Finding& f, std::string_view key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) return std::get<std::string>(e.value);
  }
  return "<none>";
}

TEST(PatternTest, Emails) {
  EXPECT_EQ(find_emails("mail jane.doe@example.com."), std::vector<std::string>{"jane.doe@example.com"});
  EXPECT_EQ(find_emails("a@b.c"), std::vector<std::string>{});  // one-letter TLD
  EXPECT_EQ(find_emails("@handle and x@y"), std::vector<std::string>{});
  EXPECT_EQ(find_emails("<j+tag@sub.example.org>, K_L@ex-ample.co.uk").size(), 2u);
}

TEST(PatternTest, Iso6709) {
  EXPECT_TRUE(looks_like_iso6709("+48.8584+002.2945/"));
  EXPECT_TRUE(looks_like_iso6709("-33.8688+151.2093+012.000/"));
  EXPECT_FALSE(looks_like_iso6709("2026-01-15"));
  EXPECT_FALSE(looks_like_iso6709("Lavf59.27.100"));
  EXPECT_FALSE(looks_like_iso6709("x+48+2"));
}

TEST(PatternTest, PhoneNumbers) {
  EXPECT_EQ(find_phone_numbers("call +44 20 7946 0958 now"), std::vector<std::string>{"+44 20 7946 0958"});
  EXPECT_EQ(find_phone_numbers("(555) 123-4567").size(), 1u);
  EXPECT_TRUE(find_phone_numbers("2026-01-15 14:00:00").empty());
  EXPECT_TRUE(find_phone_numbers("Lavf59.27.100").empty());
  EXPECT_TRUE(find_phone_numbers("id 12345678901234567890").empty());
}

TEST(PatternTest, PersonLikeNames) {
  EXPECT_EQ(find_person_like_names("Interview with Jane Doe"), std::vector<std::string>{"Jane Doe"});
  EXPECT_EQ(find_person_like_names("Ludwig van Beethoven"), std::vector<std::string>{"Ludwig van Beethoven"});
  EXPECT_TRUE(find_person_like_names("Quarterly Review Meeting").empty());
  EXPECT_TRUE(find_person_like_names("Weekly Team Sync").empty());
  EXPECT_TRUE(find_person_like_names("lowercase words only").empty());
  EXPECT_TRUE(find_person_like_names("NASA ESA").empty());
}

TEST(RulesTest, EmailInCommentIsHighAndPersonal) {
  const auto fs = classify_fields({text("comment", "contact jane.doe@example.com")});
  const Finding* f = find(fs, "meta.email");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(evidence(*f, "value"), "jane.doe@example.com");
  EXPECT_TRUE(f->evidence[1].personal);
  EXPECT_EQ(f->summary.find("jane"), std::string::npos) << "summaries must not carry personal values";
}

TEST(RulesTest, SeverityRubric) {
  const auto fs = classify_fields({
      text("artist", "Jane Doe"), text("location", "+48.8584+002.2945/"), text("apID", "jane@icloud"),
      text("make", "Apple"), text("bext.UMID", "060a2b34"), text("encoder", "Lavf59.27.100"),
      text("creation_time", "2026-01-15T14:00:00Z"),
  });
  ASSERT_NE(find(fs, "meta.person"), nullptr);
  EXPECT_EQ(find(fs, "meta.person")->severity, Severity::kHigh);
  ASSERT_NE(find(fs, "meta.gps"), nullptr);
  EXPECT_EQ(find(fs, "meta.gps")->severity, Severity::kHigh);
  ASSERT_NE(find(fs, "meta.account"), nullptr);
  EXPECT_EQ(find(fs, "meta.device")->severity, Severity::kMedium);
  EXPECT_EQ(find(fs, "meta.unique_id")->severity, Severity::kMedium);
  EXPECT_EQ(find(fs, "meta.software")->severity, Severity::kLow);
  EXPECT_EQ(find(fs, "meta.timestamp")->severity, Severity::kInfo);
  // Sorted most serious first.
  for (std::size_t i = 1; i < fs.size(); ++i) {
    EXPECT_GE(severity_rank(fs[i - 1].severity), severity_rank(fs[i].severity));
  }
}

TEST(RulesTest, StructuralDefaultsAreNotFindings) {
  const auto fs = classify_fields({text("handler_name", "SoundHandler", "stream 0"),
                                   text("handler_name", "VideoHandler", "stream 1"),
                                   text("vendor_id", "[0][0][0][0]", "stream 1"), text("major_brand", "isom"),
                                   text("minor_version", "512"), text("compatible_brands", "isomiso2avc1mp41"),
                                   text("language", "und", "stream 0")});
  EXPECT_TRUE(fs.empty()) << fs.front().detector;
  const auto custom = classify_fields({text("handler_name", "Jane's Camera App", "stream 0")});
  ASSERT_EQ(custom.size(), 1u);
  EXPECT_EQ(custom[0].detector, "meta.software");
}

TEST(RulesTest, SameValueThroughTwoRoutesIsOneFindingWithBothPlaces) {
  const auto fs = classify_fields({text("artist", "Jane Doe", "format"),
                                   text("\xC2\xA9" "ART", "Jane Doe", "mp4 moov/udta/meta/ilst")});
  ASSERT_EQ(fs.size(), 1u);
  const std::string places = evidence(fs[0], "field");
  EXPECT_NE(places.find("artist (format)"), std::string::npos);
  EXPECT_NE(places.find("ilst"), std::string::npos);
}

TEST(RulesTest, C2paPresenceAndBlobs) {
  MetaField c2pa;
  c2pa.kind = FieldKind::kPresence;
  c2pa.key = "c2pa";
  c2pa.source = "mp4 uuid";
  c2pa.blob_size_bytes = 1234;
  MetaField priv;
  priv.kind = FieldKind::kBinary;
  priv.key = "PRIV";
  priv.owner = "www.example.com";
  priv.source = "id3v2";
  priv.blob_size_bytes = 40;
  MetaField font;
  font.kind = FieldKind::kBinary;
  font.key = "attachment";
  font.value = "DejaVuSans.ttf";
  font.media_type = "application/x-truetype-font";
  const auto fs = classify_fields({c2pa, priv, font});
  ASSERT_NE(find(fs, "meta.c2pa"), nullptr);
  EXPECT_EQ(find(fs, "meta.c2pa")->severity, Severity::kHigh);
  ASSERT_NE(find(fs, "meta.blob"), nullptr);
  EXPECT_EQ(find(fs, "meta.blob")->severity, Severity::kReview);
  ASSERT_NE(find(fs, "meta.attachment"), nullptr);
  EXPECT_EQ(find(fs, "meta.attachment")->severity, Severity::kLow);
}

TEST(RulesTest, PopmEmailAndFreeText) {
  MetaField popm = text("POPM", "rating 196, count 3", "id3v2");
  popm.owner = "rater@example.net";
  const auto fs = classify_fields({popm, text("title", "Quarterly results"), text("title", "Call with Jane Doe")});
  ASSERT_NE(find(fs, "meta.email"), nullptr);
  EXPECT_EQ(evidence(*find(fs, "meta.email"), "value"), "rater@example.net");
  ASSERT_NE(find(fs, "meta.free_text"), nullptr);
  EXPECT_EQ(find(fs, "meta.free_text")->severity, Severity::kReview);
  ASSERT_NE(find(fs, "meta.person"), nullptr);
}

TEST(RulesTest, LargeAndHostileValuesStayBounded) {
  std::string big(3 << 20, 'a');
  big += "@example.com";
  std::string many_ats(100000, '@');
  const auto fs = classify_fields({text("comment", big), text("comment", many_ats)});
  for (const Finding& f : fs) {
    for (const auto& e : f.evidence) {
      if (auto s = std::get_if<std::string>(&e.value)) {
        EXPECT_LT(s->size(), 2000u);
      }
    }
  }
}

}  // namespace
}  // namespace wm::meta
