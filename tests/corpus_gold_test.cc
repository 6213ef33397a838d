// Data-driven check of the text importer against the hand-checked gold structure of the three
// seed checksheets in ../shared/corpus (skipped when the corpus is absent). For every gold item
// the imported item with the same part and position must match number, question, answer and
// remarks after NFKC and white-space removal; the acceptance floor is 98% per seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ingest/import.h"
#include "text/normalize.h"

namespace ts {
namespace {

namespace fs = std::filesystem;

fs::path CorpusDir() { return fs::path(TS_SOURCE_DIR) / ".." / "shared" / "corpus"; }

struct SeedCase {
  const char* gold;
  const char* seed;
};

std::string Key(const nlohmann::json& v) {
  if (!v.is_string()) return "";
  return text::ComparisonKey(v.get<std::string>());
}

class CorpusGold : public ::testing::TestWithParam<SeedCase> {};

TEST_P(CorpusGold, ImportMatchesGold) {
  const fs::path gold_path = CorpusDir() / "gold" / GetParam().gold;
  const fs::path seed_path = CorpusDir() / "seeds" / GetParam().seed;
  if (!fs::exists(gold_path) || !fs::exists(seed_path)) {
    GTEST_SKIP() << "corpus not found at " << CorpusDir() << " (../shared/corpus); skipping";
  }
  std::ifstream in(gold_path);
  nlohmann::json gold = nlohmann::json::parse(in);
  auto imported = ingest::ImportFile(seed_path.string());
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  const auto& parts = imported->parts;
  ASSERT_EQ(parts.size(), gold["parts"].size()) << "number of parts";
  int total = 0, exact = 0;
  std::ostringstream diffs;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const auto& gitems = gold["parts"][p]["items"];
    EXPECT_EQ(parts[p].items.size(), gitems.size()) << "items in part " << p;
    for (std::size_t i = 0; i < gitems.size(); ++i) {
      ++total;
      if (i >= parts[p].items.size()) continue;
      const auto& g = gitems[i];
      const auto& it = parts[p].items[i];
      std::vector<std::string> bad;
      if (Key(g["number"]) != text::ComparisonKey(it.number)) bad.push_back("number '" + it.number + "'");
      if (Key(g["question"]) != text::ComparisonKey(it.question)) bad.push_back("question '" + it.question + "'");
      if (Key(g["answer"]) != text::ComparisonKey(it.answer.text)) bad.push_back("answer '" + it.answer.text + "'");
      if (Key(g["remarks"]) != text::ComparisonKey(it.remarks)) bad.push_back("remarks '" + it.remarks + "'");
      if (bad.empty()) {
        ++exact;
      } else {
        diffs << "  " << g["key"].get<std::string>() << ":";
        for (const auto& b : bad) diffs << " " << b.substr(0, 160);
        diffs << "\n";
      }
    }
  }
  double ratio = total ? static_cast<double>(exact) / total : 0;
  std::cout << GetParam().seed << ": " << exact << "/" << total << " items exactly right ("
            << static_cast<int>(ratio * 1000) / 10.0 << "%)\n" << diffs.str();
  EXPECT_GE(ratio, 0.98) << diffs.str();
}

INSTANTIATE_TEST_SUITE_P(Seeds, CorpusGold,
                         ::testing::Values(SeedCase{"002.items.json", "002_ade5a688148bdfbd.txt"},
                                           SeedCase{"003.items.json", "003_294ac525af549ce9.txt"},
                                           SeedCase{"004.items.json", "004_7ccdf125775a5fc3.txt"}),
                         [](const auto& tp) { return std::string("seed_") + std::string(tp.param.gold).substr(0, 3); });

}  // namespace
}  // namespace ts
