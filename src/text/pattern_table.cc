#include "text/pattern_table.h"

#include <algorithm>

#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::text {
namespace {

bool AsciiWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::vector<std::vector<TablePattern>> ParsePatternTable(std::string_view tsv, const std::vector<std::string_view>& kinds) {
  std::vector<std::vector<TablePattern>> out(kinds.size());
  for (std::string_view line : SplitLines(tsv)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != 2) continue;
    auto k = std::find(kinds.begin(), kinds.end(), Trim(f[0]));
    if (k == kinds.end()) continue;
    TablePattern p;
    p.written = std::string(Trim(f[1]));
    p.key = AsciiLower(NormalizeText(p.written));
    p.ascii = std::all_of(p.key.begin(), p.key.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    out[static_cast<std::size_t>(k - kinds.begin())].push_back(std::move(p));
  }
  return out;
}

std::size_t FindPattern(std::string_view s, const TablePattern& p, std::size_t from, bool whole_word) {
  for (std::size_t at = s.find(p.key, from); at != std::string_view::npos; at = s.find(p.key, at + 1)) {
    if (p.ascii) {
      if (at > 0 && AsciiWordChar(s[at - 1])) continue;
      const std::size_t end = at + p.key.size();
      if (whole_word && end < s.size() && AsciiWordChar(s[end]) && AsciiWordChar(p.key.back())) continue;
    }
    return at;
  }
  return std::string_view::npos;
}

}  // namespace ts::text
