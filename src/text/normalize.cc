#include "text/normalize.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
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

std::string Nfkc(std::string_view s) {
  std::string clean = Sanitize(s);
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

std::string NormalizeText(std::string_view s) {
  std::string step = Nfkc(RepairGlyphDigits(Sanitize(s)));
  std::string out;
  out.reserve(step.size());
  for (std::size_t i = 0; i < step.size();) {
    AppendUtf8(MapLookalike(DecodeUtf8(step, &i)), &out);
  }
  return out;
}

std::string ComparisonKey(std::string_view s) { return RemoveSpaces(NormalizeText(s)); }

}  // namespace ts::text
