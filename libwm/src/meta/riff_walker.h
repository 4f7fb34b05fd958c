// RIFF/WAVE, RF64 and BW64 chunk walker: the broadcast and production metadata libavformat
// does not expose (full bext, iXML, axml, cart, XMP, C2PA, embedded ID3, every INFO item).
// Threading: a pure function of the file; the FileReader must not be shared during the call.
#ifndef WM_META_RIFF_WALKER_H_
#define WM_META_RIFF_WALKER_H_

#include <cstdint>

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta {

// Walks the top-level chunks (and LIST INFO sub-chunks). Fields carry source "riff <chunk>"
// and the chunk's file offset:
//   bext → "bext.Description", "bext.Originator", "bext.OriginatorReference",
//          "bext.OriginationDate", "bext.OriginationTime", "bext.UMID" (hex), "bext.CodingHistory"
//   iXML → kXml "iXML" + kText "iXML.<PATH/ELEMENT>" leaves;  axml → kXml "axml"
//   _PMX → kXml "xmp" + "xmp.*" properties;  cart → "cart.Title", "cart.Artist", ...
//   C2PA → kPresence "c2pa";  LIST INFO → one field per item, key = its id ("IART")
//   "id3 "/"ID3 " → the ID3v2 frames (source "riff id3")
//   unknown chunks → kBinary, key = the chunk id
// Audio data and layout chunks (data, fmt, fact, JUNK, PAD, LIST adtl, ...) are never read.
// Payloads larger than `max_payload_bytes` are not loaded (an issue names them).
WalkResult walk_riff(core::FileReader& reader, std::uint64_t max_payload_bytes);

}  // namespace wm::meta

#endif  // WM_META_RIFF_WALKER_H_
