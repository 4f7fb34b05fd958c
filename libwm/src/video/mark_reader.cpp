// Reading a recovered overlay. Tesseract (LSTM engine, English data) does well on clean,
// horizontal, dark-on-light lines with an x-height of 20-30 px (Tesseract's "ImproveQuality"
// guide), which is exactly what a matte can be turned into: we level it by the text angle
// (row-profile search, as in classic page deskewing), cut line blobs, upscale and read each in
// single-line mode, then vote across tiles — every tile of a tiled mark says the same thing.
//
// What it cannot see: scripts other than Latin (only English data is used), marks whose strokes
// are thinner than about one pixel after sampling, text rotated more than 60 degrees.
#include "video/mark_reader.h"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <tuple>
#include <utility>

#include <opencv2/imgproc.hpp>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

namespace wm::video {

std::string_view text_kind_name(TextKind kind) {
  switch (kind) {
    case TextKind::kEmail: return "email";
    case TextKind::kEmailLocalPart: return "email_local_part";
    case TextKind::kPhone: return "phone";
    case TextKind::kPersonName: return "person_name";
    case TextKind::kFreeText: return "free_text";
    case TextKind::kNone: return "none";
  }
  return "none";
}

namespace {

// Two capitalised words read like a name, but a meeting client's toolbar is full of them
// ("Share Screen", "Stop Video"), and so are an application's menu bar ("Insert Format") and a
// shared table's column headings ("Creative Commons License"): a word of those makes the text
// a label, not a person.
bool names_a_control(const std::string& text) {
  static const std::set<std::string, std::less<>> kControlWords = {
      // meeting clients
      "Audio", "Camera", "Cancel", "Chat", "Close", "End", "Gallery", "Hand", "Join", "Leave", "Meeting", "More",
      "Mute", "Participants", "Raise", "Reactions", "Record", "Recording", "Screen", "Security", "Settings", "Share",
      "Speaker", "Start", "Stop", "Unmute", "Video", "View",
      // menu bars of office suites, browsers and editors
      // (not the ones that are also people's names: Edit, Home, Date, Price, Commons)
      "Animations", "Arrange", "Bookmarks", "Data", "Debug", "Design", "Extensions", "File", "Format", "Help",
      "History", "Insert", "Layout", "Mailings", "Options", "Preferences", "References", "Review", "Run",
      "Selection", "Sheet", "Slide", "Table", "Terminal", "Tools", "Transitions", "Window",
      // headings of tables and documents
      "Amount", "Balance", "Budget", "Chapter", "Contents", "Figure", "License", "Notes", "Quarter", "Quarterly",
      "Report", "Section", "Status", "Summary", "Total"};
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (kControlWords.count(std::string_view(text).substr(start, end - start)) > 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

bool is_identifying(TextKind kind) {
  return kind == TextKind::kEmail || kind == TextKind::kEmailLocalPart || kind == TextKind::kPhone ||
         kind == TextKind::kPersonName;
}

bool is_address_or_phone(TextKind kind) { return kind == TextKind::kEmail || kind == TextKind::kPhone; }

int count_alphanumerics(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isalnum(c) != 0; }));
}

TextKind classify_text(std::string_view text_view) {
  const std::string text(text_view);
  if (text.empty()) return TextKind::kNone;
  static const std::regex email(R"(^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$)");
  static const std::regex phone(R"(^\+?[0-9()\-. ]{7,}$)");
  static const std::regex local_part(R"(^[A-Za-z0-9]+([._\-][A-Za-z0-9]+)+$)");
  // First name or its initial ("R. Okafor"), an optional middle initial, one or two more names.
  static const std::regex name(R"(^([A-Z][a-z'\-]+|[A-Z]\.)( [A-Z]\.?)?( [A-Z][a-z'\-]+){1,2}$)");
  if (std::regex_match(text, email)) return TextKind::kEmail;
  // Dates (2026-03-18, 18.03.2026, 3/18/2026) and amounts (63978.10) are digits too, but no
  // phone number is written that way; a spreadsheet shows many, also a number beside the start
  // of a date in the next cell (`3628 2026-03-1`, read from a still part of a sheet).
  static const std::regex date(R"(^([0-9]{4}[\-/.][0-9]{1,2}[\-/.][0-9]{1,2}|[0-9]{1,2}[\-/.][0-9]{1,2}[\-/.][0-9]{2,4})$)");
  static const std::regex amount(R"(^-?[0-9]+[.,][0-9]{1,2}$)");
  static const std::regex year_month(R"((^| )(19|20)[0-9]{2}-[01][0-9]?(-[0-9]{0,2})?( |$))");
  if (std::regex_match(text, date) || std::regex_match(text, amount)) return TextKind::kFreeText;
  if (std::regex_match(text, phone) && !std::regex_search(text, year_month)) {
    const auto digits = std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    if (digits >= 7) return TextKind::kPhone;
  }
  // A local part has a letter (`p.novak`, `viewer-0042`); `2026-0` is the start of a date.
  if (std::regex_match(text, local_part) && std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isalpha(c); })) {
    return TextKind::kEmailLocalPart;
  }
  if (std::regex_match(text, name) && !names_a_control(text)) return TextKind::kPersonName;
  return TextKind::kFreeText;
}

namespace {

// The turn by `angle_deg` about the centre of an image of `size`, moved so that all of it stays
// in view; `turned` is the size that holds it.
cv::Mat keep_all_rotation(const cv::Size& size, double angle_deg, cv::Size& turned) {
  const cv::Point2f centre(static_cast<float>(size.width) / 2.0f, static_cast<float>(size.height) / 2.0f);
  cv::Mat m = cv::getRotationMatrix2D(centre, -angle_deg, 1.0);
  const double rad = angle_deg * CV_PI / 180.0;
  turned.width = static_cast<int>(std::ceil(size.width * std::abs(std::cos(rad)) + size.height * std::abs(std::sin(rad))));
  turned.height = static_cast<int>(std::ceil(size.width * std::abs(std::sin(rad)) + size.height * std::abs(std::cos(rad))));
  m.at<double>(0, 2) += turned.width / 2.0 - centre.x;
  m.at<double>(1, 2) += turned.height / 2.0 - centre.y;
  return m;
}

cv::Mat rotate_keep_all(const cv::Mat& image, double angle_deg, int border_type, const cv::Scalar& fill) {
  cv::Size turned;
  const cv::Mat m = keep_all_rotation(image.size(), angle_deg, turned);
  cv::Mat out;
  cv::warpAffine(image, out, m, turned, cv::INTER_LINEAR, border_type, fill);
  return out;
}

// `box`, in an image turned by rotate_keep_all(image of `size`, angle_deg), as a box in the
// image before the turn (the bounding box of its corners turned back), clipped to it.
cv::Rect box_before_turn(const cv::Rect& box, const cv::Size& size, double angle_deg) {
  cv::Size turned;
  cv::Mat back;
  cv::invertAffineTransform(keep_all_rotation(size, angle_deg, turned), back);
  const std::vector<cv::Point2f> corners = {
      {static_cast<float>(box.x), static_cast<float>(box.y)},
      {static_cast<float>(box.x + box.width), static_cast<float>(box.y)},
      {static_cast<float>(box.x), static_cast<float>(box.y + box.height)},
      {static_cast<float>(box.x + box.width), static_cast<float>(box.y + box.height)}};
  std::vector<cv::Point2f> turned_back;
  cv::transform(corners, turned_back, back);
  return cv::boundingRect(turned_back) & cv::Rect(0, 0, size.width, size.height);
}

// Foreground pixels of a binary image, as coordinates: the angle search projects these instead
// of rotating the image once per angle.
struct Points {
  std::vector<float> x, y;
  int extent = 0;  // bound on |projected coordinate|
};

Points foreground_points(const cv::Mat& binary_float) {
  Points p;
  for (int y = 0; y < binary_float.rows; ++y) {
    const float* row = binary_float.ptr<float>(y);
    for (int x = 0; x < binary_float.cols; ++x) {
      if (row[x] > 0.5f) {
        p.x.push_back(static_cast<float>(x));
        p.y.push_back(static_cast<float>(y));
      }
    }
  }
  p.extent = binary_float.cols + binary_float.rows + 2;
  return p;
}

// Row profile of the image levelled by `angle_deg` (text running at that angle becomes
// horizontal): rows are y' = x sin(a) + y cos(a); the score sum(r^2) / (sum r)^2 is highest
// when the lines of text fall into few rows.
double row_profile_score(const Points& points, double angle_deg, std::vector<double>& rows) {
  const double rad = angle_deg * CV_PI / 180.0;
  const float s = static_cast<float>(std::sin(rad)), c = static_cast<float>(std::cos(rad));
  rows.assign(static_cast<std::size_t>(2 * points.extent + 1), 0.0);
  for (std::size_t i = 0; i < points.x.size(); ++i) {
    const int r = static_cast<int>(std::floor(points.x[i] * s + points.y[i] * c)) + points.extent;
    rows[static_cast<std::size_t>(r)] += 1.0;
  }
  double sum = 0.0, sum_sq = 0.0;
  for (const double v : rows) {
    sum += v;
    sum_sq += v * v;
  }
  return sum > 0.0 ? sum_sq / (sum * sum) : 0.0;
}

struct AngleScore {
  double deg = 0.0;
  double score = -1.0;
};

// The angle in [from_deg, to_deg] (steps of step_deg) whose row profile scores highest, or `best`
// when none beats it; `stop` (may be empty) ends the search early.
AngleScore best_row_profile_angle(const Points& points, double from_deg, double to_deg, double step_deg,
                                  AngleScore best, const std::function<bool()>& stop = {}) {
  std::vector<double> rows;
  for (double a = from_deg; a <= to_deg + 1e-9; a += step_deg) {
    if (stop && stop()) break;
    const double score = row_profile_score(points, a, rows);
    if (score > best.score) best = {a, score};
  }
  return best;
}

}  // namespace

std::string normalise_reading(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  // OCR often inserts spaces around '@' and '.' in addresses ("jane. doe @example.com"). The
  // space after a name's initial is real, though ("R. Okafor"): a capital standing alone before
  // the dot, and a capital after the space.
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  // '@' or a sign OCR reads for it (copyright, registered; see correct_confusables).
  const bool no_address = out.find('@') == std::string::npos && out.find("\xC2\xA9") == std::string::npos &&
                          out.find("\xC2\xAE") == std::string::npos;
  const auto initial_before = [&](std::size_t space) {
    return no_address && space >= 2 && out[space - 1] == '.' && upper(out[space - 2]) && (space == 2 || out[space - 3] == ' ') &&
           space + 1 < out.size() && upper(out[space + 1]);
  };
  std::string tight;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' && i > 0 && i + 1 < out.size()) {
      const char a = out[i - 1], b = out[i + 1];
      if (a == '@' || b == '@' || ((a == '.' || b == '.') && !initial_before(i))) continue;
    }
    tight.push_back(out[i]);
  }
  return tight;
}

std::string initial_joined(std::string_view reading, const std::vector<OcrWord>& words) {
  constexpr double kMinHeightShare = 0.4;  // of the next word's box height
  constexpr double kMaxHeightShare = 1.5;
  constexpr double kMaxGapShare = 0.75;
  const std::string unchanged(reading);
  const auto space = reading.find(' ');
  const auto at = reading.find('@');
  if (words.size() < 2 || space == std::string_view::npos || at == std::string_view::npos || at < space) return unchanged;
  const std::string_view first = reading.substr(0, space);
  if (first.empty() || first != words[0].text) return unchanged;
  std::string_view letters = first;
  if (letters.back() == ',' || letters.back() == '.') letters.remove_suffix(1);
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (letters.empty() || letters.size() > 2 || !std::all_of(letters.begin(), letters.end(), letter)) return unchanged;
  const cv::Rect& initial = words[0].box;
  const cv::Rect& next = words[1].box;
  const int gap_px = next.x - initial.br().x;
  const bool letter_sized =
      initial.height >= kMinHeightShare * next.height && initial.height <= kMaxHeightShare * next.height;
  const bool beside = gap_px >= 0 && gap_px <= kMaxGapShare * next.height;
  if (!letter_sized || !beside) return unchanged;
  return std::string(letters) + "." + std::string(reading.substr(space + 1));
}

namespace {

struct TessDeleter {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
  }
};
using TessPtr = std::unique_ptr<tesseract::TessBaseAPI, TessDeleter>;

// Debian's Tesseract is built with OpenMP and opens a parallel team (num_threads fixed in its
// code) for every small line image; on images this size starting and parking the team costs
// more than the work (measured: ~35 % of a video scan's time in libgomp and the kernel).
// Setting max-active-levels to 0 makes every parallel region this thread opens inactive, i.e.
// run by the thread itself. The setting is one of the calling thread's OpenMP ICVs, so the
// embedding program's own OpenMP use on other threads is untouched. Looked up at run time:
// libgomp is Tesseract's dependency, not ours, and a Tesseract without OpenMP has no such symbol.
void run_tesseract_serially_on_this_thread() {
  using SetLevels = void (*)(int);
  static const auto set_max_active_levels =
      reinterpret_cast<SetLevels>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
  if (set_max_active_levels != nullptr) set_max_active_levels(0);
}

Result<TessPtr> start_tesseract() {
  run_tesseract_serially_on_this_thread();
  TessPtr api{new tesseract::TessBaseAPI()};
  // Keep the library silent: Tesseract's diagnostics would otherwise go to stderr.
  // debug_file is one of Tesseract's process-global parameters (tprintf.cpp), not a member of
  // this instance: set it once, not from every concurrent scan at the same time.
  static std::once_flag quiet_once;
  std::call_once(quiet_once, [&] { api->SetVariable("debug_file", "/dev/null"); });
  if (api->Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0) {
    return Status::internal("OCR: Tesseract could not load its English data (tesseract-ocr-eng)");
  }
  api->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  return api;
}

// The words of the image Tesseract last recognised, with their boxes.
std::vector<OcrWord> words_of(tesseract::TessBaseAPI& api) {
  std::vector<OcrWord> words;
  const std::unique_ptr<tesseract::ResultIterator> it{api.GetIterator()};
  if (!it) return words;
  do {
    const std::unique_ptr<char[]> text{it->GetUTF8Text(tesseract::RIL_WORD)};
    int left = 0, top = 0, right = 0, bottom = 0;
    if (text == nullptr || !it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) continue;
    words.push_back({text.get(), cv::Rect(left, top, right - left, bottom - top)});
  } while (it->Next(tesseract::RIL_WORD));
  return words;
}

Result<MarkText> read_one(tesseract::TessBaseAPI& api, const cv::Mat& gray8) {
  cv::Mat padded;
  cv::copyMakeBorder(gray8, padded, 12, 12, 12, 12, cv::BORDER_CONSTANT, cv::Scalar(255));
  api.SetImage(padded.data, padded.cols, padded.rows, 1, static_cast<int>(padded.step));
  api.SetSourceResolution(300);
  std::unique_ptr<char[]> raw{api.GetUTF8Text()};
  MarkText out;
  out.text = initial_joined(normalise_reading(raw != nullptr ? raw.get() : ""), words_of(api));
  out.confidence = std::clamp(api.MeanTextConf() / 100.0, 0.0, 1.0);
  out.lines_read = 1;
  out.votes = out.text.empty() ? 0 : 1;
  out.near_votes = out.votes;
  out.near_confidence = out.confidence;
  out.kind = classify_text(out.text);
  return out;
}

}  // namespace

double estimate_text_angle_deg(const cv::Mat& shape, const std::function<bool()>& stop) {
  cv::Mat small;
  const double factor = std::min(1.0, 480.0 / std::max(shape.cols, shape.rows));
  cv::resize(shape, small, cv::Size(), factor, factor, cv::INTER_AREA);
  cv::Mat binary;
  cv::threshold(small, binary, 0.35, 1.0, cv::THRESH_BINARY);
  const Points points = foreground_points(binary);
  const AngleScore coarse = best_row_profile_angle(points, -60.0, 60.0, 1.0, {}, stop);
  if (stop && stop()) return coarse.deg;
  return best_row_profile_angle(points, coarse.deg - 1.0, coarse.deg + 1.0, 0.25, coarse).deg;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

// Bounded at 1: a reading of pure noise is equally far from every candidate, so many of them
// cannot pull the vote towards themselves (with raw distances the reading "between" the noise and
// the mark wins over the mark).
double reading_distance(const std::string& a, const std::string& b) {
  const std::size_t longer = std::max<std::size_t>({a.size(), b.size(), 1});
  return std::min(1.0, static_cast<double>(edit_distance(a, b)) / static_cast<double>(longer));
}

std::string folded(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

double piece_distance(const std::string& piece, const std::string& whole) {
  if (piece.empty()) return 0.0;
  // Edit distance from `piece` to the best-matching substring of `whole`: the alignment may
  // start and end anywhere in `whole` at no cost.
  std::vector<std::size_t> prev(whole.size() + 1, 0), cur(whole.size() + 1);
  for (std::size_t i = 1; i <= piece.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= whole.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (piece[i - 1] == whole[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  const std::size_t best = *std::min_element(prev.begin(), prev.end());
  return std::min(1.0, static_cast<double>(best) / static_cast<double>(piece.size()));
}

bool name_beside_plain_text(std::string_view reading, std::string_view whole) {
  const bool whole_has_case_or_spaces =
      std::any_of(whole.begin(), whole.end(), [](unsigned char c) { return std::isupper(c) != 0 || c == ' '; });
  return !whole_has_case_or_spaces && classify_text(reading) == TextKind::kPersonName;
}

bool reads_as_piece_of(std::string_view reading, std::string_view whole, double max_distance) {
  return !name_beside_plain_text(reading, whole) && piece_distance(folded(reading), folded(whole)) <= max_distance;
}

namespace {

bool looks_like_email(const std::string& s) { return classify_text(s) == TextKind::kEmail; }

// A faint dot's descender reads as a comma. Between two lower-case letters of a reading without
// spaces ("sam,taylor") no name, sentence or number puts one, and an address's local part puts a
// dot: the commas become dots when the result reads as a local part; otherwise `s` is returned.
std::string commas_between_letters_as_dots(const std::string& s) {
  if (s.find(' ') != std::string::npos || s.find('@') != std::string::npos) return s;
  const auto lower_letter = [](char c) { return c >= 'a' && c <= 'z'; };
  std::string dotted = s;
  for (std::size_t i = 1; i + 1 < dotted.size(); ++i) {
    if (dotted[i] == ',' && lower_letter(dotted[i - 1]) && lower_letter(dotted[i + 1])) dotted[i] = '.';
  }
  return classify_text(dotted) == TextKind::kEmailLocalPart ? dotted : s;
}

// A dot beside a hyphen in an address's local part ("viewer.-0042@meet.example") is a speck the
// OCR read by the hyphen: on held-out browser sets 159, 169 and 173 the hyphen of `viewer-0042`
// was read `.-` in 5 clips, never the other way. Mail providers do not give out local parts with
// two marks in a row, so the dot goes, when what is left is still an address.
std::string dots_beside_hyphens_dropped(const std::string& s) {
  const auto at = s.find('@');
  if (at == std::string::npos) return s;
  std::string local = s.substr(0, at);
  for (std::size_t i = local.find(".-"); i != std::string::npos; i = local.find(".-")) local.erase(i, 1);
  for (std::size_t i = local.find("-."); i != std::string::npos; i = local.find("-.")) local.erase(i + 1, 1);
  const std::string out = local + s.substr(at);
  return looks_like_email(out) ? out : s;
}

}  // namespace

std::string correct_confusables(std::string_view reading) {
  std::string s(reading);
  // Stray marks OCR adds at the ends of a line (quotes, brackets, bars, underscores, dashes,
  // asterisks for specks, typographic quotes and guillemets). None of them begins or ends a name,
  // an address or a phone number.
  const std::string_view edge = " '\"`|_~,;:!-*{}[]()";
  const std::string_view wide_edge[] = {"\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x80\x9D",
                                        "\xC2\xAB", "\xC2\xBB"};
  for (bool trimmed = true; trimmed && !s.empty();) {
    trimmed = false;
    if (edge.find(s.front()) != std::string_view::npos) {
      s.erase(s.begin());
      trimmed = true;
    } else if (edge.find(s.back()) != std::string_view::npos || s.back() == '.') {
      s.pop_back();
      trimmed = true;
    }
    for (const std::string_view w : wide_edge) {
      if (s.size() >= w.size() && s.compare(0, w.size(), w) == 0) {
        s.erase(0, w.size());
        trimmed = true;
      } else if (s.size() >= w.size() && s.compare(s.size() - w.size(), w.size(), w) == 0) {
        s.erase(s.size() - w.size());
        trimmed = true;
      }
    }
  }
  // Addresses are read case-insensitively (domains are, and local parts in practice): a capital
  // first letter is the OCR's guess, not the mark's.
  const auto lower = [](std::string t) {
    for (char& c : t) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return t;
  };
  if (looks_like_email(s)) return lower(dots_beside_hyphens_dropped(s));
  if (const std::string dotted = commas_between_letters_as_dots(s); dotted != s) return dotted;
  // Everything below only turns an almost-address into an address, one confusable at a time;
  // a reading that does not become a valid address is returned as it was (trimmed).
  std::string candidate = s;
  // A comma read for a dot (a faint dot's descender).
  if (candidate.find('@') != std::string::npos) std::replace(candidate.begin(), candidate.end(), ',', '.');
  // Specks beside the line read as a short word of their own ("a jane.doe@..."): drop edge
  // tokens of at most two characters when the rest holds the '@'.
  for (bool dropped = true; dropped;) {
    dropped = false;
    const auto first_space = candidate.find(' ');
    if (first_space != std::string::npos && first_space <= 2 && candidate.find('@') > first_space) {
      candidate.erase(0, first_space + 1);
      dropped = true;
    }
    const auto last_space = candidate.rfind(' ');
    if (last_space != std::string::npos && candidate.size() - last_space - 1 <= 2 && candidate.find('@') < last_space) {
      candidate.erase(last_space);
      dropped = true;
    }
  }
  if (candidate.find('@') == std::string::npos) {
    // '@' read as a copyright or registered sign (UTF-8 C2 A9 / C2 AE).
    for (const std::string_view sign : {std::string_view("\xC2\xA9"), std::string_view("\xC2\xAE")}) {
      const auto at = candidate.find(sign);
      if (at != std::string::npos && candidate.find(sign, at + 1) == std::string::npos) {
        candidate.replace(at, sign.size(), "@");
        break;
      }
    }
  }
  if (candidate.find('@') == std::string::npos) {
    // '@' read as a capital O between two lower-case letters or digits, when exactly one such O
    // exists ("j.smithOexample.org").
    std::size_t found = std::string::npos;
    int count = 0;
    for (std::size_t i = 1; i + 1 < candidate.size(); ++i) {
      const auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
      if ((candidate[i] == 'O' || candidate[i] == '0') && lower_or_digit(candidate[i - 1]) &&
          candidate[i + 1] >= 'a' && candidate[i + 1] <= 'z') {
        found = i;
        ++count;
      }
    }
    if (count == 1) candidate[found] = '@';
  }
  if (candidate.find('@') != std::string::npos && candidate.find(' ') != std::string::npos) {
    // A faint '.' that OCR dropped leaves a gap it reads as a space; an address has no spaces.
    std::replace(candidate.begin(), candidate.end(), ' ', '.');
  }
  const auto at = candidate.find('@');
  const auto dot = candidate.rfind('.');
  if (at != std::string::npos && dot != std::string::npos && dot > at) {
    // Top-level domains are letters: digits there are confusables; "rn" is a misread "m".
    std::string tld = candidate.substr(dot + 1);
    for (char& c : tld) {
      if (c == '0') c = 'o';
      else if (c == '1') c = 'l';
      else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (tld == "corn") tld = "com";
    candidate = candidate.substr(0, dot + 1) + tld;
  }
  return looks_like_email(candidate) ? lower(dots_beside_hyphens_dropped(candidate)) : s;
}

namespace {

std::string without_spaces(std::string_view text) {
  std::string out;
  std::copy_if(text.begin(), text.end(), std::back_inserter(out), [](char c) { return c != ' '; });
  return out;
}

// Readings that differ only in spaces are one reading. Tesseract drops a word space far more
// often than it adds one: over the positives of nine corpora (158 clips), 74 readings (two
// renderings per tile) had lost a space of the mark ("+1415 555 0134", "R.Okafor") and 2 had
// gained one. So a pool is spelt with the most spaces among the spellings read at least twice
// and by at least a third of the pool; when none is, the most frequent spelling (then the most
// confident) stands. The medoid below weighs the pool by its total count; the votes and the
// confidence it reports are the chosen spelling's own, as before pooling, so the gates that
// read them (overlay_detector.cpp) are unchanged.
struct Pool {
  Reading reading;  // text: the chosen spelling; count: the pool's; confidence: the spelling's
  int spelling_count = 0;
};

std::vector<Pool> pool_spacings(const std::vector<Reading>& readings) {
  std::map<std::string, std::vector<const Reading*>> pools;
  for (const Reading& r : readings) pools[without_spaces(r.text)].push_back(&r);
  std::vector<Pool> pooled;
  for (const auto& [letters, members] : pools) {
    int total = 0;
    for (const Reading* m : members) total += m->count;
    const auto rank = [total](const Reading* r) {
      const bool widely_read = r->count >= 2 && 3 * r->count >= total;
      const auto spaces = widely_read ? std::count(r->text.begin(), r->text.end(), ' ') : 0;
      return std::make_tuple(widely_read, spaces, r->count, r->mean_confidence);
    };
    const Reading* spelling = *std::max_element(members.begin(), members.end(),
                                                [&](const Reading* a, const Reading* b) { return rank(a) < rank(b); });
    pooled.push_back({{spelling->text, total, spelling->mean_confidence}, spelling->count});
  }
  return pooled;
}

// A reading this share of the winner's characters or less away (edit distance, case and spaces
// aside) is near it: one slip in a 5- to 9-character name, up to four in an address.
constexpr double kNearReadingShare = 0.2;

void count_near_readings(const std::vector<Reading>& readings, MarkText& out) {
  const std::string winner = folded(out.text);
  double summed_confidence = 0.0;
  out.near_votes = 0;
  for (const Reading& r : readings) {
    if (reading_distance(folded(r.text), winner) > kNearReadingShare) continue;
    out.near_votes += r.count;
    summed_confidence += r.count * std::max(0.0, r.mean_confidence);
  }
  out.near_confidence = out.near_votes > 0 ? summed_confidence / out.near_votes : 0.0;
}

}  // namespace

MarkText vote_readings(const std::vector<Reading>& readings) {
  MarkText out;
  const std::vector<Pool> pools = pool_spacings(readings);
  // The medoid: the reading closest (edit distance, weighted by how often each was read) to
  // all the others. One misread tile cannot win against several that agree, and when no two
  // tiles agree exactly the reading that shares most characters with the rest still does.
  // A reading that forms an address or a phone number and was read identically at least twice
  // is hard to make of noise: when there is one, only such readings are candidates (the cost
  // still counts every reading).
  const auto structured = [](const Pool& p) {
    const TextKind kind = classify_text(p.reading.text);
    return p.spelling_count >= 2 && is_address_or_phone(kind);
  };
  const bool restrict = std::any_of(pools.begin(), pools.end(), structured);
  double best_cost = 0.0;
  const Pool* best = nullptr;
  for (const Pool& p : pools) {
    if (restrict && !structured(p)) continue;
    const Reading& r = p.reading;
    double cost = 0.0;
    for (const Pool& o : pools) cost += o.reading.count * reading_distance(r.text, o.reading.text);
    bool better = best == nullptr || cost < best_cost - 1e-9;
    if (!better && best != nullptr && std::abs(cost - best_cost) <= 1e-9) {
      const Reading& b = best->reading;
      better = r.count != b.count ? r.count > b.count : r.mean_confidence > b.mean_confidence;
    }
    if (better) {
      best = &p;
      best_cost = cost;
    }
  }
  if (best == nullptr) return out;
  out.text = best->reading.text;
  out.votes = best->spelling_count;
  out.confidence = std::max(0.0, best->reading.mean_confidence);
  out.kind = classify_text(out.text);
  count_near_readings(readings, out);
  return out;
}

Result<MarkText> read_line_image(const cv::Mat& gray8) {
  try {
    WM_ASSIGN_OR_RETURN(TessPtr api, start_tesseract());
    return read_one(*api, gray8);
  } catch (const std::exception& e) {
    return Status::internal(std::string("OCR: ") + e.what());
  }
}

namespace {

// The median of the first values, each counted as often as its second (its ink).
int ink_weighted_median(std::vector<std::pair<int, int>> values) {
  std::sort(values.begin(), values.end());
  long long total = 0;
  for (const auto& [value, weight] : values) total += weight;
  long long seen = 0;
  for (const auto& [value, weight] : values) {
    seen += weight;
    if (2 * seen >= total) return value;
  }
  return values.back().first;
}

// The gap from each blob to its nearest neighbour on the right in the same row (overlapping by
// most of the smaller one's height), for every blob that has one.
std::vector<int> row_gaps_px(const std::vector<cv::Rect>& blobs) {
  std::vector<int> gaps;
  for (const cv::Rect& a : blobs) {
    int nearest = std::numeric_limits<int>::max();
    for (const cv::Rect& b : blobs) {
      const int overlap = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
      const int gap = b.x - (a.x + a.width);
      if (gap > 0 && overlap > 0.6 * std::min(a.height, b.height)) nearest = std::min(nearest, gap);
    }
    if (nearest != std::numeric_limits<int>::max()) gaps.push_back(nearest);
  }
  return gaps;
}

// How wide a gap between the words of one line may be. A proportional font's space is about a
// third of the font size, under 0.9 of the line height; a monospace font's space is a whole
// character cell, as wide as the line is tall ("Dana Whitfield" in a 36 px monospace font would
// be read as "Whitfield"). So when the gaps between line-tall blobs fall into two groups, the
// narrower up to 1.6 line heights and the wider at least 1.8 times as wide (the space between
// tiles), every gap of the narrower group joins. Specks (under half the line height) stay out.
int line_join_width_px(const std::vector<cv::Rect>& blobs, int line_height_px) {
  const int base = static_cast<int>(std::lround(0.9 * line_height_px));
  std::vector<cv::Rect> tall;
  std::copy_if(blobs.begin(), blobs.end(), std::back_inserter(tall),
               [&](const cv::Rect& b) { return b.height >= 0.5 * line_height_px; });
  std::vector<int> gaps;
  for (const int gap : row_gaps_px(tall)) {
    if (gap >= 0.3 * line_height_px) gaps.push_back(gap);
  }
  std::sort(gaps.begin(), gaps.end());
  for (std::size_t i = 1; i + 1 < gaps.size(); ++i) {  // at least two gaps below the jump
    if (gaps[i] > 1.6 * line_height_px) break;
    if (gaps[i + 1] >= 1.8 * gaps[i]) {
      // Boxes sit closer than ink: a slanted 'W' or 'A' leaves a wider gap beside the next word
      // at most rows than its box does. Allow a quarter line more, but stay closer to the word
      // gaps than to the gaps between tiles.
      return std::max(base, std::min(gaps[i] + 2 + line_height_px / 4, (gaps[i] + gaps[i + 1]) / 2));
    }
  }
  return base;
}

constexpr int kMinLevelledLineWidthPx = 100;  // about six glyphs of an 18-px mark

// read_second_line: a line of the same font is 0.7-1.4 times as tall as the first text's lines
// and differs in width by more than 15 % (a name and an address or number are often of nearly
// one length: `Dana Whitfield` 22 % shorter than `+44 20 7946 0958`; a copy of the first line
// that a speck beside it lengthened was 14 % longer); its reading must be confident, hold three letters
// or digits, and be more than a third of its length away from being a piece of the first text.
constexpr double kSecondLineMinHeightShare = 0.7;
constexpr double kSecondLineMaxHeightShare = 1.4;
constexpr double kSecondLineMinWidthChange = 0.15;
constexpr double kSecondLineMinConfidence = 0.7;
constexpr int kSecondLineMinAlnum = 3;
constexpr double kSecondLineMinPieceDistance = 0.34;
constexpr long kSecondLineMinCopies = 2;  // lines of one size, the line and a copy of it

// A line's strokes are thin when fewer than this share of its ink pixels survive an erosion by a
// 3 x 3 cross (no stroke three pixels wide); such a line is thickened when it is at least this
// tall (see stroke_thickened in mark_reader.h).
constexpr double kThinStrokeCoreShare = 0.15;
constexpr int kMinThickenedLineHeightPx = 22;

// The residual tilt of one line blob (component `id` of `labels`, inside `box`), degrees in
// ±20: the angle that packs its ink into the fewest rows. The matte is levelled by one angle for
// all of it, estimated from the whole matte; over a slide's residue (bullets and rows of text
// that stayed in the reconstruction) that estimate follows the content's rows, and a mark
// rotated by 10 degrees was cut into tilted lines that OCR could not read.
double line_tilt_deg(const cv::Mat& binary, const cv::Mat& labels, int id, const cv::Rect& box) {
  Points points;
  for (int y = box.y; y < box.y + box.height; ++y) {
    const int* label = labels.ptr<int>(y);
    const std::uint8_t* ink = binary.ptr<std::uint8_t>(y);
    for (int x = box.x; x < box.x + box.width; ++x) {
      if (label[x] == id && ink[x] != 0) {
        points.x.push_back(static_cast<float>(x - box.x));
        points.y.push_back(static_cast<float>(y - box.y));
      }
    }
  }
  points.extent = box.width + box.height + 2;
  std::vector<double> rows;
  return best_row_profile_angle(points, -20.0, 20.0, 0.5, {0.0, row_profile_score(points, 0.0, rows)}).deg;
}

}  // namespace

cv::Mat stroke_thickened(const cv::Mat& patch, const cv::Mat& own_ink, int line_height_px) {
  if (line_height_px < kMinThickenedLineHeightPx) return patch;
  const int ink = cv::countNonZero(own_ink);
  if (ink == 0) return patch;
  cv::Mat core;
  cv::erode(own_ink, core, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)));
  if (cv::countNonZero(core) >= kThinStrokeCoreShare * ink) return patch;
  cv::Mat widened;
  cv::dilate(patch, widened, cv::Mat::ones(2, 2, CV_8U));
  return widened;
}

namespace {

// A line-shaped blob of a levelled matte: its box, its ink (summed matte) and its component in
// LineBlobs::labels.
struct LineBlob {
  cv::Rect box;
  double mass = 0.0;
  int id = 0;
};

struct LineBlobs {
  cv::Mat binary;                // the levelled matte's ink (> 0.35)
  cv::Mat labels;                // components of the ink joined into lines
  std::vector<LineBlob> lines;   // heaviest first; clear of the picture's edge
};

// The lines of a levelled matte (CV_32FC1, 1 on strokes): the ink, its letters joined into
// lines (not the lines into one another), the line-shaped components heaviest first.
LineBlobs cut_line_blobs(const cv::Mat& levelled) {
  LineBlobs blobs;
  blobs.binary = levelled > 0.35;
  const cv::Mat& binary = blobs.binary;
  cv::Mat& labels = blobs.labels;
  // Join the letters of a line (not the lines): a wide, flat closing. Its width follows the
  // text size: a first pass with a 15 px closing gives the typical line height h, and the
  // words of a line are then joined across the gaps line_join_width_px allows (a space is
  // about a third of the font size; the gap between tiles is several spaces), so "Tom Berger"
  // stays one line.
  cv::Mat joined;
  cv::morphologyEx(binary, joined, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 3)));
  cv::Mat stats, centroids;
  int count = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  // Word blobs (at least as wide as tall) give the line height, each weighted by its ink: a
  // matte over busy content keeps many small specks (ghosts of bullets and glyphs) that would
  // outnumber the mark's words. Every glyph-sized blob counts when looking for a line cut
  // apart: in a large font the first pass leaves open-sided glyphs on their own ('5', 'c',
  // 'r' are 20 px wide with 11 px between them at 44 px), and a phone number "+1 415 555 0134"
  // would otherwise be read group by group.
  std::vector<cv::Rect> glyphs;
  std::vector<std::pair<int, int>> word_heights, glyph_heights;  // (height, ink pixels)
  for (int i = 1; i < count; ++i) {
    const cv::Rect b(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                     stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (b.height < 6 || b.height > 300) continue;
    const int ink = stats.at<int>(i, cv::CC_STAT_AREA);
    glyphs.push_back(b);
    glyph_heights.emplace_back(b.height, ink);
    if (b.width >= b.height) word_heights.emplace_back(b.height, ink);
  }
  if (word_heights.empty()) word_heights = glyph_heights;
  if (!word_heights.empty()) {
    const int join = line_join_width_px(glyphs, ink_weighted_median(word_heights));
    // Only when words of one line were cut apart: two blobs on the same row (overlapping by
    // most of their height) with a gap narrower than the joining width.
    bool split_words = false;
    for (const int gap : row_gaps_px(glyphs)) split_words |= gap < join;
    if (join > 15 && split_words) {
      cv::morphologyEx(binary, joined, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(join, 3)));
      count = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
    }
  }
  for (int i = 1; i < count; ++i) {
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (box.height < 6 || box.height > 300 || box.width < 2 * box.height) continue;
    if (box.x <= 1 || box.y <= 1 || box.x + box.width >= levelled.cols - 1 || box.y + box.height >= levelled.rows - 1) {
      continue;
    }
    blobs.lines.push_back({box, cv::sum(levelled(box))[0], i});
  }
  std::sort(blobs.lines.begin(), blobs.lines.end(), [](const LineBlob& a, const LineBlob& b) { return a.mass > b.mass; });
  return blobs;
}

// How a line's crop is shown to the OCR: in the matte's grays, or its ink alone (see read_mark).
enum class Rendering { kGray, kInkOnly };

// A pixel of a line's 8-bit rendering (255 x (1 - matte / 0.8): a stroke at matte 1 is black)
// this dark or darker is ink in the ink-only rendering: matte 0.55 and up. A fold's strokes
// reach 0.8-1; the smudges of still content folded over the tiles sit at 0.2-0.5.
constexpr double kInkOnlyMaxGray = 80.0;

// What one line blob reads as, at two sizes (see read_mark), each reading once; readings under
// two characters are dropped.
Result<std::vector<Reading>> read_line_blob(tesseract::TessBaseAPI& api, const cv::Mat& levelled, const LineBlobs& blobs,
                                            const LineBlob& line, bool level_each_line,
                                            Rendering rendering = Rendering::kGray) {
  const int margin = std::max(4, line.box.height / 2);
  const cv::Rect crop = (line.box + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin)) &
                        cv::Rect(0, 0, levelled.cols, levelled.rows);
  const cv::Mat line_ink = (blobs.labels(crop) == line.id) & blobs.binary(crop);
  cv::Mat patch;
  stroke_thickened(levelled(crop), line_ink, line.box.height)
      .convertTo(patch, CV_8U, -255.0 / 0.8, 255.0);  // 1 -> black, 0 -> white
  // A line still tilted by 2 degrees or more is levelled on its own (Tesseract's line mode
  // reads a few degrees of skew, not ten), then cut to its ink again. Only a blob long
  // enough to have a direction: the tilt of a speck two glyphs wide is noise, and levelled
  // specks read alike ("wT" six times outvoted a phone number's tiles on PiP set 83).
  int line_height_px = line.box.height;
  const bool long_enough = line.box.width >= kMinLevelledLineWidthPx;
  const double tilt_deg = level_each_line && long_enough ? line_tilt_deg(blobs.binary, blobs.labels, line.id, line.box) : 0.0;
  if (std::abs(tilt_deg) >= 2.0) {
    const cv::Rect ink_box = cv::boundingRect(rotate_keep_all(line_ink, tilt_deg, cv::BORDER_CONSTANT, cv::Scalar(0)) > 0);
    if (ink_box.height >= 6) {
      const cv::Mat own = rotate_keep_all(patch, tilt_deg, cv::BORDER_CONSTANT, cv::Scalar(255));
      const int pad = std::max(4, ink_box.height / 2);
      patch = own((ink_box + cv::Size(2 * pad, 2 * pad) - cv::Point(pad, pad)) & cv::Rect(0, 0, own.cols, own.rows)).clone();
      line_height_px = ink_box.height;
    }
  }
  // A line blob is about the font's pixel size tall; aim for ~50 px, i.e. x-height ~25 px,
  // and read again at ~36 px: two renderings of each tile give the vote more readings of a
  // faint matte, and Tesseract's errors at the two sizes are largely independent.
  std::vector<Reading> readings;
  for (const double target_px : {50.0, 36.0}) {
    const double scale = std::clamp(target_px / line_height_px, 1.0, 8.0);
    cv::Mat upscaled;
    cv::resize(patch, upscaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
    // Cut after the upscaling, so the strokes keep the smooth outline the cubic gives them.
    if (rendering == Rendering::kInkOnly) cv::threshold(upscaled, upscaled, kInkOnlyMaxGray, 255.0, cv::THRESH_BINARY);
    WM_ASSIGN_OR_RETURN(MarkText one, read_one(api, upscaled));
    one.text = correct_confusables(one.text);
    if (one.text.size() >= 2) readings.push_back({one.text, 1, one.confidence});
  }
  return readings;
}

// Adds `readings` to `tally` (reading -> (votes, summed confidence)).
void add_to_tally(const std::vector<Reading>& readings, std::map<std::string, std::pair<int, double>>& tally) {
  for (const Reading& r : readings) {
    auto& entry = tally[r.text];
    entry.first += r.count;
    entry.second += r.count * r.mean_confidence;
  }
}

std::vector<Reading> tallied(const std::map<std::string, std::pair<int, double>>& tally) {
  std::vector<Reading> readings;
  for (const auto& [text, vc] : tally) readings.push_back({text, vc.first, vc.second / vc.first});
  return readings;
}

// read_mark's vote over `lines` in one rendering, with where the lines near the winner lie in
// `shape`'s pixels.
Result<MarkText> vote_over_lines(tesseract::TessBaseAPI& api, const cv::Mat& shape, double angle_deg,
                                 const cv::Mat& levelled, const LineBlobs& blobs, bool level_each_line,
                                 Rendering rendering, const std::function<bool()>& stop) {
  const std::vector<LineBlob>& lines = blobs.lines;
  MarkText best;
  std::map<std::string, std::pair<int, double>> tally;  // reading -> (votes, summed confidence)
  std::vector<std::vector<std::string>> line_readings(lines.size());  // per line, what it read as
  for (std::size_t line_index = 0; line_index < lines.size(); ++line_index) {
    if (stop && stop()) break;
    WM_ASSIGN_OR_RETURN(std::vector<Reading> read,
                        read_line_blob(api, levelled, blobs, lines[line_index], level_each_line, rendering));
    add_to_tally(read, tally);
    for (const Reading& r : read) line_readings[line_index].push_back(r.text);
    ++best.lines_read;
  }
  const MarkText voted = vote_readings(tallied(tally));
  best.text = voted.text;
  best.votes = voted.votes;
  best.confidence = voted.confidence;
  best.near_votes = voted.near_votes;
  best.near_confidence = voted.near_confidence;
  best.kind = classify_text(best.text);
  const std::string winner = folded(best.text);
  for (std::size_t i = 0; i < lines.size() && !winner.empty(); ++i) {
    const bool near = std::any_of(line_readings[i].begin(), line_readings[i].end(), [&](const std::string& r) {
      return reading_distance(folded(r), winner) <= kNearReadingShare;
    });
    const cv::Rect at = near ? box_before_turn(lines[i].box, shape.size(), angle_deg) : cv::Rect();
    if (at.area() > 0) best.read_at.push_back(at);
  }
  return best;
}

// The lines agree on a text without being sure of it: at least kUnsureMinNearVotes readings are
// near the winner, but fewer than kSureMinVotes read it exactly or their confidence is under
// kSureMinConfidence (the faint views' gate, tiled_gates.h). Then the ink-only rendering is read too.
constexpr int kUnsureMinNearVotes = 4;
constexpr int kSureMinVotes = 3;
constexpr double kSureMinConfidence = 0.6;

bool agreed_but_unsure(const MarkText& text) {
  if (text.text.empty() || text.near_votes < kUnsureMinNearVotes) return false;
  return text.votes < kSureMinVotes || text.confidence < kSureMinConfidence;
}

// `a` has more exact or more near readings than `b` and is no worse in any of them, nor in
// either confidence, nor in being an address or a phone number. Cutting a faint mark's thin
// strokes at one level also cuts letters apart: on a grey mark at 0.08 over template slides the
// ink alone read the address as often and more confidently (2 alike, 0.76 -> 0.92), but with
// 3 near readings where the gray rendering had 10, and the near readings were what vouched for it.
bool reads_better_everywhere(const MarkText& a, const MarkText& b) {
  const bool no_worse = a.votes >= b.votes && a.near_votes >= b.near_votes && a.confidence >= b.confidence &&
                        a.near_confidence >= b.near_confidence &&
                        (is_address_or_phone(a.kind) || !is_address_or_phone(b.kind));
  return no_worse && (a.votes > b.votes || a.near_votes > b.near_votes);
}

}  // namespace

Result<MarkText> read_mark(const cv::Mat& shape, double angle_deg, int max_lines, const std::function<bool()>& stop,
                           bool level_each_line) {
  try {
    const cv::Mat levelled = rotate_keep_all(shape, angle_deg, cv::BORDER_CONSTANT, cv::Scalar(0));
    LineBlobs blobs = cut_line_blobs(levelled);
    std::vector<LineBlob>& lines = blobs.lines;
    if (lines.size() > static_cast<std::size_t>(max_lines)) lines.resize(static_cast<std::size_t>(max_lines));
    if (lines.empty()) return MarkText{};
    WM_ASSIGN_OR_RETURN(TessPtr api, start_tesseract());
    WM_ASSIGN_OR_RETURN(MarkText gray,
                        vote_over_lines(*api, shape, angle_deg, levelled, blobs, level_each_line, Rendering::kGray, stop));
    if (!agreed_but_unsure(gray)) return gray;
    // A fold over a still picture keeps the picture's own shapes as mid-gray smudges across the
    // tiles (a slide's text, a gradient's steps); Tesseract reads the strokes among them with
    // little confidence (browser 181 `037`: `sam.taylor` plain in every line, 3 alike at 0.17).
    // The same lines with only their ink kept are read again; that vote is kept only when it
    // reads better by every measure the detector's gates weigh (reads_better_everywhere).
    WM_ASSIGN_OR_RETURN(MarkText ink,
                        vote_over_lines(*api, shape, angle_deg, levelled, blobs, level_each_line, Rendering::kInkOnly, stop));
    return reads_better_everywhere(ink, gray) ? ink : gray;
  } catch (const std::exception& e) {
    return Status::internal(std::string("OCR: ") + e.what());
  }
}

MarkText choose_second_line(const std::vector<Reading>& readings, const std::string& first_text) {
  // Readings that are pieces of the first text are copies of its lines cut short: out. Of the
  // rest, the reading the others are pieces of wins (a copy of the second line cut short reads
  // as a piece of it: `ler` of `Maria Keller`), then the longer, then the more confident. Only a
  // reading that could be reported can win (identifying, confident, three letters or digits): a
  // copy read with a speck beside it (`Ss Priya Natarajan` at 0.63) has the clean readings as
  // pieces of it and won before, to be turned down as unsure, with nothing reported.
  const auto reportable = [](const Reading& r) {
    return is_identifying(classify_text(r.text)) && r.mean_confidence >= kSecondLineMinConfidence &&
           count_alphanumerics(r.text) >= kSecondLineMinAlnum;
  };
  struct Candidate {
    const Reading* reading;
    std::string folded;
  };
  std::vector<Candidate> own;
  for (const Reading& r : readings) {
    if (!reads_as_piece_of(r.text, first_text, kSecondLineMinPieceDistance)) own.push_back({&r, folded(r.text)});
  }
  const Candidate* whole = nullptr;
  int whole_explains = 0;
  for (const Candidate& c : own) {
    if (!reportable(*c.reading)) continue;
    int explains = 0;
    for (const Candidate& o : own) {
      if (piece_distance(o.folded, c.folded) <= kSecondLineMinPieceDistance) explains += o.reading->count;
    }
    bool better = whole == nullptr || explains > whole_explains;
    if (!better && explains == whole_explains) {
      better = c.folded.size() != whole->folded.size() ? c.folded.size() > whole->folded.size()
                                                       : c.reading->mean_confidence > whole->reading->mean_confidence;
    }
    if (better) {
      whole = &c;
      whole_explains = explains;
    }
  }
  MarkText second;
  if (whole == nullptr) return second;
  const Reading& r = *whole->reading;
  // Not with the first text a piece of it (a line of two tiles' texts joined).
  if (reads_as_piece_of(first_text, r.text, kSecondLineMinPieceDistance)) return second;
  second.text = r.text;
  second.votes = r.count;
  second.confidence = r.mean_confidence;
  second.kind = classify_text(r.text);
  return second;
}

Result<MarkText> read_second_line(const cv::Mat& shape, double angle_deg, const MarkText& first, int max_lines,
                                  const std::function<bool()>& stop) {
  MarkText second;
  if (first.text.empty() || first.read_at.empty() || max_lines <= 0) return second;
  try {
    const cv::Mat levelled = rotate_keep_all(shape, angle_deg, cv::BORDER_CONSTANT, cv::Scalar(0));
    const LineBlobs blobs = cut_line_blobs(levelled);
    // The first text's lines are those read_mark said it was read at (the same matte and angle
    // give the same blobs); their typical size tells the other lines apart.
    std::vector<std::pair<int, int>> widths, heights;  // (px, weight 1) for ink_weighted_median
    std::vector<char> first_line(blobs.lines.size(), 0);
    for (std::size_t i = 0; i < blobs.lines.size(); ++i) {
      const cv::Rect at = box_before_turn(blobs.lines[i].box, shape.size(), angle_deg);
      if (std::find(first.read_at.begin(), first.read_at.end(), at) == first.read_at.end()) continue;
      first_line[i] = 1;
      widths.emplace_back(blobs.lines[i].box.width, 1);
      heights.emplace_back(blobs.lines[i].box.height, 1);
    }
    if (widths.empty()) return second;
    const double width_px = ink_weighted_median(widths), height_px = ink_weighted_median(heights);
    // Lines of the same font (height) but another length that repeat as the first text's lines
    // do — a folded tile repeats its lines over the frame, each copy alike, while copies of a line
    // cut short by the picture or by still content are each of their own length — the most
    // repeated first, then the heaviest; one of each size (copies read alike).
    const auto same_size = [](const LineBlob& a, const LineBlob& b) {
      return std::abs(a.box.width - b.box.width) <= 3 && std::abs(a.box.height - b.box.height) <= 3;
    };
    std::vector<const LineBlob*> candidates;
    for (std::size_t i = 0; i < blobs.lines.size(); ++i) {
      const LineBlob& line = blobs.lines[i];
      const double h = line.box.height, w = line.box.width;
      if (first_line[i] == 0 && h >= kSecondLineMinHeightShare * height_px && h <= kSecondLineMaxHeightShare * height_px &&
          std::abs(w - width_px) > kSecondLineMinWidthChange * width_px) {
        candidates.push_back(&line);
      }
    }
    const auto copies = [&](const LineBlob* line) {
      return std::count_if(candidates.begin(), candidates.end(), [&](const LineBlob* o) { return same_size(*o, *line); });
    };
    std::vector<std::pair<long, const LineBlob*>> repeated;
    for (const LineBlob* line : candidates) {
      const long n = copies(line);
      if (n >= kSecondLineMinCopies) repeated.emplace_back(n, line);
    }
    std::stable_sort(repeated.begin(), repeated.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<const LineBlob*> others;
    for (const auto& [n, line] : repeated) {
      if (static_cast<int>(others.size()) >= max_lines) break;
      const bool seen = std::any_of(others.begin(), others.end(), [&](const LineBlob* o) { return same_size(*o, *line); });
      if (!seen) others.push_back(line);
    }
    if (others.empty()) return second;
    WM_ASSIGN_OR_RETURN(TessPtr api, start_tesseract());
    std::map<std::string, std::pair<int, double>> tally;
    for (const LineBlob* line : others) {
      if (stop && stop()) break;
      WM_ASSIGN_OR_RETURN(std::vector<Reading> read, read_line_blob(*api, levelled, blobs, *line, true));
      add_to_tally(read, tally);
      ++second.lines_read;
    }
    const MarkText chosen = choose_second_line(tallied(tally), first.text);
    if (chosen.text.empty()) return second;
    const int lines_read = second.lines_read;
    second = chosen;
    second.lines_read = lines_read;
    return second;
  } catch (const std::exception& e) {
    return Status::internal(std::string("OCR: ") + e.what());
  }
}

}  // namespace wm::video
