#include "meta/riff_walker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
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


Bytes le16(std::uint16_t v) { return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)}; }
Bytes le32(std::uint32_t v) { return cat({le16(static_cast<std::uint16_t>(v)), le16(static_cast<std::uint16_t>(v >> 16))}); }
Bytes le64(std::uint64_t v) { return cat({le32(static_cast<std::uint32_t>(v)), le32(static_cast<std::uint32_t>(v >> 32))}); }

// A chunk with its true size and the pad byte after an odd payload.
Bytes chunk(std::string_view id, const Bytes& payload) {
  Bytes out = cat({str(id), le32(static_cast<std::uint32_t>(payload.size())), payload});
  if (payload.size() % 2 == 1) out.push_back(0);
  return out;
}

// A chunk header with any size field, and no pad.
Bytes chunk_with_size(std::string_view id, std::uint32_t size, const Bytes& payload) {
  return cat({str(id), le32(size), payload});
}

Bytes wave(const Bytes& chunks) {
  return cat({str("RIFF"), le32(static_cast<std::uint32_t>(chunks.size() + 4)), str("WAVE"), chunks});
}

Bytes fmt_chunk() {
  // PCM, mono, 48 kHz, 16 bit.
  return chunk("fmt ", cat({le16(1), le16(1), le32(48000), le32(96000), le16(2), le16(16)}));
}

Bytes fixed_text(std::string_view s, std::size_t length) {
  Bytes out(length, 0);
  std::copy_n(s.begin(), std::min(s.size(), length), out.begin());
  return out;
}

Bytes bext_payload(const Bytes& umid, std::string_view coding_history) {
  Bytes b = cat({fixed_text("Interview with Jane", 256), fixed_text("Sound Devices", 32), fixed_text("USID0042", 32),
                 fixed_text("2024-01-15", 10), fixed_text("12:34:56", 8), le64(48000ull * 3600), le16(2)});
  Bytes u = umid;
  u.resize(64, 0);
  b = cat({b, u, Bytes(10, 0), Bytes(180, 0), str(coding_history)});
  return b;
}

// ---- files ----------------------------------------------------------------------------------

WalkResult walk_bytes(const Bytes& bytes, std::uint64_t max_payload_bytes = 16u << 20) {
  return walk_file(bytes, walk_riff, max_payload_bytes);
}

const MetaField* find(const WalkResult& r, std::string_view key) {
  for (const MetaField& f : r.fields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

// ---- tests ----------------------------------------------------------------------------------

TEST(RiffWalkerTest, BextFields) {
  Bytes umid(32);
  for (std::size_t i = 0; i < umid.size(); ++i) umid[i] = static_cast<std::uint8_t>(0x06 + i);
  const Bytes file = wave(cat({fmt_chunk(), chunk("bext", bext_payload(umid, "A=PCM,F=48000,W=24,M=mono\r\n")),
                               chunk("data", Bytes(100, 0))}));
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 7u);
  const std::uint64_t payload = 12 + 24 + 8;
  EXPECT_EQ(r.fields[0].key, "bext.Description");
  EXPECT_EQ(r.fields[0].value, "Interview with Jane");
  EXPECT_EQ(r.fields[0].source, "riff bext");
  EXPECT_EQ(r.fields[0].offset_bytes, payload);
  EXPECT_EQ(r.fields[1].key, "bext.Originator");
  EXPECT_EQ(r.fields[1].value, "Sound Devices");
  EXPECT_EQ(r.fields[1].offset_bytes, payload + 256);
  EXPECT_EQ(r.fields[2].key, "bext.OriginatorReference");
  EXPECT_EQ(r.fields[2].value, "USID0042");
  EXPECT_EQ(r.fields[3].key, "bext.OriginationDate");
  EXPECT_EQ(r.fields[3].value, "2024-01-15");
  EXPECT_EQ(r.fields[4].key, "bext.OriginationTime");
  EXPECT_EQ(r.fields[4].value, "12:34:56");
  EXPECT_EQ(r.fields[5].key, "bext.UMID");
  EXPECT_EQ(r.fields[5].value, "060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425");
  EXPECT_EQ(r.fields[5].offset_bytes, payload + 348);
  EXPECT_EQ(r.fields[6].key, "bext.CodingHistory");
  EXPECT_EQ(r.fields[6].value, "A=PCM,F=48000,W=24,M=mono");
  for (const MetaField& f : r.fields) EXPECT_EQ(f.kind, FieldKind::kText);
}

TEST(RiffWalkerTest, BextZeroUmidEmptyFieldsAndShortChunk) {
  Bytes b(602, 0);
  std::copy_n("me", 2, b.begin() + 256);
  WalkResult r = walk_bytes(wave(chunk("bext", b)));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].key, "bext.Originator");

  // Extended (64-byte) UMID is reported whole.
  const Bytes umid(64, 0xAB);
  r = walk_bytes(wave(chunk("bext", bext_payload(umid, ""))));
  const MetaField* f = find(r, "bext.UMID");
  ASSERT_NE(f, nullptr);
  std::string expected;
  for (int i = 0; i < 64; ++i) expected += "ab";
  EXPECT_EQ(f->value, expected);
  EXPECT_EQ(find(r, "bext.CodingHistory"), nullptr);

  // A bext cut inside its fixed part: what fits, and an issue.
  r = walk_bytes(wave(chunk("bext", fixed_text("Only a description", 300))));
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "Only a description");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_FALSE(r.issues[0].truncated);
}

TEST(RiffWalkerTest, XmlChunks) {
  const std::string ixml = "<BWFXML><PROJECT>Doc</PROJECT><SPEED><TIMECODE_RATE>25/1</TIMECODE_RATE></SPEED></BWFXML>";
  const std::string axml = "<ebuCoreMain><title>x</title></ebuCoreMain>";
  const std::string xmp = "<rdf:Description xmpDM:artist=\"Jane\"><dc:creator>Jane Doe</dc:creator></rdf:Description>";
  const Bytes file = wave(cat({chunk("iXML", str(ixml)), chunk("axml", str(axml)), chunk("_PMX", str(xmp))}));
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 7u);
  EXPECT_EQ(r.fields[0].key, "iXML");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kXml);
  EXPECT_EQ(r.fields[0].value, ixml);
  EXPECT_EQ(r.fields[0].blob_size_bytes, ixml.size());
  EXPECT_EQ(r.fields[0].offset_bytes, 20u);
  EXPECT_EQ(r.fields[1].key, "iXML.PROJECT");
  EXPECT_EQ(r.fields[1].value, "Doc");
  EXPECT_EQ(r.fields[1].source, "riff iXML");
  EXPECT_EQ(r.fields[2].key, "iXML.SPEED/TIMECODE_RATE");
  EXPECT_EQ(r.fields[3].key, "axml");
  EXPECT_EQ(r.fields[3].kind, FieldKind::kXml);
  EXPECT_EQ(r.fields[4].key, "xmp");
  EXPECT_EQ(r.fields[4].source, "riff _PMX");
  EXPECT_EQ(r.fields[5].key, "xmp.xmpDM:artist");
  EXPECT_EQ(r.fields[5].value, "Jane");
  EXPECT_EQ(r.fields[6].key, "xmp.dc:creator");
  EXPECT_EQ(r.fields[6].value, "Jane Doe");
}

TEST(RiffWalkerTest, CartChunk) {
  Bytes cart = cat({str("0101"), fixed_text("Morning show", 64), fixed_text("Jane Doe", 64), fixed_text("CUT-7", 64),
                    fixed_text("", 64 * 4), fixed_text("2024-01-15", 10), fixed_text("", 8), fixed_text("", 18),
                    fixed_text("Enco DAD", 64), fixed_text("", 64 + 64), le32(0), Bytes(64 + 276, 0),
                    fixed_text("https://station.example/cut7", 1024), str("tag text")});
  ASSERT_EQ(cart.size(), 2048u + 8);
  const WalkResult r = walk_bytes(wave(chunk("cart", cart)));
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 7u);
  EXPECT_EQ(r.fields[0].key, "cart.Title");
  EXPECT_EQ(r.fields[0].value, "Morning show");
  EXPECT_EQ(r.fields[0].source, "riff cart");
  EXPECT_EQ(r.fields[1].key, "cart.Artist");
  EXPECT_EQ(r.fields[1].value, "Jane Doe");
  EXPECT_EQ(r.fields[2].key, "cart.CutID");
  EXPECT_EQ(r.fields[3].key, "cart.StartDate");
  EXPECT_EQ(r.fields[3].value, "2024-01-15");
  EXPECT_EQ(r.fields[4].key, "cart.ProducerAppID");
  EXPECT_EQ(r.fields[4].value, "Enco DAD");
  EXPECT_EQ(r.fields[5].key, "cart.URL");
  EXPECT_EQ(r.fields[5].value, "https://station.example/cut7");
  EXPECT_EQ(r.fields[6].key, "cart.TagText");
  EXPECT_EQ(r.fields[6].value, "tag text");
}

TEST(RiffWalkerTest, ListInfoId3C2paAndUnknownChunks) {
  const Bytes info = cat({str("INFO"), chunk("IART", str(std::string_view("Jane Doe\0", 9))), chunk("INAM", str("Odd")),
                          chunk("ICMT", str("Caf\xE9")), chunk("ISFT", str("Lavf59.27.100")),
                          chunk("IBIN", Bytes{1, 2, 3, 0}), chunk("IEMP", Bytes{0, 0})});
  const Bytes id3 = cat({str("ID3"), Bytes{3, 0, 0}, Bytes{0, 0, 0, 15}, str("TIT2"), Bytes{0, 0, 0, 5, 0, 0},
                         Bytes{0}, str("Tune")});
  const Bytes file = wave(cat({
      fmt_chunk(), chunk("JUNK", Bytes(28, 0)), chunk("LIST", info), chunk("LIST", cat({str("adtl"), Bytes(12, 1)})),
      chunk("C2PA", Bytes(77, 0x11)), chunk("id3 ", id3), chunk("XYZW", str("hello reviewer")),
      chunk("umid", Bytes{0x06, 0x0A, 0x2B, 0x34}), chunk("fact", le32(5)), chunk("data", Bytes(3, 0)),
  }));
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 9u);
  EXPECT_EQ(r.fields[0].key, "IART");
  EXPECT_EQ(r.fields[0].value, "Jane Doe");
  EXPECT_EQ(r.fields[0].source, "riff LIST/INFO");
  EXPECT_EQ(r.fields[1].key, "INAM");
  EXPECT_EQ(r.fields[1].value, "Odd");
  EXPECT_EQ(r.fields[2].key, "ICMT");
  EXPECT_EQ(r.fields[2].value, "Caf\xC3\xA9");
  EXPECT_EQ(r.fields[3].key, "ISFT");
  EXPECT_EQ(r.fields[4].key, "IBIN");
  EXPECT_EQ(r.fields[4].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[4].value, "4 bytes: 01020300");
  EXPECT_EQ(r.fields[5].key, "c2pa");
  EXPECT_EQ(r.fields[5].kind, FieldKind::kPresence);
  EXPECT_EQ(r.fields[5].blob_size_bytes, 77u);
  EXPECT_EQ(r.fields[5].source, "riff C2PA");
  EXPECT_EQ(r.fields[6].key, "TIT2");
  EXPECT_EQ(r.fields[6].value, "Tune");
  EXPECT_EQ(r.fields[6].source, "riff id3");
  EXPECT_EQ(r.fields[7].key, "XYZW");
  EXPECT_EQ(r.fields[7].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[7].value, "14 bytes: \"hello reviewer\"");
  EXPECT_EQ(r.fields[8].key, "umid");
  EXPECT_EQ(r.fields[8].value, "4 bytes: 060a2b34");
  // The id3 field's offset points at the frame in the file.
  const std::size_t id3_chunk = std::search(file.begin(), file.end(), id3.begin(), id3.end()) - file.begin();
  EXPECT_EQ(r.fields[6].offset_bytes, id3_chunk + 10);
}

TEST(RiffWalkerTest, OddSizedChunksArePadded) {
  const Bytes file = wave(cat({chunk("iXML", str("<A><B>x</B></A>")), chunk("LIST", cat({str("INFO"), chunk("INAM", str("t"))}))}));
  ASSERT_EQ(str("<A><B>x</B></A>").size() % 2, 1u);
  const WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_NE(find(r, "INAM"), nullptr);
  EXPECT_EQ(find(r, "INAM")->value, "t");
}

TEST(RiffWalkerTest, Rf64WithDs64) {
  const Bytes info = chunk("LIST", cat({str("INFO"), chunk("IART", str("After data"))}));
  const std::uint64_t data_size = 6;
  const Bytes ds64 = chunk("ds64", cat({le64(0), le64(data_size), le64(3), le32(1), str("big "), le64(4)}));
  Bytes body = cat({ds64, fmt_chunk(), chunk_with_size("data", 0xFFFFFFFF, Bytes(data_size, 0)),
                    chunk_with_size("big ", 0xFFFFFFFF, str("abcd")), info});
  // Patch the RIFF size in ds64 now that the length is known.
  const Bytes riff_size = le64(body.size() + 4);
  std::copy(riff_size.begin(), riff_size.end(), body.begin() + 8);
  for (const char* magic : {"RF64", "BW64"}) {
    const Bytes file = cat({str(magic), le32(0xFFFFFFFF), str("WAVE"), body});
    const WalkResult r = walk_bytes(file);
    EXPECT_TRUE(r.issues.empty()) << magic << ": " << issues_text(r);
    ASSERT_EQ(r.fields.size(), 2u) << magic;
    EXPECT_EQ(r.fields[0].key, "big ");
    EXPECT_EQ(r.fields[0].value, "4 bytes: \"abcd\"");
    EXPECT_EQ(r.fields[1].key, "IART");
    EXPECT_EQ(r.fields[1].value, "After data");
    TempFile f(file);
    auto reader = core::FileReader::open(f.path());
    ASSERT_TRUE(reader.is_ok());
    EXPECT_EQ(walk_container(*reader, 1u << 20).fields.size(), 2u) << magic;
  }
}

TEST(RiffWalkerTest, Rf64WithBogusDs64) {
  const Bytes tail = cat({chunk_with_size("data", 0xFFFFFFFF, Bytes(8, 0)), chunk("LIST", cat({str("INFO"), chunk("INAM", str("x"))}))});
  // No ds64 at all: the data size is unknown, the walk stops there.
  WalkResult r = walk_bytes(cat({str("RF64"), le32(0xFFFFFFFF), str("WAVE"), fmt_chunk(), tail}));
  EXPECT_TRUE(r.fields.empty());
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("ds64"), std::string::npos);
  // ds64 shorter than its fixed part.
  r = walk_bytes(cat({str("RF64"), le32(0xFFFFFFFF), str("WAVE"), chunk("ds64", Bytes(8, 0)), tail}));
  EXPECT_TRUE(r.fields.empty());
  EXPECT_EQ(r.issues.size(), 2u) << issues_text(r);
  // ds64 claiming a data size far beyond the file, and a huge table count.
  r = walk_bytes(cat({str("RF64"), le32(0xFFFFFFFF), str("WAVE"),
                      chunk("ds64", cat({le64(1ull << 40), le64(1ull << 40), le64(0), le32(0xFFFFFFFF)})), tail}));
  EXPECT_TRUE(r.fields.empty());
  ASSERT_EQ(r.issues.size(), 3u) << issues_text(r);
  EXPECT_TRUE(r.issues[1].truncated);  // RIFF size
  EXPECT_TRUE(r.issues[2].truncated);  // data size
  EXPECT_NE(r.issues[2].message.find("'data'"), std::string::npos);
  EXPECT_NE(r.issues[2].message.find(std::to_string(1ull << 40)), std::string::npos);
}

TEST(RiffWalkerTest, LyingSizes) {
  // A chunk claiming more than the file holds.
  const Bytes file = wave(cat({chunk("LIST", cat({str("INFO"), chunk("INAM", str("before"))})),
                               chunk_with_size("LIST", 1000000, cat({str("INFO"), chunk("IART", str("lost"))}))}));
  WalkResult r = walk_bytes(file);
  ASSERT_EQ(r.fields.size(), 1u);
  EXPECT_EQ(r.fields[0].value, "before");
  ASSERT_GE(r.issues.size(), 1u);
  const WalkIssue& last = r.issues.back();
  EXPECT_TRUE(last.truncated);
  EXPECT_NE(last.message.find("'LIST'"), std::string::npos) << last.message;
  EXPECT_NE(last.message.find("1000000"), std::string::npos) << last.message;

  // An INFO item larger than its list.
  r = walk_bytes(wave(chunk("LIST", cat({str("INFO"), chunk("INAM", str("ok")), chunk_with_size("IART", 500, str("xx"))}))));
  ASSERT_EQ(r.fields.size(), 1u);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_FALSE(r.issues[0].truncated);

  // A streaming writer's sizes, never written, in a plain RIFF: the audio runs to the end of the
  // file. No sign of a cut, and no proof of a whole file either: one issue, not truncation.
  r = walk_bytes(cat({str("RIFF"), le32(0xFFFFFFFF), str("WAVE"), fmt_chunk(), chunk_with_size("data", 0xFFFFFFFF, Bytes(64, 0))}));
  ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
  EXPECT_FALSE(r.issues[0].truncated);
  EXPECT_NE(r.issues[0].message.find("whether the file is whole cannot be told"), std::string::npos);
  // A known RIFF size with a 'data' size never written says the same, once.
  r = walk_bytes(wave(cat({fmt_chunk(), chunk_with_size("data", 0xFFFFFFFF, Bytes(64, 0))})));
  ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
  EXPECT_FALSE(r.issues[0].truncated);
  // Any other chunk of 0xFFFFFFFF bytes is a lie, and the file ends before it does.
  r = walk_bytes(wave(cat({fmt_chunk(), chunk_with_size("LIST", 0xFFFFFFFF, Bytes(64, 0))})));
  ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
  EXPECT_TRUE(r.issues[0].truncated);
}

TEST(RiffWalkerTest, RiffSizeFieldsThatDisagreeWithTheFile) {
  // Size 0 (streaming writer): chunks after the declared end are still walked.
  Bytes file = cat({str("RIFF"), le32(0), str("WAVE"), chunk("LIST", cat({str("INFO"), chunk("INAM", str("found"))}))});
  WalkResult r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  ASSERT_EQ(r.fields.size(), 1u);

  // An ID3v1 trailer after the RIFF data is not a chunk and not an error.
  Bytes v1(128, 0);
  std::copy_n("TAGTitle", 8, v1.begin());
  file = cat({wave(cat({fmt_chunk(), chunk("data", Bytes(10, 0))})), v1});
  r = walk_bytes(file);
  EXPECT_TRUE(r.issues.empty()) << issues_text(r);
  EXPECT_TRUE(r.fields.empty());

  // Garbage inside the declared RIFF data.
  file = wave(cat({fmt_chunk(), Bytes{0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0}}));
  r = walk_bytes(file);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("invalid chunk id"), std::string::npos);

  // Not RIFF at all, or too short.
  r = walk_bytes(str(std::string_view("RIFX\0\0\0\0WAVE", 12)));
  EXPECT_EQ(r.issues.size(), 1u);
  r = walk_bytes(str("RIFF"));
  EXPECT_EQ(r.issues.size(), 1u);
}

TEST(RiffWalkerTest, SizeLimitSkipsLargePayloads) {
  const std::string ixml = "<BWFXML><PROJECT>" + std::string(5000, 'p') + "</PROJECT></BWFXML>";
  const WalkResult r = walk_bytes(wave(cat({chunk("iXML", str(ixml)), chunk("LIST", cat({str("INFO"), chunk("INAM", str("small"))}))})), 1000);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].key, "iXML");
  EXPECT_EQ(r.fields[0].kind, FieldKind::kBinary);
  EXPECT_EQ(r.fields[0].blob_size_bytes, ixml.size());
  EXPECT_EQ(r.fields[1].value, "small");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("limit"), std::string::npos);
}

TEST(RiffWalkerTest, ChunkCountIsBounded) {
  Bytes chunks;
  chunks.reserve(100001 * 8);
  for (int i = 0; i < 100001; ++i) {
    const Bytes c = chunk("JUNK", {});
    chunks.insert(chunks.end(), c.begin(), c.end());
  }
  const WalkResult r = walk_bytes(wave(chunks));
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("more than 100000 chunks"), std::string::npos);
}

TEST(RiffWalkerFuzzTest, MutatedFilesNeverCrashOrHang) {
  Bytes umid(32, 7);
  const Bytes seed = wave(cat({
      fmt_chunk(), chunk("bext", bext_payload(umid, "A=PCM\r\n")),
      chunk("LIST", cat({str("INFO"), chunk("IART", str("Jane")), chunk("ICMT", str("odd"))})),
      chunk("iXML", str("<BWFXML><NOTE>n</NOTE></BWFXML>")), chunk("id3 ", cat({str("ID3"), Bytes{3, 0, 0, 0, 0, 0, 15},
                                                                              str("TIT2"), Bytes{0, 0, 0, 5, 0, 0, 0},
                                                                              str("Tune")})),
      chunk("C2PA", Bytes(9, 1)), chunk("data", Bytes(40, 0)),
  }));
  std::mt19937 rng(7);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    Bytes b = seed;
    const int mutations = 1 + static_cast<int>(rng() % 6);
    for (int m = 0; m < mutations; ++m) {
      const std::size_t pos = rng() % b.size();
      switch (rng() % 4) {
        case 0:
          b[pos] = static_cast<std::uint8_t>(rng());
          break;
        case 1:
          b[pos] = (rng() % 2) ? 0xFF : 0x00;
          break;
        case 2:
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
    for (const MetaField& f : r.fields) {
      EXPECT_TRUE(walk_util::is_valid_utf8(f.value));
      EXPECT_LE(f.offset_bytes, b.size());
      EXPECT_LE(f.blob_size_bytes, b.size());
    }
  }
}

}  // namespace
}  // namespace wm::meta
