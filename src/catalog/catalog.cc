#include "catalog/catalog.h"

#include <algorithm>
#include <cstdint>

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

char32_t AsciiLowerChar(char32_t c) { return c >= U'A' && c <= U'Z' ? c - U'A' + U'a' : c; }
bool IsSpaceChar(char32_t c) {
  return c < 0x80 ? (c == U' ' || (c >= U'\t' && c <= U'\r')) : text::IsSpace(c);
}

// The key of already-normalized text: no white space, ASCII lower-cased.
std::u32string KeyOfNormalized(std::string_view normalized) {
  return text::ToU32(text::AsciiLower(text::RemoveSpaces(normalized)));
}

// The forms of one normalized text that terms are looked for in, made in one pass: without
// white space and lower-cased (TermKey), and with word spaces (PatternKey) in capitals as
// written and lower-cased.
struct TextForms {
  std::u32string joined;
  std::u32string spaced;
  std::u32string spaced_lower;
  explicit TextForms(std::u32string_view t) {
    // Written by index into buffers of the largest size, then cut: push_back on a u32string
    // is not inlined and was the largest single cost of concept finding.
    joined.resize(t.size());
    spaced.resize(2 * t.size());
    spaced_lower.resize(2 * t.size());
    std::size_t j = 0, k = 0;
    bool pending_space = false;
    for (char32_t c : t) {
      if (IsSpaceChar(c)) {
        pending_space = k > 0;
        continue;
      }
      if (pending_space && !(text::IsCjk(spaced[k - 1]) && text::IsCjk(c))) {
        spaced[k] = U' ';
        spaced_lower[k++] = U' ';
      }
      pending_space = false;
      const char32_t lower = AsciiLowerChar(c);
      joined[j++] = lower;
      spaced[k] = c;
      spaced_lower[k++] = lower;
    }
    joined.resize(j);
    spaced.resize(k);
    spaced_lower.resize(k);
  }
};

// PatternKey, optionally without lower-casing.
std::u32string SpacedKey(std::string_view normalized, bool lower) {
  TextForms forms(text::ToU32(normalized));
  return lower ? forms.spaced_lower : forms.spaced;
}

// An acronym as written in the data file: Latin letters all in capitals, at least two of them
// ("IDS", "SSO", "TLS1.2"). In English text it must be written the same way: "IDS" is not the
// "IDs" of "user IDs", "IPS" not the "IPs" of addresses.
bool IsAcronym(std::u32string_view key) {
  int upper = 0;
  for (char32_t c : key) {
    if (c >= U'a' && c <= U'z') return false;
    if (c >= U'A' && c <= U'Z') ++upper;
  }
  return upper >= 2;
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
      return InvalidArgument(where + ": expected 7 tab-separated fields, found " +
                             std::to_string(f.size()));
    }
    Control c{
        f[0], f[1], f[2], f[3], ListField(f[4], '|'), ListField(f[5], ','), ListField(f[6], ',')};
    if (c.id.empty() || c.name_ja.empty() || c.name_en.empty())
      return InvalidArgument(where + ": id and names are required");
    if (c.terms.empty()) return InvalidArgument(where + ": control " + c.id + " has no terms");
    if (cat.Find(c.id) != nullptr) return InvalidArgument(where + ": duplicate control id " + c.id);
    for (const std::string& t : c.terms) {
      if (t.find('+') != std::string::npos) {
        Result<std::size_t> added = cat.patterns_.Add(t);
        if (!added.ok())
          return InvalidArgument(where + ": control " + c.id + ": " + added.status().message());
        cat.pattern_terms_.push_back({{}, cat.controls_.size(), t});
        continue;
      }
      std::u32string key = TermKey(t);
      if (key.empty()) continue;
      cat.terms_.terms.push_back({std::move(key), cat.controls_.size(), t});
      std::u32string spaced = SpacedKey(text::NormalizeText(t), /*lower=*/false);
      if (std::all_of(spaced.begin(), spaced.end(), [](char32_t ch) { return ch < 0x80; })) {
        if (IsAcronym(spaced)) {
          cat.acronym_terms_.terms.push_back({std::move(spaced), cat.controls_.size(), t});
        } else {
          cat.latin_terms_.terms.push_back(
              {PatternKey(text::NormalizeText(t)), cat.controls_.size(), t});
        }
      }
    }
    cat.controls_.push_back(std::move(c));
  }
  cat.terms_.Finish();
  cat.latin_terms_.Finish();
  cat.acronym_terms_.Finish();
  cat.patterns_.Index();
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

void Catalog::TermList::Finish() {
  for (std::size_t i = 0; i < terms.size(); ++i)
    trie.Add(terms[i].key, static_cast<std::uint32_t>(i));
  trie.Finish();
}

const Control* Catalog::Find(std::string_view id) const {
  for (const Control& c : controls_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::vector<ConceptHit> Catalog::FindConcepts(std::string_view text_in) const {
  return FindConceptsInNormalized(text::NormalizeText(text_in));
}

std::vector<ConceptHit> Catalog::FindConceptsInNormalized(std::string_view normalized) const {
  std::vector<ConceptHit> hits;
  const std::u32string t = text::ToU32(normalized);
  const TextForms forms(t);
  FindInKey(forms.joined, terms_, /*plurals=*/false, &hits);
  // Removing spaces glues English words together ("anauditlog"), where a Latin term can no
  // longer stand alone; the spaced forms find those.
  FindInKey(forms.spaced_lower, latin_terms_, /*plurals=*/true, &hits);
  FindInKey(forms.spaced, acronym_terms_, /*plurals=*/true, &hits);
  for (std::size_t p : patterns_.Find(std::u32string_view(t))) {
    const Term& pattern = pattern_terms_[p];
    const bool seen = std::any_of(hits.begin(), hits.end(), [&](const ConceptHit& h) {
      return h.control == pattern.control;
    });
    if (!seen) hits.push_back({pattern.control, pattern.display});
  }
  return hits;
}

void Catalog::FindInKey(const std::u32string& t, const TermList& list, bool plurals,
                        std::vector<ConceptHit>* hits) {
  if (list.terms.empty()) return;
  std::size_t covered_until = 0;  // a shorter term inside a longer match does not count
  std::vector<const Term*> here;  // the terms that match at the current position
  auto is_alnum = [](char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
  };
  auto is_alpha = [](char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); };
  // In spaced English text a term may take a plural ending: "firewall" in "firewalls",
  // "patch" in "patches". The ending counts as part of the match.
  auto plural_end = [&](std::size_t e) {
    if (!plurals || e >= t.size()) return e;
    if (t[e] == U's' && (e + 1 == t.size() || !is_alpha(t[e + 1]))) return e + 1;
    if (t[e] == U'e' && e + 1 < t.size() && t[e + 1] == U's' &&
        (e + 2 == t.size() || !is_alpha(t[e + 2])))
      return e + 2;
    return e;
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    // Inside a Latin word no term can start: every term starting with t[i] starts with a
    // letter or digit and would not stand alone (the check after the search below).
    if (i > 0 && is_alnum(t[i]) && is_alnum(t[i - 1])) continue;
    // Every term that starts here counts: the longest, the same word listed under several
    // controls, and shorter, broader terms it begins with ("TLS" in "TLS1.2").
    here.clear();
    std::size_t best_end = 0;
    const Term* best = nullptr;
    list.trie.MatchAt(t, i, [&](std::size_t length, std::uint32_t index) {
      const Term& term = list.terms[index];
      const std::size_t e = is_alpha(term.key.back()) ? plural_end(i + length) : i + length;
      if (is_alnum(term.key.back()) && e < t.size() && is_alpha(t[e])) return;
      here.push_back(&term);
      if (best == nullptr || length >= best->key.size()) {
        best = &term;
        best_end = e;
      }
    });
    if (best == nullptr) continue;
    const std::size_t end = best_end;
    if (end <= covered_until) continue;
    // Latin terms must stand alone: "api" not inside "rapid", "dr" not inside "address"; a
    // version number may follow ("TLS" in "TLS1.2").
    if (is_alnum(best->key.front()) &&
        ((i > 0 && is_alnum(t[i - 1])) || (end < t.size() && is_alpha(t[end])))) {
      continue;
    }
    covered_until = end;
    for (const Term* term : here) {
      const bool seen = std::any_of(hits->begin(), hits->end(), [&](const ConceptHit& h) {
        return h.control == term->control;
      });
      if (!seen) hits->push_back({term->control, term->display});
    }
  }
}

}  // namespace ts::catalog
