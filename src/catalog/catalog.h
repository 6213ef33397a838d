// The control catalog: canonical security controls with Japanese and English names, concept
// terms (surface forms and synonyms), and references to the METI 2013 cloud guideline and
// ISO/IEC 27001:2022 Annex A. Loaded from data/catalog/controls.tsv (compiled in). A term is
// a plain surface form ("時刻同期") or a co-occurrence pattern ("時刻+同期;合わせ", see
// pattern_set.h). Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/pattern_set.h"
#include "catalog/term_trie.h"

namespace ts::catalog {

struct Control {
  std::string id;  // "IAM-08"
  std::string name_ja;
  std::string name_en;
  std::string description;
  std::vector<std::string> terms;  // as written in the data file, plain terms and patterns
  std::vector<std::string> meti2013;
  std::vector<std::string> iso27001;  // "A.8.5"
};

// A control found in a text, with the term that matched it.
struct ConceptHit {
  std::size_t control;  // index into controls()
  std::string term;
};

class Catalog {
 public:
  // Parses the tab-separated form; errors name the line (and the pattern, for a bad pattern).
  static Result<Catalog> Parse(std::string_view tsv, std::string_view source);
  // The bundled catalog (parsed once).
  static const Catalog& Builtin();

  const std::vector<Control>& controls() const { return controls_; }
  const Control* Find(std::string_view id) const;

  // Controls whose terms occur in `text`, each once. Plain terms are compared after NFKC,
  // lower-casing and space removal; where they overlap, the longest wins ("多要素認証" rather
  // than "認証"); a term in Latin letters must stand alone ("api" not in "rapid"). Terms made
  // only of ASCII are also looked for with the text's word spaces kept, so that they stand
  // alone in English sentences too ("audit log" in "do you keep audit logs?"; a plural "s" or
  // "es" may follow), and there a term written in capitals must match in capitals ("IDS" is
  // not "user IDs"). Then the controls of patterns that fire within one clause (PatternSet),
  // with the pattern as written as the hit's term. Plain-term hits come first, in text order.
  std::vector<ConceptHit> FindConcepts(std::string_view text) const;
  // The same for text already passed through text::NormalizeText (saves normalizing twice).
  // Keep its line breaks and sentence ends: patterns do not reach across them.
  std::vector<ConceptHit> FindConceptsInNormalized(std::string_view normalized) const;

  std::size_t plain_term_count() const { return terms_.terms.size(); }
  std::size_t pattern_count() const { return patterns_.size(); }

 private:
  struct Term {
    std::u32string key;
    std::size_t control;
    std::string display;
  };
  // Plain terms, and a trie over their keys whose values index `terms`.
  struct TermList {
    std::vector<Term> terms;
    TermTrie trie;
    void Finish();
  };
  // Appends to `hits` the controls (not yet in `hits`) of the terms of `list` found in `t`;
  // with `plurals`, a Latin term may be followed by "s" or "es".
  static void FindInKey(const std::u32string& t, const TermList& list, bool plurals,
                        std::vector<ConceptHit>* hits);
  std::vector<Control> controls_;
  TermList terms_;          // every plain term, keyed without white space (TermKey)
  TermList latin_terms_;    // plain terms made only of ASCII, keyed with word spaces (PatternKey)
  TermList acronym_terms_;  // ASCII terms in capitals ("IDS"), keyed with spaces, case kept
  PatternSet patterns_;
  std::vector<Term> pattern_terms_;  // per pattern index: its control and text (key unused)
};

// The key terms are compared by: NFKC, look-alikes, lower case, no white space.
std::u32string TermKey(std::string_view text);

}  // namespace ts::catalog
