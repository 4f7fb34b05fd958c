// ISO BMFF (MP4, M4A, 3GP) and QuickTime box walker: the metadata libavformat does not
// expose, or exposes without its place in the file (uuid boxes, XMP, C2PA, Xtra, every ilst
// item including freeform and mdta keys, 3GPP asset boxes).
// Threading: a pure function of the file; the FileReader must not be shared during the call.
#ifndef WM_META_MP4_WALKER_H_
#define WM_META_MP4_WALKER_H_

#include <cstdint>

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta {

// Walks the top-level boxes and descends into moov, trak, mdia, minf, udta, meta and ilst
// (at most 16 levels, at most 100000 boxes). mdat/free/skip/wide payloads are never read;
// payloads larger than `max_payload_bytes` are not loaded (an issue names them).
// Fields carry source "mp4 <container path>" (e.g. "mp4 moov/udta/meta/ilst") and the file
// offset of the payload they came from:
//   uuid C2PA (d8fec3d6-…) → kPresence "c2pa";  uuid XMP (be7acfcb-…) → kXml "xmp" + "xmp.*"
//   other uuid → kBinary "uuid", owner = the uuid
//   udta: XMP_ → kXml "xmp" + "xmp.*";  Xtra → "Xtra.<attribute>" (e.g. "Xtra.WM/Publisher");
//         ©xxx → kText "©xxx";  3GPP titl/auth/cprt/... → kText;  loci → kText ISO 6709, owner =
//         place name;  other atoms → kText when printable, else kBinary
//   ilst items → key = atom name ("©nam", "apID"), the freeform name for "----" (owner = its
//         mean), or the mdta key string ("com.apple.quicktime.location.ISO6709")
//   meta/ID32 → the ID3v2 frames
WalkResult walk_mp4(core::FileReader& reader, std::uint64_t max_payload_bytes);

}  // namespace wm::meta

#endif  // WM_META_MP4_WALKER_H_
