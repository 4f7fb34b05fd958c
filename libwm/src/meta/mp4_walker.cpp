// Walks ISO BMFF / QuickTime boxes and lowers the metadata ones to MetaFields.
//
// Box header:  size32 type [largesize64 when size32 == 1]   (size32 == 0: to the end of the file)
//
//   ftyp  moov ─┬─ udta ─┬─ meta ─┬─ hdlr                uuid (top level or anywhere):
//               │        │        ├─ keys (mdta)           C2PA  d8fec3d6-1b0e-483c-9297-5828877ec481
//               │        │        └─ ilst ─ ©nam ─ data    XMP   be7acfcb-97a9-42e8-9c71-999491e3afac
//               │        ├─ XMP_  (Adobe)
//               │        ├─ Xtra  (Microsoft)
//               │        └─ ©xyz, titl, loci, ...
//               ├─ meta (QuickTime mdta keys + ilst)
//               └─ trak ─┬─ udta
//                        └─ mdia ─ minf
//   mdat / free / skip / wide: skipped without reading their payload
//
// Every box is checked against the bytes that remain in its parent before anything is read:
// size < header, size 0 below the top level, or a box larger than what remains ends the walk of
// that level with a WalkIssue (truncated when it runs past the end of the file). A truncated
// container is still walked as far as the file goes, so a recording cut short inside moov keeps
// what was written. Depth (16) and box count (100000) are bounded, so a crafted file cannot
// make the walk deep or long.
// QuickTime writes `meta` without the version/flags word of the ISO full box; the walker looks
// at what follows (a known child type at bytes 4..8 means no version/flags).
// References: ISO/IEC 14496-12 (ISO BMFF) §4.2 boxes, §8.11.1 meta; Apple "QuickTime File Format
// Specification" (udta text atoms, mdta keys, ilst data types); 3GPP TS 26.244 §8 (asset boxes
// titl/auth/cprt/loci...); Adobe XMP Specification Part 3 §1.2.7 (uuid and XMP_ boxes); C2PA
// specification 2.x §A.5 (BMFF uuid box); Microsoft's Xtra atom as read by libavformat/mov.c.
// What it cannot see: fragmented files' moof/traf metadata, HEIF item properties, sample-table
// metadata tracks (timed GPS in a 'mett'/'camm' track), anything in a box after a size lie.
#include "meta/mp4_walker.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "meta/id3_walker.h"
#include "meta/walk.h"
#include "meta/xmp.h"

namespace wm::meta {

namespace {

using Bytes = std::span<const std::uint8_t>;
using walk_util::clean_text;

constexpr int kMaxDepth = 16;
constexpr std::size_t kMaxBoxes = 100000;
constexpr std::size_t kMaxKeys = 100000;
constexpr std::size_t kMaxKeysScan = 1000;     // child boxes looked at to find 'keys' in a meta
constexpr std::uint64_t kMaxNameBytes = 4096;  // freeform mean/name strings

constexpr std::array<std::uint8_t, 16> kC2paUuid{0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                                 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};
constexpr std::array<std::uint8_t, 16> kXmpUuid{0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8,
                                                0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC};

struct Box {
  std::array<std::uint8_t, 4> type{};
  std::string name;  // the type as text ("©nam")
  std::uint64_t offset = 0;
  std::uint64_t payload_offset = 0;
  std::uint64_t payload_size = 0;  // what lies inside the parent when `clamped`
  bool clamped = false;            // the box claims more bytes than its parent holds
  std::uint64_t payload_end() const { return payload_offset + payload_size; }
};

bool is(const Box& box, const char* type) { return std::memcmp(box.type.data(), type, 4) == 0; }
bool is_type(const std::uint8_t* p, const char* type) { return std::memcmp(p, type, 4) == 0; }

struct Level {
  std::string path;  // container path, "moov/udta"; empty at the top
  int depth = 0;     // 0 for top-level boxes
  const std::vector<std::string>* keys = nullptr;  // mdta keys of the enclosing meta
};

std::string source_for(const Level& level) { return level.path.empty() ? "mp4" : "mp4 " + level.path; }

std::string_view last_component(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Types that can follow the size word directly in a QuickTime-style meta (no version/flags).
bool is_meta_child_type(const std::uint8_t* p) {
  for (const char* t : {"hdlr", "keys", "ilst", "xml ", "bxml", "idat", "iinf", "iloc", "pitm", "dinf", "iprp",
                        "iref", "grpl", "ipro", "ID32", "uuid", "free", "skip"}) {
    if (is_type(p, t)) return true;
  }
  return false;
}

// udta atoms of QuickTime players and RTP hinting; settings, not anything a person wrote.
bool is_structural_udta_atom(const Box& box) {
  for (const char* t : {"hnti", "hinf", "ptv ", "WLOC", "LOOP", "SelO", "AllF", "tsel"}) {
    if (is(box, t)) return true;
  }
  return false;
}

std::string format_filetime(std::uint64_t ticks_100ns) {
  // FILETIME counts 100 ns ticks since 1601-01-01; 11644473600 s separate it from 1970.
  constexpr std::int64_t kEpochOffsetS = 11644473600;
  constexpr std::int64_t kYear10000S = 253402300800;  // 10000-01-01 in Unix seconds
  const auto seconds = static_cast<std::int64_t>(ticks_100ns / 10000000);
  if (seconds - kEpochOffsetS >= kYear10000S) return std::to_string(ticks_100ns) + " (FILETIME)";
  const std::chrono::sys_seconds t{std::chrono::seconds{seconds - kEpochOffsetS}};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// A Windows GUID (first three groups little-endian) in canonical text form.
std::string format_guid(Bytes b) {
  const std::array<std::uint8_t, 16> network{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
                                             b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
  return walk_util::uuid_string(network);
}

// A 3GPP asset string: UTF-16 when it starts with a BOM, else UTF-8; ends at its NUL.
std::string read_3gpp_string(Bytes data, std::size_t& pos) {
  const Bytes rest = data.subspan(std::min(pos, data.size()));
  if (rest.size() >= 2 && rest[0] == 0xFE && rest[1] == 0xFF) {
    std::size_t end = 2;
    while (end + 1 < rest.size() && !(rest[end] == 0 && rest[end + 1] == 0)) end += 2;
    pos += std::min(end + 2, rest.size());
    return walk_util::utf16_to_utf8(rest.subspan(2, std::min(end, rest.size()) - 2), /*big_endian=*/true);
  }
  const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
  const std::size_t end = static_cast<std::size_t>(nul - rest.begin());
  pos += std::min(end + 1, rest.size());
  return walk_util::text_from_8bit(rest.first(end));
}

double fixed_16_16(const std::uint8_t* p) {
  return static_cast<double>(static_cast<std::int32_t>(core::load_be32(p))) / 65536.0;
}

class Mp4Walker {
 public:
  Mp4Walker(core::FileReader& reader, std::uint64_t max_payload_bytes)
      : reader_(reader), max_payload_bytes_(max_payload_bytes), file_size_(reader.size_bytes()) {}

  WalkResult run() {
    const Level top;
    for_each_box(0, file_size_, top, [&](const Box& box) { handle(box, top); });
    return std::move(result_);
  }

 private:
  void issue(std::string message, bool truncated) { result_.issues.push_back({std::move(message), truncated}); }

  bool read(std::uint64_t offset, std::uint64_t length, std::vector<std::uint8_t>& out) {
    if (Status s = reader_.read_at(offset, static_cast<std::size_t>(length), out); !s.is_ok()) {
      issue("cannot read at offset " + std::to_string(offset) + ": " + s.message(), false);
      stopped_ = true;
      return false;
    }
    return true;
  }

  MetaField& add(const Level& level, std::string key, FieldKind kind, std::string value, std::uint64_t offset) {
    MetaField f;
    f.source = source_for(level);
    f.key = std::move(key);
    f.kind = kind;
    f.value = std::move(value);
    f.offset_bytes = offset;
    result_.fields.push_back(std::move(f));
    return result_.fields.back();
  }

  // Loads box.payload[skip..]; an oversized payload becomes an issue and a binary field under
  // `key`, so the reviewer still learns it exists.
  bool load(const Box& box, std::uint64_t skip, const Level& level, const std::string& key,
            std::vector<std::uint8_t>& out) {
    const std::uint64_t size = box.payload_size - std::min(skip, box.payload_size);
    if (size > max_payload_bytes_) {
      issue("box '" + box.name + "' at offset " + std::to_string(box.offset) + " holds " + std::to_string(size) +
                " bytes, over the " + std::to_string(max_payload_bytes_) + "-byte limit; not read",
            false);
      add(level, key, FieldKind::kBinary, std::to_string(size) + " bytes, not read (over the size limit)",
          box.payload_offset + skip)
          .blob_size_bytes = size;
      return false;
    }
    return read(box.payload_offset + skip, size, out);
  }

  template <class OnBox>
  void for_each_box(std::uint64_t begin, std::uint64_t end, const Level& level, OnBox&& on_box) {
    const std::string where = level.path.empty() ? "the file" : "'" + level.path + "'";
    std::vector<std::uint8_t> h;
    std::uint64_t pos = begin;
    while (pos < end && !stopped_) {
      const std::uint64_t remaining = end - pos;
      if (remaining < 8) {
        // QuickTime ends some atom lists with a 32-bit zero; anything else is worth a note.
        if (!read(pos, remaining, h)) return;
        if (std::any_of(h.begin(), h.end(), [](std::uint8_t c) { return c != 0; })) {
          issue(std::to_string(remaining) + " stray bytes at offset " + std::to_string(pos) + " in " + where, false);
        }
        return;
      }
      if (!read(pos, std::min<std::uint64_t>(remaining, 16), h)) return;
      if (h.size() < 8) {
        issue("file ended inside the box header at offset " + std::to_string(pos), true);
        return;
      }
      Box box;
      std::copy_n(h.begin() + 4, 4, box.type.begin());
      box.name = walk_util::fourcc_string(box.type.data());
      box.offset = pos;
      const std::uint32_t size32 = core::load_be32(h.data());
      std::uint64_t size = size32;
      std::uint64_t header = 8;
      if (size32 == 1) {
        if (h.size() < 16) {
          issue("box '" + box.name + "' at offset " + std::to_string(pos) + " has a 64-bit size but only " +
                    std::to_string(remaining) + " bytes remain in " + where,
                end == file_size_);
          return;
        }
        size = core::load_be64(h.data() + 8);
        header = 16;
      } else if (size32 == 0) {
        if (level.depth != 0) {
          issue("box '" + box.name + "' at offset " + std::to_string(pos) + " has size 0 inside " + where +
                    " (allowed only at the top level)",
                false);
          return;
        }
        size = remaining;
      }
      if (size < header) {
        issue("box '" + box.name + "' at offset " + std::to_string(pos) + " has invalid size " + std::to_string(size),
              false);
        return;
      }
      if (++box_count_ > kMaxBoxes) {
        issue("more than " + std::to_string(kMaxBoxes) + " boxes; rest of the file not walked", false);
        stopped_ = true;
        return;
      }
      box.payload_offset = pos + header;
      if (size > remaining) {
        issue("box '" + box.name + "' at offset " + std::to_string(pos) + " claims " + std::to_string(size) +
                  " bytes but only " + std::to_string(remaining) + " remain in " + where,
              size > file_size_ - pos);
        box.payload_size = remaining - header;
        box.clamped = true;
        on_box(box);
        return;
      }
      box.payload_size = size - header;
      on_box(box);
      pos += size;
    }
  }

  Level child_level(const Box& box, const Level& level, const std::vector<std::string>* keys) const {
    return Level{level.path.empty() ? box.name : level.path + "/" + box.name, level.depth + 1, keys};
  }

  bool depth_allows_children(const Box& box, const Level& level) {
    if (level.depth + 1 < kMaxDepth) return true;
    issue("boxes nested deeper than " + std::to_string(kMaxDepth) + " levels at offset " + std::to_string(box.offset) +
              "; not walked",
          false);
    return false;
  }

  void descend(const Box& box, const Level& level, std::uint64_t skip, const std::vector<std::string>* keys) {
    if (!depth_allows_children(box, level) || skip > box.payload_size) return;
    const Level child = child_level(box, level, keys);
    for_each_box(box.payload_offset + skip, box.payload_end(), child, [&](const Box& b) { handle(b, child); });
  }

  void handle(const Box& box, const Level& level) {
    if (is(box, "mdat") || is(box, "free") || is(box, "skip") || is(box, "wide")) return;
    if (is(box, "uuid")) return handle_uuid(box, level);
    if (is(box, "moov") || is(box, "trak") || is(box, "mdia") || is(box, "minf") || is(box, "udta")) {
      return descend(box, level, 0, nullptr);
    }
    if (is(box, "meta")) return handle_meta(box, level);
    if (is(box, "ilst")) return handle_ilst(box, level);
    const std::string_view parent = last_component(level.path);
    if (parent == "udta") return handle_udta_child(box, level);
    if (parent == "meta" && is(box, "ID32")) return handle_id32(box, level);
  }

  // ---- uuid ---------------------------------------------------------------------------------

  void handle_uuid(const Box& box, const Level& level) {
    std::vector<std::uint8_t> id;
    if (box.payload_size < 16) {
      if (!box.clamped) issue("uuid box at offset " + std::to_string(box.offset) + " is too short for its uuid", false);
      return;
    }
    if (!read(box.payload_offset, 16, id) || id.size() < 16) return;
    const std::string uuid = walk_util::uuid_string(std::span<const std::uint8_t, 16>(id.data(), 16));
    const Box content{box.type, box.name, box.offset, box.payload_offset + 16, box.payload_size - 16, box.clamped};
    if (std::equal(id.begin(), id.end(), kC2paUuid.begin())) {
      // Presence is the finding, so it is reported even when the box is cut short.
      MetaField& f = add(level, "c2pa", FieldKind::kPresence,
                         "C2PA manifest store (uuid box), " + std::to_string(content.payload_size) + " bytes" +
                             (box.clamped ? ", cut short" : ""),
                         content.payload_offset);
      f.blob_size_bytes = content.payload_size;
      f.owner = uuid;
      return;
    }
    if (box.clamped) return;
    if (std::equal(id.begin(), id.end(), kXmpUuid.begin())) {
      add_xmp(content, level, uuid);
      return;
    }
    std::vector<std::uint8_t> head;
    if (!read(content.payload_offset, std::min<std::uint64_t>(content.payload_size, 16), head)) return;
    MetaField& f = add(level, "uuid", FieldKind::kBinary, walk_util::describe_blob(head, content.payload_size),
                       content.payload_offset);
    f.blob_size_bytes = content.payload_size;
    f.owner = uuid;
  }

  void add_xmp(const Box& box, const Level& level, const std::string& owner) {
    std::vector<std::uint8_t> data;
    if (!load(box, 0, level, "xmp", data)) return;
    const std::string_view packet = walk_util::as_chars(data);
    MetaField& f = add(level, "xmp", FieldKind::kXml, walk_util::clean_xml(packet), box.payload_offset);
    f.blob_size_bytes = data.size();
    f.owner = owner;
    for (MetaField& p : parse_xmp_properties(packet, source_for(level))) {
      p.offset_bytes = box.payload_offset;
      result_.fields.push_back(std::move(p));
    }
  }

  // ---- meta / keys / ilst -------------------------------------------------------------------

  void handle_meta(const Box& box, const Level& level) {
    std::vector<std::uint8_t> head;
    if (!read(box.payload_offset, std::min<std::uint64_t>(box.payload_size, 8), head)) return;
    // ISO meta is a full box (4 bytes version/flags); QuickTime's is not.
    std::uint64_t skip = 0;
    if (!(head.size() >= 8 && is_meta_child_type(head.data() + 4)) && head.size() >= 4) skip = 4;
    std::vector<std::string> keys = find_keys(box.payload_offset + skip, box.payload_end());
    descend(box, level, skip, &keys);
  }

  std::vector<std::string> find_keys(std::uint64_t begin, std::uint64_t end) {
    std::vector<std::string> keys;
    std::vector<std::uint8_t> h;
    std::uint64_t pos = begin;
    for (std::size_t n = 0; n < kMaxKeysScan && pos < end && end - pos >= 8; ++n) {
      if (!read(pos, std::min<std::uint64_t>(end - pos, 16), h) || h.size() < 8) break;
      std::uint64_t size = core::load_be32(h.data());
      std::uint64_t header = 8;
      if (size == 1 && h.size() >= 16) {
        size = core::load_be64(h.data() + 8);
        header = 16;
      }
      if (size < header || size > end - pos) break;  // the main walk reports it
      if (is_type(h.data() + 4, "keys")) {
        parse_keys(pos + header, size - header, keys);
        break;
      }
      pos += size;
    }
    return keys;
  }

  void parse_keys(std::uint64_t payload, std::uint64_t size, std::vector<std::string>& keys) {
    if (size > max_payload_bytes_) {
      issue("'keys' box at offset " + std::to_string(payload) + " is over the size limit; not read", false);
      return;
    }
    std::vector<std::uint8_t> d;
    if (!read(payload, size, d) || d.size() < 8) return;
    const std::uint32_t count = core::load_be32(d.data() + 4);
    std::size_t pos = 8;
    for (std::uint32_t i = 0; i < count && pos + 8 <= d.size() && keys.size() < kMaxKeys; ++i) {
      const std::uint32_t key_size = core::load_be32(d.data() + pos);
      if (key_size < 8 || key_size > d.size() - pos) {
        issue("'keys' entry " + std::to_string(i + 1) + " at offset " + std::to_string(payload + pos) +
                  " has invalid size " + std::to_string(key_size),
              false);
        return;
      }
      keys.push_back(clean_text(walk_util::text_from_8bit(Bytes(d).subspan(pos + 8, key_size - 8))));
      pos += key_size;
    }
  }

  void handle_ilst(const Box& box, const Level& level) {
    if (!depth_allows_children(box, level)) return;
    const Level child = child_level(box, level, level.keys);
    for_each_box(box.payload_offset, box.payload_end(), child, [&](const Box& item) { handle_item(item, child); });
  }

  // An ilst item (or an iTunes-style ©xxx in udta): children mean/name/data.
  void handle_item(const Box& item, const Level& level) {
    if (item.clamped || !depth_allows_children(item, level)) return;
    std::string key = item.name;
    if (level.keys != nullptr && !level.keys->empty()) {
      const std::uint32_t index = core::load_be32(item.type.data());
      if (index >= 1 && index <= level.keys->size()) key = (*level.keys)[index - 1];
    }
    const bool freeform = is(item, "----");
    std::string mean, name;
    const Level inner = child_level(item, level, nullptr);
    for_each_box(item.payload_offset, item.payload_end(), inner, [&](const Box& b) {
      if (b.clamped) return;
      if ((is(b, "mean") || is(b, "name")) && b.payload_size > 4 && b.payload_size <= kMaxNameBytes) {
        std::vector<std::uint8_t> d;
        if (!read(b.payload_offset + 4, b.payload_size - 4, d)) return;  // after version/flags
        (is(b, "mean") ? mean : name) = clean_text(walk_util::text_from_8bit(d));
      } else if (is(b, "data")) {
        const std::string field_key = freeform ? (name.empty() ? "----" : name) : key;
        handle_data(b, level, field_key, freeform ? mean : std::string());
      }
    });
  }

  void handle_data(const Box& b, const Level& level, const std::string& key, const std::string& owner) {
    if (b.payload_size < 8) return;
    std::vector<std::uint8_t> head;
    if (!read(b.payload_offset, 8, head) || head.size() < 8) return;
    const std::uint32_t type = core::load_be32(head.data()) & 0x00FFFFFF;  // well-known type
    const Box value{b.type, b.name, b.offset, b.payload_offset + 8, b.payload_size - 8, false};
    if (type == 13 || type == 14 || type == 27) {
      const char* mime = type == 13 ? "image/jpeg" : type == 14 ? "image/png" : "image/bmp";
      MetaField& f = add(level, key, FieldKind::kBinary,
                         std::string(mime) + " image, " + std::to_string(value.payload_size) + " bytes",
                         value.payload_offset);
      f.media_type = mime;
      f.owner = owner;
      f.blob_size_bytes = value.payload_size;
      return;
    }
    std::vector<std::uint8_t> d;
    if (!load(value, 0, level, key, d)) return;
    std::string text;
    bool binary = false;
    switch (type) {
      case 1:  // UTF-8
      case 4:  // UTF-8 sort key
        text = std::string(walk_util::as_chars(d));
        break;
      case 2:  // UTF-16BE
      case 5:
        text = walk_util::utf16_to_utf8(d, /*big_endian=*/true);
        break;
      case 3:  // Shift-JIS: kept as bytes when they are not UTF-8
        text = walk_util::text_from_8bit(d);
        break;
      case 21: case 22: case 65: case 66: case 67: case 74: case 75: case 76: case 77: case 78: {
        const bool is_signed = type == 21 || (type >= 65 && type <= 74);
        if (d.empty() || d.size() > 8 || d.size() == 5 || d.size() == 6 || d.size() == 7) {
          binary = true;
          break;
        }
        std::uint64_t v = 0;
        for (const std::uint8_t c : d) v = (v << 8) | c;
        if (is_signed && d.size() < 8 && (d[0] & 0x80)) v |= ~std::uint64_t{0} << (8 * d.size());
        text = is_signed ? std::to_string(static_cast<std::int64_t>(v)) : std::to_string(v);
        break;
      }
      case 23:  // float32 BE
      case 24: {  // float64 BE
        char buf[40];
        if (type == 23 && d.size() == 4) {
          const std::uint32_t bits = core::load_be32(d.data());
          float f;
          std::memcpy(&f, &bits, 4);
          std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
        } else if (type == 24 && d.size() == 8) {
          const std::uint64_t bits = core::load_be64(d.data());
          double f;
          std::memcpy(&f, &bits, 8);
          std::snprintf(buf, sizeof buf, "%.17g", f);
        } else {
          binary = true;
          break;
        }
        text = buf;
        break;
      }
      default:  // 0 = implicit (trkn, disk, ...) and types we do not know
        if (walk_util::looks_printable(d)) {
          text = std::string(walk_util::as_chars(d));
        } else {
          binary = true;
        }
        break;
    }
    if (binary) {
      MetaField& f = add(level, key, FieldKind::kBinary, walk_util::describe_blob(d, d.size()), value.payload_offset);
      f.owner = owner;
      f.blob_size_bytes = d.size();
      return;
    }
    text = clean_text(text);
    if (text.empty()) return;
    add(level, key, FieldKind::kText, std::move(text), value.payload_offset).owner = owner;
  }

  void handle_id32(const Box& box, const Level& level) {
    // ID32: version/flags(4), pad + ISO-639 language(2), then a complete ID3v2 tag.
    constexpr std::uint64_t kPrefixBytes = 6;
    if (box.clamped || box.payload_size <= kPrefixBytes) return;
    std::vector<std::uint8_t> d;
    if (!load(box, kPrefixBytes, level, "ID32", d)) return;
    WalkResult tag = parse_id3v2_tag(d, source_for(level) + "/ID32", box.payload_offset + kPrefixBytes);
    for (MetaField& f : tag.fields) result_.fields.push_back(std::move(f));
    for (WalkIssue& i : tag.issues) result_.issues.push_back(std::move(i));
  }

  // ---- udta children ------------------------------------------------------------------------

  void handle_udta_child(const Box& box, const Level& level) {
    if (box.clamped || is_structural_udta_atom(box)) return;
    if (is(box, "XMP_")) return add_xmp(box, level, "");
    if (box.type[0] == 0xA9) {
      // iTunes-style writers put a data box here instead of QuickTime's text list.
      std::vector<std::uint8_t> head;
      if (!read(box.payload_offset, std::min<std::uint64_t>(box.payload_size, 8), head)) return;
      if (head.size() == 8 && is_type(head.data() + 4, "data")) return handle_item(box, level);
    }
    std::vector<std::uint8_t> d;
    if (!load(box, 0, level, box.name, d)) return;
    if (is(box, "Xtra")) return parse_xtra(d, box.payload_offset, level);
    if (box.type[0] == 0xA9) {
      if (std::optional<std::string> text = quicktime_text(d)) {
        if (!text->empty()) add(level, box.name, FieldKind::kText, std::move(*text), box.payload_offset);
        return;
      }
    }
    for (const char* t : {"titl", "dscp", "cprt", "perf", "auth", "gnre", "albm", "kywd", "loci", "yrrc"}) {
      if (is(box, t)) return parse_3gpp_asset(box, d, level);
    }
    add_generic(box, d, level);
  }

  void add_generic(const Box& box, const std::vector<std::uint8_t>& d, const Level& level) {
    if (d.empty()) return;
    if (walk_util::looks_printable(d)) {
      std::string text = clean_text(walk_util::as_chars(d));
      if (!text.empty()) add(level, box.name, FieldKind::kText, std::move(text), box.payload_offset);
      return;
    }
    add(level, box.name, FieldKind::kBinary, walk_util::describe_blob(d, d.size()), box.payload_offset)
        .blob_size_bytes = d.size();
  }

  // QuickTime international text: entries of [u16 text size][u16 language][text]. Language
  // codes below 0x400 are Macintosh codes whose text is in a Mac encoding (Mac Roman for the
  // Western ones, which are the ones we meet); packed ISO-639 codes mean UTF-8 or UTF-16.
  // Returns nullopt when the payload is not in this form.
  static std::optional<std::string> quicktime_text(Bytes d) {
    std::string out;
    std::size_t pos = 0;
    if (d.size() < 4) return std::nullopt;
    while (pos + 4 <= d.size()) {
      const std::size_t length = core::load_be16(d.data() + pos);
      const std::uint16_t language = core::load_be16(d.data() + pos + 2);
      if (length > d.size() - pos - 4) {
        if (pos == 0) return std::nullopt;
        break;
      }
      const Bytes raw = d.subspan(pos + 4, length);
      std::string text;
      if (language < 0x400) {
        const auto nul = std::find(raw.begin(), raw.end(), std::uint8_t{0});
        const Bytes body = raw.first(static_cast<std::size_t>(nul - raw.begin()));
        text = walk_util::is_valid_utf8(walk_util::as_chars(body)) ? std::string(walk_util::as_chars(body))
                                                                     : walk_util::mac_roman_to_utf8(body);
      } else if (raw.size() >= 2 && raw[0] == 0xFE && raw[1] == 0xFF) {
        text = walk_util::utf16_to_utf8(raw.subspan(2), /*big_endian=*/true);
      } else {
        text = walk_util::text_from_8bit(raw);
      }
      text = clean_text(text);
      if (!text.empty() && out.find(text) == std::string::npos && out.size() < walk_util::kMaxTextValueBytes) {
        if (!out.empty()) out += "; ";
        out += text;
      }
      pos += 4 + length;
    }
    return out;
  }

  void parse_3gpp_asset(const Box& box, const std::vector<std::uint8_t>& d, const Level& level) {
    // Full box (4) + language (2) before the value, except yrrc which is a bare year.
    if (d.size() < 6) return add_generic(box, d, level);
    std::size_t pos = 6;
    std::string value, owner;
    if (is(box, "yrrc")) {
      value = std::to_string(core::load_be16(d.data() + 4));
    } else if (is(box, "kywd")) {
      const std::size_t count = d[6];
      pos = 7;
      for (std::size_t i = 0; i < count && pos < d.size(); ++i) {
        const std::size_t length = d[pos];
        if (length > d.size() - pos - 1) break;
        std::size_t p = 0;
        const std::string keyword = clean_text(read_3gpp_string(Bytes(d).subspan(pos + 1, length), p));
        if (!keyword.empty()) value += (value.empty() ? "" : "; ") + keyword;
        pos += 1 + length;
      }
    } else if (is(box, "loci")) {
      owner = clean_text(read_3gpp_string(d, pos));
      if (d.size() < pos + 13) return add_generic(box, d, level);
      const double longitude = fixed_16_16(d.data() + pos + 1);
      const double latitude = fixed_16_16(d.data() + pos + 5);
      const double altitude = fixed_16_16(d.data() + pos + 9);
      char buf[96];
      std::snprintf(buf, sizeof buf, "%+08.4f%+09.4f%+08.3f/", latitude, longitude, altitude);
      value = buf;
    } else {
      value = clean_text(read_3gpp_string(d, pos));
    }
    if (value.empty()) return;
    add(level, box.name, FieldKind::kText, std::move(value), box.payload_offset).owner = owner;
  }

  // Microsoft Xtra: entries of [u32 size][u32 name length][name][u32 value count] followed by
  // values [u32 size][u16 type][data]; sizes big-endian, data little-endian.
  void parse_xtra(Bytes d, std::uint64_t payload, const Level& level) {
    std::size_t pos = 0;
    while (pos + 12 <= d.size()) {
      const std::uint64_t entry_size = core::load_be32(d.data() + pos);
      const std::uint64_t name_length = core::load_be32(d.data() + pos + 4);
      if (entry_size < 12 || entry_size > d.size() - pos || name_length > entry_size - 12) {
        issue("Xtra entry at offset " + std::to_string(payload + pos) + " has inconsistent sizes; rest not read",
              false);
        return;
      }
      const std::size_t entry_end = pos + static_cast<std::size_t>(entry_size);
      const std::string name =
          clean_text(walk_util::text_from_8bit(d.subspan(pos + 8, static_cast<std::size_t>(name_length))));
      const std::size_t count_pos = pos + 8 + static_cast<std::size_t>(name_length);
      const std::uint32_t count = core::load_be32(d.data() + count_pos);
      std::size_t p = count_pos + 4;
      for (std::uint32_t i = 0; i < count && p + 6 <= entry_end; ++i) {
        const std::uint64_t value_size = core::load_be32(d.data() + p);
        if (value_size < 6 || value_size > entry_end - p) {
          issue("Xtra value of '" + name + "' at offset " + std::to_string(payload + p) + " has invalid size " +
                    std::to_string(value_size),
                false);
          break;
        }
        const std::uint16_t type = core::load_be16(d.data() + p + 4);
        const Bytes value = d.subspan(p + 6, static_cast<std::size_t>(value_size - 6));
        add_xtra_value("Xtra." + name, type, value, payload + p, level);
        p += static_cast<std::size_t>(value_size);
      }
      pos = entry_end;
    }
  }

  void add_xtra_value(const std::string& key, std::uint16_t type, Bytes value, std::uint64_t offset,
                      const Level& level) {
    std::string text;
    if (type == 8) {
      text = clean_text(walk_util::utf16_to_utf8(value, /*big_endian=*/false));
    } else if (type == 19 && value.size() == 8) {
      text = std::to_string(core::load_le64(value.data()));
    } else if (type == 21 && value.size() == 8) {
      text = format_filetime(core::load_le64(value.data()));
    } else if (type == 6 && value.size() == 16) {
      text = format_guid(value);
    } else {
      add(level, key, FieldKind::kBinary, walk_util::describe_blob(value, value.size()), offset).blob_size_bytes =
          value.size();
      return;
    }
    if (!text.empty()) add(level, key, FieldKind::kText, std::move(text), offset);
  }

  core::FileReader& reader_;
  std::uint64_t max_payload_bytes_;
  std::uint64_t file_size_;
  WalkResult result_;
  std::size_t box_count_ = 0;
  bool stopped_ = false;
};

}  // namespace

WalkResult walk_mp4(core::FileReader& reader, std::uint64_t max_payload_bytes) {
  return Mp4Walker(reader, max_payload_bytes).run();
}

}  // namespace wm::meta
