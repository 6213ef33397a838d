#include "ingest/internal/encoding.h"

#include <iconv.h>

#include <cerrno>
#include <memory>

#include "text/utf8.h"

namespace ts::ingest::internal {
namespace {

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// Converts with iconv; returns false on any invalid or incomplete sequence.
bool Convert(const char* from, std::string_view in, std::string* out, const char* to = "UTF-8") {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  std::unique_ptr<void, IconvCloser> guard(cd);
  out->clear();
  out->reserve(in.size() * 3 / 2 + 16);
  char* inbuf = const_cast<char*>(in.data());
  std::size_t inleft = in.size();
  char buf[16384];
  while (inleft > 0) {
    char* outp = buf;
    std::size_t outleft = sizeof(buf);
    std::size_t rc = iconv(cd, &inbuf, &inleft, &outp, &outleft);
    out->append(buf, static_cast<std::size_t>(outp - buf));
    if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) return false;
  }
  return true;
}

bool HasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

}  // namespace

Result<Decoded> DecodeText(std::string_view bytes, std::string_view file) {
  Decoded d;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
    if (!text::IsValidUtf8(bytes) || HasNul(bytes)) {
      return InvalidArgument(std::string(file) + ": starts with a UTF-8 byte order mark but is not valid UTF-8");
    }
    d.text = std::string(bytes);
    d.encoding = "utf-8-bom";
    return d;
  }
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
    bool le = bytes[0] == '\xFF';
    if (!Convert(le ? "UTF-16LE" : "UTF-16BE", bytes.substr(2), &d.text)) {
      return InvalidArgument(std::string(file) + ": starts with a UTF-16 byte order mark but is not valid UTF-16");
    }
    d.encoding = le ? "utf-16le" : "utf-16be";
    return d;
  }
  if (HasNul(bytes)) return InvalidArgument(std::string(file) + ": not text (contains NUL bytes)");
  if (text::IsValidUtf8(bytes)) {
    d.text = std::string(bytes);
    d.encoding = "utf-8";
    return d;
  }
  if (Convert("CP932", bytes, &d.text)) {
    d.encoding = "cp932";
    return d;
  }
  return InvalidArgument(std::string(file) + ": not text: neither UTF-8 nor CP932 (Shift_JIS)");
}

Result<std::string> EncodeText(std::string_view utf8, std::string_view encoding, std::string_view file) {
  if (encoding == "utf-8") return std::string(utf8);
  if (encoding == "utf-8-bom") return "\xEF\xBB\xBF" + std::string(utf8);
  const char* to = encoding == "cp932" ? "CP932" : encoding == "utf-16le" ? "UTF-16LE" : encoding == "utf-16be" ? "UTF-16BE" : nullptr;
  if (to == nullptr) return InvalidArgument(std::string(file) + ": cannot write encoding '" + std::string(encoding) + "'");
  std::string out;
  if (!Convert("UTF-8", utf8, &out, to)) {
    return InvalidArgument(std::string(file) + ": the text has characters that " + std::string(encoding) +
                           " cannot represent");
  }
  if (encoding == "utf-16le") out = "\xFF\xFE" + out;
  if (encoding == "utf-16be") out = "\xFE\xFF" + out;
  return out;
}

}  // namespace ts::ingest::internal
