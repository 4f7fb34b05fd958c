#include "meta/id3_walker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "meta/walk.h"
#include "unit/meta/walker_test_util.h"

namespace wm::meta {
namespace {

using namespace testing_util;  // NOLINT: Bytes, str, cat, TempFile, walk_file, issues_text

// ---- byte building --------------------------------------------------------------------------


Bytes be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
          static_cast<std::uint8_t>(v)};
}

Bytes syncsafe(std::uint32_t v) {
  return {static_cast<std::uint8_t>((v >> 21) & 0x7F), static_cast<std::uint8_t>((v >> 14) & 0x7F),
          static_cast<std::uint8_t>((v >> 7) & 0x7F), static_cast<std::uint8_t>(v & 0x7F)};
}

// v2.3 frame: plain 32-bit size; v2.4: syncsafe; v2.2: 3-char id and 24-bit size.
Bytes frame23(std::string_view id, const Bytes& data, std::uint16_t flags = 0) {
  return cat({str(id), be32(static_cast<std::uint32_t>(data.size())),
              {static_cast<std::uint8_t>(flags >> 8), static_cast<std::uint8_t>(flags)}, data});
}
Bytes frame24(std::string_view id, const Bytes& data, std::uint16_t flags = 0) {
  return cat({str(id), syncsafe(static_cast<std::uint32_t>(data.size())),
              {static_cast<std::uint8_t>(flags >> 8), static_cast<std::uint8_t>(flags)}, data});
}
Bytes frame22(std::string_view id, const Bytes& data) {
  const auto n = static_cast<std::uint32_t>(data.size());
  return cat({str(id), {static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)},
              data});
}

Bytes tag(std::uint8_t major, std::uint8_t flags, const Bytes& body) {
  return cat({str("ID3"), {major, 0, flags}, syncsafe(static_cast<std::uint32_t>(body.size())), body});
}

// Inserts 0x00 after every 0xFF that a decoder could mistake for MPEG sync (ID3v2 §6.1).
Bytes unsynchronise(const Bytes& in) {
  Bytes out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    out.push_back(in[i]);
    if (in[i] == 0xFF && (i + 1 == in.size() || in[i + 1] >= 0xE0 || in[i + 1] == 0x00)) out.push_back(0x00);
  }
  return out;
}

Bytes latin1_text(std::string_view s) { return cat({{0}, str(s)}); }
Bytes utf8_text(std::string_view s) { return cat({{3}, str(s)}); }
Bytes utf16le_bom(std::u16string_view s) {
  Bytes out{1, 0xFF, 0xFE};
  for (const char16_t c : s) {
    out.push_back(static_cast<std::uint8_t>(c & 0xFF));
    out.push_back(static_cast<std::uint8_t>(c >> 8));
  }
  return out;
}

// ---- files ----------------------------------------------------------------------------------

WalkResult walk_bytes(const Bytes& bytes, std::uint64_t max_payload_bytes = 16u << 20) {
  return walk_file(bytes, walk_id3, max_payload_bytes);
}

// ---- tests ----------------------------------------------------------------------------------

TEST(Id3WalkerTest, V24TextFramesInEveryEncoding) {
  const Bytes body = cat({
      frame24("TIT2", latin1_text("Caf\xE9")),
      frame24("TPE1", utf16le_bom(std::u16string_view(u"Jane\0Joe", 8))),
      frame24("TALB", cat({{2}, {0x00, 'A', 0xD8, 0x3D, 0xDE, 0x00}})),  // UTF-16BE "A😀"
      frame24("TCOM", utf8_text(std::string_view("Zo\xC3\xAB\0\0Ann", 9))),                    // empty value dropped
      frame24("TSSE", latin1_text("")),                                   // empty: no field
      Bytes(32, 0),                                                       // padding
  });
  const WalkResult r = walk_bytes(tag(4, 0, body));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 4u);
  EXPECT_EQ(r.fields[0].key, "TIT2");
  EXPECT_EQ(r.fields[0].value, "Caf\xC3\xA9");
  EXPECT_EQ(r.fields[0].source, "id3v2");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kText);
  EXPECT_EQ(r.fields[0].offset_bytes, 10u);
  EXPECT_EQ(r.fields[1].value, "Jane; Joe");
  EXPECT_EQ(r.fields[2].value, "A\xF0\x9F\x98\x80");
  EXPECT_EQ(r.fields[3].value, "Zo\xC3\xAB; Ann");
}

TEST(Id3WalkerTest, DescribedFramesUrlsAndBinaryFrames) {
  Bytes priv_data;
  for (int i = 0; i < 20; ++i) priv_data.push_back(static_cast<std::uint8_t>(i));
  const Bytes body = cat({
      frame23("TXXX", cat({{0}, str("Recorded by"), {0}, str("jane@example.com")})),
      frame23("COMM", cat({{0}, str("eng"), str("Zoom"), {0}, str("Meeting 123")})),
      frame23("USLT", cat({{1}, str("eng"), {0xFF, 0xFE, 'd', 0, 0, 0}, {0xFF, 0xFE, 'l', 0, 'a', 0}})),
      frame23("WXXX", cat({{0}, str("home"), {0}, str("https://example.com/jane")})),
      frame23("WOAR", str("https://artist.example")),
      frame23("PRIV", cat({str("WM/MediaClassPrimaryID"), {0}, priv_data})),
      frame23("POPM", cat({str("jane@example.com"), {0}, {196}, {0x00, 0x00, 0x01, 0x02}})),
      frame23("UFID", cat({str("http://musicbrainz.org"), {0}, str("abc-123")})),
      frame23("UFID", cat({str("bin"), {0}, {0x00, 0x01, 0xFE}})),
      frame23("MCDI", Bytes{1, 2, 3}),
  });
  const WalkResult r = walk_bytes(tag(3, 0, body));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 10u);

  EXPECT_EQ(r.fields[0].key, "TXXX");
  EXPECT_EQ(r.fields[0].owner, "Recorded by");
  EXPECT_EQ(r.fields[0].value, "jane@example.com");
  EXPECT_EQ(r.fields[1].key, "COMM");
  EXPECT_EQ(r.fields[1].owner, "Zoom");
  EXPECT_EQ(r.fields[1].value, "Meeting 123");
  EXPECT_EQ(r.fields[2].key, "USLT");
  EXPECT_EQ(r.fields[2].owner, "d");
  EXPECT_EQ(r.fields[2].value, "la");
  EXPECT_EQ(r.fields[3].key, "WXXX");
  EXPECT_EQ(r.fields[3].owner, "home");
  EXPECT_EQ(r.fields[3].value, "https://example.com/jane");
  EXPECT_EQ(r.fields[4].key, "WOAR");
  EXPECT_EQ(r.fields[4].value, "https://artist.example");

  const MetaField& priv = r.fields[5];
  EXPECT_EQ(priv.key, "PRIV");
  EXPECT_EQ(priv.kind, FieldKind::kBinary);
  EXPECT_EQ(priv.owner, "WM/MediaClassPrimaryID");
  EXPECT_EQ(priv.blob_size_bytes, 20u);
  EXPECT_EQ(priv.value, "20 bytes: 000102030405060708090a0b0c0d0e0f\xE2\x80\xA6");

  EXPECT_EQ(r.fields[6].key, "POPM");
  EXPECT_EQ(r.fields[6].owner, "jane@example.com");
  EXPECT_EQ(r.fields[6].value, "rating 196, count 258");
  EXPECT_EQ(r.fields[7].key, "UFID");
  EXPECT_EQ(r.fields[7].owner, "http://musicbrainz.org");
  EXPECT_EQ(r.fields[7].value, "abc-123");
  EXPECT_EQ(r.fields[8].value, "0001fe");
  EXPECT_EQ(r.fields[9].key, "MCDI");
  EXPECT_EQ(r.fields[9].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[9].value, "3 bytes: 010203");
}

TEST(Id3WalkerTest, GeobWithC2paMimeIsPresence) {
  const Bytes object(100, 0x42);
  const Bytes body = cat({
      frame24("GEOB", cat({{3}, str("application/c2pa"), {0}, str("manifest.c2pa"), {0}, str("Content Credentials"),
                           {0}, object})),
      frame24("GEOB", cat({{0}, str("text/plain"), {0}, str("notes.txt"), {0}, str("notes"), {0}, str("hello")})),
  });
  const WalkResult r = walk_bytes(tag(4, 0, body));
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].key, "c2pa");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kPresence);
  EXPECT_EQ(r.fields[0].media_type, "application/c2pa");
  EXPECT_EQ(r.fields[0].owner, "Content Credentials");
  EXPECT_EQ(r.fields[0].value, "manifest.c2pa, 100 bytes");
  EXPECT_EQ(r.fields[0].blob_size_bytes, 100u);
  EXPECT_EQ(r.fields[1].key, "GEOB");
  EXPECT_EQ(r.fields[1].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[1].media_type, "text/plain");
  EXPECT_EQ(r.fields[1].value, "notes.txt, 5 bytes");
}

TEST(Id3WalkerTest, ApicAndV22FramesAreMapped) {
  const Bytes image(50, 0x89);
  const Bytes v23 = tag(3, 0, frame23("APIC", cat({{0}, str("image/png"), {0}, {3}, str("cover"), {0}, image})));
  WalkResult r = walk_bytes(v23);
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].key, "APIC");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[0].media_type, "image/png");
  EXPECT_EQ(r.fields[0].owner, "cover");
  EXPECT_EQ(r.fields[0].value, "front cover, 50 bytes");
  EXPECT_EQ(r.fields[0].blob_size_bytes, 50u);

  const Bytes v22 = tag(2, 0, cat({
                                  frame22("TT2", latin1_text("Title")),
                                  frame22("TP1", latin1_text("Jane")),
                                  frame22("COM", cat({{0}, str("eng"), {0}, str("note")})),
                                  frame22("TXX", cat({{0}, str("who"), {0}, str("me")})),
                                  frame22("PIC", cat({{0}, str("JPG"), {0}, {0}, image})),
                                  frame22("UFI", cat({str("o"), {0}, str("id")})),
                                  frame22("POP", cat({str("a@b.c"), {0}, {1}})),
                                  frame22("WXX", cat({{0}, {0}, str("http://x")})),
                                  frame22("GEO", cat({{0}, str("application/x-c2pa-manifest-store"), {0}, {0}, {0}})),
                              }));
  r = walk_bytes(v22);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 9u);
  EXPECT_EQ(r.fields[0].key, "TIT2");
  EXPECT_EQ(r.fields[0].value, "Title");
  EXPECT_EQ(r.fields[0].offset_bytes, 10u);
  EXPECT_EQ(r.fields[1].key, "TPE1");
  EXPECT_EQ(r.fields[2].key, "COMM");
  EXPECT_EQ(r.fields[2].value, "note");
  EXPECT_EQ(r.fields[3].key, "TXXX");
  EXPECT_EQ(r.fields[3].owner, "who");
  EXPECT_EQ(r.fields[4].key, "APIC");
  EXPECT_EQ(r.fields[4].media_type, "image/jpeg");
  EXPECT_EQ(r.fields[4].value, "other, 50 bytes");
  EXPECT_EQ(r.fields[5].key, "UFID");
  EXPECT_EQ(r.fields[6].key, "POPM");
  EXPECT_EQ(r.fields[6].value, "rating 1, count 0");
  EXPECT_EQ(r.fields[7].key, "WXXX");
  EXPECT_EQ(r.fields[7].value, "http://x");
  EXPECT_EQ(r.fields[8].key, "c2pa");
  EXPECT_EQ(r.fields[8].kind, FieldKind::kPresence);
}

TEST(Id3WalkerTest, TagLevelUnsynchronisationV23) {
  const Bytes secret{0xFF, 0xE0, 0xFF, 0x00, 0x41, 0xFF};
  const Bytes frames = cat({frame23("PRIV", cat({str("o"), {0}, secret})), frame23("TIT2", latin1_text("after"))});
  const Bytes unsynced = unsynchronise(frames);
  ASSERT_GT(unsynced.size(), frames.size());
  const WalkResult r = walk_bytes(tag(3, 0x80, unsynced));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].value, "6 bytes: ffe0ff0041ff");
  EXPECT_EQ(r.fields[1].value, "after");
}

TEST(Id3WalkerTest, FrameUnsynchronisationAndDataLengthIndicatorV24) {
  const Bytes secret{0xFF, 0xF0, 0x01, 0xFF};
  const Bytes raw = cat({str("o"), {0}, secret});
  const Bytes data = cat({syncsafe(static_cast<std::uint32_t>(raw.size())), unsynchronise(raw)});
  const Bytes body = cat({frame24("PRIV", data, 0x0003), frame24("TIT2", latin1_text("after"))});
  const WalkResult r = walk_bytes(tag(4, 0, body));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].value, "4 bytes: fff001ff");
  EXPECT_EQ(r.fields[0].owner, "o");
  EXPECT_EQ(r.fields[1].value, "after");
}

TEST(Id3WalkerTest, ExtendedHeadersAreSkipped) {
  const Bytes ext23 = cat({be32(6), {0, 0}, be32(0)});
  WalkResult r = walk_bytes(tag(3, 0x40, cat({ext23, frame23("TIT2", latin1_text("v23"))})));
  ASSERT_EQ(r.fields.size(), 1u) << issues_text(r);
  EXPECT_EQ(r.fields[0].value, "v23");
  const Bytes ext24 = cat({syncsafe(6), {1, 0}});
  r = walk_bytes(tag(4, 0x40, cat({ext24, frame24("TIT2", latin1_text("v24"))})));
  ASSERT_EQ(r.fields.size(), 1u) << issues_text(r);
  EXPECT_EQ(r.fields[0].value, "v24");
  // An extended header larger than the tag is an issue, not a crash.
  r = walk_bytes(tag(4, 0x40, cat({syncsafe(1000), {1, 0}})));
  EXPECT_TRUE(r.fields.empty());
  ASSERT_EQ(r.issues.size(), 1u);
}

TEST(Id3WalkerTest, CompressedAndEncryptedFramesAreOpaque) {
  const Bytes body = cat({
      frame23("TIT2", cat({be32(100), {0x78, 0x9C, 1, 2}}), 0x0080),
      frame23("TPE1", cat({{0x80}, {9, 9, 9}}), 0x0040),
  });
  WalkResult r = walk_bytes(tag(3, 0, body));
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].key, "TIT2");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[0].value, "compressed frame, 4 bytes");
  EXPECT_EQ(r.fields[1].value, "encrypted frame, 3 bytes");
  r = walk_bytes(tag(4, 0, frame24("TIT2", cat({{0x80}, {1, 2}}), 0x0004)));
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "encrypted frame, 2 bytes");
}

TEST(Id3WalkerTest, ItunesStyleNonSyncsafeFrameSizesInV24) {
  // 256 bytes of frame data: plain size 0x00000100, which read as syncsafe would be 128.
  const Bytes long_text = cat({{0}, Bytes(255, 'x')});
  const Bytes body = cat({str("TIT2"), be32(256), {0, 0}, long_text, frame24("TPE1", latin1_text("Jane"))});
  const WalkResult r = walk_bytes(tag(4, 0, body));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].value, std::string(255, 'x'));
  EXPECT_EQ(r.fields[1].value, "Jane");
}

TEST(Id3WalkerTest, Id3v1TrailerAndStackedTags) {
  Bytes v1(128, 0);
  std::copy_n("TAG", 3, v1.begin());
  std::copy_n("Song", 4, v1.begin() + 3);
  std::copy_n("J\xF6rg", 4, v1.begin() + 33);  // Latin-1 ö
  std::copy_n("2020", 4, v1.begin() + 93);
  std::copy_n("recorded on Zoom", 16, v1.begin() + 97);
  const Bytes file = cat({tag(3, 0, frame23("TIT2", latin1_text("one"))), tag(4, 0, frame24("TIT2", latin1_text("two"))),
                          Bytes(300, 0x55), v1});
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 6u);
  EXPECT_EQ(r.fields[0].source, "id3v2");
  EXPECT_EQ(r.fields[0].value, "one");
  EXPECT_EQ(r.fields[1].source, "id3v2 #2");
  EXPECT_EQ(r.fields[1].value, "two");
  EXPECT_EQ(r.fields[2].key, "ID3v1.title");
  EXPECT_EQ(r.fields[2].value, "Song");
  EXPECT_EQ(r.fields[2].source, "id3v1");
  EXPECT_EQ(r.fields[2].offset_bytes, file.size() - 128 + 3);
  EXPECT_EQ(r.fields[3].key, "ID3v1.artist");
  EXPECT_EQ(r.fields[3].value, "J\xC3\xB6rg");
  EXPECT_EQ(r.fields[4].key, "ID3v1.year");
  EXPECT_EQ(r.fields[5].key, "ID3v1.comment");
  EXPECT_EQ(r.fields[5].value, "recorded on Zoom");
}

TEST(Id3WalkerTest, PrivXmpIsParsed) {
  const std::string packet = "<rdf:Description xmp:CreatorTool=\"Audition\"/>";
  const WalkResult r = walk_bytes(tag(3, 0, frame23("PRIV", cat({str("XMP"), {0}, str(packet)}))));
  ASSERT_EQ(r.fields.size(), 3u);
  EXPECT_EQ(r.fields[0].key, "PRIV");
  EXPECT_EQ(r.fields[1].key, "xmp");
  EXPECT_EQ(r.fields[1].kind, FieldKind::kXml);
  EXPECT_EQ(r.fields[1].value, packet);
  EXPECT_EQ(r.fields[2].key, "xmp.xmp:CreatorTool");
  EXPECT_EQ(r.fields[2].value, "Audition");
}

TEST(Id3WalkerTest, SizeLimitReadsOnlyTheFirstBytes) {
  const Bytes body = cat({frame23("TIT2", latin1_text("early")), frame23("APIC", Bytes(5000, 1))});
  const WalkResult r = walk_bytes(tag(3, 0, body), 1000);
  ASSERT_GE(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "early");
  ASSERT_FALSE(r.issues.empty());
  EXPECT_FALSE(r.issues[0].truncated);
  EXPECT_NE(r.issues[0].message.find("size limit"), std::string::npos) << issues_text(r);
}

TEST(Id3WalkerTest, GarbageTagSizeIsTruncatedAndParsesWhatFits) {
  Bytes file = cat({str("ID3"), {3, 0, 0}, {0x7F, 0x7F, 0x7F, 0x7F}, frame23("TIT2", latin1_text("kept"))});
  const WalkResult r = walk_bytes(file);
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "kept");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_TRUE(r.issues[0].truncated);
  EXPECT_NE(r.issues[0].message.find("claims 268435455 bytes"), std::string::npos) << r.issues[0].message;
}

TEST(Id3WalkerTest, BrokenFramesStopWithAnIssue) {
  // Zero-length frames are skipped; the frame after them is still read.
  WalkResult r = walk_bytes(
      tag(3, 0, cat({frame23("TIT1", {}), frame23("TIT2", {}), frame23("TPE1", latin1_text("after zero"))})));
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "after zero");
  EXPECT_TRUE(r.issues.empty());

  // A frame claiming more than the tag holds.
  r = walk_bytes(tag(3, 0, cat({frame23("TIT2", latin1_text("ok")), str("TPE1"), be32(5000), {0, 0}, {0, 'x'}})));
  ASSERT_EQ(r.fields.size(), 1u);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_FALSE(r.issues[0].truncated);
  EXPECT_NE(r.issues[0].message.find("'TPE1'"), std::string::npos);
  EXPECT_NE(r.issues[0].message.find("5000"), std::string::npos);

  // Garbage where a frame id should be.
  r = walk_bytes(tag(3, 0, cat({frame23("TIT2", latin1_text("ok")), str("ti\x01!"), be32(1), {0, 0, 0}})));
  ASSERT_EQ(r.fields.size(), 1u);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("invalid ID3v2 frame id"), std::string::npos);

  // Odd UTF-16 lengths and lone surrogates.
  r = walk_bytes(tag(3, 0, cat({frame23("TIT2", {1, 0xFF, 0xFE, 'A', 0, 'B'}),
                                frame23("TPE1", {1, 0xFF, 0xFE, 0x00, 0xD8, 'C', 0})})));
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].value, "A");
  EXPECT_EQ(r.fields[1].value, "\xEF\xBF\xBD" "C");

  // Frames too short for their own structure.
  r = walk_bytes(tag(3, 0, cat({frame23("COMM", {0, 'e'}), frame23("APIC", {0}), frame23("GEOB", {1}),
                                frame23("PRIV", {}), frame23("POPM", {0}), frame23("UFID", str("x"))})));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  for (const MetaField& f : r.fields) EXPECT_TRUE(f.key == "GEOB" || f.key == "POPM") << f.key;
}

TEST(Id3WalkerTest, NotATagAndTinyFiles) {
  for (const Bytes& b : {Bytes{}, str("ID3"), Bytes{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0},
                         Bytes{'I', 'D', '3', 5, 0, 0, 0, 0, 0, 0}, Bytes{'I', 'D', '3', 3, 0, 0, 0x80, 0, 0, 0}}) {
    const WalkResult r = walk_bytes(b);
    EXPECT_TRUE(r.fields.empty());
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  }
  const WalkResult cut = walk_bytes(Bytes{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 5});
  ASSERT_EQ(cut.issues.size(), 1u);
  EXPECT_TRUE(cut.issues[0].truncated);
  const WalkResult r = parse_id3v2_tag(str("not a tag at all"), "x");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("not an ID3v2 tag"), std::string::npos);
  // v2.2 with the compression flag has no defined scheme.
  const WalkResult c = parse_id3v2_tag(tag(2, 0x40, frame22("TT2", latin1_text("x"))), "x");
  EXPECT_TRUE(c.fields.empty());
  ASSERT_EQ(c.issues.size(), 1u);
}

TEST(Id3WalkerTest, ParseEmbeddedTagWithBaseOffset) {
  const WalkResult r = parse_id3v2_tag(tag(4, 0, frame24("TIT2", latin1_text("x"))), "riff id3", 1000);
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].source, "riff id3");
  EXPECT_EQ(r.fields[0].offset_bytes, 1010u);
}

TEST(Id3WalkerTest, WalkContainerSniffsId3) {
  const Bytes file = tag(3, 0, frame23("TIT2", latin1_text("sniffed")));
  TempFile f(file);
  auto reader = core::FileReader::open(f.path());
  ASSERT_TRUE(reader.is_ok());
  const WalkResult r = walk_container(*reader, 1u << 20);
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "sniffed");
}

TEST(Id3WalkerFuzzTest, MutatedTagsNeverCrashOrReadOutside) {
  const Bytes image(40, 0xAB);
  const std::vector<Bytes> seeds{
      tag(3, 0, cat({frame23("TIT2", latin1_text("Title")), frame23("TXXX", cat({{1}, {0xFF, 0xFE, 'a', 0, 0, 0}, {'b', 0}})),
                     frame23("APIC", cat({{0}, str("image/png"), {0}, {3}, {0}, image})),
                     frame23("PRIV", cat({str("XMP"), {0}, str("<rdf:Description dc:x='1'/>")})),
                     frame23("GEOB", cat({{0}, str("application/c2pa"), {0}, str("f"), {0}, str("d"), {0}, image}))})),
      tag(4, 0x80, cat({frame24("TIT2", cat({syncsafe(3), {3, 'a', 'b'}}), 0x0003), frame24("POPM", cat({str("e"), {0}, {5, 1}})),
                        frame24("COMM", cat({{2}, str("eng"), {0, 'd', 0, 0}, {0, 'x'}}))})),
      tag(2, 0, cat({frame22("TT2", latin1_text("t")), frame22("PIC", cat({{0}, str("PNG"), {1}, {0}, image}))})),
  };
  std::mt19937 rng(99);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    Bytes b = seeds[static_cast<std::size_t>(iteration) % seeds.size()];
    const int mutations = 1 + static_cast<int>(rng() % 8);
    for (int m = 0; m < mutations; ++m) {
      const std::size_t pos = rng() % b.size();
      switch (rng() % 4) {
        case 0:
          b[pos] = static_cast<std::uint8_t>(rng());
          break;
        case 1:
          b[pos] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
          break;
        case 2:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::uint8_t>(rng()));
          break;
        default:
          b.resize(std::max<std::size_t>(pos, 4));
          break;
      }
    }
    // Parse a copy sized exactly, so ASan catches any read past its end.
    const std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[b.size()]);
    std::copy(b.begin(), b.end(), exact.get());
    const WalkResult r = parse_id3v2_tag(std::span<const std::uint8_t>(exact.get(), b.size()), "fuzz");
    EXPECT_LE(r.fields.size(), b.size());
    for (const MetaField& f : r.fields) {
      EXPECT_TRUE(walk_util::is_valid_utf8(f.value));
      EXPECT_LE(f.blob_size_bytes, b.size());
    }
    if (iteration % 10 == 0) {
      const WalkResult w = walk_bytes(b, 256);
      EXPECT_LE(w.fields.size(), b.size());
    }
  }
}

}  // namespace
}  // namespace wm::meta
