// Metadata rules: classify MetaFields into findings with the DESIGN.md severity rubric.
#ifndef WM_META_RULES_H_
#define WM_META_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "meta/field.h"
#include "wm/report.h"

namespace wm::meta {

// Classifies every field; identical values found through several routes (libavformat's
// dictionary and our own walker) become one finding that lists every place.
std::vector<Finding> classify_fields(const std::vector<MetaField>& fields);

// Pattern helpers, exposed for tests and for the sidecar inspector.
std::vector<std::string> find_emails(std::string_view text);
bool looks_like_iso6709(std::string_view text);
std::vector<std::string> find_phone_numbers(std::string_view text);
// A "Firstname Lastname"-shaped run of 2–4 capitalised words that are not common title words.
std::vector<std::string> find_person_like_names(std::string_view text);

}  // namespace wm::meta

#endif  // WM_META_RULES_H_
