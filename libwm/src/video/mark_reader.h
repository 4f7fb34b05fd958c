// Stage 4: reading a recovered mark (OCR on the matte) and classifying what it reveals.
#ifndef WM_VIDEO_MARK_READER_H_
#define WM_VIDEO_MARK_READER_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "wm/status.h"

namespace wm::video {

enum class TextKind { kEmail, kEmailLocalPart, kPhone, kPersonName, kFreeText, kNone };
std::string_view text_kind_name(TextKind kind);  // "email", "email_local_part", ...
TextKind classify_text(std::string_view text);
// Whether a text of `kind` names someone: an address, its local part, a phone number, a name.
bool is_identifying(TextKind kind);
// Whether `kind` is a whole address or a phone number: structured texts that noise and a page's
// splinters rarely spell, which the vote, the choice of polarity and read_mark's second reading
// weigh above other readings.
bool is_address_or_phone(TextKind kind);
// Letters and digits in `text` (ASCII): the gates' measure of how much a reading says, spaces,
// dots and specks aside.
int count_alphanumerics(std::string_view text);

// Angle (degrees, counter-clockwise on screen, within [-60, 60]) that the lines of text in
// `shape` (CV_32FC1 matte, 1 on strokes) run at, by maximising the spread of the row profile.
// `stop` (may be empty) is polled per angle tried; when it says true the best so far is returned.
double estimate_text_angle_deg(const cv::Mat& shape, const std::function<bool()>& stop = {});

struct MarkText {
  std::string text;       // the voted reading, trimmed; empty when nothing was readable
  double confidence = 0;  // 0..1, Tesseract's mean word confidence of the winning reading
  int votes = 0;          // lines that read exactly `text`
  // Readings close to `text` (see vote_readings), `text`'s own included, and their mean
  // confidence: a faint mark is read a little differently in each tile ("Pp Novak", "p novak",
  // "P Novak"), and those readings agree though few of them are identical.
  int near_votes = 0;
  double near_confidence = 0;
  int lines_read = 0;     // text lines given to the OCR engine
  TextKind kind = TextKind::kNone;
  // Where the lines that read as `text` or near it lie, in the read shape's pixels (read_mark;
  // boxes of the levelled lines turned back), heaviest line first: the reading's place, as
  // opposed to every stroke the matte holds.
  std::vector<cv::Rect> read_at;
};

// Levels the matte by `angle_deg`, cuts out up to `max_lines` line-shaped blobs, renders each
// dark-on-light with an x-height of about 25 px and reads it with Tesseract (English, single
// line); the most frequent reading wins. When the lines agree on a text but are unsure of it (at
// least 4 readings near the winner, and fewer than 3 exact or a confidence under 0.6), they are
// read again with only their ink (matte >= 0.55), and that vote is returned when it has more
// exact or near readings and is no worse in either count, either confidence, or in being an
// address or a phone number. Errors: internal when Tesseract cannot start (no
// English data). Tesseract exceptions never leave this function. `stop` (may be empty) is
// polled before each line is read; when it says true the lines read so far decide.
// `level_each_line`: a line blob still tilted by 2 degrees or more after the levelling is
// levelled on its own (the whole matte's angle can follow the content's residue instead of the
// mark); off for text that is known to run straight, such as a static label.
Result<MarkText> read_mark(const cv::Mat& shape, double angle_deg, int max_lines,
                           const std::function<bool()>& stop = {}, bool level_each_line = true);

// A second text a mark shows beside `first` (read_mark's reading of the same `shape` at the same
// `angle_deg`): a tile of two lines, a name over an address, whose lighter line read_mark's
// heaviest lines leave out. Up to `max_lines` lines of the first text's height but another length
// (one of each size: a folded tile repeats its lines) are read and voted; the reading counts only
// when it is identifying (an address, its local part, a phone number, a name), confident
// (>= 0.7), holds three letters or digits and is no piece of the first text, nor the first a
// piece of it (a copy of a line cut short). Empty text otherwise. Errors as read_mark.
Result<MarkText> read_second_line(const cv::Mat& shape, double angle_deg, const MarkText& first, int max_lines,
                                  const std::function<bool()>& stop = {});

// `patch` (a line's crop of the levelled matte, CV_32FC1, 1 = ink) with its strokes widened by
// one pixel (a 2 x 2 grey dilation) when they are thin for the line's height, else `patch`
// itself; read_mark does this to every line before it upscales it. Thin: under 15 % of the
// line's ink (`own_ink`, CV_8UC1) survives an erosion by a 3 x 3 cross. Only lines at least
// 22 px tall (`line_height_px`). A faint mark's strokes come out of the fold one or two pixels
// wide and broken in places, and Tesseract reads such lines of a larger font badly even
// upscaled: a white 0.08 mark at 24 and 32 px read `ops-teain@example.org` at confidence 0.28
// where the widened line reads the address (tuning sets 93 `032`, 95 `000`). Small fonts are
// left as they are: widened, their letters close up (18 px: `Maria Keller` read `Maria Kaller`).
cv::Mat stroke_thickened(const cv::Mat& patch, const cv::Mat& own_ink, int line_height_px);

// Tesseract's text as one line: line breaks and runs of spaces become one space, and the spaces
// OCR puts around '@' and '.' go (except after a name's initial: "R. Okafor").
std::string normalise_reading(std::string_view raw);

// One word of a Tesseract reading and its box in the read image's pixels.
struct OcrWord {
  std::string text;
  cv::Rect box;
};

// An address's initial that OCR split off with the dot after it: `reading` (normalise_reading's
// line) begins with a word of one or two letters (a ',' or '.' after them aside), a space, and a
// rest that holds the '@'. When `words` (the reading's words in order, as Tesseract boxed them)
// show that word as a letter of the line — its box at least 0.4 and at most 1.5 times as tall as
// the next word's — standing at most 0.75 of that height before it, the letters are joined to
// the rest with a dot: `k, Lindgren@acme.test` becomes `k.Lindgren@acme.test`. Otherwise
// `reading` is returned unchanged, and correct_confusables drops such a word as a speck. Over the
// 84 tiled address clips of saved sets 145-153 and browser 191-199 (where the bounds were
// chosen), the initials of `k.lindgren@...` and `li.wei@...` read this way stood 4-23 px
// (0.11-0.53 of the next word's height) before it in 41 of 44 lines; the specks read as letters
// were 2-4 px boxes, most of them 1.1-1.9 heights away.
std::string initial_joined(std::string_view reading, const std::vector<OcrWord>& words);

// OCR post-correction that never invents text: trims stray edge marks, and only when the result
// then reads as an e-mail address replaces confusables (a lone copyright/registered sign or O for
// a missing '@', a space for a dropped '.', digits or "rn" in the top-level domain); a comma
// between two lower-case letters of a reading without spaces or '@' becomes a dot when that
// makes an address's local part ("sam,taylor"); in an address's local part a dot beside a hyphen
// is a speck and goes ("viewer.-0042@..."). Anything else is returned trimmed, unchanged.
std::string correct_confusables(std::string_view reading);

// One distinct OCR reading of a mark and how many lines (tiles) read exactly that.
struct Reading {
  std::string text;
  int count = 0;
  double mean_confidence = 0.0;
};

// Edit distance between two readings as a share of the longer one, 0..1.
double reading_distance(const std::string& a, const std::string& b);

// `text` in lower case without its spaces: OCR's errors on a faint mark are mostly case (p/P), a
// dropped or doubled letter and spaces; folding case and spaces away leaves the letters to
// compare.
std::string folded(std::string_view text);

// How far `piece` is from being a part of `whole`: the fewest edits that make it a substring of
// `whole`, as a share of its length, 0..1 (0 for an empty piece). `iple.com` is 0.125 from
// `jane.doe@example.com`.
double piece_distance(const std::string& piece, const std::string& whole);

// Whether `reading` is a person-like name and `whole` has neither a capital letter nor a space
// (an address, its local part, a number): then the two are different lines whatever their
// folded letters say. Folding case and spaces away is also what turns a name into its address
// (`Priya Natarajan` is 4 edits in 14 from a piece of `p.natarajan@corp.example`, `Jane Doe` 1
// in 8 from `jane.doe`). The price: a cut copy of an address that OCR reads with two case slips
// and a dot as a space (`P. Natarajan`) is taken for a name too.
bool name_beside_plain_text(std::string_view reading, std::string_view whole);

// Whether `reading` is (nearly) a part of `whole`: a copy of its line cut short, or read in part.
// piece_distance of the two folded is at most `max_distance`, unless name_beside_plain_text.
bool reads_as_piece_of(std::string_view reading, std::string_view whole, double max_distance);

// Vote across tiles: readings that differ only in spaces are pooled first, spelt with the most
// spaces among the spellings read at least twice and by a third of the pool (OCR drops word
// spaces, it seldom adds them). Then the medoid pool under edit distance (as a share of the
// longer reading, at most 1; weighted by the pool's count); ties go to the larger pool, then the
// more confident spelling. When some e-mail address or phone number was read identically at
// least twice, only such readings are candidates. votes and confidence are the chosen
// spelling's own: lines that read exactly the winner, and their mean confidence. near_votes
// counts the readings within a fifth of the winner's characters once case and spaces are set
// aside, near_confidence is their mean confidence.
MarkText vote_readings(const std::vector<Reading>& readings);

// read_second_line's choice among the readings of the other lines (`readings`, each distinct
// reading with its count and mean confidence): readings that are pieces of `first_text`
// (reads_as_piece_of, 0.34) are dropped; of the rest, among those that could be reported —
// identifying (an address, its local part, a phone number, a name), at confidence >= 0.7, with
// three letters or digits — the reading the most others are pieces of wins (count-weighted),
// then the longer, then the more confident. Its text, votes, confidence and kind; empty when
// there is none or the winner has `first_text` as a piece of it.
MarkText choose_second_line(const std::vector<Reading>& readings, const std::string& first_text);

// OCR of one 8-bit dark-on-light line image; exposed for tests and for opaque labels.
Result<MarkText> read_line_image(const cv::Mat& gray8);

}  // namespace wm::video

#endif  // WM_VIDEO_MARK_READER_H_
