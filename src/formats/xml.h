// XML as the Office formats use it: parsing an archive part safely, and escaping text for
// writing one. Pure functions; thread-safe.
#pragma once

#include <pugixml.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ts::formats {

// Parses one XML part. UTF-16 parts (with a byte-order mark, or none) are read as UTF-8.
// Refused: a DTD (<!DOCTYPE>, <!ENTITY>: no entity tricks of any kind, in any encoding),
// nesting deeper than `max_depth`, malformed XML. Errors name `where` (file and part).
// `flags` are pugixml's parse options (DOCTYPE parsing is always off); Word parts need
// pugi::parse_ws_pcdata, so that a run of one space is kept.
Result<std::unique_ptr<pugi::xml_document>> ParseXml(std::string_view xml, const std::string& where, int max_depth,
                                                     unsigned flags = pugi::parse_default);

// A tree written back as it was read: no indentation, the parsed declaration (if any) kept as
// it was (parse with pugi::parse_declaration), characters XML 1.0 cannot hold left out.
std::string WriteXml(const pugi::xml_document& doc);

// `s` with & < > " ' escaped for an attribute value or element text. Characters XML 1.0
// cannot hold (controls other than tab, LF, CR) are dropped.
std::string EscapeXml(std::string_view s);

}  // namespace ts::formats
