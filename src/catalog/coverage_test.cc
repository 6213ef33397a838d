// Coverage of the public reference questionnaires in the shared corpus (../shared/corpus): every
// set keeps at least the share of questions mapped to a control that it reached when the
// catalog was grown (floors a little below what was measured). Skips when the corpus is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "catalog/catalog.h"
#include "catalog/reference_sets.h"

namespace ts::catalog {
namespace {

namespace fs = std::filesystem;

fs::path Corpus() { return fs::path(TS_SOURCE_DIR) / ".." / "shared" / "corpus"; }

struct Expected {
  std::size_t questions;
  double floor_percent;  // measured 100.0 for every set when the floors were set
};

const std::map<std::string, Expected>& ExpectedSets() {
  static const std::map<std::string, Expected> sets = {
      {"METI 2013 (title + control)", {133, 97.0}},
      {"ISO 27001:2022 Annex A titles", {93, 97.0}},
      {"IPA self-assessment 25", {25, 96.0}},
      {"METI service-level checklist", {49, 97.0}},
      {"CSA CAIQ v4.1", {283, 97.0}},
      {"HECVAT 4.1.5", {332, 97.0}},
  };
  return sets;
}

TEST(CatalogCoverage, ReferenceQuestionnairesMapToControls) {
  if (!fs::exists(Corpus() / "reference")) {
    GTEST_SKIP() << "corpus not found at " << Corpus()
                 << " (../shared/corpus); coverage not measured";
  }
  auto sets = LoadReferenceSets(Corpus().string());
  ASSERT_TRUE(sets.ok()) << sets.status().message();
  ASSERT_EQ(sets->size(), ExpectedSets().size());
  const Catalog& catalog = Catalog::Builtin();
  for (const ReferenceSet& set : *sets) {
    auto expected = ExpectedSets().find(set.name);
    ASSERT_NE(expected, ExpectedSets().end()) << set.name;
    const Coverage c = MeasureCoverage(catalog, set);
    EXPECT_EQ(c.questions, expected->second.questions) << set.name << " (" << set.file << ")";
    std::string unmapped;
    for (const ReferenceQuestion* q : c.unmapped) unmapped += "\n  " + q->id + ": " + q->text;
    EXPECT_GE(c.percent(), expected->second.floor_percent)
        << set.name << ": " << c.mapped << " of " << c.questions
        << " mapped; unmapped:" << unmapped;
    std::printf("%-36s %3zu of %3zu mapped (%.1f%%)\n", set.name.c_str(), c.mapped, c.questions,
                c.percent());
  }
}

TEST(CatalogCoverage, MissingCorpusIsANamedError) {
  auto sets = LoadReferenceSets("/nonexistent/corpus");
  ASSERT_FALSE(sets.ok());
  EXPECT_NE(sets.status().message().find(
                "/nonexistent/corpus/reference/ja_meti_cloudsec2013_controls_133.tsv"),
            std::string::npos)
      << sets.status().message();
}

}  // namespace
}  // namespace ts::catalog
