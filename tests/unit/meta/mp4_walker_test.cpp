#include "meta/mp4_walker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
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


Bytes be16(std::uint16_t v) { return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }
Bytes be32(std::uint32_t v) { return cat({be16(static_cast<std::uint16_t>(v >> 16)), be16(static_cast<std::uint16_t>(v))}); }
Bytes be64(std::uint64_t v) { return cat({be32(static_cast<std::uint32_t>(v >> 32)), be32(static_cast<std::uint32_t>(v))}); }
Bytes le16(std::uint16_t v) { return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)}; }
Bytes le64(std::uint64_t v) {
  Bytes out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return out;
}

// Box types are 4 bytes; "\xA9" "nam" spells ©nam (split so the escape stops after A9).
Bytes box(std::string_view type, const Bytes& payload) {
  return cat({be32(static_cast<std::uint32_t>(payload.size() + 8)), str(type), payload});
}
Bytes box_with_size(std::uint32_t size, std::string_view type, const Bytes& payload) {
  return cat({be32(size), str(type), payload});
}
Bytes large_box(std::string_view type, const Bytes& payload) {
  return cat({be32(1), str(type), be64(payload.size() + 16), payload});
}
Bytes full_box(std::string_view type, const Bytes& payload) { return box(type, cat({be32(0), payload})); }
Bytes data_box(std::uint32_t type, const Bytes& value) { return box("data", cat({be32(type), be32(0), value})); }
Bytes text_item(std::string_view type, std::string_view text) { return box(type, data_box(1, str(text))); }
// QuickTime international text entry.
Bytes qt_text(std::string_view text, std::uint16_t language = 0x55C4) {
  return cat({be16(static_cast<std::uint16_t>(text.size())), be16(language), str(text)});
}

Bytes ftyp() { return box("ftyp", cat({str("isom"), be32(512), str("isomiso2mp41")})); }

Bytes uuid_bytes(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

Bytes fixed_16_16(double v) { return be32(static_cast<std::uint32_t>(static_cast<std::int32_t>(std::lround(v * 65536.0)))); }

// ---- files ----------------------------------------------------------------------------------

WalkResult walk_bytes(const Bytes& bytes, std::uint64_t max_payload_bytes = 16u << 20) {
  return walk_file(bytes, walk_mp4, max_payload_bytes);
}

std::string fields_text(const WalkResult& r) {
  std::string s;
  for (const MetaField& f : r.fields) s += f.source + " | " + f.key + " = " + f.value + "\n";
  return s;
}

// ---- tests ----------------------------------------------------------------------------------

TEST(Mp4WalkerTest, ItunesIlstItems) {
  const Bytes ilst = box("ilst", cat({
                                     text_item("\xA9" "nam", "Quarterly sync"),
                                     text_item("\xA9" "ART", "Jane Doe"),
                                     text_item("apID", "jane@example.com"),
                                     text_item("\xA9" "xyz", "+37.7858-122.4064/"),
                                     box("covr", data_box(13, Bytes(30, 0xD8))),
                                     box("tmpo", data_box(21, be16(120))),
                                     box("rtng", data_box(21, Bytes{0xFF})),
                                     box("----", cat({full_box("mean", str("com.apple.iTunes")),
                                                      full_box("name", str("iTunSMPB")), data_box(1, str(" 00000000"))})),
                                     box("trkn", data_box(0, Bytes{0, 0, 0, 1, 0, 10, 0, 0})),
                                 }));
  const Bytes file = cat({ftyp(), box("moov", cat({box("mvhd", Bytes(100, 0)),
                                                   box("udta", full_box("meta", cat({full_box("hdlr", Bytes(21, 0)), ilst})))})),
                          box("mdat", Bytes(64, 0xEE))});
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 9u) << fields_text(r);
  for (const MetaField& f : r.fields) EXPECT_EQ(f.source, "mp4 moov/udta/meta/ilst");
  EXPECT_EQ(r.fields[0].key, "\xC2\xA9nam");
  EXPECT_EQ(r.fields[0].value, "Quarterly sync");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kText);
  EXPECT_EQ(r.fields[1].key, "\xC2\xA9" "ART");
  EXPECT_EQ(r.fields[1].value, "Jane Doe");
  EXPECT_EQ(r.fields[2].key, "apID");
  EXPECT_EQ(r.fields[2].value, "jane@example.com");
  EXPECT_EQ(r.fields[3].key, "\xC2\xA9xyz");
  EXPECT_EQ(r.fields[3].value, "+37.7858-122.4064/");
  EXPECT_EQ(r.fields[4].key, "covr");
  EXPECT_EQ(r.fields[4].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[4].media_type, "image/jpeg");
  EXPECT_EQ(r.fields[4].blob_size_bytes, 30u);
  EXPECT_EQ(r.fields[5].key, "tmpo");
  EXPECT_EQ(r.fields[5].value, "120");
  EXPECT_EQ(r.fields[6].key, "rtng");
  EXPECT_EQ(r.fields[6].value, "-1");
  EXPECT_EQ(r.fields[7].key, "iTunSMPB");
  EXPECT_EQ(r.fields[7].owner, "com.apple.iTunes");
  EXPECT_EQ(r.fields[7].value, "00000000");
  EXPECT_EQ(r.fields[8].key, "trkn");
  EXPECT_EQ(r.fields[8].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[8].value, "8 bytes: 00000001000a0000");
  // The offset points at the value inside the data box: find "Quarterly sync" in the file.
  const Bytes needle = str("Quarterly sync");
  const auto at = std::search(file.begin(), file.end(), needle.begin(), needle.end()) - file.begin();
  EXPECT_EQ(r.fields[0].offset_bytes, static_cast<std::uint64_t>(at));
}

TEST(Mp4WalkerTest, QuickTimeMetaWithMdtaKeys) {
  const auto key_entry = [](std::string_view key) {
    return cat({be32(static_cast<std::uint32_t>(key.size() + 8)), str("mdta"), str(key)});
  };
  const Bytes keys = full_box("keys", cat({be32(2), key_entry("com.apple.quicktime.location.ISO6709"),
                                           key_entry("com.apple.quicktime.make")}));
  const Bytes ilst = box("ilst", cat({
                                     cat({be32(8 + 8 + 8 + 26), be32(1), data_box(1, str("+37.7858-122.4064+010.000/"))}),
                                     cat({be32(8 + 8 + 8 + 5), be32(2), data_box(1, str("Apple"))}),
                                     cat({be32(8 + 8 + 8 + 1), be32(9), data_box(1, str("?"))}),
                                 }));
  // QuickTime's meta has no version/flags: hdlr follows the meta header directly.
  const Bytes meta = box("meta", cat({full_box("hdlr", cat({be32(0), str("mdta"), Bytes(13, 0)})), keys, ilst}));
  const WalkResult r = walk_bytes(cat({box("ftyp", str("qt  ")), box("moov", meta)}));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 3u) << fields_text(r);
  EXPECT_EQ(r.fields[0].key, "com.apple.quicktime.location.ISO6709");
  EXPECT_EQ(r.fields[0].value, "+37.7858-122.4064+010.000/");
  EXPECT_EQ(r.fields[0].source, "mp4 moov/meta/ilst");
  EXPECT_EQ(r.fields[1].key, "com.apple.quicktime.make");
  EXPECT_EQ(r.fields[1].value, "Apple");
  EXPECT_EQ(r.fields[2].key, "\\x00\\x00\\x00\\x09");  // an index with no key keeps its raw name
}

TEST(Mp4WalkerTest, UdtaAtoms) {
  const Bytes loci = full_box("loci", cat({be16(0x15C7), str("Office"), Bytes{0}, Bytes{0}, fixed_16_16(-122.4064),
                                           fixed_16_16(37.7858), fixed_16_16(10.0), str("earth"), Bytes{0}, Bytes{0}}));
  const Bytes auth = full_box("auth", cat({be16(0x15C7), Bytes{0xFE, 0xFF, 0, 'J', 0, 'a', 0, 'n', 0, 'e', 0, 0}}));
  const Bytes kywd = full_box("kywd", cat({be16(0x15C7), Bytes{2}, Bytes{3}, str("one"), Bytes{4}, str("two"), Bytes{0}}));
  const std::string xmp = "<rdf:Description xmpMM:DocumentID=\"xmp.did:9\"/>";
  const Bytes udta = box("udta", cat({
                                     box("\xA9" "xyz", qt_text("+37.7858-122.4064/", 0x15C7)),
                                     box("\xA9" "nam", qt_text("Caf\x8E", 0)),  // Mac Roman é
                                     box("\xA9" "cmt", cat({qt_text("hi", 0), qt_text("hi"), qt_text("there")})),
                                     box("\xA9" "too", data_box(1, str("Lavf59.27.100"))),
                                     box("XMP_", str(xmp)),
                                     box("name", str("Camera roll")),
                                     box("Cr8r", Bytes{1, 2, 0, 3}),
                                     box("hnti", box("rtp ", str("sdp"))),
                                     loci,
                                     auth,
                                     full_box("titl", cat({be16(0x15C7), str("A title"), Bytes{0}})),
                                     full_box("yrrc", be16(2021)),
                                     kywd,
                                     Bytes{0, 0, 0, 0},  // QuickTime's list terminator
                                 }));
  const Bytes trak = box("trak", cat({box("tkhd", Bytes(84, 0)), box("udta", box("name", str("Video track")))}));
  const WalkResult r = walk_bytes(cat({ftyp(), box("moov", cat({udta, trak}))}));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 14u) << fields_text(r);
  std::size_t i = 0;
  EXPECT_EQ(r.fields[i].key, "\xC2\xA9xyz");
  EXPECT_EQ(r.fields[i].value, "+37.7858-122.4064/");
  EXPECT_EQ(r.fields[i].source, "mp4 moov/udta");
  EXPECT_EQ(r.fields[++i].value, "Caf\xC3\xA9");
  EXPECT_EQ(r.fields[++i].value, "hi; there");
  EXPECT_EQ(r.fields[++i].key, "\xC2\xA9too");
  EXPECT_EQ(r.fields[i].value, "Lavf59.27.100");
  EXPECT_EQ(r.fields[i].source, "mp4 moov/udta");
  EXPECT_EQ(r.fields[++i].key, "xmp");
  EXPECT_EQ(r.fields[i].kind, FieldKind::kXml);
  EXPECT_EQ(r.fields[i].value, xmp);
  EXPECT_EQ(r.fields[++i].key, "xmp.xmpMM:DocumentID");
  EXPECT_EQ(r.fields[i].value, "xmp.did:9");
  EXPECT_EQ(r.fields[i].source, "mp4 moov/udta");
  EXPECT_EQ(r.fields[++i].key, "name");
  EXPECT_EQ(r.fields[i].value, "Camera roll");
  EXPECT_EQ(r.fields[++i].key, "Cr8r");
  EXPECT_EQ(r.fields[i].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[i].value, "4 bytes: 01020003");
  EXPECT_EQ(r.fields[++i].key, "loci");
  EXPECT_EQ(r.fields[i].value, "+37.7858-122.4064+010.000/");
  EXPECT_EQ(r.fields[i].owner, "Office");
  EXPECT_EQ(r.fields[++i].key, "auth");
  EXPECT_EQ(r.fields[i].value, "Jane");
  EXPECT_EQ(r.fields[++i].key, "titl");
  EXPECT_EQ(r.fields[i].value, "A title");
  EXPECT_EQ(r.fields[++i].key, "yrrc");
  EXPECT_EQ(r.fields[i].value, "2021");
  EXPECT_EQ(r.fields[++i].key, "kywd");
  EXPECT_EQ(r.fields[i].value, "one; two");
  EXPECT_EQ(r.fields[++i].key, "name");
  EXPECT_EQ(r.fields[i].value, "Video track");
  EXPECT_EQ(r.fields[i].source, "mp4 moov/trak/udta");
}

TEST(Mp4WalkerTest, MicrosoftXtra) {
  const auto value = [](std::uint16_t type, const Bytes& data) {
    return cat({be32(static_cast<std::uint32_t>(data.size() + 6)), be16(type), data});
  };
  const auto entry = [](std::string_view name, std::initializer_list<Bytes> values) {
    Bytes vs;
    for (const Bytes& v : values) vs.insert(vs.end(), v.begin(), v.end());
    const Bytes body = cat({be32(static_cast<std::uint32_t>(name.size())), str(name),
                            be32(static_cast<std::uint32_t>(values.size())), vs});
    return cat({be32(static_cast<std::uint32_t>(body.size() + 4)), body});
  };
  Bytes publisher;
  for (const char c : std::string_view("Contoso")) publisher = cat({publisher, le16(static_cast<std::uint16_t>(c))});
  publisher = cat({publisher, le16(0)});
  const Bytes guid{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10};
  const Bytes xtra = box("Xtra", cat({
                                     entry("WM/Publisher", {value(8, publisher)}),
                                     entry("WM/EncodingTime", {value(21, le64(132593079670000000ull))}),
                                     entry("WM/MediaClassPrimaryID", {value(6, guid)}),
                                     entry("WM/SharedUserRating", {value(19, le64(50)), value(3, Bytes{1, 0, 0, 0})}),
                                 }));
  const WalkResult r = walk_bytes(cat({ftyp(), box("moov", box("udta", xtra))}));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 5u) << fields_text(r);
  EXPECT_EQ(r.fields[0].key, "Xtra.WM/Publisher");
  EXPECT_EQ(r.fields[0].value, "Contoso");
  EXPECT_EQ(r.fields[0].source, "mp4 moov/udta");
  EXPECT_EQ(r.fields[1].key, "Xtra.WM/EncodingTime");
  EXPECT_EQ(r.fields[1].value, "2021-03-04T05:06:07Z");
  EXPECT_EQ(r.fields[2].key, "Xtra.WM/MediaClassPrimaryID");
  EXPECT_EQ(r.fields[2].value, "04030201-0605-0807-090a-0b0c0d0e0f10");
  EXPECT_EQ(r.fields[3].key, "Xtra.WM/SharedUserRating");
  EXPECT_EQ(r.fields[3].value, "50");
  EXPECT_EQ(r.fields[4].kind, FieldKind::kBinary);

  // Inconsistent sizes inside Xtra are an issue, not a crash.
  const WalkResult bad = walk_bytes(cat({ftyp(), box("moov", box("udta", box("Xtra", cat({be32(5000), be32(3), str("abc"), be32(0)}))))}));
  EXPECT_TRUE(bad.fields.empty());
  ASSERT_EQ(bad.issues.size(), 1u);
}

TEST(Mp4WalkerTest, UuidBoxes) {
  const Bytes c2pa = uuid_bytes("d8fec3d61b0e483c92975828877ec481");
  const Bytes xmp_id = uuid_bytes("be7acfcb97a942e89c71999491e3afac");
  const Bytes other = uuid_bytes("0123456789abcdef0123456789abcdef");
  const std::string packet = "<x:xmpmeta><rdf:RDF><rdf:Description><dc:creator><rdf:Seq><rdf:li>Jane</rdf:li>"
                             "</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";
  const Bytes file = cat({ftyp(), box("uuid", cat({c2pa, Bytes(50, 0x33)})), box("moov", box("uuid", cat({xmp_id, str(packet)}))),
                          box("uuid", cat({other, Bytes{0xCA, 0xFE}}))});
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 4u) << fields_text(r);
  EXPECT_EQ(r.fields[0].key, "c2pa");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kPresence);
  EXPECT_EQ(r.fields[0].blob_size_bytes, 50u);
  EXPECT_EQ(r.fields[0].source, "mp4");
  EXPECT_EQ(r.fields[0].owner, "d8fec3d6-1b0e-483c-9297-5828877ec481");
  EXPECT_EQ(r.fields[0].offset_bytes, ftyp().size() + 8 + 16);
  EXPECT_EQ(r.fields[1].key, "xmp");
  EXPECT_EQ(r.fields[1].kind, FieldKind::kXml);
  EXPECT_EQ(r.fields[1].value, packet);
  EXPECT_EQ(r.fields[1].source, "mp4 moov");
  EXPECT_EQ(r.fields[2].key, "xmp.dc:creator");
  EXPECT_EQ(r.fields[2].value, "Jane");
  EXPECT_EQ(r.fields[3].key, "uuid");
  EXPECT_EQ(r.fields[3].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[3].owner, "01234567-89ab-cdef-0123-456789abcdef");
  EXPECT_EQ(r.fields[3].value, "2 bytes: cafe");
  EXPECT_EQ(r.fields[3].blob_size_bytes, 2u);
}

TEST(Mp4WalkerTest, MediaDataIsNeverRead) {
  // Bytes inside mdat/free/skip/wide that look like metadata boxes must not be reported.
  const Bytes fake = cat({box("uuid", cat({uuid_bytes("d8fec3d61b0e483c92975828877ec481"), Bytes(4, 0)})),
                          box("udta", box("\xA9" "nam", qt_text("fake")))});
  const Bytes file = cat({ftyp(), box("free", fake), box("skip", fake), box("wide", {}), box("mdat", fake),
                          box_with_size(0, "mdat", cat({fake, Bytes{1, 2, 3}}))});
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.fields.empty()) << fields_text(r);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
}

TEST(Mp4WalkerTest, LargeSizeAndId32) {
  const Bytes id3 = cat({str("ID3"), Bytes{4, 0, 0, 0, 0, 0, 15}, str("TIT2"), Bytes{0, 0, 0, 5, 0, 0, 0}, str("Tune")});
  const Bytes meta = full_box("meta", cat({full_box("hdlr", Bytes(21, 0)), full_box("ID32", cat({be16(0x15C7), id3}))}));
  const WalkResult r = walk_bytes(cat({ftyp(), large_box("moov", large_box("udta", cat({box("\xA9" "nam", qt_text("big")), meta})))}));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 2u) << fields_text(r);
  EXPECT_EQ(r.fields[0].value, "big");
  EXPECT_EQ(r.fields[1].key, "TIT2");
  EXPECT_EQ(r.fields[1].value, "Tune");
  EXPECT_EQ(r.fields[1].source, "mp4 moov/udta/meta/ID32");
}

TEST(Mp4WalkerTest, BoxLargerThanTheFileIsTruncatedButWalked) {
  const Bytes udta = box("udta", box("\xA9" "nam", qt_text("kept")));
  const Bytes file = cat({ftyp(), box_with_size(9000, "moov", udta)});
  const WalkResult r = walk_bytes(file);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_TRUE(r.issues[0].truncated);
  const std::string expected = "box 'moov' at offset " + std::to_string(ftyp().size()) + " claims 9000 bytes but only " +
                               std::to_string(file.size() - ftyp().size()) + " remain in the file";
  EXPECT_EQ(r.issues[0].message, expected);
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "kept");
}

TEST(Mp4WalkerTest, InvalidSizesStopTheirLevel) {
  // size 7 and size 1 with a largesize below 16.
  for (const Bytes& bad : {box_with_size(7, "moov", Bytes(16, 0)), cat({be32(1), str("moov"), be64(10), Bytes(8, 0)})}) {
    const WalkResult r = walk_bytes(cat({ftyp(), bad, box("moov", box("udta", box("name", str("after"))))}));
    EXPECT_TRUE(r.fields.empty()) << fields_text(r);
    ASSERT_EQ(r.issues.size(), 1u);
  }
  WalkResult r = walk_bytes(cat({ftyp(), box_with_size(7, "moov", {})}));
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("invalid size 7"), std::string::npos) << r.issues[0].message;

  // A size-1 header cut by the end of the file.
  r = walk_bytes(cat({ftyp(), be32(1), str("moov"), Bytes{0, 0}}));
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_TRUE(r.issues[0].truncated);
  EXPECT_NE(r.issues[0].message.find("64-bit size"), std::string::npos) << r.issues[0].message;

  // Size 0 below the top level.
  r = walk_bytes(cat({ftyp(), box("moov", cat({box("udta", box("name", str("first"))), box_with_size(0, "udta", Bytes(16, 1))}))}));
  ASSERT_EQ(r.fields.size(), 1u);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_FALSE(r.issues[0].truncated);
  EXPECT_NE(r.issues[0].message.find("size 0"), std::string::npos);

  // A child larger than its parent, with the file long enough: corrupt, not truncated.
  r = walk_bytes(cat({ftyp(), box("moov", box_with_size(500, "udta", box("name", str("inner")))), box("mdat", Bytes(1000, 0))}));
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_FALSE(r.issues[0].truncated);
  EXPECT_NE(r.issues[0].message.find("remain in 'moov'"), std::string::npos) << r.issues[0].message;
  ASSERT_EQ(r.fields.size(), 1u);  // the clamped udta is still walked
  EXPECT_EQ(r.fields[0].value, "inner");

  // Stray non-zero bytes at the end of a container.
  r = walk_bytes(cat({ftyp(), box("moov", cat({box("udta", {}), Bytes{1, 2, 3}}))}));
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("3 stray bytes"), std::string::npos);
}

TEST(Mp4WalkerTest, DeepNestingIsBounded) {
  Bytes nested = box("udta", box("name", str("too deep")));
  for (int i = 0; i < 1000; ++i) nested = box("moov", nested);
  const WalkResult r = walk_bytes(cat({ftyp(), nested}));
  EXPECT_TRUE(r.fields.empty());
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("deeper than 16"), std::string::npos);

  // 14 levels is fine.
  Bytes shallow = box("udta", box("name", str("found")));
  for (int i = 0; i < 13; ++i) shallow = box("moov", shallow);
  const WalkResult ok = walk_bytes(cat({ftyp(), shallow}));
  EXPECT_TRUE(ok.issues.empty()) << issues_text(ok);
  ASSERT_EQ(ok.fields.size(), 1u);
}

TEST(Mp4WalkerTest, BoxCountIsBounded) {
  Bytes file = ftyp();
  file.reserve(file.size() + 100001 * 8);
  for (int i = 0; i < 100001; ++i) {
    const Bytes b = box("free", {});
    file.insert(file.end(), b.begin(), b.end());
  }
  const WalkResult r = walk_bytes(file);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("more than 100000 boxes"), std::string::npos);
}

TEST(Mp4WalkerTest, LargePayloadsAreNotLoaded) {
  const std::string big = "<rdf:Description dc:x=\"" + std::string(5000, 'a') + "\"/>";
  const WalkResult r = walk_bytes(cat({ftyp(), box("moov", box("udta", cat({box("XMP_", str(big)), box("name", str("small"))})))}), 1000);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("limit"), std::string::npos);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].key, "xmp");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[0].blob_size_bytes, big.size());
  EXPECT_EQ(r.fields[1].value, "small");
}

TEST(Mp4WalkerTest, WalkContainerSniffsTheLayout) {
  const auto walk_any = [](const Bytes& b) {
    TempFile f(b);
    auto reader = core::FileReader::open(f.path());
    EXPECT_TRUE(reader.is_ok());
    return walk_container(*reader, 1u << 20);
  };
  EXPECT_EQ(walk_any(cat({ftyp(), box("moov", box("udta", box("name", str("n"))))})).fields.size(), 1u);
  EXPECT_EQ(walk_any(cat({box("mdat", Bytes(4, 0)), box("moov", box("udta", box("name", str("n"))))})).fields.size(), 1u);
  const WalkResult mkv = walk_any(Bytes{0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01});
  EXPECT_TRUE(mkv.fields.empty());
  EXPECT_TRUE(mkv.issues.empty());
  const WalkResult empty = walk_any({});
  EXPECT_TRUE(empty.fields.empty());
  EXPECT_TRUE(empty.issues.empty());
}

TEST(Mp4WalkerFuzzTest, MutatedFilesNeverCrashOrHang) {
  const auto key_entry = [](std::string_view key) {
    return cat({be32(static_cast<std::uint32_t>(key.size() + 8)), str("mdta"), str(key)});
  };
  const Bytes seed = cat({
      ftyp(),
      box("uuid", cat({uuid_bytes("d8fec3d61b0e483c92975828877ec481"), Bytes(8, 1)})),
      box("moov", cat({
                      box("udta", cat({box("\xA9" "xyz", qt_text("+1+2/")), box("XMP_", str("<rdf:Description dc:a='b'/>")),
                                       box("Xtra", cat({be32(30), be32(4), str("WM/x"), be32(1), be32(14), be16(8),
                                                        Bytes{'a', 0, 'b', 0, 0, 0, 0, 0}})),
                                       full_box("meta", cat({full_box("hdlr", Bytes(8, 0)),
                                                             box("ilst", cat({text_item("\xA9" "nam", "t"),
                                                                              box("----", cat({full_box("mean", str("m")),
                                                                                               full_box("name", str("n")),
                                                                                               data_box(1, str("v"))}))}))}))})),
                      box("meta", cat({full_box("hdlr", Bytes(8, 0)), full_box("keys", cat({be32(1), key_entry("k")})),
                                       box("ilst", cat({be32(8 + 8 + 8 + 1), be32(1), data_box(1, str("x"))}))})),
                      box("trak", box("udta", full_box("loci", cat({be16(0), str("p"), Bytes(14, 0)})))),
                  })),
      box("mdat", Bytes(16, 0)),
  });
  std::mt19937 rng(2024);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    Bytes b = seed;
    const int mutations = 1 + static_cast<int>(rng() % 6);
    for (int m = 0; m < mutations; ++m) {
      const std::size_t pos = rng() % b.size();
      switch (rng() % 5) {
        case 0:
          b[pos] = static_cast<std::uint8_t>(rng());
          break;
        case 1:
          b[pos] = (rng() % 2) ? 0xFF : 0x00;
          break;
        case 2:
          b[pos] = static_cast<std::uint8_t>(rng() % 2 ? 1 : 8);  // size 1 / minimal sizes
          break;
        case 3:
          b.erase(b.begin() + static_cast<std::ptrdiff_t>(pos));
          break;
        default:
          b.resize(pos);
          break;
      }
      if (b.empty()) b.push_back(0);
    }
    const WalkResult r = walk_bytes(b, 4096);
    EXPECT_LE(r.fields.size(), 64u);
    EXPECT_LE(r.issues.size(), 64u);
    for (const MetaField& f : r.fields) {
      EXPECT_TRUE(walk_util::is_valid_utf8(f.value));
      EXPECT_LE(f.offset_bytes, b.size());
      EXPECT_LE(f.blob_size_bytes, b.size());
    }
  }
}

}  // namespace
}  // namespace wm::meta
