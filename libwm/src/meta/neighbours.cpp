// Sidecars and file names.
//
// Meeting exports put identity next to the media: Zoom writes chat.txt / meeting_saved_chat.txt
// ("HH:MM:SS From <sender> to <recipient>: text") and <stem>.transcript.vtt with "<v Name>" or
// "Name: text" cues, and names per-participant audio tracks audio<DisplayName><digits>.m4a.
// Teams and Webex transcripts use the same WebVTT voice tags.
//
// What it cannot see: sidecars under other names or in other folders; names in a chat log
// written in a layout we do not parse (those files still get an e-mail search).
#include "meta/neighbours.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/text.h"
#include "meta/rules.h"

namespace wm::meta {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : "; ") + s;
  return out;
}

void add_unique(std::vector<std::string>& names, std::string name) {
  name = core::trim(name);
  if (name.empty() || name.size() > 80) return;
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
}

// A display name: 1–5 words, letters first, no sentence punctuation.
bool plausible_display_name(std::string_view s) {
  const std::string t = core::trim(s);
  if (t.empty() || t.size() > 60) return false;
  if (!(std::isalpha(static_cast<unsigned char>(t[0])) || static_cast<unsigned char>(t[0]) >= 0x80)) return false;
  int words = 1;
  for (char c : t) {
    if (c == ' ') ++words;
    if (c == '.' && t.find('@') == std::string::npos) return false;
    if (c == '?' || c == '!' || c == ',' || c == ';') return false;
  }
  return words <= 5;
}

std::string read_prefix(const std::filesystem::path& p, std::uintmax_t max_bytes) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::string data(static_cast<std::size_t>(max_bytes), '\0');
  in.read(data.data(), static_cast<std::streamsize>(max_bytes));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

Finding sidecar_finding(const std::string& detector, const std::string& summary, const std::string& file_name,
                        const std::vector<std::string>& names, const std::vector<std::string>& emails) {
  Finding f;
  f.detector = detector;
  f.category = "sidecar";
  f.severity = Severity::kHigh;
  f.confidence = names.empty() ? 0.9 : 0.85;
  f.summary = summary;
  f.evidence.push_back({"sidecar", file_name, false});
  if (!names.empty()) {
    f.evidence.push_back({"name_count", static_cast<std::int64_t>(names.size()), false});
    f.evidence.push_back({"names", join(names), true});
  }
  if (!emails.empty()) f.evidence.push_back({"emails", join(emails), true});
  return f;
}

}  // namespace

std::vector<std::string> transcript_speakers(std::string_view text) {
  std::vector<std::string> names;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // WebVTT voice spans: <v Jane Doe> or <v.loud Jane Doe>
    for (std::size_t at = line.find("<v"); at != std::string::npos; at = line.find("<v", at + 2)) {
      std::size_t start = at + 2;
      if (start < line.size() && line[start] == '.') start = line.find(' ', start);
      if (start == std::string::npos || start >= line.size() || line[start] != ' ') continue;
      const std::size_t end = line.find('>', start);
      if (end == std::string::npos) continue;
      add_unique(names, line.substr(start + 1, end - start - 1));
    }
    // "Jane Doe: text" cue lines (not timings "00:00:01.000 --> ...", not headers)
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos && colon > 0 && line.find("-->") == std::string::npos &&
        line.rfind("NOTE", 0) != 0 && line.find('<') == std::string::npos) {
      const std::string head = line.substr(0, colon);
      if (plausible_display_name(head) && !is_digit(head[0])) add_unique(names, head);
    }
  }
  return names;
}

std::vector<std::string> chat_participants(std::string_view text) {
  std::vector<std::string> names;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t from = line.find("From ");
    if (from == std::string::npos) continue;
    // The line starts with a time stamp: HH:MM:SS or H:MM
    if (line.empty() || !is_digit(line[0]) || from > 20) continue;
    const std::size_t name_start = from + 5;
    const std::size_t colon = line.find(':', name_start);
    if (colon == std::string::npos) continue;
    std::string who = line.substr(name_start, colon - name_start);
    // Zoom: "From A to B:" (newer), "From A : msg" (older); Teams-like "From A (Privately)".
    const std::size_t to = who.find(" to ");
    if (to != std::string::npos) {
      std::string recipient = who.substr(to + 4);
      who.resize(to);
      const std::size_t paren = recipient.find('(');
      if (paren != std::string::npos) recipient.resize(paren);
      recipient = core::trim(recipient);
      if (recipient != "Everyone" && recipient != "everyone" && plausible_display_name(recipient)) {
        add_unique(names, recipient);
      }
    }
    const std::size_t paren = who.find('(');
    if (paren != std::string::npos) who.resize(paren);
    if (plausible_display_name(who)) add_unique(names, who);
  }
  return names;
}

std::vector<Finding> inspect_file_name(const std::filesystem::path& path) {
  std::vector<Finding> out;
  const std::string name = core::sanitize_utf8(path.filename().string());
  const std::string stem = core::sanitize_utf8(path.stem().string());
  // Zoom per-participant audio: audio<DisplayName><digits> (the digits are a per-recording id).
  if (stem.size() > 5 + 5 && stem.rfind("audio", 0) == 0) {
    std::size_t d = stem.size();
    while (d > 5 && is_digit(stem[d - 1])) --d;
    const std::size_t digits = stem.size() - d;
    const std::string display = stem.substr(5, d - 5);
    if (digits >= 5 && !display.empty() && std::isalpha(static_cast<unsigned char>(display[0]))) {
      Finding f;
      f.detector = "meta.file_name";
      f.category = "file_name";
      f.severity = Severity::kHigh;
      f.confidence = 0.85;
      f.summary = "The file name carries a participant's display name (Zoom per-participant audio track).";
      f.evidence.push_back({"pattern", std::string("audio<DisplayName><digits>"), false});
      f.evidence.push_back({"display_name", display, true});
      f.evidence.push_back({"file_name", name, true});
      out.push_back(std::move(f));
    }
  }
  for (const std::string& email : find_emails(stem)) {
    Finding f;
    f.detector = "meta.file_name";
    f.category = "file_name";
    f.severity = Severity::kHigh;
    f.confidence = 0.95;
    f.summary = "The file name contains an e-mail address.";
    f.evidence.push_back({"value", email, true});
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::filesystem::path> sidecar_files(const std::filesystem::path& path) {
  const std::filesystem::path dir = path.parent_path();
  const std::string stem = path.stem().string();
  std::vector<std::string> stems{stem};
  // Zoom names the video GMT..._Recording_1280x720.mp4 and the transcript GMT..._Recording.transcript.vtt.
  const std::size_t rec = stem.find("_Recording");
  if (rec != std::string::npos) stems.push_back(stem.substr(0, rec + 10));

  std::vector<std::string> candidates;
  for (const auto& s : stems) {
    for (const char* ext : {".vtt", ".srt", ".transcript.vtt", ".cc.vtt", ".txt", ".chat.txt"}) candidates.push_back(s + ext);
  }
  for (const char* fixed : {"chat.txt", "meeting_saved_chat.txt", "closed_caption.txt", "meeting_saved_closed_caption.txt",
                            "audio_transcript.vtt"}) {
    candidates.push_back(fixed);
  }
  // Meeting exports keep one folder per meeting: a transcript or chat named after the meeting
  // belongs to every recording in it. Small folders are listed; in a folder of thousands of
  // files only the fixed names above are tried, so the cost per file stays bounded.
  constexpr std::size_t kMaxListedEntries = 512;
  std::error_code list_ec;
  std::vector<std::string> listed;
  std::size_t entries = 0;
  for (auto it = std::filesystem::directory_iterator(dir.empty() ? "." : dir, list_ec);
       !list_ec && it != std::filesystem::directory_iterator(); it.increment(list_ec)) {
    if (++entries > kMaxListedEntries) {
      listed.clear();
      break;
    }
    const std::string n = it->path().filename().string();
    if (n.ends_with(".transcript.vtt") || n.ends_with("newChat.txt") || n.ends_with("_chat.txt")) listed.push_back(n);
  }
  std::sort(listed.begin(), listed.end());
  candidates.insert(candidates.end(), listed.begin(), listed.end());
  std::vector<std::filesystem::path> out;
  std::set<std::string> seen;
  for (const std::string& candidate : candidates) {
    if (!seen.insert(candidate).second) continue;
    const std::filesystem::path p = dir / candidate;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec) && p != path) out.push_back(p);
  }
  return out;
}

std::vector<Finding> inspect_sidecars(const std::filesystem::path& path, std::uintmax_t max_sidecar_bytes) {
  std::vector<Finding> out;
  for (const std::filesystem::path& p : sidecar_files(path)) {
    const std::string candidate = p.filename().string();
    const std::string text = core::sanitize_utf8(read_prefix(p, max_sidecar_bytes));
    const std::vector<std::string> emails = find_emails(text);
    const bool transcript = candidate.ends_with(".vtt") || candidate.ends_with(".srt") ||
                            candidate.find("caption") != std::string::npos;
    const std::string shown = core::sanitize_utf8(candidate);
    if (transcript) {
      const auto names = transcript_speakers(text);
      if (names.empty() && emails.empty()) continue;
      out.push_back(sidecar_finding("meta.sidecar_transcript",
                                    "A transcript beside the file names " + std::to_string(names.size()) +
                                        " speaker" + (names.size() == 1 ? "" : "s") + ".",
                                    shown, names, emails));
    } else {
      const auto names = chat_participants(text);
      if (names.empty() && emails.empty()) continue;
      out.push_back(sidecar_finding("meta.sidecar_chat",
                                    names.empty() ? std::string("A text file beside the recording contains e-mail addresses.")
                                                  : "A chat log beside the file names " + std::to_string(names.size()) +
                                                        " participant" + (names.size() == 1 ? "" : "s") + ".",
                                    shown, names, emails));
    }
  }
  return out;
}

}  // namespace wm::meta
