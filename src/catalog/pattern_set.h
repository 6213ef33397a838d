// Co-occurrence patterns for catalog concepts: "時刻+同期;合わせ" fires when every element
// ('+'-separated) occurs, as any of its alternatives (';'-separated), within one clause of a
// text. Built by Add calls and one Index call, then immutable; Find is const and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/term_trie.h"

namespace ts::catalog {

// Limits of one pattern (a pattern is a short idea, not a sentence).
inline constexpr std::size_t kMaxPatternElements = 8;

class PatternSet {
 public:
  // Adds a pattern and returns its index (0, 1, ...). Alternatives are compared after
  // NormalizeText and ASCII lower-casing, with white space kept as one space (and dropped
  // between two CJK characters). An alternative made only of ASCII characters that begins with
  // a letter or digit must begin a word: "rest" does not occur in "interest", "encrypt" does
  // in "encrypted". InvalidArgument when an element or alternative is empty, or when there are
  // fewer than two or more than kMaxPatternElements elements.
  Result<std::size_t> Add(std::string_view pattern);
  // Builds the search index; call after the last Add and before Find (Find sees only the
  // patterns added before the last Index).
  void Index();

  // Indices of the patterns that fire in `normalized` (text already passed through
  // text::NormalizeText), each once, in the order of the clause where each first fires.
  // Clauses end at 。 . ? ! ; and line breaks ('.' only where it ends a sentence: before white
  // space or the end, or after a CJK character), not at 、 or ,.
  std::vector<std::size_t> Find(std::string_view normalized) const;
  // The same for normalized text already decoded to code points.
  std::vector<std::size_t> Find(std::u32string_view normalized) const;

  std::size_t size() const { return element_count_.size(); }

 private:
  // One alternative of one element, shared by every pattern that uses the same text.
  struct Atom {
    std::u32string key;
    bool word_start = false;  // must not follow an ASCII letter or digit
  };
  struct Use {
    std::uint32_t atom;
    std::uint32_t pattern;
    std::uint32_t element;
  };
  struct Scratch;
  std::uint32_t AtomIndex(std::u32string key);
  void FindInClause(std::u32string_view clause, Scratch* scratch) const;

  std::vector<Atom> atoms_;
  std::map<std::u32string, std::uint32_t> atom_of_;  // key -> index into atoms_
  std::vector<Use> uses_;                            // sorted by atom by Index
  std::vector<std::uint32_t> element_count_;         // per pattern
  // The search index built by Index: tries over the atoms that must begin a word (looked for
  // only there) and over the others, valued by atom index; and where each atom's uses begin
  // (uses of atom a: [first_use_[a], first_use_[a + 1])).
  TermTrie word_start_atoms_;
  TermTrie anywhere_atoms_;
  std::vector<std::uint32_t> first_use_;
};

// The form pattern alternatives and clauses are compared in (exposed for tests): NormalizeText
// output, ASCII lower-cased, white space runs as one space, none at the ends or between two
// CJK characters.
std::u32string PatternKey(std::string_view normalized);

}  // namespace ts::catalog
