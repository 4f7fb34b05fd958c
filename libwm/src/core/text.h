// Small text utilities shared by the rules and the writers.
#ifndef WM_CORE_TEXT_H_
#define WM_CORE_TEXT_H_

#include <string>
#include <string_view>

namespace wm::core {

std::string to_lower_ascii(std::string_view s);
std::string trim(std::string_view s);

// Replaces invalid UTF-8 sequences with U+FFFD and control characters (except \t) with
// spaces, so any string from a file can be printed or put in JSON safely.
std::string sanitize_utf8(std::string_view s);

// At most `max_chars` code points, with "…" appended when cut.
std::string ellipsize(std::string_view s, std::size_t max_chars);

}  // namespace wm::core

#endif  // WM_CORE_TEXT_H_
