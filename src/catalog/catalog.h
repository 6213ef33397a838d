// The control catalog: canonical security controls with Japanese and English names, concept
// terms (surface forms and synonyms), and references to the METI 2013 cloud guideline and
// ISO/IEC 27001:2022 Annex A. Loaded from data/catalog/controls.tsv (compiled in).
// Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ts::catalog {

struct Control {
  std::string id;  // "IAM-08"
  std::string name_ja;
  std::string name_en;
  std::string description;
  std::vector<std::string> terms;  // as written in the data file
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
  // Parses the tab-separated form; errors name the line.
  static Result<Catalog> Parse(std::string_view tsv, std::string_view source);
  // The bundled catalog (parsed once).
  static const Catalog& Builtin();

  const std::vector<Control>& controls() const { return controls_; }
  const Control* Find(std::string_view id) const;

  // Controls whose terms occur in `text` (compared after NFKC, lower-casing, space removal).
  // Where terms overlap, the longest wins ("多要素認証" rather than "認証").
  std::vector<ConceptHit> FindConcepts(std::string_view text) const;
  // The same for text already passed through text::NormalizeText (saves normalizing twice).
  std::vector<ConceptHit> FindConceptsInNormalized(std::string_view normalized) const;

 private:
  struct Term {
    std::u32string key;
    std::size_t control;
    std::string display;
  };
  std::vector<ConceptHit> FindInKey(const std::u32string& t) const;
  std::vector<Control> controls_;
  std::vector<Term> terms_;           // sorted by key
  std::vector<char32_t> first_char_;  // terms_[i].key[0], for a cache-friendly search
};

// The key terms are compared by: NFKC, look-alikes, lower case, no white space.
std::u32string TermKey(std::string_view text);

}  // namespace ts::catalog
