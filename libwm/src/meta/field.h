// The plain key/value model every metadata source is lowered to before the rules classify it.
//
// Sources: libavformat dictionaries (format, streams, chapters, programs), attachments, and our
// own walkers for what libavformat does not expose (MP4/MOV boxes, RIFF/RF64 chunks, ID3v2
// frames). The rules in rules.h never look at containers, only at these fields.
#ifndef WM_META_FIELD_H_
#define WM_META_FIELD_H_

#include <cstdint>
#include <string>
#include <vector>

namespace wm::meta {

enum class FieldKind {
  kText,      // a human-readable string value
  kBinary,    // an opaque blob; `value` holds a short description, `blob_size_bytes` its size
  kXml,       // an XML document (XMP, iXML, axml); `value` holds the text (maybe truncated)
  kPresence,  // the structure's presence is the point (C2PA manifest); `value` describes it
};

struct MetaField {
  std::string source;  // where: "format", "stream 1", "chapter 0", "mp4 moov/udta", "riff bext",
                       // "id3v2", "mkv attachment 0"
  std::string key;     // the container's own name: "title", "©xyz", "PRIV", "bext.Originator"
  std::string value;   // decoded text (UTF-8), or a description for binary fields
  FieldKind kind = FieldKind::kText;
  std::uint64_t offset_bytes = 0;     // where in the file, when a walker found it (0 = unknown)
  std::uint64_t blob_size_bytes = 0;  // size of the payload for binary/xml/presence fields
  std::string media_type;             // MIME type where the container names one (GEOB, attachments)
  std::string owner;                  // PRIV owner / UFID owner / TXXX description / uuid
};

// Problems a walker met that make the metadata incomplete ("box 'moov' claims 9000 bytes but
// only 120 remain"). A walker never fails the scan; it stops at the broken structure and says so.
struct WalkIssue {
  std::string message;
  bool truncated = false;  // the structure runs past the end of the file (file likely cut short)
};

struct WalkResult {
  std::vector<MetaField> fields;
  std::vector<WalkIssue> issues;
};

}  // namespace wm::meta

#endif  // WM_META_FIELD_H_
