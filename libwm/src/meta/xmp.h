// Property extraction from XMP packets and simple XML documents (iXML), without an XML library.
//
// The walkers find these documents inside MP4 uuid/XMP_ boxes, RIFF _PMX/iXML chunks and ID3
// PRIV frames; this turns them into plain kText fields the rules can classify.
// Threading: pure functions.
#ifndef WM_META_XMP_H_
#define WM_META_XMP_H_

#include <string>
#include <string_view>
#include <vector>

#include "meta/field.h"

namespace wm::meta {

// Upper bound on the fields either parser returns for one document.
inline constexpr std::size_t kMaxXmlProperties = 10000;

// Simple XMP properties as kText fields keyed "xmp.<prefix:Name>" ("xmp.dc:creator",
// "xmp.xmpMM:DocumentID"), in both element form and attribute form on rdf:Description.
// rdf:li items of one property are joined with "; "; fields of a struct property (such as
// xmpMM:DerivedFrom or Iptc4xmpCore:CreatorContactInfo) become "inner:Name=value" parts of the
// outer property's value. Entities and numeric character references are decoded. The scanner
// is tolerant: malformed or cut-off input yields whatever was readable, in linear time.
// offset_bytes is left 0; the caller knows where the packet sits in the file.
std::vector<MetaField> parse_xmp_properties(std::string_view packet, const std::string& source);

// Leaf elements with non-empty text of a plain XML document as kText fields keyed
// `key_prefix` + path below the root element ("iXML." + "SPEED/TIMECODE_RATE"); repeated paths
// are joined with "; ". Attributes are ignored.
std::vector<MetaField> parse_xml_leaf_elements(std::string_view xml, std::string_view key_prefix,
                                               const std::string& source);

}  // namespace wm::meta

#endif  // WM_META_XMP_H_
