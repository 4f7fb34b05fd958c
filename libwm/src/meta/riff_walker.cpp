// Walks RIFF/WAVE, RF64 and BW64 files chunk by chunk and lowers their metadata chunks.
//
// Layout:
//
//   "RIFF" size32 "WAVE"                   "RF64"/"BW64" 0xFFFFFFFF "WAVE"
//   chunk: id(4) size32(LE) payload [pad]  "ds64" riff_size64 data_size64 sample_count64
//   chunk ...                                      table_length { id(4) size64 }...
//                                          chunk: id(4) 0xFFFFFFFF → size from ds64
//
// Chunks are word-aligned: an odd-sized payload is followed by one pad byte. The RIFF size
// field is often wrong in practice (0 or 0xFFFFFFFF from streaming writers, too small from
// editors that append chunks), so the walk runs to the end of the file, but past the declared
// end only while chunk ids look like ids. A chunk claiming more bytes than the file holds is
// reported as truncated and ends the walk (the file was most likely cut short), except a plain
// RIFF's 'data' of 0xFFFFFFFF bytes, a size never written, which runs to the end of the file.
// References: Microsoft/IBM "Multimedia Programming Interface and Data Specifications 1.0"
// (RIFF, LIST INFO); EBU Tech 3285 v2 (bext, incl. loudness fields), EBU Tech 3306 (RF64) and
// ITU-R BS.2088 (BW64); iXML specification v2.10; AES46-2002 (cart); Adobe XMP Specification
// Part 3 (_PMX); C2PA specification 2.x ("C2PA" chunk).
// What it cannot see: metadata inside the audio data, chunks inside LISTs other than INFO and
// exif, RIFF forms other than WAVE beyond their top-level chunks, anything after a chunk whose
// size lies.
#include "meta/riff_walker.h"

#include <algorithm>
#include <array>
#include <cstring>
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

constexpr std::size_t kMaxChunks = 100000;
constexpr std::uint32_t kSizeInDs64 = 0xFFFFFFFF;
constexpr std::size_t kPreviewBytes = 64;

// Chunks that describe audio layout or filler; they never hold identifying text.
constexpr std::array<std::string_view, 22> kStructuralChunks{
    "fmt ", "data", "fact", "JUNK", "junk", "PAD ", "pad ", "FLLR", "filr", "ds64", "cue ",
    "plst", "smpl", "inst", "levl", "wavl", "slnt", "PEAK", "acid", "chna", "MD5 ", "idx1"};

bool is_structural(std::string_view id) {
  return std::find(kStructuralChunks.begin(), kStructuralChunks.end(), id) != kStructuralChunks.end();
}

bool looks_like_chunk_id(const std::uint8_t* p) {
  return std::all_of(p, p + 4, [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; });
}

struct Ds64Entry {
  std::string id;
  std::uint64_t size_bytes;
};

class RiffWalker {
 public:
  RiffWalker(core::FileReader& reader, std::uint64_t max_payload_bytes)
      : reader_(reader), max_payload_bytes_(max_payload_bytes), file_size_(reader.size_bytes()) {}

  WalkResult run() {
    std::vector<std::uint8_t> head;
    if (!read(0, 12, head, "RIFF header")) return std::move(result_);
    if (head.size() < 12) {
      issue("file too short for a RIFF header", true);
      return std::move(result_);
    }
    const std::string magic(walk_util::as_chars(Bytes(head).first(4)));
    if (magic != "RIFF" && magic != "RF64" && magic != "BW64") {
      issue("not a RIFF file", false);
      return std::move(result_);
    }
    is_64_ = magic != "RIFF";
    const std::uint32_t riff_size32 = core::load_le32(head.data() + 4);
    // 0xFFFFFFFF: in RF64/BW64 "see ds64"; in a plain RIFF, a size never written.
    const bool size_unknown = riff_size32 == kSizeInDs64;
    riff_end_ = size_unknown ? file_size_ : 8 + std::uint64_t{riff_size32};
    if (size_unknown && !is_64_) say_sizes_never_written();
    if (!size_unknown && riff_end_ > file_size_) {
      issue(magic + " header claims " + std::to_string(riff_size32) + " bytes but the file holds only " +
                std::to_string(file_size_ - 8) + " after it",
            true);
    }
    walk_chunks();
    return std::move(result_);
  }

 private:
  void issue(std::string message, bool truncated) { result_.issues.push_back({std::move(message), truncated}); }

  // A writer that could not seek back (ffmpeg or arecord on a pipe) leaves 0xFFFFFFFF in the
  // RIFF and 'data' sizes, and FFmpeg reads the audio to the end of the file. That is no sign of
  // a cut, but neither can a cut be seen: said once, not as truncation.
  void say_sizes_never_written() {
    if (said_sizes_never_written_) return;
    said_sizes_never_written_ = true;
    issue("the RIFF sizes were never written (0xFFFFFFFF, as a writer on a pipe leaves them): the audio runs to "
          "the end of the file, and whether the file is whole cannot be told",
          false);
  }

  bool read(std::uint64_t offset, std::size_t length, std::vector<std::uint8_t>& out, const std::string& what) {
    if (Status s = reader_.read_at(offset, length, out); !s.is_ok()) {
      issue("cannot read " + what + ": " + s.message(), false);
      return false;
    }
    return true;
  }

  // Loads a payload of `size` bytes that is known to lie inside the file. One larger than the
  // limit is not read; an issue and a binary field say it is there.
  bool load(const std::string& id, std::uint64_t offset, std::uint64_t size, std::vector<std::uint8_t>& out) {
    if (size > max_payload_bytes_) {
      issue("chunk '" + id + "' at offset " + std::to_string(offset - 8) + " is " + std::to_string(size) +
                " bytes, over the " + std::to_string(max_payload_bytes_) + "-byte limit; not read",
            false);
      add("riff", id, FieldKind::kBinary, std::to_string(size) + " bytes, not read (over the size limit)", offset)
          .blob_size_bytes = size;
      return false;
    }
    return read(offset, static_cast<std::size_t>(size), out, "chunk '" + id + "'");
  }

  MetaField& add(std::string source, std::string key, FieldKind kind, std::string value, std::uint64_t offset) {
    MetaField f;
    f.source = std::move(source);
    f.key = std::move(key);
    f.kind = kind;
    f.value = std::move(value);
    f.offset_bytes = offset;
    result_.fields.push_back(std::move(f));
    return result_.fields.back();
  }

  void add_text(const std::string& source, std::string key, Bytes raw, std::uint64_t offset) {
    std::string value = clean_text(walk_util::text_from_8bit(raw));
    if (!value.empty()) add(source, std::move(key), FieldKind::kText, std::move(value), offset);
  }

  // The size of a chunk whose 32-bit field says "see ds64"; false when ds64 does not say.
  bool size_from_ds64(const std::string& id, std::uint64_t& size) const {
    if (!have_ds64_) return false;
    if (id == "data") {
      size = ds64_data_size_;
      return true;
    }
    for (const Ds64Entry& e : ds64_table_) {
      if (e.id == id) {
        size = e.size_bytes;
        return true;
      }
    }
    return false;
  }

  void walk_chunks() {
    std::uint64_t pos = 12;
    std::vector<std::uint8_t> header;
    for (std::size_t count = 0; pos + 8 <= file_size_; ++count) {
      if (count >= kMaxChunks) {
        issue("more than " + std::to_string(kMaxChunks) + " chunks; rest of the file not walked", false);
        return;
      }
      if (!read(pos, 8, header, "chunk header") || header.size() < 8) return;
      if (!looks_like_chunk_id(header.data())) {
        // Past the declared RIFF end this is trailing data (an ID3v1 tag, zero padding), not an error.
        if (pos < riff_end_) {
          issue("invalid chunk id at offset " + std::to_string(pos) + "; rest of the file not walked", false);
        }
        return;
      }
      const std::string id(walk_util::as_chars(Bytes(header).first(4)));
      const std::uint32_t size32 = core::load_le32(header.data() + 4);
      std::uint64_t size = size32;
      if (is_64_ && size32 == kSizeInDs64 && !size_from_ds64(id, size)) {
        issue("chunk '" + id + "' at offset " + std::to_string(pos) +
                  " takes its size from ds64, but no valid ds64 entry gives it; rest of the file not walked",
              false);
        return;
      }
      const std::uint64_t payload = pos + 8;
      const std::uint64_t remaining = file_size_ - payload;
      if (!is_64_ && id == "data" && size32 == kSizeInDs64) {
        // The audio runs to the end of the file; nothing after it can be located.
        say_sizes_never_written();
        return;
      }
      if (size > remaining) {
        if (pos >= riff_end_) return;  // trailing bytes after the RIFF data that only look like a chunk
        issue("chunk '" + id + "' at offset " + std::to_string(pos) + " claims " + std::to_string(size) +
                  " bytes but only " + std::to_string(remaining) + " remain in the file",
              true);
        // The presence of a manifest is the point, whether or not it is complete.
        if (id == "C2PA" || id == "c2pa") add_c2pa(payload, remaining, size);
        return;
      }
      handle_chunk(id, payload, size);
      pos = payload + size + (size & 1);
    }
  }

  void handle_chunk(const std::string& id, std::uint64_t payload, std::uint64_t size) {
    if (id == "ds64") {
      if (is_64_) parse_ds64(payload, size);
      return;
    }
    if (is_structural(id)) return;
    std::vector<std::uint8_t> data;
    if (id == "C2PA" || id == "c2pa") {
      add_c2pa(payload, size, size);
    } else if (id == "bext") {
      if (load(id, payload, size, data)) parse_bext(data, payload);
    } else if (id == "iXML" || id == "axml" || id == "_PMX") {
      if (!load(id, payload, size, data)) return;
      const std::string_view text = walk_util::as_chars(data);
      const std::string source = "riff " + id;
      const bool xmp = id == "_PMX";
      add(source, xmp ? "xmp" : id, FieldKind::kXml, walk_util::clean_xml(text), payload).blob_size_bytes = size;
      std::vector<MetaField> props;
      if (xmp) props = parse_xmp_properties(text, source);
      if (id == "iXML") props = parse_xml_leaf_elements(text, "iXML.", source);
      for (MetaField& p : props) {
        p.offset_bytes = payload;
        result_.fields.push_back(std::move(p));
      }
    } else if (id == "cart") {
      if (load(id, payload, size, data)) parse_cart(data, payload);
    } else if (id == "LIST") {
      parse_list(payload, size);
    } else if (id == "id3 " || id == "ID3 ") {
      if (!load(id, payload, size, data)) return;
      WalkResult tag = parse_id3v2_tag(data, "riff id3", payload);
      for (MetaField& f : tag.fields) result_.fields.push_back(std::move(f));
      for (WalkIssue& i : tag.issues) result_.issues.push_back(std::move(i));
    } else if (id == "DISP") {
      parse_disp(payload, size);
    } else {
      add_unknown("riff", id, payload, size);
    }
  }

  // `size_bytes` is what the file holds, `claimed_bytes` what the chunk header says.
  void add_c2pa(std::uint64_t payload, std::uint64_t size_bytes, std::uint64_t claimed_bytes) {
    std::string value = "C2PA manifest store, " + std::to_string(size_bytes) + " bytes";
    if (claimed_bytes != size_bytes) value += " (cut short; the chunk claims " + std::to_string(claimed_bytes) + ")";
    add("riff C2PA", "c2pa", FieldKind::kPresence, std::move(value), payload).blob_size_bytes = size_bytes;
  }

  // A chunk nobody here understands: a reviewer sees its id, size and first bytes.
  void add_unknown(const std::string& source, const std::string& id, std::uint64_t payload, std::uint64_t size) {
    std::vector<std::uint8_t> head;
    if (!read(payload, static_cast<std::size_t>(std::min<std::uint64_t>(size, kPreviewBytes)), head,
              "chunk '" + id + "'")) {
      return;
    }
    std::string value;
    if (walk_util::looks_printable(head)) {
      value = std::to_string(size) + " bytes: \"" +
              core::ellipsize(clean_text(walk_util::as_chars(head)), kPreviewBytes) +
              (size > head.size() ? "\xE2\x80\xA6\"" : "\"");
    } else {
      value = walk_util::describe_blob(head, size);
    }
    add(source, id, FieldKind::kBinary, std::move(value), payload).blob_size_bytes = size;
  }

  void parse_ds64(std::uint64_t payload, std::uint64_t size) {
    constexpr std::uint64_t kFixedBytes = 24;  // riff, data and sample-count sizes
    constexpr std::uint64_t kTableEntryBytes = 12;
    std::vector<std::uint8_t> data;
    if (size < kFixedBytes) {
      issue("ds64 chunk is " + std::to_string(size) + " bytes, shorter than its 24-byte fixed part", false);
      return;
    }
    if (!load("ds64", payload, size, data)) return;
    const std::uint64_t riff_size = core::load_le64(data.data());
    ds64_data_size_ = core::load_le64(data.data() + 8);
    have_ds64_ = true;
    if (data.size() >= 28) {
      const std::uint64_t declared = core::load_le32(data.data() + 24);
      const std::uint64_t fits = (data.size() - 28) / kTableEntryBytes;
      if (declared > fits) {
        issue("ds64 table claims " + std::to_string(declared) + " entries but holds " + std::to_string(fits), false);
      }
      for (std::uint64_t i = 0; i < std::min(declared, fits); ++i) {
        const std::uint8_t* e = data.data() + 28 + i * kTableEntryBytes;
        ds64_table_.push_back({std::string(reinterpret_cast<const char*>(e), 4), core::load_le64(e + 4)});
      }
    }
    if (riff_size > file_size_ - 8) {
      issue("ds64 claims a RIFF size of " + std::to_string(riff_size) + " bytes but the file holds only " +
                std::to_string(file_size_ - 8) + " after the header",
            true);
    } else {
      riff_end_ = 8 + riff_size;
    }
  }

  void parse_bext(Bytes d, std::uint64_t payload) {
    // EBU Tech 3285: fixed-size ASCII fields, then CodingHistory to the end of the chunk.
    struct BextText {
      std::string_view key;
      std::size_t pos;
      std::size_t length;
    };
    static constexpr std::array kTexts{
        BextText{"bext.Description", 0, 256},       BextText{"bext.Originator", 256, 32},
        BextText{"bext.OriginatorReference", 288, 32}, BextText{"bext.OriginationDate", 320, 10},
        BextText{"bext.OriginationTime", 330, 8},
    };
    constexpr std::size_t kUmidPos = 348, kUmidBytes = 64, kCodingHistoryPos = 602;
    const std::string source = "riff bext";
    if (d.size() < kCodingHistoryPos) {
      issue("bext chunk at offset " + std::to_string(payload - 8) + " is " + std::to_string(d.size()) +
                " bytes, shorter than its 602-byte fixed part; read what fits",
            false);
    }
    for (const BextText& t : kTexts) {
      if (t.pos + t.length <= d.size()) add_text(source, std::string(t.key), d.subspan(t.pos, t.length), payload + t.pos);
    }
    if (kUmidPos + kUmidBytes <= d.size()) {
      Bytes umid = d.subspan(kUmidPos, kUmidBytes);
      const auto nonzero = [](Bytes b) { return std::any_of(b.begin(), b.end(), [](std::uint8_t c) { return c != 0; }); };
      if (nonzero(umid)) {
        // A basic UMID is 32 bytes; the extended one adds 32 bytes of source pack.
        if (!nonzero(umid.subspan(32))) umid = umid.first(32);
        add(source, "bext.UMID", FieldKind::kText, walk_util::to_hex(umid), payload + kUmidPos);
      }
    }
    if (d.size() > kCodingHistoryPos) {
      add_text(source, "bext.CodingHistory", d.subspan(kCodingHistoryPos), payload + kCodingHistoryPos);
    }
  }

  void parse_cart(Bytes d, std::uint64_t payload) {
    // AES46 cart chunk. Version, LevelReference and the PostTimer markers are not identifying.
    struct CartText {
      std::string_view key;
      std::size_t pos;
      std::size_t length;
    };
    static constexpr std::array kTexts{
        CartText{"cart.Title", 4, 64},           CartText{"cart.Artist", 68, 64},
        CartText{"cart.CutID", 132, 64},         CartText{"cart.ClientID", 196, 64},
        CartText{"cart.Category", 260, 64},      CartText{"cart.Classification", 324, 64},
        CartText{"cart.OutCue", 388, 64},        CartText{"cart.StartDate", 452, 10},
        CartText{"cart.StartTime", 462, 8},      CartText{"cart.EndDate", 470, 10},
        CartText{"cart.EndTime", 480, 8},        CartText{"cart.ProducerAppID", 488, 64},
        CartText{"cart.ProducerAppVersion", 552, 64}, CartText{"cart.UserDef", 616, 64},
        CartText{"cart.URL", 1024, 1024},
    };
    constexpr std::size_t kTagTextPos = 2048;
    const std::string source = "riff cart";
    if (d.size() < kTagTextPos) {
      issue("cart chunk at offset " + std::to_string(payload - 8) + " is " + std::to_string(d.size()) +
                " bytes, shorter than its 2048-byte fixed part; read what fits",
            false);
    }
    for (const CartText& t : kTexts) {
      if (t.pos + t.length <= d.size()) add_text(source, std::string(t.key), d.subspan(t.pos, t.length), payload + t.pos);
    }
    if (d.size() > kTagTextPos) add_text(source, "cart.TagText", d.subspan(kTagTextPos), payload + kTagTextPos);
  }

  void parse_list(std::uint64_t payload, std::uint64_t size) {
    std::vector<std::uint8_t> type_bytes;
    if (size < 4 || !read(payload, 4, type_bytes, "LIST type") || type_bytes.size() < 4) return;
    const std::string type(walk_util::as_chars(type_bytes));
    if (type == "adtl" || type == "hdrl" || type == "movi" || type == "odml") return;
    if (type != "INFO" && type != "exif") {
      add_unknown("riff", "LIST/" + (looks_like_chunk_id(type_bytes.data()) ? type : walk_util::to_hex(type_bytes)),
                  payload, size);
      return;
    }
    std::vector<std::uint8_t> data;
    if (!load("LIST", payload, size, data)) return;
    const std::string source = "riff LIST/" + type;
    std::size_t pos = 4;
    while (pos + 8 <= data.size()) {
      const std::uint8_t* h = data.data() + pos;
      const std::uint64_t item_offset = payload + pos;
      if (!looks_like_chunk_id(h)) {
        issue("invalid item id in LIST '" + type + "' at offset " + std::to_string(item_offset), false);
        return;
      }
      const std::string id(reinterpret_cast<const char*>(h), 4);
      const std::uint64_t item_size = core::load_le32(h + 4);
      const std::size_t remaining = data.size() - pos - 8;
      if (item_size > remaining) {
        issue("LIST '" + type + "' item '" + id + "' at offset " + std::to_string(item_offset) + " claims " +
                  std::to_string(item_size) + " bytes but only " + std::to_string(remaining) + " remain in the list",
              false);
        return;
      }
      const Bytes value = Bytes(data).subspan(pos + 8, static_cast<std::size_t>(item_size));
      // Items are NUL-terminated text, UTF-8 or (from old Windows tools) a Latin-1 code page;
      // control bytes before the NUL mean someone stored binary data here.
      const auto nul = std::find(value.begin(), value.end(), std::uint8_t{0});
      const bool binary = std::any_of(value.begin(), nul, [](std::uint8_t c) {
        return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F;
      });
      if (binary) {
        add(source, id, FieldKind::kBinary, walk_util::describe_blob(value, value.size()), item_offset + 8)
            .blob_size_bytes = value.size();
      } else {
        add_text(source, id, value, item_offset + 8);
      }
      pos += 8 + static_cast<std::size_t>(item_size) + (item_size & 1);
    }
  }

  // Windows clipboard data; type 1 (CF_TEXT) is plain text, often a title.
  void parse_disp(std::uint64_t payload, std::uint64_t size) {
    std::vector<std::uint8_t> data;
    if (!load("DISP", payload, size, data)) return;
    if (data.size() > 4 && core::load_le32(data.data()) == 1) {
      add_text("riff DISP", "DISP", Bytes(data).subspan(4), payload + 4);
    } else {
      add("riff", "DISP", FieldKind::kBinary, walk_util::describe_blob(data, data.size()), payload).blob_size_bytes =
          data.size();
    }
  }

  core::FileReader& reader_;
  std::uint64_t max_payload_bytes_;
  std::uint64_t file_size_;
  WalkResult result_;
  bool is_64_ = false;
  bool said_sizes_never_written_ = false;
  std::uint64_t riff_end_ = 0;
  bool have_ds64_ = false;
  std::uint64_t ds64_data_size_ = 0;
  std::vector<Ds64Entry> ds64_table_;
};

}  // namespace

WalkResult walk_riff(core::FileReader& reader, std::uint64_t max_payload_bytes) {
  return RiffWalker(reader, max_payload_bytes).run();
}

}  // namespace wm::meta
