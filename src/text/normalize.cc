#include "text/normalize.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/utf8.h"

namespace ts::text {
namespace {

struct Lookalike {
  char32_t from;
  char32_t to;
};

// Generated at configure time from data/text/lookalikes.tsv.
constexpr Lookalike kLookalikes[] = {
#include "text/lookalikes.inc"
};

char32_t MapLookalike(char32_t c) {
  // Every entry is far from ASCII: skip the lookup for the common case.
  if (c < 0x2000) return c;
  static const std::vector<Lookalike> sorted = [] {
    std::vector<Lookalike> v(std::begin(kLookalikes), std::end(kLookalikes));
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.from < b.from; });
    return v;
  }();
  auto it = std::lower_bound(sorted.begin(), sorted.end(), c,
                             [](const Lookalike& l, char32_t v) { return l.from < v; });
  if (it != sorted.end() && it->from == c) return it->to;
  return c;
}

constexpr char32_t kGlyphZero = 0x43C3;
bool IsGlyphDigit(char32_t c) { return c >= kGlyphZero && c <= kGlyphZero + 9; }

bool IsDigitJoiner(char32_t c) {
  return c == ' ' || c == '-' || c == '.' || c == '/' || c == ':' || c == '(' || c == ')' ||
         c == '_' || c == '=' || c == '#';
}

// Sanitizes: invalid sequences -> U+FFFD; drops C0/C1 controls except \t \n.
std::string Sanitize(std::string_view s) {
  // Fast path: valid UTF-8 without control characters is returned as it is.
  bool clean = IsValidUtf8(s);
  for (std::size_t i = 0; clean && i < s.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7F) clean = false;
    // C1 controls U+0080..U+009F are C2 80..C2 9F.
    if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) clean = false;
  }
  if (clean) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = DecodeUtf8(s, &i);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || (c >= 0x80 && c < 0xA0)) continue;
    AppendUtf8(c, &out);
  }
  return out;
}

}  // namespace

std::string RepairGlyphDigits(std::string_view s) {
  // U+43C3..U+43CC are E4 8F 83..8C in UTF-8: most text has none, and needs no decoding.
  if (s.find("\xE4\x8F") == std::string_view::npos) return std::string(s);
  std::u32string u = ToU32(s);
  bool any = std::any_of(u.begin(), u.end(), IsGlyphDigit);
  if (!any) return std::string(s);
  const std::size_t n = u.size();
  std::size_t i = 0;
  while (i < n) {
    if (!IsGlyphDigit(u[i])) {
      ++i;
      continue;
    }
    // Extend the run over glyph digits and interior dots.
    std::size_t j = i;
    std::size_t glyphs = 0;
    while (j < n && (IsGlyphDigit(u[j]) || (u[j] == '.' && j + 1 < n && IsGlyphDigit(u[j + 1])))) {
      if (IsGlyphDigit(u[j])) ++glyphs;
      ++j;
    }
    auto latin_near = [&](std::ptrdiff_t start, int dir) {
      std::ptrdiff_t k = start;
      for (int skipped = 0; k >= 0 && k < static_cast<std::ptrdiff_t>(n); k += dir) {
        char32_t c = u[static_cast<std::size_t>(k)];
        if (IsAsciiAlnum(c)) return true;
        if (IsDigitJoiner(c) && skipped < 1) {
          ++skipped;
          continue;
        }
        return false;
      }
      return false;
    };
    bool repair = glyphs >= 3 || latin_near(static_cast<std::ptrdiff_t>(i) - 1, -1) ||
                  latin_near(static_cast<std::ptrdiff_t>(j), +1);
    if (repair) {
      for (std::size_t k = i; k < j; ++k) {
        if (IsGlyphDigit(u[k])) u[k] = U'0' + (u[k] - kGlyphZero);
      }
    }
    i = j;
  }
  return ToUtf8(u);
}

namespace {

std::string NfkcOfClean(const std::string& clean) {
  utf8proc_uint8_t* dst = nullptr;
  utf8proc_ssize_t len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                                      static_cast<utf8proc_ssize_t>(clean.size()), &dst,
                                      static_cast<utf8proc_option_t>(
                                          UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE));
  if (len < 0) {
    // Cannot happen for sanitized input; fall back to the sanitized text.
    std::free(dst);
    return clean;
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(dst, &std::free);
  return std::string(reinterpret_cast<const char*>(dst), static_cast<std::size_t>(len));
}

std::string MapLookalikes(const std::string& nfkc) {
  std::string out;
  out.reserve(nfkc.size());
  for (std::size_t i = 0; i < nfkc.size();) AppendUtf8(MapLookalike(DecodeUtf8(nfkc, &i)), &out);
  return out;
}

// Code points whose NFKC cannot interact with their neighbours: none of them is the second
// half of a composition, and their own expansions are checked for combining marks below.
bool PerCharacterSafe(char32_t c) {
  return (c >= 0xA0 && c <= 0x24F) || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x2E80 && c <= 0x3098) ||
         (c >= 0x309D && c <= 0x312F) || (c >= 0x3190 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF9D) || (c >= 0xFFE0 && c <= 0xFFEE);
}

struct CharForm {
  bool known = false;
  bool safe = false;  // expansion holds no combining mark
  std::string utf8;   // NFKC + look-alike mapping of the character alone
};

// NormalizeText for text where NFKC works character by character; nullopt otherwise.
std::optional<std::string> NormalizeFast(const std::string& clean) {
  // Per-thread memo of each BMP character's form (every safe character is in the BMP).
  thread_local std::vector<std::int32_t> slot(0x10000, -1);
  thread_local std::vector<CharForm> forms;
  std::string out;
  out.reserve(clean.size());
  for (std::size_t i = 0; i < clean.size();) {
    const std::size_t start = i;
    char32_t c = DecodeUtf8(clean, &i);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (!PerCharacterSafe(c)) return std::nullopt;
    if (slot[c] < 0) {
      slot[c] = static_cast<std::int32_t>(forms.size());
      forms.emplace_back();
    }
    CharForm& f = forms[static_cast<std::size_t>(slot[c])];
    if (!f.known) {
      f.known = true;
      std::string nfkc = NfkcOfClean(clean.substr(start, i - start));
      f.safe = true;
      for (std::size_t k = 0; k < nfkc.size();) {
        if (utf8proc_get_property(static_cast<utf8proc_int32_t>(DecodeUtf8(nfkc, &k)))->combining_class != 0) {
          f.safe = false;
        }
      }
      f.utf8 = MapLookalikes(nfkc);
    }
    if (!f.safe) return std::nullopt;
    out += f.utf8;
  }
  return out;
}

}  // namespace

std::string Nfkc(std::string_view s) { return NfkcOfClean(Sanitize(s)); }

std::string NormalizeText(std::string_view s) {
  std::string clean = RepairGlyphDigits(Sanitize(s));
  if (std::optional<std::string> fast = NormalizeFast(clean)) return *std::move(fast);
  return MapLookalikes(NfkcOfClean(clean));
}

std::string NormalizeTextReference(std::string_view s) {
  return MapLookalikes(NfkcOfClean(RepairGlyphDigits(Sanitize(s))));
}

std::string ComparisonKey(std::string_view s) { return RemoveSpaces(NormalizeText(s)); }

}  // namespace ts::text
