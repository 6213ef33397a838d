#include "catalog/pattern_set.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::catalog {
namespace {

char32_t AsciiLowerChar(char32_t c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

bool IsSpaceChar(char32_t c) {
  return c < 0x80 ? (c == U' ' || (c >= U'\t' && c <= U'\r')) : text::IsSpace(c);
}
bool IsAsciiAlnumChar(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

bool IsClauseBreak(char32_t c) {
  return c == U'。' || c == U'?' || c == U'!' || c == U';' || c == U'\n' || c == U'\r' ||
         c == 0x2029;
}

// Appends `c` to a clause under construction, with the space rule of PatternKey.
void AppendToKey(char32_t c, bool* pending_space, std::u32string* out) {
  if (IsSpaceChar(c)) {
    *pending_space = !out->empty();
    return;
  }
  if (*pending_space && !(text::IsCjk(out->back()) && text::IsCjk(c))) out->push_back(U' ');
  *pending_space = false;
  out->push_back(AsciiLowerChar(c));
}

}  // namespace

std::u32string PatternKey(std::string_view normalized) {
  std::u32string out;
  bool pending_space = false;
  for (char32_t c : text::ToU32(normalized)) AppendToKey(c, &pending_space, &out);
  return out;
}

// Per-call working memory of Find (Find is const and may run on many threads at once).
struct PatternSet::Scratch {
  std::vector<std::uint32_t> atoms;                               // found in the current clause
  std::vector<std::pair<std::uint32_t, std::uint32_t>> elements;  // (pattern, element) satisfied
  std::vector<std::size_t> fired;
};

std::uint32_t PatternSet::AtomIndex(std::u32string key) {
  auto [it, inserted] = atom_of_.try_emplace(key, static_cast<std::uint32_t>(atoms_.size()));
  if (inserted) {
    const bool ascii = std::all_of(key.begin(), key.end(), [](char32_t c) { return c < 0x80; });
    const bool word_start = ascii && text::IsAsciiAlnum(key[0]);
    atoms_.push_back({std::move(key), word_start});
  }
  return it->second;
}

Result<std::size_t> PatternSet::Add(std::string_view pattern) {
  const std::string quoted = "pattern '" + std::string(pattern) + "'";
  std::vector<std::vector<std::u32string>> elements;
  for (std::string_view element : text::Split(pattern, '+')) {
    std::vector<std::u32string> alternatives;
    for (std::string_view alternative : text::Split(element, ';')) {
      std::u32string key = PatternKey(text::NormalizeText(alternative));
      if (key.empty()) {
        return InvalidArgument(quoted + ": element " + std::to_string(elements.size() + 1) +
                               " has an empty alternative");
      }
      if (std::any_of(key.begin(), key.end(), IsClauseBreak) || key.back() == U'.') {
        return InvalidArgument(quoted + ": element " + std::to_string(elements.size() + 1) +
                               " contains a clause break");
      }
      alternatives.push_back(std::move(key));
    }
    elements.push_back(std::move(alternatives));
  }
  if (elements.size() < 2 || elements.size() > kMaxPatternElements) {
    return InvalidArgument(quoted + ": a pattern has 2 to " + std::to_string(kMaxPatternElements) +
                           " elements, found " + std::to_string(elements.size()));
  }
  const auto index = static_cast<std::uint32_t>(element_count_.size());
  element_count_.push_back(static_cast<std::uint32_t>(elements.size()));
  for (std::size_t e = 0; e < elements.size(); ++e) {
    for (std::u32string& key : elements[e]) {
      uses_.push_back({AtomIndex(std::move(key)), index, static_cast<std::uint32_t>(e)});
    }
  }
  return static_cast<std::size_t>(index);
}

void PatternSet::Index() {
  std::sort(uses_.begin(), uses_.end(), [](const Use& a, const Use& b) {
    return a.atom != b.atom         ? a.atom < b.atom
           : a.pattern != b.pattern ? a.pattern < b.pattern
                                    : a.element < b.element;
  });
  first_use_.assign(atoms_.size() + 1, 0);
  for (const Use& u : uses_) ++first_use_[u.atom + 1];
  std::partial_sum(first_use_.begin(), first_use_.end(), first_use_.begin());
  word_start_atoms_ = TermTrie();
  anywhere_atoms_ = TermTrie();
  for (std::uint32_t a = 0; a < atoms_.size(); ++a)
    (atoms_[a].word_start ? word_start_atoms_ : anywhere_atoms_).Add(atoms_[a].key, a);
  word_start_atoms_.Finish();
  anywhere_atoms_.Finish();
}

void PatternSet::FindInClause(std::u32string_view clause, Scratch* s) const {
  s->atoms.clear();
  auto found = [&](std::size_t /*length*/, std::uint32_t atom) { s->atoms.push_back(atom); };
  for (std::size_t i = 0; i < clause.size(); ++i) {
    anywhere_atoms_.MatchAt(clause, i, found);
    if (i == 0 || !IsAsciiAlnumChar(clause[i - 1])) word_start_atoms_.MatchAt(clause, i, found);
  }
  if (s->atoms.empty()) return;
  std::sort(s->atoms.begin(), s->atoms.end());
  s->atoms.erase(std::unique(s->atoms.begin(), s->atoms.end()), s->atoms.end());
  s->elements.clear();
  for (std::uint32_t a : s->atoms) {
    for (std::uint32_t u = first_use_[a]; u < first_use_[a + 1]; ++u)
      s->elements.emplace_back(uses_[u].pattern, uses_[u].element);
  }
  std::sort(s->elements.begin(), s->elements.end());
  s->elements.erase(std::unique(s->elements.begin(), s->elements.end()), s->elements.end());
  // Runs of one pattern: it fires when the run holds every one of its elements.
  for (std::size_t b = 0; b < s->elements.size();) {
    std::size_t e = b;
    while (e < s->elements.size() && s->elements[e].first == s->elements[b].first) ++e;
    const std::uint32_t pattern = s->elements[b].first;
    if (e - b == element_count_[pattern] &&
        std::find(s->fired.begin(), s->fired.end(), static_cast<std::size_t>(pattern)) ==
            s->fired.end()) {
      s->fired.push_back(pattern);
    }
    b = e;
  }
}

std::vector<std::size_t> PatternSet::Find(std::string_view normalized) const {
  if (uses_.empty()) return {};
  return Find(std::u32string_view(text::ToU32(normalized)));
}

std::vector<std::size_t> PatternSet::Find(std::u32string_view t) const {
  Scratch s;
  if (uses_.empty()) return {};
  // The clause under construction, written by index (see AppendToKey for the space rule).
  std::u32string buffer(2 * t.size(), U' ');
  std::size_t n = 0;
  bool pending_space = false;
  auto finish_clause = [&] {
    FindInClause(std::u32string_view(buffer.data(), n), &s);
    n = 0;
    pending_space = false;
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char32_t c = t[i];
    // A '.' ends a sentence before white space or the end, or after Japanese (a full-width
    // period after NFKC); not inside "TLS1.2" or "example.com".
    const bool period_break = c == U'.' && (i + 1 == t.size() || IsSpaceChar(t[i + 1]) ||
                                            (n > 0 && text::IsCjk(buffer[n - 1])));
    if (IsClauseBreak(c) || period_break) {
      finish_clause();
      continue;
    }
    if (IsSpaceChar(c)) {
      pending_space = n > 0;
      continue;
    }
    if (pending_space && !(text::IsCjk(buffer[n - 1]) && text::IsCjk(c))) buffer[n++] = U' ';
    pending_space = false;
    buffer[n++] = AsciiLowerChar(c);
  }
  finish_clause();
  return std::move(s.fired);
}

}  // namespace ts::catalog
