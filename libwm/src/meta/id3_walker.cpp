// Parses ID3v2.2/2.3/2.4 tags and the ID3v1 trailer into MetaFields.
//
// Layout of a v2 tag:
//
//   "ID3" major rev flags size(4 × 7 bits, "syncsafe")   ← 10-byte header
//   [extended header]                                    ← skipped
//   frame: id(4) size(4) flags(2) data                   ← v2.3/v2.4 (v2.2: id(3) size(3))
//   frame ...
//   padding (zero bytes)                                 ← ends the frame list
//   [footer "3DI" ...]                                   ← v2.4 only
//
// Unsynchronisation (inserting 0x00 after every 0xFF) is undone for the whole tag in v2.3 and
// per frame in v2.4 (frame flag, or the tag flag that says all frames carry it). v2.4 frame
// sizes are syncsafe, but iTunes wrote plain 32-bit sizes for years: when the syncsafe reading
// does not land on a frame boundary and the plain reading does, the plain one is used.
// Text is converted to UTF-8 from ISO-8859-1 (or UTF-8 that a writer mislabelled as Latin-1,
// which is common and unambiguous in practice), UTF-16 with BOM, UTF-16BE and UTF-8.
// A PRIV frame owned by "XMP" (Adobe's way to put XMP into MP3) is also parsed as XMP.
// References: id3.org "ID3 tag version 2" (2.2), "ID3 tag version 2.3.0", "ID3 tag version
// 2.4.0 - Main Structure" and "- Native Frames"; ID3v1/v1.1 layout as documented on id3.org.
// What it cannot see: compressed (zlib) or encrypted frames are reported as opaque blobs;
// tags appended at the end of a file (v2.4 footer / "3DI" search) and Lyrics3 and APE tags are
// not looked for; the "TAG+" extended ID3v1 block is ignored.
#include "meta/id3_walker.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "meta/walk.h"
#include "meta/xmp.h"

namespace wm::meta {

namespace {

using Bytes = std::span<const std::uint8_t>;
using walk_util::clean_text;

constexpr std::size_t kId3HeaderBytes = 10;
constexpr std::size_t kMaxTagsInARow = 8;  // some taggers stack tags; more is not plausible

bool is_syncsafe(const std::uint8_t* p) { return ((p[0] | p[1] | p[2] | p[3]) & 0x80) == 0; }

std::uint32_t load_syncsafe32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 21) | (std::uint32_t{p[1]} << 14) | (std::uint32_t{p[2]} << 7) | p[3];
}

std::vector<std::uint8_t> remove_unsynchronisation(Bytes in) {
  std::vector<std::uint8_t> out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    out.push_back(in[i]);
    if (in[i] == 0xFF && i + 1 < in.size() && in[i + 1] == 0x00) ++i;
  }
  return out;
}

// A valid v2 header at p[0..10): "ID3", a known major version, syncsafe size.
bool is_id3v2_header(Bytes b) {
  return b.size() >= kId3HeaderBytes && std::memcmp(b.data(), "ID3", 3) == 0 && b[3] >= 2 && b[3] <= 4 &&
         b[4] != 0xFF && is_syncsafe(b.data() + 6);
}

// Header + body + footer.
std::uint64_t id3v2_total_bytes(Bytes header) {
  const bool footer = header[3] == 4 && (header[5] & 0x10) != 0;
  return kId3HeaderBytes + load_syncsafe32(header.data() + 6) + (footer ? kId3HeaderBytes : 0);
}

// ---- strings --------------------------------------------------------------------------------

// Reads strings in one of the four ID3 encodings, each ended by its terminator or the data.
class Id3StringReader {
 public:
  Id3StringReader(Bytes data, std::uint8_t encoding) : data_(data), encoding_(encoding) {}

  bool at_end() const { return pos_ >= data_.size(); }
  std::size_t position() const { return pos_; }

  std::string next() {
    const Bytes rest = data_.subspan(std::min(pos_, data_.size()));
    if (encoding_ == 1 || encoding_ == 2) {
      std::size_t end = 0;
      while (end + 1 < rest.size() && !(rest[end] == 0 && rest[end + 1] == 0)) end += 2;
      const bool terminated = end + 1 < rest.size();
      Bytes text = rest.first(std::min(end, rest.size()));
      pos_ += terminated ? end + 2 : rest.size();
      if (encoding_ == 2) return walk_util::utf16_to_utf8(text, /*big_endian=*/true);
      if (text.size() >= 2 && text[0] == 0xFE && text[1] == 0xFF) {
        big_endian_ = true;
        text = text.subspan(2);
      } else if (text.size() >= 2 && text[0] == 0xFF && text[1] == 0xFE) {
        big_endian_ = false;
        text = text.subspan(2);
      }
      return walk_util::utf16_to_utf8(text, big_endian_);
    }
    const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
    const std::size_t end = static_cast<std::size_t>(nul - rest.begin());
    pos_ += end < rest.size() ? end + 1 : rest.size();
    if (encoding_ == 3) return std::string(walk_util::as_chars(rest.first(end)));
    return walk_util::text_from_8bit(rest.first(end));  // 0 (and invalid encodings)
  }

  // All remaining strings, non-empty ones joined with "; ".
  std::string rest_joined() {
    std::string out;
    while (!at_end()) {
      const std::string s = clean_text(next());
      if (s.empty()) continue;
      if (!out.empty()) out += "; ";
      out += s;
      if (out.size() > walk_util::kMaxTextValueBytes) break;
    }
    return std::string(walk_util::truncate_utf8(out, walk_util::kMaxTextValueBytes));
  }

  Bytes remaining() const { return data_.subspan(std::min(pos_, data_.size())); }

 private:
  Bytes data_;
  std::uint8_t encoding_;
  std::size_t pos_ = 0;
  bool big_endian_ = false;  // UTF-16 without a BOM: little-endian, as Windows writers meant
};

// An ISO-8859-1 string ended by NUL (owner ids, MIME types, URLs); `consumed` includes the NUL.
std::string latin1_field(Bytes data, std::size_t& consumed) {
  const auto nul = std::find(data.begin(), data.end(), std::uint8_t{0});
  const std::size_t end = static_cast<std::size_t>(nul - data.begin());
  consumed = end < data.size() ? end + 1 : data.size();
  return walk_util::text_from_8bit(data.first(end));
}

// ---- frames ---------------------------------------------------------------------------------

struct V22Name {
  std::string_view v22;
  std::string_view v23;
};

constexpr std::array kV22Names{
    V22Name{"TT1", "TIT1"}, V22Name{"TT2", "TIT2"}, V22Name{"TT3", "TIT3"}, V22Name{"TP1", "TPE1"},
    V22Name{"TP2", "TPE2"}, V22Name{"TP3", "TPE3"}, V22Name{"TP4", "TPE4"}, V22Name{"TAL", "TALB"},
    V22Name{"TCM", "TCOM"}, V22Name{"TXT", "TEXT"}, V22Name{"TCR", "TCOP"}, V22Name{"TEN", "TENC"},
    V22Name{"TSS", "TSSE"}, V22Name{"TPB", "TPUB"}, V22Name{"TOA", "TOPE"}, V22Name{"TOL", "TOLY"},
    V22Name{"TOT", "TOAL"}, V22Name{"TCO", "TCON"}, V22Name{"TRK", "TRCK"}, V22Name{"TPA", "TPOS"},
    V22Name{"TYE", "TYER"}, V22Name{"TDA", "TDAT"}, V22Name{"TIM", "TIME"}, V22Name{"TRD", "TRDA"},
    V22Name{"TOR", "TORY"}, V22Name{"TLE", "TLEN"}, V22Name{"TRC", "TSRC"}, V22Name{"TBP", "TBPM"},
    V22Name{"TKE", "TKEY"}, V22Name{"TLA", "TLAN"}, V22Name{"TMT", "TMED"}, V22Name{"TOF", "TOFN"},
    V22Name{"TFT", "TFLT"}, V22Name{"TDY", "TDLY"}, V22Name{"TSI", "TSIZ"}, V22Name{"TCP", "TCMP"},
    V22Name{"TXX", "TXXX"}, V22Name{"COM", "COMM"}, V22Name{"ULT", "USLT"}, V22Name{"PIC", "APIC"},
    V22Name{"GEO", "GEOB"}, V22Name{"POP", "POPM"}, V22Name{"UFI", "UFID"}, V22Name{"WXX", "WXXX"},
    V22Name{"WAR", "WOAR"}, V22Name{"WAF", "WOAF"}, V22Name{"WAS", "WOAS"}, V22Name{"WCM", "WCOM"},
    V22Name{"WCP", "WCOP"}, V22Name{"WPB", "WPUB"}, V22Name{"CNT", "PCNT"}, V22Name{"SLT", "SYLT"},
    V22Name{"MCI", "MCDI"}, V22Name{"ETC", "ETCO"}, V22Name{"IPL", "IPLS"}, V22Name{"LNK", "LINK"},
    V22Name{"CRA", "AENC"}, V22Name{"CRM", "CRM"},
};

std::string frame_key(std::string_view raw_id, int major) {
  if (major != 2) return std::string(raw_id);
  for (const V22Name& n : kV22Names) {
    if (n.v22 == raw_id) return std::string(n.v23);
  }
  return std::string(raw_id);
}

bool is_frame_id(Bytes id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

std::string picture_type_name(std::uint8_t t) {
  static constexpr std::array<std::string_view, 21> kNames{
      "other", "file icon", "other file icon", "front cover", "back cover", "leaflet page", "media",
      "lead artist", "artist", "conductor", "band", "composer", "lyricist", "recording location",
      "during recording", "during performance", "video screen capture", "bright coloured fish",
      "illustration", "band logotype", "publisher logotype"};
  return t < kNames.size() ? std::string(kNames[t]) : "picture type " + std::to_string(t);
}

class TagParser {
 public:
  TagParser(std::string source, std::uint64_t base_offset_bytes, WalkResult& out)
      : source_(std::move(source)), base_(base_offset_bytes), out_(out) {}

  // `cut_by_limit`: the caller loaded fewer bytes than the tag claims on purpose (size limit),
  // so a short buffer is not a truncated file.
  void parse(Bytes tag, bool cut_by_limit) {
    if (!is_id3v2_header(tag)) {
      out_.issues.push_back({"not an ID3v2 tag header at offset " + std::to_string(base_), false});
      return;
    }
    major_ = tag[3];
    const std::uint8_t flags = tag[5];
    const std::uint64_t declared = load_syncsafe32(tag.data() + 6);
    const std::uint64_t available = tag.size() - kId3HeaderBytes;
    if (declared > available) {
      truncated_ = !cut_by_limit;
      out_.issues.push_back({"ID3v2." + std::to_string(major_) + " tag at offset " + std::to_string(base_) +
                                 " claims " + std::to_string(declared) + " bytes but only " +
                                 std::to_string(available) + (cut_by_limit ? " were read (size limit)" : " remain"),
                             truncated_});
    }
    Bytes body = tag.subspan(kId3HeaderBytes, std::min(declared, available));
    tag_unsync_ = (flags & 0x80) != 0;
    std::vector<std::uint8_t> resynced;
    if (tag_unsync_ && major_ <= 3) {
      resynced = remove_unsynchronisation(body);
      body = resynced;
    }
    if (major_ == 2 && (flags & 0x40) != 0) {
      out_.issues.push_back({"ID3v2.2 tag at offset " + std::to_string(base_) +
                                 " is marked compressed (no scheme was ever defined); not read",
                             false});
      return;
    }
    std::size_t pos = 0;
    if (major_ >= 3 && (flags & 0x40) != 0) {
      if (body.size() < 4) {
        out_.issues.push_back({"ID3v2 extended header runs past the end of the tag", truncated_});
        return;
      }
      const std::uint64_t ext =
          major_ == 3 ? std::uint64_t{core::load_be32(body.data())} + 4 : std::uint64_t{load_syncsafe32(body.data())};
      if (ext > body.size()) {
        out_.issues.push_back({"ID3v2 extended header of " + std::to_string(ext) + " bytes runs past the end of the tag",
                               truncated_});
        return;
      }
      pos = static_cast<std::size_t>(ext);
    }
    parse_frames(body, pos);
  }

 private:
  std::size_t header_bytes() const { return major_ == 2 ? 6 : 10; }

  // A frame (or the end of the frame list) may start at `pos`.
  bool plausible_boundary(Bytes body, std::size_t pos) const {
    if (pos == body.size()) return true;
    if (pos > body.size()) return false;
    if (body[pos] == 0) return true;  // padding
    return pos + 4 <= body.size() && is_frame_id(body.subspan(pos, 4));
  }

  std::uint64_t frame_size_at(Bytes body, std::size_t pos) const {
    const std::uint8_t* p = body.data() + pos;
    if (major_ == 2) return (std::uint64_t{p[3]} << 16) | (std::uint64_t{p[4]} << 8) | p[5];
    const std::uint64_t plain = core::load_be32(p + 4);
    if (major_ == 3) return plain;
    if (!is_syncsafe(p + 4)) return plain;
    const std::uint64_t syncsafe = load_syncsafe32(p + 4);
    if (syncsafe != plain && !plausible_boundary(body, pos + 10 + syncsafe) &&
        pos + 10 + plain <= body.size() && plausible_boundary(body, pos + 10 + plain)) {
      return plain;  // an iTunes-style v2.4 tag with non-syncsafe frame sizes
    }
    return syncsafe;
  }

  void parse_frames(Bytes body, std::size_t pos) {
    const std::size_t id_bytes = major_ == 2 ? 3 : 4;
    while (pos + header_bytes() <= body.size()) {
      if (body[pos] == 0) return;  // padding
      const Bytes id = body.subspan(pos, id_bytes);
      if (!is_frame_id(id)) {
        out_.issues.push_back({"invalid ID3v2 frame id at offset " + std::to_string(frame_offset(pos)) +
                                   "; rest of the tag not read",
                               false});
        return;
      }
      const std::string raw_id(walk_util::as_chars(id));
      const std::uint64_t size = frame_size_at(body, pos);
      const std::size_t data_pos = pos + header_bytes();
      const std::size_t remaining = body.size() - data_pos;
      if (size > remaining) {
        out_.issues.push_back({"ID3v2 frame '" + raw_id + "' at offset " + std::to_string(frame_offset(pos)) +
                                   " claims " + std::to_string(size) + " bytes but only " +
                                   std::to_string(remaining) + " remain in the tag",
                               truncated_});
        return;
      }
      const std::uint16_t flags = major_ == 2 ? 0 : core::load_be16(body.data() + pos + 8);
      if (size > 0) parse_frame(frame_key(raw_id, major_), flags, body.subspan(data_pos, size), frame_offset(pos));
      pos = data_pos + static_cast<std::size_t>(size);
    }
  }

  std::uint64_t frame_offset(std::size_t pos_in_body) const { return base_ + kId3HeaderBytes + pos_in_body; }

  MetaField& add(std::string key, FieldKind kind, std::string value, std::uint64_t offset) {
    MetaField f;
    f.source = source_;
    f.key = std::move(key);
    f.kind = kind;
    f.value = std::move(value);
    f.offset_bytes = offset;
    out_.fields.push_back(std::move(f));
    return out_.fields.back();
  }

  void parse_frame(const std::string& key, std::uint16_t flags, Bytes data, std::uint64_t offset) {
    bool compressed = false, encrypted = false, unsync = false;
    std::size_t extra = 0;
    if (major_ == 3) {
      compressed = (flags & 0x0080) != 0;
      encrypted = (flags & 0x0040) != 0;
      extra = (compressed ? 4 : 0) + (encrypted ? 1 : 0) + ((flags & 0x0020) ? 1 : 0);
    } else if (major_ == 4) {
      compressed = (flags & 0x0008) != 0;
      encrypted = (flags & 0x0004) != 0;
      unsync = (flags & 0x0002) != 0 || tag_unsync_;
      extra = ((flags & 0x0040) ? 1 : 0) + (encrypted ? 1 : 0) + ((flags & 0x0001) ? 4 : 0);
    }
    if (extra > data.size()) {
      out_.issues.push_back({"ID3v2 frame '" + key + "' at offset " + std::to_string(offset) +
                                 " is shorter than its flags say; skipped",
                             false});
      return;
    }
    data = data.subspan(extra);
    if (compressed || encrypted) {
      MetaField& f = add(key, FieldKind::kBinary,
                         std::string(compressed ? "compressed" : "encrypted") + " frame, " +
                             std::to_string(data.size()) + " bytes",
                         offset);
      f.blob_size_bytes = data.size();
      return;
    }
    std::vector<std::uint8_t> resynced;
    if (unsync) {
      resynced = remove_unsynchronisation(data);
      data = resynced;
    }
    if (data.empty()) return;

    if (key == "TXXX") {
      text_with_description(key, data, offset);
    } else if (key[0] == 'T') {
      Id3StringReader reader(data.subspan(1), data[0]);
      std::string value = reader.rest_joined();
      if (!value.empty()) add(key, FieldKind::kText, std::move(value), offset);
    } else if (key == "COMM" || key == "USLT") {
      if (data.size() < 4) return;
      Id3StringReader reader(data.subspan(4), data[0]);
      const std::string description = clean_text(reader.next());
      std::string value = reader.rest_joined();
      if (value.empty()) return;
      add(key, FieldKind::kText, std::move(value), offset).owner = description;
    } else if (key == "WXXX") {
      Id3StringReader reader(data.subspan(1), data[0]);
      const std::string description = clean_text(reader.next());
      std::size_t consumed = 0;
      std::string url = clean_text(latin1_field(reader.remaining(), consumed));
      if (url.empty()) return;
      add(key, FieldKind::kText, std::move(url), offset).owner = description;
    } else if (key[0] == 'W') {
      std::size_t consumed = 0;
      std::string url = clean_text(latin1_field(data, consumed));
      if (!url.empty()) add(key, FieldKind::kText, std::move(url), offset);
    } else if (key == "PRIV") {
      priv(data, offset);
    } else if (key == "GEOB") {
      geob(data, offset);
    } else if (key == "POPM") {
      popm(data, offset);
    } else if (key == "UFID") {
      std::size_t consumed = 0;
      const std::string owner = clean_text(latin1_field(data, consumed));
      const Bytes id = data.subspan(consumed);
      if (id.empty()) return;
      std::string value = walk_util::looks_printable(id) ? clean_text(walk_util::as_chars(id)) : walk_util::to_hex(id, 64);
      add(key, FieldKind::kText, std::move(value), offset).owner = owner;
    } else if (key == "APIC") {
      apic(data, offset);
    } else {
      MetaField& f = add(key, FieldKind::kBinary, walk_util::describe_blob(data, data.size()), offset);
      f.blob_size_bytes = data.size();
    }
  }

  void text_with_description(const std::string& key, Bytes data, std::uint64_t offset) {
    Id3StringReader reader(data.subspan(1), data[0]);
    const std::string description = clean_text(reader.next());
    std::string value = reader.rest_joined();
    if (value.empty()) return;
    add(key, FieldKind::kText, std::move(value), offset).owner = description;
  }

  void priv(Bytes data, std::uint64_t offset) {
    std::size_t consumed = 0;
    const std::string owner = clean_text(latin1_field(data, consumed));
    const Bytes payload = data.subspan(consumed);
    MetaField& f = add("PRIV", FieldKind::kBinary, walk_util::describe_blob(payload, payload.size()), offset);
    f.owner = owner;
    f.blob_size_bytes = payload.size();
    if (owner == "XMP") {
      const std::string_view packet = walk_util::as_chars(payload);
      if (packet.find('<') == std::string_view::npos) return;
      MetaField& xml = add("xmp", FieldKind::kXml, walk_util::clean_xml(packet), offset);
      xml.blob_size_bytes = payload.size();
      for (MetaField& p : parse_xmp_properties(packet, source_ + " PRIV XMP")) {
        p.offset_bytes = offset;
        out_.fields.push_back(std::move(p));
      }
    }
  }

  void geob(Bytes data, std::uint64_t offset) {
    std::size_t consumed = 0;
    const std::string mime = clean_text(latin1_field(data.subspan(1), consumed));
    Id3StringReader reader(data.subspan(1 + consumed), data[0]);
    const std::string filename = clean_text(reader.next());
    const std::string description = clean_text(reader.next());
    const Bytes object = reader.remaining();
    const std::string lower_mime = core::to_lower_ascii(mime);
    const bool c2pa = lower_mime == "application/c2pa" || lower_mime == "application/x-c2pa-manifest-store";
    std::string value = (filename.empty() ? std::string("(no file name)") : filename) + ", " +
                        std::to_string(object.size()) + " bytes";
    MetaField& f = add(c2pa ? "c2pa" : "GEOB", c2pa ? FieldKind::kPresence : FieldKind::kBinary, std::move(value),
                       offset);
    f.media_type = mime;
    f.owner = description;
    f.blob_size_bytes = object.size();
  }

  void popm(Bytes data, std::uint64_t offset) {
    std::size_t consumed = 0;
    const std::string email = clean_text(latin1_field(data, consumed));
    const Bytes rest = data.subspan(consumed);
    const unsigned rating = rest.empty() ? 0 : rest[0];
    std::uint64_t count = 0;
    const Bytes counter = rest.empty() ? rest : rest.subspan(1);
    // The counter grows a byte when it overflows; more than 8 bytes cannot be represented.
    for (std::size_t i = 0; i < counter.size() && i < 8; ++i) count = (count << 8) | counter[i];
    add("POPM", FieldKind::kText, "rating " + std::to_string(rating) + ", count " + std::to_string(count), offset)
        .owner = email;
  }

  void apic(Bytes data, std::uint64_t offset) {
    std::string mime;
    std::size_t pos = 1;
    if (major_ == 2) {
      if (data.size() < 5) return;
      const std::string format = core::to_lower_ascii(walk_util::as_chars(data.subspan(1, 3)));
      mime = format == "jpg" ? "image/jpeg" : "image/" + clean_text(format);
      pos = 4;
    } else {
      std::size_t consumed = 0;
      mime = clean_text(latin1_field(data.subspan(1), consumed));
      pos = 1 + consumed;
      if (mime.find('/') == std::string::npos && !mime.empty()) {
        mime = core::to_lower_ascii(mime) == "jpg" ? "image/jpeg" : "image/" + core::to_lower_ascii(mime);
      }
    }
    if (pos >= data.size()) return;
    const std::uint8_t picture_type = data[pos];
    Id3StringReader reader(data.subspan(pos + 1), data[0]);
    const std::string description = clean_text(reader.next());
    const Bytes image = reader.remaining();
    MetaField& f = add("APIC", FieldKind::kBinary,
                       picture_type_name(picture_type) + ", " + std::to_string(image.size()) + " bytes", offset);
    f.media_type = mime;
    f.owner = description;
    f.blob_size_bytes = image.size();
  }

  std::string source_;
  std::uint64_t base_;
  WalkResult& out_;
  int major_ = 0;
  bool tag_unsync_ = false;
  bool truncated_ = false;
};

void parse_id3v1(Bytes tag, std::uint64_t offset, WalkResult& out) {
  struct V1Field {
    std::string_view key;
    std::size_t pos;
    std::size_t length;
  };
  static constexpr std::array kFields{V1Field{"ID3v1.title", 3, 30}, V1Field{"ID3v1.artist", 33, 30},
                                      V1Field{"ID3v1.album", 63, 30}, V1Field{"ID3v1.year", 93, 4},
                                      V1Field{"ID3v1.comment", 97, 30}};
  for (const V1Field& spec : kFields) {
    // ID3v1 is Latin-1 by definition; many writers put their local code page there anyway.
    const std::string value = clean_text(walk_util::text_from_8bit(tag.subspan(spec.pos, spec.length)));
    if (value.empty()) continue;
    MetaField f;
    f.source = "id3v1";
    f.key = std::string(spec.key);
    f.value = value;
    f.offset_bytes = offset + spec.pos;
    out.fields.push_back(std::move(f));
  }
}

}  // namespace

WalkResult parse_id3v2_tag(std::span<const std::uint8_t> tag_bytes, const std::string& source,
                           std::uint64_t base_offset_bytes) {
  WalkResult result;
  TagParser(source, base_offset_bytes, result).parse(tag_bytes, /*cut_by_limit=*/false);
  return result;
}

WalkResult walk_id3(core::FileReader& reader, std::uint64_t max_payload_bytes) {
  WalkResult result;
  const std::uint64_t file_size = reader.size_bytes();
  std::uint64_t pos = 0;
  std::vector<std::uint8_t> buffer;
  for (std::size_t n = 0; n < kMaxTagsInARow && pos < file_size; ++n) {
    if (Status s = reader.read_at(pos, kId3HeaderBytes, buffer); !s.is_ok()) {
      result.issues.push_back({"cannot read ID3v2 header: " + s.message(), false});
      return result;
    }
    if (!is_id3v2_header(buffer)) break;
    const std::uint64_t total = id3v2_total_bytes(buffer);
    const std::uint64_t available = file_size - pos;
    bool cut_by_limit = false;
    std::uint64_t to_read = std::min(total, available);
    if (to_read > max_payload_bytes) {
      to_read = std::max<std::uint64_t>(max_payload_bytes, kId3HeaderBytes);
      cut_by_limit = true;
    }
    if (Status s = reader.read_at(pos, static_cast<std::size_t>(to_read), buffer); !s.is_ok()) {
      result.issues.push_back({"cannot read ID3v2 tag: " + s.message(), false});
      return result;
    }
    TagParser(n == 0 ? "id3v2" : "id3v2 #" + std::to_string(n + 1), pos, result).parse(buffer, cut_by_limit);
    if (total > available) {
      if (cut_by_limit) {
        result.issues.push_back({"ID3v2 tag at offset " + std::to_string(pos) + " claims " + std::to_string(total) +
                                     " bytes but only " + std::to_string(available) + " remain in the file",
                                 true});
      }
      return result;  // the file ends inside the tag; no ID3v1 either
    }
    pos += total;
  }

  // ID3v1 sits in the last 128 bytes, after any v2 tag at the start.
  constexpr std::uint64_t kId3v1Bytes = 128;
  if (file_size >= pos + kId3v1Bytes) {
    if (Status s = reader.read_at(file_size - kId3v1Bytes, kId3v1Bytes, buffer); !s.is_ok()) {
      result.issues.push_back({"cannot read ID3v1 trailer: " + s.message(), false});
      return result;
    }
    if (buffer.size() == kId3v1Bytes && std::memcmp(buffer.data(), "TAG", 3) == 0) {
      parse_id3v1(buffer, file_size - kId3v1Bytes, result);
    }
  }
  return result;
}

}  // namespace wm::meta
