#include "meta/xmp.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "meta/walk.h"

namespace wm::meta {
namespace {

// The value of the only field with `key`; fails the test when there is none or several.
std::string value_of(const std::vector<MetaField>& fields, const std::string& key) {
  std::string found;
  int count = 0;
  for (const MetaField& f : fields) {
    if (f.key == key) {
      found = f.value;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << "key " << key;
  return found;
}

bool has_key(const std::vector<MetaField>& fields, const std::string& key) {
  for (const MetaField& f : fields) {
    if (f.key == key) return true;
  }
  return false;
}

constexpr const char* kPacket = R"(<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmp:CreatorTool="Adobe Premiere Pro 2024"
    xmpMM:DocumentID="xmp.did:1234">
   <dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li><rdf:li>Joe &amp; Co</rdf:li></rdf:Seq></dc:creator>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Quarterly &#x201C;sync&#8221;</rdf:li></rdf:Alt></dc:title>
   <exif:GPSLatitude>37,46.8N</exif:GPSLatitude>
   <xmpMM:DerivedFrom stRef:instanceID="xmp.iid:abc" stRef:documentID='xmp.did:def'/>
   <xmpMM:History><rdf:Seq><rdf:li rdf:parseType="Resource">
     <stEvt:action>saved</stEvt:action><stEvt:softwareAgent>Premiere</stEvt:softwareAgent>
   </rdf:li></rdf:Seq></xmpMM:History>
   <xmpRights:WebStatement rdf:resource="https://example.com/licence"/>
   <!-- <dc:rights>not this</dc:rights> -->
   <xmpDM:logComment><![CDATA[take <3> good]]></xmpDM:logComment>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>)";

TEST(XmpTest, ExtractsElementAndAttributeForms) {
  const std::vector<MetaField> fields = parse_xmp_properties(kPacket, "mp4 uuid");
  ASSERT_EQ(fields.size(), 10u);
  EXPECT_EQ(fields[0].key, "xmp.x:xmptk");
  EXPECT_EQ(fields[0].value, "Adobe XMP Core 7.0");
  EXPECT_EQ(fields[1].key, "xmp.xmp:CreatorTool");
  EXPECT_EQ(fields[1].value, "Adobe Premiere Pro 2024");
  EXPECT_EQ(fields[2].key, "xmp.xmpMM:DocumentID");
  EXPECT_EQ(fields[2].value, "xmp.did:1234");
  EXPECT_EQ(value_of(fields, "xmp.dc:creator"), "Jane Doe; Joe & Co");
  EXPECT_EQ(value_of(fields, "xmp.dc:title"), "Quarterly \xE2\x80\x9Csync\xE2\x80\x9D");
  EXPECT_EQ(value_of(fields, "xmp.exif:GPSLatitude"), "37,46.8N");
  EXPECT_EQ(value_of(fields, "xmp.xmpMM:DerivedFrom"), "stRef:instanceID=xmp.iid:abc; stRef:documentID=xmp.did:def");
  EXPECT_EQ(value_of(fields, "xmp.xmpMM:History"), "stEvt:action=saved; stEvt:softwareAgent=Premiere");
  EXPECT_EQ(value_of(fields, "xmp.xmpRights:WebStatement"), "https://example.com/licence");
  EXPECT_EQ(value_of(fields, "xmp.xmpDM:logComment"), "take <3> good");
  EXPECT_FALSE(has_key(fields, "xmp.dc:rights"));
  for (const MetaField& f : fields) {
    EXPECT_EQ(f.source, "mp4 uuid");
    EXPECT_EQ(f.kind, FieldKind::kText);
  }
}

TEST(XmpTest, StructInsideRdfDescriptionAttributes) {
  const std::string packet =
      "<rdf:RDF><rdf:Description><Iptc4xmpCore:CreatorContactInfo>"
      "<rdf:Description Iptc4xmpCore:CiEmailWork=\"jane@example.com\" Iptc4xmpCore:CiAdrCity=\"Oslo\"/>"
      "</Iptc4xmpCore:CreatorContactInfo></rdf:Description></rdf:RDF>";
  const auto fields = parse_xmp_properties(packet, "s");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].key, "xmp.Iptc4xmpCore:CreatorContactInfo");
  EXPECT_EQ(fields[0].value, "Iptc4xmpCore:CiEmailWork=jane@example.com; Iptc4xmpCore:CiAdrCity=Oslo");
}

TEST(XmpTest, RepeatedValuesAreNotDuplicated) {
  const std::string packet =
      "<rdf:Description dc:format=\"video/mp4\"/><rdf:Description dc:format=\"video/mp4\"/>"
      "<dc:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li><rdf:li>a</rdf:li></rdf:Bag></dc:subject>";
  const auto fields = parse_xmp_properties(packet, "s");
  EXPECT_EQ(value_of(fields, "xmp.dc:format"), "video/mp4");
  EXPECT_EQ(value_of(fields, "xmp.dc:subject"), "a; b");
}

TEST(XmpTest, EntitiesAndCharacterReferences) {
  const std::string packet =
      "<rdf:Description><dc:a>&lt;&gt;&amp;&quot;&apos;</dc:a><dc:b>&#65;&#x42;&#X43;</dc:b>"
      "<dc:c>&bogus; &#xZZ; &#0; &#x110000; &amp</dc:c><dc:d>&#x1F600;</dc:d></rdf:Description>";
  const auto fields = parse_xmp_properties(packet, "s");
  EXPECT_EQ(value_of(fields, "xmp.dc:a"), "<>&\"'");
  EXPECT_EQ(value_of(fields, "xmp.dc:b"), "ABC");
  EXPECT_EQ(value_of(fields, "xmp.dc:c"), "&bogus; &#xZZ; \xEF\xBF\xBD \xEF\xBF\xBD &amp");
  EXPECT_EQ(value_of(fields, "xmp.dc:d"), "\xF0\x9F\x98\x80");
}

TEST(XmpTest, UnterminatedTagsYieldWhatWasReadable) {
  // Cut inside a property: the text so far is kept, the scan ends without looping.
  auto fields = parse_xmp_properties("<rdf:Description><xmp:CreatorTool>Final Cut", "s");
  EXPECT_EQ(value_of(fields, "xmp.xmp:CreatorTool"), "Final Cut");
  // Cut inside a start tag and inside an attribute value.
  fields = parse_xmp_properties("<rdf:Description><dc:title", "s");
  EXPECT_TRUE(fields.empty());
  fields = parse_xmp_properties("<rdf:Description xmp:Label=\"unterminated", "s");
  EXPECT_TRUE(fields.empty());
  fields = parse_xmp_properties("<rdf:Description><dc:x>v</dc:x><!-- never closed", "s");
  EXPECT_EQ(value_of(fields, "xmp.dc:x"), "v");
  fields = parse_xmp_properties("<![CDATA[ never closed", "s");
  EXPECT_TRUE(fields.empty());
  for (const char* s : {"", "<", "<<<<", ">>>", "</", "<?", "<!", "<a", "<a b", "<a b=", "<a b='", "&", "&#",
                        "<a></b></a></a>", "< a>x</ a>", "<a/><b/><c", "<dc:x =\"v\">t</dc:x>"}) {
    (void)parse_xmp_properties(s, "s");
  }
}

TEST(XmpTest, MismatchedEndTagsCloseToTheNearestOpenElement) {
  const auto fields =
      parse_xmp_properties("<rdf:Description><dc:a>one</dc:b></dc:a><dc:c>two<dc:d>three</dc:c>", "s");
  EXPECT_EQ(value_of(fields, "xmp.dc:a"), "one");
  // dc:c has a child element, so its own text is not a value; dc:d is a struct field of dc:c.
  EXPECT_EQ(value_of(fields, "xmp.dc:c"), "dc:d=three");
}

TEST(XmpTest, DeepNestingIsBounded) {
  std::string packet = "<rdf:Description><dc:deep>";
  for (int i = 0; i < 100000; ++i) packet += "<a:b>";
  packet += "x";
  for (int i = 0; i < 100000; ++i) packet += "</a:b>";
  packet += "</dc:deep><dc:after>ok</dc:after></rdf:Description>";
  const auto fields = parse_xmp_properties(packet, "s");
  EXPECT_EQ(value_of(fields, "xmp.dc:after"), "ok");
  EXPECT_FALSE(has_key(fields, "xmp.a:b"));
}

TEST(XmpTest, PropertyCountIsCapped) {
  std::string packet = "<rdf:Description>";
  for (int i = 0; i < 20000; ++i) packet += "<p:k" + std::to_string(i) + ">v</p:k" + std::to_string(i) + ">";
  packet += "</rdf:Description>";
  const auto fields = parse_xmp_properties(packet, "s");
  EXPECT_EQ(fields.size(), kMaxXmlProperties);
  EXPECT_EQ(fields.front().key, "xmp.p:k0");
}

TEST(XmpTest, ValueLengthIsCapped) {
  std::string packet = "<rdf:Description><dc:x><rdf:Bag>";
  for (int i = 0; i < 50000; ++i) packet += "<rdf:li>value" + std::to_string(i) + "</rdf:li>";
  packet += "</rdf:Bag></dc:x></rdf:Description>";
  const auto fields = parse_xmp_properties(packet, "s");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_LE(fields[0].value.size(), walk_util::kMaxTextValueBytes);
  EXPECT_TRUE(fields[0].value.starts_with("value0; value1; "));
}

TEST(XmlLeafTest, IxmlLeavesWithPaths) {
  const std::string ixml = R"(<?xml version="1.0" encoding="UTF-8"?>
<BWFXML>
  <IXML_VERSION>2.10</IXML_VERSION>
  <PROJECT>Night &amp; Day</PROJECT>
  <NOTE></NOTE>
  <SPEED><TIMECODE_RATE>25/1</TIMECODE_RATE></SPEED>
  <TRACK_LIST><TRACK><NAME>Boom</NAME></TRACK><TRACK><NAME>Lav Jane</NAME></TRACK></TRACK_LIST>
  <BEXT><BWF_ORIGINATOR>Sound Devices 788T</BWF_ORIGINATOR></BEXT>
  <EMPTY attr="x"/>
</BWFXML>)";
  const auto fields = parse_xml_leaf_elements(ixml, "iXML.", "riff iXML");
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0].key, "iXML.IXML_VERSION");
  EXPECT_EQ(fields[0].value, "2.10");
  EXPECT_EQ(fields[1].key, "iXML.PROJECT");
  EXPECT_EQ(fields[1].value, "Night & Day");
  EXPECT_EQ(fields[2].key, "iXML.SPEED/TIMECODE_RATE");
  EXPECT_EQ(fields[2].value, "25/1");
  EXPECT_EQ(fields[3].key, "iXML.TRACK_LIST/TRACK/NAME");
  EXPECT_EQ(fields[3].value, "Boom; Lav Jane");
  EXPECT_EQ(fields[4].key, "iXML.BEXT/BWF_ORIGINATOR");
  EXPECT_EQ(fields[4].value, "Sound Devices 788T");
  EXPECT_EQ(fields[4].source, "riff iXML");
}

TEST(XmpFuzzTest, RandomAndMutatedInputNeverCrashesAndStaysBounded) {
  std::mt19937 rng(1234);
  const std::string base = kPacket;
  const std::string alphabet = "<>/=\"'&;#x:!-?[]CDATAabc \n";
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::string s = base;
    const int mutations = 1 + static_cast<int>(rng() % 20);
    for (int m = 0; m < mutations; ++m) {
      const std::size_t pos = rng() % (s.size() + 1);
      switch (rng() % 4) {
        case 0:
          if (pos < s.size()) s[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          s.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          if (pos < s.size()) s.erase(pos, 1 + rng() % 16);
          break;
        default:
          s.resize(pos);
          break;
      }
    }
    if (iteration % 4 == 0) {
      s.resize(rng() % 400);
      for (char& c : s) c = static_cast<char>(rng());
    }
    const auto fields = parse_xmp_properties(s, "fuzz");
    EXPECT_LE(fields.size(), kMaxXmlProperties);
    for (const MetaField& f : fields) {
      EXPECT_TRUE(walk_util::is_valid_utf8(f.value));
      EXPECT_LE(f.value.size(), walk_util::kMaxTextValueBytes);
    }
    const auto leaves = parse_xml_leaf_elements(s, "iXML.", "fuzz");
    EXPECT_LE(leaves.size(), kMaxXmlProperties);
  }
}

}  // namespace
}  // namespace wm::meta
