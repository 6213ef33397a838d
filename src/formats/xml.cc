#include "formats/xml.h"

#include "text/utf8.h"

namespace ts::formats {
namespace {

// UTF-16 text (little or big endian) as UTF-8; unpaired surrogates become U+FFFD.
std::string Utf16ToUtf8(std::string_view in, bool little) {
  std::string out;
  out.reserve(in.size());
  auto unit = [&](std::size_t i) -> char32_t {
    auto a = static_cast<unsigned char>(in[i]), b = static_cast<unsigned char>(in[i + 1]);
    return little ? char32_t(a | (b << 8)) : char32_t((a << 8) | b);
  };
  for (std::size_t i = 0; i + 1 < in.size(); i += 2) {
    char32_t c = unit(i);
    if (c >= 0xD800 && c <= 0xDBFF && i + 3 < in.size()) {
      char32_t d = unit(i + 2);
      if (d >= 0xDC00 && d <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
        i += 2;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    text::AppendUtf8(c, &out);
  }
  return out;
}

// The part as UTF-8: a UTF-16 part (by its byte-order mark or its first '<') converted.
std::string AsUtf8(std::string_view xml) {
  auto at = [&](std::size_t i) { return i < xml.size() ? static_cast<unsigned char>(xml[i]) : 0x100; };
  if (at(0) == 0xFF && at(1) == 0xFE) return Utf16ToUtf8(xml.substr(2), true);
  if (at(0) == 0xFE && at(1) == 0xFF) return Utf16ToUtf8(xml.substr(2), false);
  if (at(0) == '<' && at(1) == 0) return Utf16ToUtf8(xml, true);
  if (at(0) == 0 && at(1) == '<') return Utf16ToUtf8(xml, false);
  if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return std::string(xml.substr(3));
  return std::string(xml);
}

}  // namespace

Result<std::unique_ptr<pugi::xml_document>> ParseXml(std::string_view raw, const std::string& where, int max_depth,
                                                     unsigned flags) {
  const std::string xml = AsUtf8(raw);
  if (xml.find("<!DOCTYPE") != std::string::npos || xml.find("<!ENTITY") != std::string::npos) {
    return InvalidArgument(where + ": XML with a DTD (<!DOCTYPE>) is not allowed");
  }
  // Depth check on the raw text before building a tree: count nesting of start/end tags;
  // comments, CDATA sections and processing instructions hold no tags.
  int depth = 0;
  for (std::size_t i = 0; i + 1 < xml.size(); ++i) {
    if (xml[i] != '<') continue;
    char c = xml[i + 1];
    std::string_view rest = std::string_view(xml).substr(i);
    if (rest.starts_with("<!--") || rest.starts_with("<![CDATA[") || c == '?') {
      const std::string_view end = rest.starts_with("<!--") ? "-->" : c == '?' ? "?>" : "]]>";
      std::size_t close = xml.find(end, i + 2);
      if (close == std::string::npos) break;  // the parser reports it
      i = close + end.size() - 1;
      continue;
    }
    if (c == '/') {
      --depth;
    } else if (c != '!') {
      std::size_t close = xml.find('>', i);
      if (close == std::string::npos) break;
      if (xml[close - 1] != '/') ++depth;
      if (depth > max_depth) {
        return InvalidArgument(where + ": XML is nested deeper than " + std::to_string(max_depth) + " levels");
      }
      i = close;
    }
  }
  auto doc = std::make_unique<pugi::xml_document>();
  pugi::xml_parse_result r =
      doc->load_buffer(xml.data(), xml.size(), flags & ~pugi::parse_doctype, pugi::encoding_utf8);
  if (!r) {
    return Corruption(where + ": malformed XML at byte " + std::to_string(r.offset) + ": " + r.description());
  }
  return doc;
}

std::string WriteXml(const pugi::xml_document& doc) {
  struct Writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, std::size_t size) override { out.append(static_cast<const char*>(data), size); }
  } w;
  // format_no_declaration: the parsed declaration node (if any) is printed as a node.
  doc.save(w, "", pugi::format_raw | pugi::format_no_declaration | pugi::format_skip_control_chars,
           pugi::encoding_utf8);
  return w.out;
}

std::string EscapeXml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

}  // namespace ts::formats
