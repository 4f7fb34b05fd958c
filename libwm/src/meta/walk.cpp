// Layout sniffing for the container walkers, and the text decoding they share.
//
// The sniff looks only at the first 16 bytes, like file(1) would: an ISO BMFF / QuickTime file
// starts with a box whose type sits at offset 4 (ftyp, or moov/mdat/wide/free/skip in old
// QuickTime files); RIFF-family WAV files start "RIFF"/"RF64"/"BW64" with "WAVE" at offset 8;
// MP3 (and ID3-prefixed AAC/FLAC) start "ID3"; Matroska/WebM start with the EBML header ID
// 1A 45 DF A3, AVI ("RIFF" with "AVI " at offset 8) and ASF (WMV/WMA: the Header Object's GUID)
// have only their extent checked. Anything else is left to libavformat.
// What it cannot see: layouts that need more than the first bytes to recognise (an MP4 whose
// first box is an unusual type, a WAV behind an ID3 prefix).
#include "meta/walk.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "core/text.h"
#include "meta/asf_extent.h"
#include "meta/avi_extent.h"
#include "meta/id3_walker.h"
#include "meta/matroska_extent.h"
#include "meta/mp4_walker.h"
#include "meta/riff_walker.h"

namespace wm::meta {

namespace {

bool has_tag(const std::vector<std::uint8_t>& b, std::size_t offset, const char* tag) {
  return b.size() >= offset + 4 && std::memcmp(b.data() + offset, tag, 4) == 0;
}

}  // namespace

WalkResult walk_container(core::FileReader& reader, std::uint64_t max_payload_bytes) {
  std::vector<std::uint8_t> head;
  if (Status s = reader.read_at(0, 16, head); !s.is_ok()) {
    WalkResult result;
    result.issues.push_back({"cannot read the file header: " + s.message(), false});
    return result;
  }
  for (const char* box : {"ftyp", "moov", "mdat", "wide", "free", "skip"}) {
    if (has_tag(head, 4, box)) return walk_mp4(reader, max_payload_bytes);
  }
  if ((has_tag(head, 0, "RIFF") || has_tag(head, 0, "RF64") || has_tag(head, 0, "BW64")) &&
      has_tag(head, 8, "WAVE")) {
    return walk_riff(reader, max_payload_bytes);
  }
  if (has_tag(head, 0, "RIFF") && has_tag(head, 8, "AVI ")) return check_avi_extent(reader);
  if (starts_like_asf(head.data(), head.size())) return check_asf_extent(reader);
  if (head.size() >= 3 && std::memcmp(head.data(), "ID3", 3) == 0) {
    return walk_id3(reader, max_payload_bytes);
  }
  if (head.size() >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3) {
    return check_matroska_extent(reader);
  }
  return {};
}

namespace walk_util {

namespace {

constexpr std::array<char16_t, 128> kMacRomanHigh{
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3,
    0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
    0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE,
    0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_length_at(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<std::uint8_t>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<std::uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

void append_utf8(std::string& out, char32_t code_point) {
  std::uint32_t cp = code_point;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length_at(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string latin1_to_utf8(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const std::uint8_t b : bytes) append_utf8(out, b);
  return out;
}

std::string mac_roman_to_utf8(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const std::uint8_t b : bytes) append_utf8(out, b < 0x80 ? char32_t{b} : char32_t{kMacRomanHigh[b - 0x80]});
  return out;
}

std::string utf16_to_utf8(std::span<const std::uint8_t> bytes, bool big_endian) {
  std::string out;
  out.reserve(bytes.size());
  const std::size_t units = bytes.size() / 2;
  const auto unit_at = [&](std::size_t i) -> std::uint32_t {
    const std::uint8_t a = bytes[2 * i], b = bytes[2 * i + 1];
    return big_endian ? (std::uint32_t{a} << 8) | b : (std::uint32_t{b} << 8) | a;
  };
  for (std::size_t i = 0; i < units; ++i) {
    const std::uint32_t u = unit_at(i);
    if (u == 0) break;
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const std::uint32_t low = unit_at(i + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, static_cast<char32_t>(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)));
        ++i;
        continue;
      }
    }
    append_utf8(out, static_cast<char32_t>(u));  // a lone surrogate becomes U+FFFD here
  }
  return out;
}

std::string text_from_8bit(std::span<const std::uint8_t> bytes) {
  std::size_t n = 0;
  while (n < bytes.size() && bytes[n] != 0) ++n;
  const auto text = bytes.first(n);
  if (is_valid_utf8(as_chars(text))) return std::string(as_chars(text));
  return latin1_to_utf8(text);
}

std::string_view truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<std::uint8_t>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string clean_text(std::string_view s) {
  return core::trim(core::sanitize_utf8(truncate_utf8(s, kMaxTextValueBytes)));
}

std::string clean_xml(std::string_view s) {
  s = truncate_utf8(s, kMaxXmlValueBytes);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length_at(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      // NULs (padding after the packet, UTF-16 leftovers) would end C strings downstream.
      if (!(n == 1 && s[i] == '\0')) out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool looks_printable(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty() && bytes.back() == 0) bytes = bytes.first(bytes.size() - 1);
  if (bytes.empty() || !is_valid_utf8(as_chars(bytes))) return false;
  for (const std::uint8_t b : bytes) {
    if ((b < 0x20 && b != '\t' && b != '\r' && b != '\n') || b == 0x7F) return false;
  }
  return true;
}

std::string to_hex(std::span<const std::uint8_t> bytes, std::size_t max_bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::size_t n = std::min(bytes.size(), max_bytes);
  std::string out;
  out.reserve(2 * n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0F];
  }
  if (n < bytes.size()) out += "\xE2\x80\xA6";
  return out;
}

std::string uuid_string(std::span<const std::uint8_t, 16> bytes) {
  const std::string hex = to_hex(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string fourcc_string(const std::uint8_t* p) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 4; ++i) {
    const std::uint8_t b = p[i];
    if (b >= 0x20 && b < 0x7F) {
      out += static_cast<char>(b);
    } else if (b == 0xA9) {
      out += "\xC2\xA9";
    } else {
      out += "\\x";
      out += kDigits[b >> 4];
      out += kDigits[b & 0x0F];
    }
  }
  return out;
}

std::string describe_blob(std::span<const std::uint8_t> head, std::uint64_t size_bytes) {
  std::string out = std::to_string(size_bytes) + " bytes";
  const std::size_t shown = std::min<std::size_t>(head.size(), 16);
  if (shown > 0) {
    out += ": " + to_hex(head.first(shown));
    if (size_bytes > shown) out += "\xE2\x80\xA6";
  }
  return out;
}

}  // namespace walk_util
}  // namespace wm::meta
