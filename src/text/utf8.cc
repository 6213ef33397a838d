#include "text/utf8.h"

#include <algorithm>

namespace ts::text {

char32_t DecodeUtf8(std::string_view s, std::size_t* pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = *pos;
  const std::size_t n = s.size();
  unsigned char c = p[i];
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return kReplacementChar;
  }
  if (i + static_cast<std::size_t>(len) > n) {
    *pos = i + 1;
    return kReplacementChar;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char cc = p[i + static_cast<std::size_t>(k)];
    if ((cc & 0xC0) != 0x80) {
      *pos = i + 1;
      return kReplacementChar;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kReplacementChar;
  }
  *pos = i + static_cast<std::size_t>(len);
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(DecodeUtf8(s, &i));
  return out;
}

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) AppendUtf8(c, &out);
  return out;
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t before = i;
    char32_t c = DecodeUtf8(s, &i);
    if (c == kReplacementChar) {
      // A literal U+FFFD is three bytes EF BF BD; anything else decoding to it is invalid.
      if (i - before != 3) return false;
    }
  }
  return true;
}

std::size_t CodePointCount(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    DecodeUtf8(s, &i);
    ++n;
  }
  return n;
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         c == 0x3000 || c == 0xA0 || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
         (c >= 0x2000 && c <= 0x200B);
}

bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

bool IsAsciiAlnum(char32_t c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsCjk(char32_t c) {
  return (c >= 0x3000 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2FFFF);
}

std::string_view Trim(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    std::size_t i = b;
    char32_t c = DecodeUtf8(s, &i);
    if (!IsSpace(c)) break;
    b = i;
  }
  std::size_t e = s.size();
  while (e > b) {
    // Step back to the start of the previous code point.
    std::size_t k = e - 1;
    while (k > b && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
    std::size_t i = k;
    char32_t c = DecodeUtf8(s, &i);
    if (!IsSpace(c)) break;
    e = k;
  }
  return s.substr(b, e - b);
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t c = DecodeUtf8(s, &i);
    if (IsSpace(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out.push_back(' ');
    pending = false;
    out.append(s.substr(start, i - start));
  }
  return out;
}

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t c = DecodeUtf8(s, &i);
    if (!IsSpace(c)) out.append(s.substr(start, i - start));
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t nl = s.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? s.size() : nl;
    std::string_view line = s.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (!lines.empty() && lines.back().empty() && !s.empty() && s.back() == '\n') lines.pop_back();
  return lines;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace ts::text

namespace ts::text {
std::string JoinWrapped(std::string_view a, std::string_view b) {
  a = Trim(a);
  b = Trim(b);
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::size_t k = a.size() - 1;
  while (k > 0 && (static_cast<unsigned char>(a[k]) & 0xC0) == 0x80) --k;
  std::size_t i = k;
  char32_t last = DecodeUtf8(a, &i);
  i = 0;
  char32_t first = DecodeUtf8(b, &i);
  std::string out(a);
  if (!IsCjk(last) && !IsCjk(first)) out.push_back(' ');  // 「のうち」+「3種類」: no space
  out.append(b);
  return out;
}

std::string CutUtf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a character
  s.resize(n);
  return s;
}

std::string_view SpanAround(std::string_view s, std::size_t at, std::size_t len,
                            std::initializer_list<std::string_view> stops) {
  std::size_t begin = 0, end = s.size();
  for (std::string_view stop : stops) {
    const std::size_t b = s.rfind(stop, at);
    if (b != std::string_view::npos && b + stop.size() <= at) begin = std::max(begin, b + stop.size());
    end = std::min(end, s.find(stop, at + len));
  }
  return s.substr(begin, end - begin);
}

std::string JoinLines(std::string_view s) {
  std::string joined;
  for (std::string_view line : SplitLines(s)) joined = JoinWrapped(joined, line);
  return joined;
}
}  // namespace ts::text
