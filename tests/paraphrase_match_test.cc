// A harder matching case than the corpus pair: customer questions that ask what the library
// answers in other words (tests/data/paraphrase, written for this project).
//  - questions.tsv was used while writing the catalog terms and synonyms (a dev set);
//  - heldout.tsv was written afterwards and never used to change them.
// Prints every miss; the floors guard against regressions.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "match/draft.h"
#include "match_eval.h"

namespace ts {
namespace {

namespace fs = std::filesystem;

struct Figures {
  int answerable = 0, top1 = 0, drafted_right = 0, unanswerable = 0, held = 0, high = 0, high_right = 0;
};

Figures Measure(const std::string& file) {
  Figures f;
  std::vector<match::LibraryAnswer> lib;
  for (const auto& k : match_eval::ParaphraseLibrary()) lib.push_back(k.answer);
  EXPECT_EQ(lib.size(), 35u);
  auto drafter = match::Drafter::Build(lib, {}, &catalog::Catalog::Builtin());
  EXPECT_TRUE(drafter.ok());
  if (!drafter.ok()) return f;
  std::map<std::string, int> bands;
  std::ostringstream misses;
  for (const auto& r : match_eval::ReadTsv(fs::path(TS_SOURCE_DIR) / "tests" / "data" / "paraphrase" / file)) {
    sheet::Item item;
    item.question = r[0];
    match::Draft d = (*drafter)->DraftFor(item, {});
    const std::string got = d.source ? d.source->entry_id : "-";
    const bool right = r[1] != "-" && got == r[1];
    if (r[1] == "-") {
      ++f.unanswerable;
      f.held += d.confidence <= match::Confidence::kLow ? 1 : 0;
      if (d.confidence > match::Confidence::kLow) {
        misses << "  drafted " << match::ConfidenceName(d.confidence) << ": " << r[0] << " <= " << got << "\n";
      }
    } else {
      ++f.answerable;
      ++bands[std::string(match::ConfidenceName(d.confidence))];
      f.top1 += right ? 1 : 0;
      f.drafted_right += right && d.confidence >= match::Confidence::kMedium ? 1 : 0;
      if (!right) {
        misses << "  " << r[0] << " -> " << got << " (want " << r[1] << ", " << match::ConfidenceName(d.confidence)
               << " " << d.score << ")\n";
      }
    }
    if (d.confidence == match::Confidence::kHigh) {
      ++f.high;
      f.high_right += right ? 1 : 0;
    }
  }
  std::cout << file << ": right source drafted " << f.top1 << "/" << f.answerable << " (medium or high "
            << f.drafted_right << "), held back " << f.held << "/" << f.unanswerable << ", high right " << f.high_right
            << "/" << f.high << "; bands of the answerable:";
  for (const auto& [band, n] : bands) std::cout << " " << band << " " << n;
  std::cout << "\n" << misses.str();
  return f;
}

TEST(ParaphraseMatch, DevSet) {
  Figures f = Measure("questions.tsv");
  EXPECT_GE(f.top1 * 100, f.answerable * 90);
  EXPECT_EQ(f.held, f.unanswerable);
  EXPECT_EQ(f.high_right, f.high);
}

TEST(ParaphraseMatch, HeldOutSet) {
  Figures f = Measure("heldout.tsv");
  EXPECT_GE(f.answerable, 20);
  EXPECT_GE(f.top1 * 100, f.answerable * 50);  // regression floor; the figure is in the output
  // Abstention: 4 of the 5 unanswerable questions are held back since issue 10 (5 before); the
  // issue's target is 85 %, which 5 questions cannot express more finely than 4/5 or 5/5.
  EXPECT_GE(f.held * 100, f.unanswerable * 80);
  // Regression floor for high precision. Since issue 10 the matcher drafts 18 of these 24 high
  // (it drafted 5 before) and one is wrong (暗号化キー is not known to mean 暗号鍵: a synonym gap
  // left unfixed so that the set stays held out); the figure is in the output.
  EXPECT_GE(f.high_right * 100, f.high * 90);
}

}  // namespace
}  // namespace ts
