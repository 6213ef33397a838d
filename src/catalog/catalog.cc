#include "catalog/catalog.h"

#include <algorithm>
#include <cctype>

#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::catalog {
namespace {

constexpr std::string_view kBuiltinTsv =
#include "catalog/controls_tsv.inc"
    ;

// Non-empty, trimmed parts of a list field ("a|b", "5.1.1,5.1.2").
std::vector<std::string> ListField(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (std::string_view part : text::Split(s, sep)) {
    part = text::Trim(part);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

}  // namespace

namespace {

// The key of already-normalized text: no white space, ASCII lower-cased.
std::u32string KeyOfNormalized(std::string_view normalized) {
  return text::ToU32(text::AsciiLower(text::RemoveSpaces(normalized)));
}

}  // namespace

std::u32string TermKey(std::string_view s) { return KeyOfNormalized(text::NormalizeText(s)); }

Result<Catalog> Catalog::Parse(std::string_view tsv, std::string_view source) {
  Catalog cat;
  int lineno = 0;
  for (std::string_view line : text::SplitLines(tsv)) {
    ++lineno;
    if (text::Trim(line).empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    for (std::string_view field : text::Split(line, '\t')) f.emplace_back(field);
    const std::string where = std::string(source) + ":" + std::to_string(lineno);
    if (f.size() != 7) {
      return InvalidArgument(where + ": expected 7 tab-separated fields, found " + std::to_string(f.size()));
    }
    Control c{f[0], f[1], f[2], f[3], ListField(f[4], '|'), ListField(f[5], ','), ListField(f[6], ',')};
    if (c.id.empty() || c.name_ja.empty() || c.name_en.empty()) return InvalidArgument(where + ": id and names are required");
    if (c.terms.empty()) return InvalidArgument(where + ": control " + c.id + " has no terms");
    if (cat.Find(c.id) != nullptr) return InvalidArgument(where + ": duplicate control id " + c.id);
    for (const std::string& t : c.terms) {
      std::u32string key = TermKey(t);
      if (!key.empty()) cat.terms_.push_back({std::move(key), cat.controls_.size(), t});
    }
    cat.controls_.push_back(std::move(c));
  }
  std::sort(cat.terms_.begin(), cat.terms_.end(), [](const Term& a, const Term& b) { return a.key < b.key; });
  for (const Term& t : cat.terms_) cat.first_char_.push_back(t.key[0]);
  return cat;
}

const Catalog& Catalog::Builtin() {
  static const Catalog cat = [] {
    Result<Catalog> r = Parse(kBuiltinTsv, "data/catalog/controls.tsv");
    // The data file is checked by a test; a broken build-time copy is a programming error.
    if (!r.ok()) return Catalog();
    return *std::move(r);
  }();
  return cat;
}

const Control* Catalog::Find(std::string_view id) const {
  for (const Control& c : controls_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::vector<ConceptHit> Catalog::FindConcepts(std::string_view text_in) const { return FindInKey(TermKey(text_in)); }

std::vector<ConceptHit> Catalog::FindConceptsInNormalized(std::string_view normalized) const {
  return FindInKey(KeyOfNormalized(normalized));
}

std::vector<ConceptHit> Catalog::FindInKey(const std::u32string& t) const {
  std::vector<ConceptHit> hits;
  std::vector<bool> seen;
  std::size_t covered_until = 0;  // a shorter term inside a longer match does not count
  std::vector<const Term*> here;   // the terms that match at the current position
  auto is_alnum = [](char32_t c) { return c < 0x80 && std::isalnum(static_cast<int>(c)) != 0; };
  auto is_alpha = [](char32_t c) { return c < 0x80 && std::isalpha(static_cast<int>(c)) != 0; };
  for (std::size_t i = 0; i < t.size(); ++i) {
    // Terms starting with t[i] form one run of the sorted term list.
    auto first = std::lower_bound(first_char_.begin(), first_char_.end(), t[i]);
    if (first == first_char_.end() || *first != t[i]) continue;
    // Every term that starts here counts: the longest, the same word listed under several
    // controls, and shorter, broader terms it begins with ("TLS" in "TLS1.2").
    const Term* best = nullptr;
    here.clear();
    for (auto it = terms_.begin() + (first - first_char_.begin()); it != terms_.end() && it->key[0] == t[i]; ++it) {
      if (it->key.size() > t.size() - i || t.compare(i, it->key.size(), it->key) != 0) continue;
      const std::size_t e = i + it->key.size();
      if (is_alnum(it->key.back()) && e < t.size() && is_alpha(t[e])) continue;
      here.push_back(&*it);
      if (best == nullptr || it->key.size() > best->key.size()) best = &*it;
    }
    if (best == nullptr) continue;
    const std::size_t end = i + best->key.size();
    if (end <= covered_until) continue;
    // Latin terms must stand alone: "api" not inside "rapid", "dr" not inside "address"; a
    // version number may follow ("TLS" in "TLS1.2").
    if (is_alnum(best->key.front()) && ((i > 0 && is_alnum(t[i - 1])) || (end < t.size() && is_alpha(t[end])))) {
      continue;
    }
    covered_until = end;
    if (seen.empty()) seen.assign(controls_.size(), false);
    for (const Term* term : here) {
      if (!seen[term->control]) {
        seen[term->control] = true;
        hits.push_back({term->control, term->display});
      }
    }
  }
  return hits;
}

}  // namespace ts::catalog
