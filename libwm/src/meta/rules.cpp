// Metadata rules.
//
// Method: every MetaField (from libavformat's dictionaries or our own walkers) is looked at
// twice. First its value: e-mail addresses, ISO 6709 coordinates and phone numbers are found
// wherever they hide (a comment, an iXML note, a file name of an attachment). Then its key:
// fields whose meaning is fixed by the container spec (artist, ©xyz, apID, make, UMID,
// xmpMM:DocumentID, encoder, ...) are classified by a table. Free text (title, comment) that
// matches neither is searched for person-like names and otherwise left for a person to judge.
//
// Severity follows DESIGN.md: identity (person, e-mail, phone, location, account, C2PA
// signer) high; device and unique ids medium; software low; context info; opaque blobs review.
//
// What it cannot see: identity encoded in ways no rule knows (a nickname in a title, an id
// inside a binary PRIV frame) — those surface as "review" findings, never as clean.
#include "meta/rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "core/text.h"

namespace wm::meta {

namespace {

constexpr std::size_t kMaxScannedChars = 1 << 20;

bool is_email_local_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80; }

// ---- key tables ---------------------------------------------------------------------------

enum class KeyClass {
  kNone,        // no rule by key; value patterns still apply
  kStructural,  // a default every muxer writes: never a finding
  kPerson,      // names a person or organisation by definition (artist, author)
  kFreeText,    // free text a person wrote (title, comment)
  kLocation,
  kAccount,
  kDevice,
  kUniqueId,
  kSoftware,
  kTimestamp,
  kUrl,
};

struct KeyRule {
  std::string_view key;  // lower-case; a trailing '*' matches any suffix
  KeyClass cls;
};

// Lower-cased keys as libavformat, ID3, RIFF INFO, bext, cart, XMP and iTunes name them.
constexpr std::array kKeyRules{
    // structural defaults
    KeyRule{"major_brand", KeyClass::kStructural}, KeyRule{"minor_version", KeyClass::kStructural},
    KeyRule{"compatible_brands", KeyClass::kStructural}, KeyRule{"language", KeyClass::kStructural},
    KeyRule{"vendor_id", KeyClass::kStructural}, KeyRule{"duration", KeyClass::kStructural},
    KeyRule{"number_of_frames", KeyClass::kStructural}, KeyRule{"number_of_bytes", KeyClass::kStructural},
    KeyRule{"bps", KeyClass::kStructural}, KeyRule{"_statistics_*", KeyClass::kStructural},
    KeyRule{"rotate", KeyClass::kStructural}, KeyRule{"timecode", KeyClass::kStructural},
    KeyRule{"filename", KeyClass::kNone},
    // libavformat mirrors ID3 PRIV frames as "id3v2_priv.<owner>"; the ID3 walker reports the
    // frame itself (with its size and owner), so the mirror is not a second finding.
    KeyRule{"id3v2_priv.*", KeyClass::kStructural}, KeyRule{"mimetype", KeyClass::kStructural},
    KeyRule{"track", KeyClass::kStructural}, KeyRule{"disc", KeyClass::kStructural},
    KeyRule{"trck", KeyClass::kStructural}, KeyRule{"tpos", KeyClass::kStructural},
    KeyRule{"tlen", KeyClass::kStructural}, KeyRule{"itrk", KeyClass::kStructural},
    KeyRule{"genre", KeyClass::kStructural}, KeyRule{"tcon", KeyClass::kStructural},
    KeyRule{"ignr", KeyClass::kStructural}, KeyRule{"gnre", KeyClass::kStructural},
    KeyRule{"bext.timereference", KeyClass::kStructural}, KeyRule{"bext.version", KeyClass::kStructural},
    KeyRule{"cart.version", KeyClass::kStructural}, KeyRule{"time_reference", KeyClass::kStructural},
    KeyRule{"coding_history", KeyClass::kSoftware}, KeyRule{"bext.codinghistory", KeyClass::kSoftware},
    // person
    KeyRule{"artist", KeyClass::kPerson}, KeyRule{"album_artist", KeyClass::kPerson},
    KeyRule{"author", KeyClass::kPerson}, KeyRule{"composer", KeyClass::kPerson},
    KeyRule{"performer", KeyClass::kPerson}, KeyRule{"lyricist", KeyClass::kPerson},
    KeyRule{"conductor", KeyClass::kPerson}, KeyRule{"director", KeyClass::kPerson},
    KeyRule{"producer", KeyClass::kPerson}, KeyRule{"copyright", KeyClass::kPerson},
    KeyRule{"encoded_by", KeyClass::kPerson}, KeyRule{"originator", KeyClass::kPerson},
    KeyRule{"publisher", KeyClass::kPerson}, KeyRule{"written_by", KeyClass::kPerson},
    KeyRule{"©art", KeyClass::kPerson}, KeyRule{"©aut", KeyClass::kPerson}, KeyRule{"©wrt", KeyClass::kPerson},
    KeyRule{"©com", KeyClass::kPerson}, KeyRule{"©dir", KeyClass::kPerson}, KeyRule{"©prd", KeyClass::kPerson},
    KeyRule{"©cpy", KeyClass::kPerson}, KeyRule{"©prf", KeyClass::kPerson}, KeyRule{"aart", KeyClass::kPerson},
    KeyRule{"cprt", KeyClass::kPerson}, KeyRule{"tpe1", KeyClass::kPerson}, KeyRule{"tpe2", KeyClass::kPerson},
    KeyRule{"tpe3", KeyClass::kPerson}, KeyRule{"tpe4", KeyClass::kPerson}, KeyRule{"tcom", KeyClass::kPerson},
    KeyRule{"text", KeyClass::kPerson}, KeyRule{"tole", KeyClass::kPerson}, KeyRule{"tope", KeyClass::kPerson},
    KeyRule{"tenc", KeyClass::kPerson}, KeyRule{"tcop", KeyClass::kPerson}, KeyRule{"town", KeyClass::kPerson},
    KeyRule{"iart", KeyClass::kPerson}, KeyRule{"ieng", KeyClass::kPerson}, KeyRule{"icms", KeyClass::kPerson},
    KeyRule{"icop", KeyClass::kPerson}, KeyRule{"itch", KeyClass::kPerson},
    KeyRule{"bext.originator", KeyClass::kPerson}, KeyRule{"cart.artist", KeyClass::kPerson},
    KeyRule{"cart.clientid", KeyClass::kAccount},
    KeyRule{"xmp.dc:creator", KeyClass::kPerson}, KeyRule{"xmp.dc:contributor", KeyClass::kPerson},
    KeyRule{"xmp.dc:rights", KeyClass::kPerson}, KeyRule{"xmp.dc:publisher", KeyClass::kPerson},
    KeyRule{"xmp.xmprights:owner", KeyClass::kPerson}, KeyRule{"xmp.photoshop:author*", KeyClass::kPerson},
    KeyRule{"xmp.xmpdm:artist", KeyClass::kPerson}, KeyRule{"xmp.xmpdm:composer", KeyClass::kPerson},
    KeyRule{"xmp.xmpdm:director", KeyClass::kPerson}, KeyRule{"xmp.xmpdm:engineer", KeyClass::kPerson},
    KeyRule{"xmp.iptc4xmpcore:creatorcontactinfo", KeyClass::kPerson},
    KeyRule{"com.apple.quicktime.author", KeyClass::kPerson}, KeyRule{"com.apple.quicktime.artist", KeyClass::kPerson},
    KeyRule{"com.apple.quicktime.displayname", KeyClass::kPerson},
    KeyRule{"ixml.bext/bwf_originator", KeyClass::kPerson}, KeyRule{"ixml.user", KeyClass::kFreeText},
    KeyRule{"xtra.wm/publisher", KeyClass::kPerson}, KeyRule{"xtra.author", KeyClass::kPerson},
    // free text
    KeyRule{"title", KeyClass::kFreeText}, KeyRule{"comment", KeyClass::kFreeText},
    KeyRule{"description", KeyClass::kFreeText}, KeyRule{"synopsis", KeyClass::kFreeText},
    KeyRule{"subtitle", KeyClass::kFreeText}, KeyRule{"album", KeyClass::kFreeText},
    KeyRule{"keywords", KeyClass::kFreeText}, KeyRule{"lyrics*", KeyClass::kFreeText},
    KeyRule{"show", KeyClass::kFreeText}, KeyRule{"episode_id", KeyClass::kFreeText},
    KeyRule{"©nam", KeyClass::kFreeText}, KeyRule{"©cmt", KeyClass::kFreeText}, KeyRule{"©des", KeyClass::kFreeText},
    KeyRule{"©alb", KeyClass::kFreeText}, KeyRule{"©inf", KeyClass::kFreeText}, KeyRule{"desc", KeyClass::kFreeText},
    KeyRule{"ldes", KeyClass::kFreeText}, KeyRule{"tit1", KeyClass::kFreeText}, KeyRule{"tit2", KeyClass::kFreeText},
    KeyRule{"tit3", KeyClass::kFreeText}, KeyRule{"talb", KeyClass::kFreeText}, KeyRule{"comm", KeyClass::kFreeText},
    KeyRule{"uslt", KeyClass::kFreeText}, KeyRule{"txxx", KeyClass::kFreeText}, KeyRule{"inam", KeyClass::kFreeText},
    KeyRule{"icmt", KeyClass::kFreeText}, KeyRule{"isbj", KeyClass::kFreeText}, KeyRule{"ikey", KeyClass::kFreeText},
    KeyRule{"iprd", KeyClass::kFreeText}, KeyRule{"bext.description", KeyClass::kFreeText},
    KeyRule{"cart.title", KeyClass::kFreeText}, KeyRule{"cart.userdef", KeyClass::kFreeText},
    KeyRule{"xmp.dc:title", KeyClass::kFreeText}, KeyRule{"xmp.dc:description", KeyClass::kFreeText},
    KeyRule{"xmp.dc:subject", KeyClass::kFreeText}, KeyRule{"xmp.xmpdm:logcomment", KeyClass::kFreeText},
    KeyRule{"ixml.project", KeyClass::kFreeText}, KeyRule{"ixml.note", KeyClass::kFreeText},
    KeyRule{"ixml.name", KeyClass::kFreeText}, KeyRule{"ixml.scene", KeyClass::kFreeText},
    KeyRule{"ixml.tape", KeyClass::kFreeText}, KeyRule{"chapter_title", KeyClass::kFreeText},
    KeyRule{"com.apple.quicktime.title", KeyClass::kFreeText},
    KeyRule{"com.apple.quicktime.description", KeyClass::kFreeText},
    KeyRule{"com.apple.quicktime.comment", KeyClass::kFreeText},
    KeyRule{"xtra.wm/subtitle", KeyClass::kFreeText}, KeyRule{"xtra.title", KeyClass::kFreeText},
    // location
    KeyRule{"location", KeyClass::kLocation}, KeyRule{"location-*", KeyClass::kLocation},
    KeyRule{"©xyz", KeyClass::kLocation}, KeyRule{"com.apple.quicktime.location.*", KeyClass::kLocation},
    KeyRule{"xmp.exif:gps*", KeyClass::kLocation}, KeyRule{"xmp.iptc4xmpcore:location", KeyClass::kLocation},
    KeyRule{"xmp.photoshop:city", KeyClass::kLocation}, KeyRule{"xmp.photoshop:country", KeyClass::kLocation},
    KeyRule{"gps*", KeyClass::kLocation}, KeyRule{"ixml.location*", KeyClass::kLocation},
    // account
    KeyRule{"apid", KeyClass::kAccount}, KeyRule{"account_id", KeyClass::kAccount},
    KeyRule{"ownr", KeyClass::kAccount}, KeyRule{"purchaser", KeyClass::kAccount},
    KeyRule{"©own", KeyClass::kAccount},
    // device
    KeyRule{"make", KeyClass::kDevice}, KeyRule{"model", KeyClass::kDevice}, KeyRule{"©mak", KeyClass::kDevice},
    KeyRule{"©mod", KeyClass::kDevice}, KeyRule{"com.apple.quicktime.make", KeyClass::kDevice},
    KeyRule{"com.apple.quicktime.model", KeyClass::kDevice}, KeyRule{"com.android.manufacturer", KeyClass::kDevice},
    KeyRule{"com.android.model", KeyClass::kDevice}, KeyRule{"xmp.tiff:make", KeyClass::kDevice},
    KeyRule{"xmp.tiff:model", KeyClass::kDevice}, KeyRule{"serial*", KeyClass::kDevice},
    KeyRule{"*serialnumber", KeyClass::kDevice}, KeyRule{"device*", KeyClass::kDevice},
    KeyRule{"xmp.exifex:lensmodel", KeyClass::kDevice},
    // unique ids
    KeyRule{"bext.umid", KeyClass::kUniqueId}, KeyRule{"umid", KeyClass::kUniqueId},
    KeyRule{"bext.originatorreference", KeyClass::kUniqueId}, KeyRule{"originator_reference", KeyClass::kUniqueId},
    KeyRule{"xmp.xmpmm:documentid", KeyClass::kUniqueId}, KeyRule{"xmp.xmpmm:instanceid", KeyClass::kUniqueId},
    KeyRule{"xmp.xmpmm:originaldocumentid", KeyClass::kUniqueId}, KeyRule{"ufid", KeyClass::kUniqueId},
    KeyRule{"ixml.file_uid", KeyClass::kUniqueId}, KeyRule{"com.apple.quicktime.content.identifier", KeyClass::kUniqueId},
    KeyRule{"cnid", KeyClass::kUniqueId}, KeyRule{"plid", KeyClass::kUniqueId}, KeyRule{"atid", KeyClass::kUniqueId},
    KeyRule{"geid", KeyClass::kUniqueId}, KeyRule{"cart.cutid", KeyClass::kUniqueId},
    KeyRule{"xtra.wm/mediaclassprimaryid", KeyClass::kUniqueId}, KeyRule{"xtra.wm/wmcollectionid", KeyClass::kUniqueId},
    // software
    KeyRule{"encoder", KeyClass::kSoftware}, KeyRule{"software", KeyClass::kSoftware},
    KeyRule{"handler_name", KeyClass::kSoftware}, KeyRule{"©too", KeyClass::kSoftware},
    KeyRule{"©swr", KeyClass::kSoftware}, KeyRule{"tsse", KeyClass::kSoftware}, KeyRule{"isft", KeyClass::kSoftware},
    KeyRule{"com.apple.quicktime.software", KeyClass::kSoftware}, KeyRule{"xmp.xmp:creatortool", KeyClass::kSoftware},
    KeyRule{"xmp.x:xmptk", KeyClass::kSoftware},
    KeyRule{"cart.producerappid", KeyClass::kSoftware}, KeyRule{"cart.producerappversion", KeyClass::kSoftware},
    KeyRule{"writing_app*", KeyClass::kSoftware}, KeyRule{"muxing_app", KeyClass::kSoftware},
    KeyRule{"xtra.wm/encodingsettings", KeyClass::kSoftware}, KeyRule{"xtra.wm/toolname", KeyClass::kSoftware},
    // timestamps
    KeyRule{"creation_time", KeyClass::kTimestamp}, KeyRule{"date", KeyClass::kTimestamp},
    KeyRule{"©day", KeyClass::kTimestamp}, KeyRule{"tdrc", KeyClass::kTimestamp}, KeyRule{"tyer", KeyClass::kTimestamp},
    KeyRule{"icrd", KeyClass::kTimestamp}, KeyRule{"bext.originationdate", KeyClass::kTimestamp},
    KeyRule{"bext.originationtime", KeyClass::kTimestamp}, KeyRule{"origination_date", KeyClass::kTimestamp},
    KeyRule{"origination_time", KeyClass::kTimestamp}, KeyRule{"com.apple.quicktime.creationdate", KeyClass::kTimestamp},
    KeyRule{"xmp.xmp:createdate", KeyClass::kTimestamp}, KeyRule{"xmp.xmp:modifydate", KeyClass::kTimestamp},
    KeyRule{"xmp.xmp:metadatadate", KeyClass::kTimestamp}, KeyRule{"purd", KeyClass::kTimestamp},
    KeyRule{"cart.startdate", KeyClass::kTimestamp}, KeyRule{"cart.enddate", KeyClass::kTimestamp},
    KeyRule{"xtra.wm/encodingtime", KeyClass::kTimestamp},
    // urls
    KeyRule{"wxxx", KeyClass::kUrl}, KeyRule{"w*", KeyClass::kUrl}, KeyRule{"purl", KeyClass::kUrl},
};

// Handler names every muxer writes; not anything a person chose.
constexpr std::array kDefaultHandlerNames{
    std::string_view{"soundhandler"}, std::string_view{"videohandler"}, std::string_view{"core media audio"},
    std::string_view{"core media video"}, std::string_view{"core media data handler"},
    std::string_view{"apple sound media handler"}, std::string_view{"apple video media handler"},
    std::string_view{"isomedia file produced by google"}, std::string_view{"subtitlehandler"},
    std::string_view{"datahandler"}, std::string_view{"timecodehandler"}, std::string_view{"hint"},
    std::string_view{"gpac isomedia handler"}, std::string_view{"l-smash video handler"},
    std::string_view{"l-smash audio handler"}, std::string_view{"mainconcept video media handler"},
    std::string_view{"bento4 sound handler"}, std::string_view{"bento4 video handler"},
};

bool key_matches(std::string_view pattern, std::string_view key) {
  if (!pattern.empty() && pattern.front() == '*') {
    const auto suffix = pattern.substr(1);
    return key.size() >= suffix.size() && key.substr(key.size() - suffix.size()) == suffix;
  }
  if (!pattern.empty() && pattern.back() == '*') {
    const auto prefix = pattern.substr(0, pattern.size() - 1);
    return key.substr(0, prefix.size()) == prefix;
  }
  return key == pattern;
}

// Some sources name keys with a language suffix ("title-eng") or as ID3 frame ids in upper
// case; normalise to the forms in the table.
KeyClass classify_key(const MetaField& field) {
  std::string key = core::to_lower_ascii(field.key);
  for (const std::string_view lang_sep : {"-eng", "-und"}) {
    if (key.size() > lang_sep.size() && key.ends_with(lang_sep) && !key.starts_with("location")) {
      key.resize(key.size() - lang_sep.size());
    }
  }
  // URL frames: ID3 W*** is four upper-case letters starting with W; avoid matching "writing_app".
  if (key.size() == 4 && key[0] == 'w' && field.source.find("id3") != std::string::npos) return KeyClass::kUrl;
  for (const KeyRule& rule : kKeyRules) {
    if (rule.key == "w*") continue;
    if (key_matches(rule.key, key)) return rule.cls;
  }
  if (key.starts_with("ixml.")) {
    // Unlisted iXML leaves (SPEED, TIMECODE_RATE, ...) are technical; value patterns still apply.
    return KeyClass::kNone;
  }
  return KeyClass::kNone;
}

bool is_default_structural_value(const MetaField& field) {
  const std::string key = core::to_lower_ascii(field.key);
  const std::string value = core::to_lower_ascii(core::trim(field.value));
  if (value.empty()) return true;
  if (key == "handler_name") {
    return std::find(kDefaultHandlerNames.begin(), kDefaultHandlerNames.end(), value) != kDefaultHandlerNames.end();
  }
  if (key == "vendor_id") return value == "[0][0][0][0]";
  // Matroska requires a writing application; FFmpeg in bit-exact mode writes a bare "Lavf"
  // (no version), which every such file carries and which says nothing about anyone.
  if (key == "encoder" && (value == "lavf" || value == "lavc")) return true;
  return false;
}

// ---- finding construction -----------------------------------------------------------------

struct Draft {
  std::string detector;
  Severity severity;
  double confidence;
  std::string summary;
  std::string value;  // the identifying value (dedupe key together with detector)
  bool personal;
  std::vector<std::string> places;  // "artist (format)", "©ART (mp4 moov/udta/meta/ilst)"
  std::vector<EvidenceField> extra;
};

std::string place_of(const MetaField& f) {
  std::string place = f.key;
  if (!f.owner.empty() && f.key != "POPM" && find_emails(f.owner).empty()) place += " [" + f.owner + "]";
  place += " (" + f.source + ")";
  return place;
}

std::string field_label(const MetaField& f) {
  std::string k = f.key;
  if (!f.owner.empty() && (f.key == "TXXX" || f.key == "COMM" || f.key == "WXXX")) k += " '" + f.owner + "'";
  return k;
}

class DraftSet {
 public:
  void add(Draft d) {
    // Findings without a value (presence of a structure) are one per place, not merged.
    const std::string id = d.detector + '\x1f' + (d.value.empty() && !d.places.empty() ? "@" + d.places[0] : d.value);
    auto it = index_.find(id);
    if (it != index_.end()) {
      Draft& existing = drafts_[it->second];
      for (auto& p : d.places) {
        if (std::find(existing.places.begin(), existing.places.end(), p) == existing.places.end()) {
          existing.places.push_back(p);
        }
      }
      return;
    }
    index_.emplace(id, drafts_.size());
    drafts_.push_back(std::move(d));
  }
  std::vector<Finding> to_findings() const {
    std::vector<Finding> out;
    for (const Draft& d : drafts_) {
      Finding f;
      f.detector = d.detector;
      f.category = "metadata";
      f.severity = d.severity;
      f.confidence = d.confidence;
      f.summary = d.summary;
      std::string places;
      for (const auto& p : d.places) places += (places.empty() ? "" : "; ") + p;
      f.evidence.push_back({"field", places, false});
      if (!d.value.empty()) f.evidence.push_back({"value", core::ellipsize(d.value, 400), d.personal});
      for (const auto& e : d.extra) f.evidence.push_back(e);
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  std::vector<Draft> drafts_;
  std::map<std::string, std::size_t> index_;
};

// Value patterns; returns true when a high-severity identity was found.
bool add_value_patterns(const MetaField& field, bool free_text, DraftSet& drafts) {
  const std::string_view text = std::string_view(field.value).substr(0, kMaxScannedChars);
  bool found = false;
  for (const std::string& email : find_emails(text)) {
    drafts.add({"meta.email", Severity::kHigh, 0.95,
                "An e-mail address is written in the " + field_label(field) + " field.", email, true,
                {place_of(field)}, {}});
    found = true;
  }
  if (looks_like_iso6709(text)) {
    drafts.add({"meta.gps", Severity::kHigh, 0.9,
                "GPS coordinates (ISO 6709) are recorded in the " + field_label(field) + " field.",
                core::trim(text), true, {place_of(field)}, {}});
    found = true;
  }
  if (free_text) {
    for (const std::string& phone : find_phone_numbers(text)) {
      drafts.add({"meta.phone", Severity::kHigh, 0.7,
                  "A phone number is written in the " + field_label(field) + " field.", phone, true,
                  {place_of(field)}, {}});
      found = true;
    }
  }
  return found;
}

void add_free_text(const MetaField& field, DraftSet& drafts) {
  const auto names = find_person_like_names(field.value);
  if (!names.empty()) {
    std::string joined;
    for (const auto& n : names) joined += (joined.empty() ? "" : "; ") + n;
    drafts.add({"meta.person", Severity::kHigh, 0.55,
                "The " + field_label(field) + " field contains what looks like a person's name.",
                core::trim(field.value), true, {place_of(field)}, {{"names", joined, true}}});
    return;
  }
  drafts.add({"meta.free_text", Severity::kReview, 0.5,
              "Free text in the " + field_label(field) + " field; read it to judge whether it identifies someone.",
              core::trim(field.value), true, {place_of(field)}, {}});
}

bool is_font_type(std::string_view media_type) {
  const std::string m = core::to_lower_ascii(media_type);
  return m.starts_with("font/") || m.find("truetype") != std::string::npos ||
         m.find("opentype") != std::string::npos || m.find("font-ttf") != std::string::npos ||
         m.find("font-otf") != std::string::npos;
}

void classify_binary(const MetaField& field, DraftSet& drafts) {
  std::vector<EvidenceField> extra{{"size_bytes", static_cast<std::int64_t>(field.blob_size_bytes), false}};
  if (!field.media_type.empty()) extra.push_back({"media_type", field.media_type, false});
  if (!field.owner.empty()) extra.push_back({"owner", field.owner, false});
  const bool attachment = field.key == "attachment";
  if (attachment && is_font_type(field.media_type)) {
    drafts.add({"meta.attachment", Severity::kLow, 0.9, "A font is attached (for subtitles); fonts rarely identify anyone.",
                field.value, false, {place_of(field)}, extra});
    return;
  }
  std::string what;
  if (attachment) what = "A file is attached to the container; open it to judge what it reveals.";
  else if (field.key == "APIC" || field.media_type.starts_with("image/"))
    what = "An embedded picture; it may show a person.";
  else if (field.key == "PRIV") what = "A private ID3 frame holds opaque data that a program can read back.";
  else if (field.key == "GEOB") what = "An ID3 frame holds an embedded object.";
  else if (field.key == "uuid") what = "A vendor-specific uuid box holds opaque data.";
  else what = "An opaque metadata blob (" + field.key + ") that a person must judge.";
  // Attachment and object file names can identify; run the value patterns over them too.
  add_value_patterns(field, false, drafts);
  drafts.add({attachment ? "meta.attachment" : "meta.blob", Severity::kReview, 0.6, what, field.value, false,
              {place_of(field)}, extra});
}

void classify_field(const MetaField& field, DraftSet& drafts) {
  switch (field.kind) {
    case FieldKind::kPresence:
      if (field.key == "c2pa") {
        drafts.add({"meta.c2pa", Severity::kHigh, 0.95,
                    "A C2PA Content Credentials manifest is embedded; it can name the signer, the capture device "
                    "and the editing history.",
                    "", false, {place_of(field)},
                    {{"size_bytes", static_cast<std::int64_t>(field.blob_size_bytes), false},
                     {"offset_bytes", static_cast<std::int64_t>(field.offset_bytes), false}}});
      } else {
        classify_binary(field, drafts);
      }
      return;
    case FieldKind::kBinary:
      classify_binary(field, drafts);
      return;
    case FieldKind::kXml: {
      const bool found = add_value_patterns(field, true, drafts);
      const std::string k = core::to_lower_ascii(field.key);
      // XMP and iXML are parsed into their own fields; others stay for a person to read.
      if (k == "xmp" || k == "ixml") {
        drafts.add({"meta.embedded_xml", Severity::kInfo, 1.0,
                    "An embedded " + field.key + " document; its fields are reported one by one.", "", false,
                    {place_of(field)}, {{"size_bytes", static_cast<std::int64_t>(field.blob_size_bytes), false}}});
      } else if (!found) {
        drafts.add({"meta.blob", Severity::kReview, 0.6,
                    "An embedded " + field.key + " XML document that a person must read.", "", false,
                    {place_of(field)}, {{"size_bytes", static_cast<std::int64_t>(field.blob_size_bytes), false}}});
      }
      return;
    }
    case FieldKind::kText:
      break;
  }

  if (is_default_structural_value(field)) return;
  const KeyClass cls = classify_key(field);
  if (cls == KeyClass::kStructural) return;
  if (field.key == "POPM" && !field.owner.empty()) {
    for (const std::string& email : find_emails(field.owner)) {
      drafts.add({"meta.email", Severity::kHigh, 0.95,
                  "A rating (POPM) frame names the e-mail address of the person who rated the file.", email, true,
                  {place_of(field)}, {}});
    }
    return;
  }
  const bool free_text = cls == KeyClass::kFreeText || cls == KeyClass::kPerson || cls == KeyClass::kNone;
  if (cls != KeyClass::kAccount && add_value_patterns(field, free_text, drafts)) return;

  const std::string value = core::trim(field.value);
  const std::string label = field_label(field);
  switch (cls) {
    case KeyClass::kPerson:
      drafts.add({"meta.person", Severity::kHigh, 0.85,
                  "The " + label + " field names a person or organisation.", value, true, {place_of(field)}, {}});
      break;
    case KeyClass::kFreeText:
      add_free_text(field, drafts);
      break;
    case KeyClass::kLocation:
      drafts.add({"meta.gps", Severity::kHigh, 0.8, "A location is recorded in the " + label + " field.", value,
                  true, {place_of(field)}, {}});
      break;
    case KeyClass::kAccount:
      drafts.add({"meta.account", Severity::kHigh, 0.9,
                  "An account identifier is recorded in the " + label + " field.", value, true, {place_of(field)}, {}});
      break;
    case KeyClass::kDevice:
      drafts.add({"meta.device", Severity::kMedium, 0.9,
                  "The recording device is recorded in the " + label + " field.", value, true, {place_of(field)}, {}});
      break;
    case KeyClass::kUniqueId:
      drafts.add({"meta.unique_id", Severity::kMedium, 0.85,
                  "A unique identifier (" + label + ") links this file to its origin.", value, true,
                  {place_of(field)}, {}});
      break;
    case KeyClass::kSoftware:
      drafts.add({"meta.software", Severity::kLow, 0.95, "The software that wrote the file is named (" + label + ").",
                  value, false, {place_of(field)}, {}});
      break;
    case KeyClass::kTimestamp:
      drafts.add({"meta.timestamp", Severity::kInfo, 0.9, "A recording or creation time is stored (" + label + ").",
                  value, false, {place_of(field)}, {}});
      break;
    case KeyClass::kUrl:
      drafts.add({"meta.url", Severity::kLow, 0.8, "A web address is stored in the " + label + " field.", value,
                  false, {place_of(field)}, {}});
      break;
    case KeyClass::kNone:
      // A key no rule knows, holding text: a person must judge it. Short tokens and numbers are
      // technical values (track counts, flags) and are not worth a reviewer's time.
      if (value.size() >= 3 && std::any_of(value.begin(), value.end(), [](char c) {
            return std::isalpha(static_cast<unsigned char>(c));
          })) {
        if (!find_person_like_names(value).empty()) {
          add_free_text(field, drafts);
        } else {
          drafts.add({"meta.other", Severity::kReview, 0.4,
                      "An unrecognised metadata field (" + label + ") holds text; read it to judge it.", value,
                      true, {place_of(field)}, {}});
        }
      }
      break;
    case KeyClass::kStructural:
      break;
  }
}

// Common words of titles; a run made only of capitalised words that are not here looks like a
// name. Kept short on purpose: a false "name" is cheap for a reviewer, a missed one is not.
const std::set<std::string, std::less<>>& title_words() {
  static const std::set<std::string, std::less<>> kWords{
      "a", "about", "all", "an", "and", "annual", "at", "audio", "board", "call", "chapter", "class", "clip",
      "conference", "copy", "course", "daily", "demo", "draft", "episode", "final", "for", "from", "general",
      "hello", "interview", "intro", "introduction", "keynote", "kickoff", "lecture", "lesson", "meeting", "monthly",
      "music", "my", "new", "notes", "of", "on", "our", "outro", "panel", "part", "personal", "planning", "podcast",
      "presentation", "project", "quarterly", "recording", "report", "results", "review", "room", "sample", "session",
      "song", "sound", "standup", "summary", "sync", "talk", "team", "test", "the", "title", "to", "track", "training",
      "untitled", "update", "video", "webinar", "weekly", "welcome", "with", "workshop", "your", "monday", "tuesday",
      "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
      "june", "july", "august", "september", "october", "november", "december", "field", "studio", "live",
      "official", "remix", "edit", "version", "mix", "radio", "news", "show", "day", "night", "morning", "evening",
      "english", "german", "french", "spanish", "stereo", "mono", "left", "right", "center", "main", "backup",
      "voice", "over", "one", "two", "three", "first", "second", "third", "last", "big", "small", "open", "closing",
      "company", "inc", "ltd", "corp", "university", "school", "department", "office", "city", "street", "world",
      "system", "data", "product", "roadmap", "strategy", "budget", "sales", "marketing", "engineering", "design",
      "research", "overview", "q1", "q2", "q3", "q4", "year", "week", "month", "is", "in", "by", "it", "this", "that",
  };
  return kWords;
}

const std::set<std::string, std::less<>>& name_particles() {
  static const std::set<std::string, std::less<>> kParticles{"van", "von", "de", "der", "den", "da", "di",
                                                             "del", "la", "le", "bin", "al", "du", "dos"};
  return kParticles;
}

}  // namespace

std::vector<std::string> find_emails(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t b = at;
    while (b > 0 && is_email_local_char(text[b - 1])) --b;
    std::size_t e = at + 1;
    while (e < text.size() && is_domain_char(text[e])) ++e;
    while (b < at && text[b] == '.') ++b;            // a sentence's dots are not part of it
    while (e > at + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
    if (b == at || e <= at + 1) continue;
    const std::string_view domain = text.substr(at + 1, e - at - 1);
    const std::size_t last_dot = domain.rfind('.');
    if (last_dot == std::string_view::npos || last_dot == 0) continue;
    const std::string_view tld = domain.substr(last_dot + 1);
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      continue;
    std::string email(text.substr(b, e - b));
    if (std::find(out.begin(), out.end(), email) == out.end()) out.push_back(std::move(email));
  }
  return out;
}

bool looks_like_iso6709(std::string_view text) {
  // ±DD[.d]±DDD[.d][±alt]/ — the sign of each coordinate is mandatory in ISO 6709.
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '+' && text[i] != '-') continue;
    if (i > 0 && (is_digit(text[i - 1]) || std::isalpha(static_cast<unsigned char>(text[i - 1])))) continue;
    std::size_t j = i + 1;
    std::size_t lat_digits = 0;
    while (j < text.size() && is_digit(text[j])) ++j, ++lat_digits;
    if (lat_digits < 2 || lat_digits > 6) continue;
    if (j < text.size() && text[j] == '.') {
      ++j;
      while (j < text.size() && is_digit(text[j])) ++j;
    }
    if (j >= text.size() || (text[j] != '+' && text[j] != '-')) continue;
    ++j;
    std::size_t lon_digits = 0;
    while (j < text.size() && is_digit(text[j])) ++j, ++lon_digits;
    if (lon_digits < 3 || lon_digits > 7) continue;
    return true;
  }
  return false;
}

std::vector<std::string> find_phone_numbers(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool plus = c == '+';
    if (!plus && c != '(' && !is_digit(c)) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '+' || text[i - 1] == '-' ||
                  text[i - 1] == '.' || text[i - 1] == ':'))
      continue;
    // Digit groups separated by at most two of " -.()" (as in "(555) 123-4567").
    std::vector<std::size_t> groups;
    std::size_t j = i + (plus ? 1 : 0);
    std::size_t run = 0, seps = 0;
    while (j < text.size()) {
      const char d = text[j];
      if (is_digit(d)) {
        ++run;
        seps = 0;
      } else if ((d == ' ' || d == '-' || d == '.' || d == '(' || d == ')') && seps < 2) {
        if (run > 0) groups.push_back(run);
        run = 0;
        ++seps;
      } else {
        break;
      }
      ++j;
    }
    if (run > 0) groups.push_back(run);
    while (j > i && !is_digit(text[j - 1])) --j;
    const bool glued = j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == ':');
    std::size_t digits = 0;
    for (std::size_t g : groups) digits += g;
    // International form: +CC with 9–15 digits. National (NANP) form: 3-3-4 digit groups.
    const bool international = plus && digits >= 9 && digits <= 15;
    const bool national = !plus && (groups == std::vector<std::size_t>{3, 3, 4} ||
                                    groups == std::vector<std::size_t>{1, 3, 3, 4});
    if (!glued && (international || national)) out.emplace_back(text.substr(i, j - i));
    if (j > i) i = j;
  }
  return out;
}

std::vector<std::string> find_person_like_names(std::string_view text) {
  struct Word {
    std::string_view text;
    bool capitalised;
  };
  std::vector<Word> words;
  const std::string_view scanned = text.substr(0, 4096);
  for (std::size_t i = 0; i < scanned.size();) {
    const auto is_word_char = [&](std::size_t k) {
      const char ch = scanned[k];
      return std::isalpha(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80 ||
             ((ch == '\'' || ch == '-') && k > i);
    };
    if (!is_word_char(i)) {
      // Sentence punctuation breaks a name run.
      if (scanned[i] != ' ') words.push_back({"", false});
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < scanned.size() && is_word_char(j)) ++j;
    const std::string_view w = scanned.substr(i, j - i);
    const bool cap = w.size() >= 2 && is_upper(w[0]) && is_lower(w[1]) &&
                     std::none_of(w.begin() + 1, w.end(), [](char ch) { return is_upper(ch); });
    words.push_back({w, cap});
    i = j;
  }
  std::vector<std::string> names;
  std::size_t k = 0;
  while (k < words.size()) {
    std::vector<std::string_view> run;
    std::size_t m = k;
    while (m < words.size()) {
      const Word& w = words[m];
      const std::string lower = core::to_lower_ascii(w.text);
      if (w.capitalised && !title_words().contains(lower)) run.push_back(w.text);
      else if (!run.empty() && name_particles().contains(w.text)) run.push_back(w.text);
      else break;
      ++m;
    }
    while (!run.empty() && name_particles().contains(run.back())) run.pop_back();
    if (run.size() >= 2 && run.size() <= 4) {
      std::string name;
      for (auto w : run) name += (name.empty() ? "" : " ") + std::string(w);
      names.push_back(name);
    }
    k = (m == k) ? k + 1 : m;
  }
  return names;
}

std::vector<Finding> classify_fields(const std::vector<MetaField>& fields) {
  DraftSet drafts;
  for (const MetaField& f : fields) classify_field(f, drafts);
  std::vector<Finding> findings = drafts.to_findings();
  // Most serious first; stable so the container's order is kept within a severity.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return severity_rank(a.severity) > severity_rank(b.severity);
  });
  return findings;
}

}  // namespace wm::meta
