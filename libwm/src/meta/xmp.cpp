// Parses XMP packets (and iXML-style plain XML) into key/value fields with a tolerant scanner.
//
// Method: a single forward pass tokenises the text into start tags (with attributes), end tags
// and character data; comments, processing instructions and DOCTYPE are skipped, CDATA is
// text. A stack of open elements tells, for every piece of text or attribute, which XMP
// property it belongs to:
//
//   <rdf:Description xmpMM:DocumentID="xmp.did:1">     attribute form  → xmp.xmpMM:DocumentID
//     <dc:creator><rdf:Seq>                            element form    → xmp.dc:creator
//       <rdf:li>Jane</rdf:li><rdf:li>Joe</rdf:li>      array items     → "Jane; Joe"
//     </rdf:Seq></dc:creator>
//     <xmpMM:DerivedFrom stRef:documentID="d"/>        struct field    → xmp.xmpMM:DerivedFrom
//                                                                        = "stRef:documentID=d"
//
// Every step advances the read position, so malformed input ends the scan instead of looping;
// an unterminated tag stops the scan, and elements still open at the end are closed as if
// their end tags had been there (a cut-off packet still yields what was readable).
// References: Adobe XMP Specification Part 1 (2012) §7 "RDF serialization"; W3C XML 1.0 §4.1
// (character and entity references); iXML specification v2.10 (iXML is a plain element tree).
// What it cannot see: namespace URIs (the prefix as written is the key, so a packet that binds
// "dc" to an unusual URI is still read as Dublin Core), external entities, XML in UTF-16 (the
// callers pass UTF-8), rdf:value qualifiers beyond their text.
#include "meta/xmp.h"

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "meta/walk.h"

namespace wm::meta {

namespace {

// Deeper documents are legal XML but not plausible metadata; their inner elements are ignored.
constexpr std::size_t kMaxDepth = 256;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Decodes the five predefined entities and numeric character references; anything else that
// starts with '&' stays as written.
std::string decode_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += '&';
      continue;
    }
    const std::string_view ref = s.substr(i + 1, semi - i - 1);
    bool decoded = true;
    if (ref == "lt") {
      out += '<';
    } else if (ref == "gt") {
      out += '>';
    } else if (ref == "amp") {
      out += '&';
    } else if (ref == "quot") {
      out += '"';
    } else if (ref == "apos") {
      out += '\'';
    } else if (ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      std::uint32_t cp = 0;
      decoded = !digits.empty();
      for (const char c : digits) {
        std::uint32_t d = 0;
        if (c >= '0' && c <= '9') {
          d = static_cast<std::uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
          d = static_cast<std::uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
          d = static_cast<std::uint32_t>(c - 'A' + 10);
        } else {
          decoded = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) cp = 0x110000;  // saturate; becomes U+FFFD below
      }
      if (decoded) walk_util::append_utf8(out, cp == 0 ? char32_t{0xFFFD} : static_cast<char32_t>(cp));
    } else {
      decoded = false;
    }
    if (decoded) {
      i = semi;
    } else {
      out += '&';
    }
  }
  return out;
}

struct XmlAttribute {
  std::string_view name;
  std::string value;  // entities decoded
};

struct XmlToken {
  enum class Type { kStart, kEnd, kText };
  Type type = Type::kText;
  std::string_view name;
  std::vector<XmlAttribute> attributes;
  bool self_closing = false;
  std::string text;  // decoded character data for kText
};

class XmlScanner {
 public:
  explicit XmlScanner(std::string_view doc) : doc_(doc) {}

  // The next token, or false at the end of the document or at markup that never ends.
  bool next(XmlToken& token) {
    token.attributes.clear();
    token.self_closing = false;
    token.text.clear();
    token.name = {};
    while (pos_ < doc_.size()) {
      if (doc_[pos_] != '<') {
        const std::size_t lt = doc_.find('<', pos_);
        const std::size_t end = lt == std::string_view::npos ? doc_.size() : lt;
        token.type = XmlToken::Type::kText;
        token.text = decode_entities(doc_.substr(pos_, end - pos_));
        pos_ = end;
        return true;
      }
      const std::string_view rest = doc_.substr(pos_);
      if (rest.starts_with("<!--")) {
        if (!skip_past("-->", 4)) return false;
        continue;
      }
      if (rest.starts_with("<![CDATA[")) {
        const std::size_t end = doc_.find("]]>", pos_ + 9);
        if (end == std::string_view::npos) return false;
        token.type = XmlToken::Type::kText;
        token.text = std::string(doc_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = end + 3;
        return true;
      }
      if (rest.starts_with("<?")) {
        if (!skip_past("?>", 2)) return false;
        continue;
      }
      if (rest.starts_with("<!")) {
        if (!skip_past(">", 2)) return false;
        continue;
      }
      if (rest.starts_with("</")) {
        const std::size_t gt = doc_.find('>', pos_ + 2);
        if (gt == std::string_view::npos) return false;
        token.type = XmlToken::Type::kEnd;
        token.name = trim_view(doc_.substr(pos_ + 2, gt - pos_ - 2));
        pos_ = gt + 1;
        return true;
      }
      return read_start_tag(token);
    }
    return false;
  }

 private:
  static std::string_view trim_view(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
  }

  bool skip_past(std::string_view terminator, std::size_t from) {
    const std::size_t end = doc_.find(terminator, pos_ + from);
    if (end == std::string_view::npos) return false;
    pos_ = end + terminator.size();
    return true;
  }

  std::size_t skip_spaces(std::size_t p) const {
    while (p < doc_.size() && is_space(doc_[p])) ++p;
    return p;
  }

  // At '<' of a start tag. A '<' not followed by a name is character data.
  bool read_start_tag(XmlToken& token) {
    std::size_t p = pos_ + 1;
    const std::size_t name_begin = p;
    while (p < doc_.size() && !is_space(doc_[p]) && doc_[p] != '>' && doc_[p] != '/' && doc_[p] != '<') ++p;
    if (p == name_begin) {
      token.type = XmlToken::Type::kText;
      token.text = "<";
      pos_ = name_begin;
      return true;
    }
    token.type = XmlToken::Type::kStart;
    token.name = doc_.substr(name_begin, p - name_begin);
    while (true) {
      p = skip_spaces(p);
      if (p >= doc_.size()) return false;
      if (doc_[p] == '>') {
        pos_ = p + 1;
        return true;
      }
      if (doc_[p] == '/') {
        if (p + 1 < doc_.size() && doc_[p + 1] == '>') {
          token.self_closing = true;
          pos_ = p + 2;
          return true;
        }
        ++p;  // stray '/': skip it
        continue;
      }
      if (doc_[p] == '<') {
        // A new tag begins before this one closed: treat this one as ended here.
        pos_ = p;
        return true;
      }
      const std::size_t attr_begin = p;
      while (p < doc_.size() && !is_space(doc_[p]) && doc_[p] != '=' && doc_[p] != '>' && doc_[p] != '/' &&
             doc_[p] != '<') {
        ++p;
      }
      const std::string_view attr_name = doc_.substr(attr_begin, p - attr_begin);
      p = skip_spaces(p);
      if (p < doc_.size() && doc_[p] == '=') {
        p = skip_spaces(p + 1);
        if (p >= doc_.size()) return false;
        std::string_view raw;
        if (doc_[p] == '"' || doc_[p] == '\'') {
          const std::size_t close = doc_.find(doc_[p], p + 1);
          if (close == std::string_view::npos) return false;
          raw = doc_.substr(p + 1, close - p - 1);
          p = close + 1;
        } else {
          const std::size_t value_begin = p;
          while (p < doc_.size() && !is_space(doc_[p]) && doc_[p] != '>' && doc_[p] != '<') ++p;
          raw = doc_.substr(value_begin, p - value_begin);
        }
        if (!attr_name.empty()) token.attributes.push_back({attr_name, decode_entities(raw)});
      } else if (attr_name.empty()) {
        ++p;  // a character that can start nothing (such as a lone '='); guarantees progress
      }
    }
  }

  std::string_view doc_;
  std::size_t pos_ = 0;
};

// Collects "key = part; part" fields in first-seen order, without repeating a part.
class FieldCollector {
 public:
  explicit FieldCollector(std::string source) : source_(std::move(source)) {}

  void add(const std::string& raw_key, std::string_view raw_part) {
    const std::string part = walk_util::clean_text(raw_part);
    if (part.empty()) return;
    const std::string key = walk_util::clean_text(raw_key);
    if (!seen_parts_.insert(key + '\0' + part).second) return;
    const auto it = index_.find(key);
    if (it == index_.end()) {
      if (fields_.size() >= kMaxXmlProperties) return;
      index_.emplace(key, fields_.size());
      MetaField field;
      field.source = source_;
      field.key = key;
      field.value = part;
      field.kind = FieldKind::kText;
      fields_.push_back(std::move(field));
      return;
    }
    std::string& value = fields_[it->second].value;
    if (value.size() + 2 + part.size() > walk_util::kMaxTextValueBytes) return;
    value += "; ";
    value += part;
  }

  std::vector<MetaField> take() { return std::move(fields_); }

 private:
  std::string source_;
  std::vector<MetaField> fields_;
  std::unordered_map<std::string, std::size_t> index_;
  std::unordered_set<std::string> seen_parts_;
};

std::string_view local_name(std::string_view qname) {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string_view prefix_of(std::string_view qname) {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view{} : qname.substr(0, colon);
}

// RDF and packet-wrapper elements carry structure, not property names.
bool is_node_element(std::string_view qname) {
  if (prefix_of(qname) == "rdf") return true;
  const std::string_view local = local_name(qname);
  return local == "xmpmeta" || local == "xapmeta" || local == "RDF" || local == "Description" ||
         local == "Seq" || local == "Bag" || local == "Alt" || local == "li";
}

// Attributes that describe RDF structure or XML itself, not a property value.
bool is_structural_attribute(std::string_view name) {
  if (name.starts_with("xmlns") || name.starts_with("xml:")) return true;
  if (prefix_of(name) == "rdf") return true;  // rdf:about, rdf:parseType, rdf:resource (handled apart)
  return name.find(':') == std::string_view::npos;  // unqualified attributes are not XMP
}

struct XmpFrame {
  std::string name;
  bool is_property = false;
  bool has_child = false;
  std::string text;
};

class XmpExtractor {
 public:
  explicit XmpExtractor(const std::string& source) : out_(source) {}

  void run(std::string_view packet) {
    XmlScanner scanner(packet);
    XmlToken token;
    while (scanner.next(token)) {
      switch (token.type) {
        case XmlToken::Type::kStart:
          on_start(token);
          break;
        case XmlToken::Type::kEnd:
          on_end(token.name);
          break;
        case XmlToken::Type::kText:
          if (!stack_.empty() && overflow_depth_ == 0) {
            std::string& text = stack_.back().text;
            if (text.size() < walk_util::kMaxTextValueBytes) text += token.text;
          }
          break;
      }
    }
    while (!stack_.empty()) pop();
  }

  std::vector<MetaField> take() { return out_.take(); }

 private:
  // The outermost and innermost open property elements ("" when none).
  const XmpFrame* outer_property() const {
    for (const XmpFrame& f : stack_) {
      if (f.is_property) return &f;
    }
    return nullptr;
  }
  const XmpFrame* inner_property() const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (it->is_property) return &*it;
    }
    return nullptr;
  }

  // A value found at `name` (an element or attribute) inside the current open elements.
  void add_value(std::string_view name, std::string_view value) {
    const XmpFrame* outer = outer_property();
    if (outer == nullptr) {
      out_.add("xmp." + std::string(name), value);
    } else if (outer->name == name) {
      out_.add("xmp." + outer->name, value);
    } else {
      out_.add("xmp." + outer->name, std::string(name) + "=" + std::string(value));
    }
  }

  void on_start(const XmlToken& token) {
    if (!stack_.empty() && overflow_depth_ == 0) stack_.back().has_child = true;
    if (overflow_depth_ > 0 || stack_.size() >= kMaxDepth) {
      if (!token.self_closing) ++overflow_depth_;
      return;
    }
    XmpFrame frame;
    frame.name = std::string(token.name);
    frame.is_property = !is_node_element(token.name);
    stack_.push_back(std::move(frame));  // pushed first so attributes see it as the context
    for (const XmlAttribute& attr : token.attributes) {
      if (attr.name == "rdf:resource" && stack_.back().is_property) {
        add_value(stack_.back().name, attr.value);
        stack_.back().has_child = true;  // the value is given; ignore any text
        continue;
      }
      if (is_structural_attribute(attr.name)) continue;
      add_value(attr.name, attr.value);
    }
    if (token.self_closing) stack_.pop_back();
  }

  void on_end(std::string_view name) {
    if (overflow_depth_ > 0) {
      --overflow_depth_;
      return;
    }
    // Close up to the nearest open element of that name; a stray end tag is ignored.
    for (std::size_t i = stack_.size(); i-- > 0;) {
      if (stack_[i].name == name) {
        while (stack_.size() > i) pop();
        return;
      }
    }
  }

  void pop() {
    XmpFrame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.has_child) return;
    const std::string text = core::trim(frame.text);
    if (text.empty()) return;
    if (frame.is_property) {
      // Re-open the frame's context: its own name decides between value and struct field.
      stack_.push_back(XmpFrame{frame.name, true, true, {}});
      add_value(frame.name, text);
      stack_.pop_back();
    } else if (frame.name == "rdf:li" || frame.name == "rdf:value" || frame.name == "li") {
      const XmpFrame* inner = inner_property();
      if (inner != nullptr) add_value(inner->name, text);
    }
  }

  FieldCollector out_;
  std::vector<XmpFrame> stack_;
  std::size_t overflow_depth_ = 0;
};

}  // namespace

std::vector<MetaField> parse_xmp_properties(std::string_view packet, const std::string& source) {
  XmpExtractor extractor(source);
  extractor.run(packet);
  return extractor.take();
}

std::vector<MetaField> parse_xml_leaf_elements(std::string_view xml, std::string_view key_prefix,
                                               const std::string& source) {
  struct Frame {
    std::string name;
    bool has_child = false;
    std::string text;
  };
  FieldCollector out(source);
  std::vector<Frame> stack;
  std::size_t overflow_depth = 0;

  const auto pop = [&] {
    Frame frame = std::move(stack.back());
    stack.pop_back();
    if (frame.has_child) return;
    const std::string text = core::trim(frame.text);
    if (text.empty()) return;
    std::string key(key_prefix);
    for (std::size_t i = 1; i < stack.size(); ++i) key += stack[i].name + "/";  // below the root
    key += frame.name;
    out.add(key, text);
  };

  XmlScanner scanner(xml);
  XmlToken token;
  while (scanner.next(token)) {
    if (token.type == XmlToken::Type::kStart) {
      if (!stack.empty() && overflow_depth == 0) stack.back().has_child = true;
      if (overflow_depth > 0 || stack.size() >= kMaxDepth) {
        if (!token.self_closing) ++overflow_depth;
        continue;
      }
      if (!token.self_closing) stack.push_back(Frame{std::string(token.name), false, {}});
    } else if (token.type == XmlToken::Type::kEnd) {
      if (overflow_depth > 0) {
        --overflow_depth;
        continue;
      }
      for (std::size_t i = stack.size(); i-- > 0;) {
        if (stack[i].name == token.name) {
          while (stack.size() > i) pop();
          break;
        }
      }
    } else if (!stack.empty() && overflow_depth == 0) {
      std::string& text = stack.back().text;
      if (text.size() < walk_util::kMaxTextValueBytes) text += token.text;
    }
  }
  while (!stack.empty()) pop();
  return out.take();
}

}  // namespace wm::meta
