// Streaming XML (expat) for the large parts of an Office file: the caller feeds bytes as they
// come out of the archive and gets start tags, end tags and text, so memory follows what the
// caller keeps, not the size of the XML. The same refusals as ParseXml: a DTD in any encoding,
// nesting deeper than the limit, malformed XML, each naming `where`. Not thread-safe per object.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ts::formats {

class XmlStreamHandler {
 public:
  virtual ~XmlStreamHandler() = default;
  // `attrs` as expat gives them: name, value, name, value, ..., null. Returning a non-ok
  // status stops the parse with that error.
  virtual Status Start(std::string_view name, const char** attrs) = 0;
  virtual Status End(std::string_view name) = 0;
  virtual Status Text(std::string_view text) = 0;
};

class XmlStream {
 public:
  XmlStream(XmlStreamHandler* handler, std::string where, int max_depth);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Feeds the next bytes; `last` for the final call (which may be empty).
  Status Feed(std::string_view bytes, bool last);

  struct Impl;  // opaque; public so that expat's C callbacks can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

// The value of attribute `name` in expat's list, or "" when absent.
std::string_view AttrValue(const char** attrs, std::string_view name);

}  // namespace ts::formats
