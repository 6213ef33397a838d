// The public questionnaires the catalog's coverage is measured on (they live in the shared
// corpus, outside the project): METI 2013 cloud guideline controls, ISO/IEC 27001:2022
// Annex A titles, IPA's 25-item self-assessment, CSA CAIQ v4.1, EDUCAUSE HECVAT 4.1.5 and the
// METI service-level checklist (the `sla` part of gold/004). Stateless; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"

namespace ts::catalog {

struct ReferenceQuestion {
  std::string id;    // the set's own id: "5.1.1", "A.8.17", "A&A-01.1", "sla/3"
  std::string text;  // what a control must be found in
};

struct ReferenceSet {
  std::string name;  // "METI 2013 (title + control)"
  std::string file;  // relative to the corpus folder
  std::vector<ReferenceQuestion> questions;
};

// Reads the six sets from `corpus` (the folder holding reference/ and gold/). Which text is
// used: METI 2013 title and control statement; ISO title; IPA, CAIQ and HECVAT question text;
// service-level item question, item name and definition. Errors: NotFound naming the missing
// file, Corruption naming the file when a table has too few columns or the JSON is malformed.
Result<std::vector<ReferenceSet>> LoadReferenceSets(const std::string& corpus);

struct Coverage {
  std::size_t questions = 0;
  std::size_t mapped = 0;                          // with at least one control
  std::vector<const ReferenceQuestion*> unmapped;  // into the set measured
  double percent() const {
    return questions == 0 ? 0.0
                          : 100.0 * static_cast<double>(mapped) / static_cast<double>(questions);
  }
};

// How many questions of `set` have at least one concept in `catalog`.
Coverage MeasureCoverage(const Catalog& catalog, const ReferenceSet& set);

}  // namespace ts::catalog
