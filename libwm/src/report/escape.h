// Escaping and encoding shared by the text-format writers (csv, sarif, html).
//
// Every function takes arbitrary bytes (strings from a file may be invalid UTF-8, carry
// control characters or markup) and returns text that is safe in the named context.
#ifndef WM_REPORT_ESCAPE_H_
#define WM_REPORT_ESCAPE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace wm::report {

// Valid UTF-8 with `& < > " '` replaced by entities: safe both as element text and inside a
// double- or single-quoted attribute value. Invalid UTF-8 and control characters are
// replaced first (core::sanitize_utf8), so nothing in the input can open a tag or end an
// attribute.
std::string html_escape(std::string_view s);

// One RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF (quotes are
// doubled). The text is made valid UTF-8; line feeds are kept, other control characters
// become spaces. A field that a spreadsheet would run as a formula (starts with = + - @) is
// prefixed with an apostrophe so that opening the file never executes it.
std::string csv_field(std::string_view s);

// A path as a URI reference for SARIF's artifactLocation.uri: relative paths stay relative,
// absolute paths become file:// URIs; bytes outside the unreserved set and '/' are
// percent-encoded.
std::string path_to_uri(std::string_view path);

// Standard base64 (RFC 4648, with padding), for data: URIs.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// A number for people and golden files: rounded to `decimals` places, no trailing zeros
// ("0.95", "2", "12.5"). Non-finite values print as "0".
std::string format_number(double value, int decimals = 3);

}  // namespace wm::report

#endif  // WM_REPORT_ESCAPE_H_
