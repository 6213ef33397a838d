// The customer-side judgement measured on labelled answered sheets (tests/data/assess): each
// item's verdict against the one a careful reviewer gave, beside the naive rule that flags every
// ✕ / 無 / いいえ / No as a risk and passes every other mark. The figures of both sets are
// printed; the development set (tuned on) must meet the issue's targets. The held-out set is
// reported only, never tuned on.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "evaluate/assess.h"
#include "ingest/import.h"

namespace ts::evaluate {
namespace {

struct Label {
  std::string verdict, severity, desired, note;
};

struct Figures {
  int items = 0;
  std::map<std::string, std::map<std::string, int>> confusion;  // gold -> predicted -> count
  int Gold(const std::string& v) const {
    int n = 0;
    if (auto it = confusion.find(v); it != confusion.end()) {
      for (const auto& [p, c] : it->second) n += c;
    }
    return n;
  }
  int Cell(const std::string& g, const std::string& p) const {
    auto it = confusion.find(g);
    if (it == confusion.end()) return 0;
    auto jt = it->second.find(p);
    return jt == it->second.end() ? 0 : jt->second;
  }
  double Recall(const std::string& v) const { return Gold(v) ? double(Cell(v, v)) / Gold(v) : 0; }
  // Items a reviewer found fine that were flagged as a risk or a caveat.
  double FalseAlarms() const { return Gold("ok") ? double(Cell("ok", "risk") + Cell("ok", "caveat")) / Gold("ok") : 0; }
  double Accuracy() const {
    int right = 0;
    for (const auto& [g, row] : confusion) right += Cell(g, g);
    return items ? double(right) / items : 0;
  }
};

// The naive rule: a no-mark is a risk, any other mark is fine, no mark is unclear.
std::string Naive(const sheet::Item& item) {
  switch (item.answer.mark) {
    case sheet::Mark::kNo:
    case sheet::Mark::kPlanned: return "risk";
    case sheet::Mark::kNone: return "unclear";
    case sheet::Mark::kText: return "info";
    default: return "ok";
  }
}

std::map<std::string, Label> ReadLabels(const std::string& dir) {
  std::map<std::string, Label> out;
  std::ifstream in(dir + "/labels.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
    if (f.size() < 5) continue;
    out[f[0] + "#" + f[1]] = {f[2], f[3], f[4], f.size() > 5 ? f[5] : ""};
  }
  return out;
}

// Both readings of every labelled item of `set`; prints the items the evaluator got wrong when
// `explain`.
std::pair<Figures, Figures> Measure(const std::string& set, bool explain) {
  const std::string dir = std::string(TS_SOURCE_DIR) + "/tests/data/assess/" + set;
  const std::map<std::string, Label> labels = ReadLabels(dir);
  EXPECT_FALSE(labels.empty()) << dir;
  Figures ours, naive;
  std::map<std::string, bool> seen;
  std::set<std::string> files;
  for (const auto& [key, label] : labels) files.insert(key.substr(0, key.find('#')));
  for (const std::string& file : files) {
    Result<sheet::Checksheet> cs = ingest::ImportFile(dir + "/" + file);
    EXPECT_TRUE(cs.ok()) << cs.status().message();
    if (!cs.ok()) continue;
    for (const sheet::Part& part : cs->parts) {
      for (const sheet::Item& item : part.items) {
        auto it = labels.find(file + "#" + item.number);
        EXPECT_NE(it, labels.end()) << file << " item " << item.number << " has no label";
        if (it == labels.end()) continue;
        seen[it->first] = true;
        const Assessment a = AssessItem(item);
        const std::string got(VerdictName(a.verdict));
        ours.items++, naive.items++;
        ours.confusion[it->second.verdict][got]++;
        naive.confusion[it->second.verdict][Naive(item)]++;
        if (explain && got != it->second.verdict) {
          std::printf("  %s %s: labelled %s, judged %s — %s | %s\n", file.c_str(), item.number.c_str(),
                      it->second.verdict.c_str(), got.c_str(), a.reason.c_str(), it->second.note.c_str());
        }
      }
    }
  }
  EXPECT_EQ(seen.size(), labels.size()) << "labelled items that were not imported";
  return {ours, naive};
}

void Print(const std::string& set, const Figures& f, const char* who) {
  std::printf("%-8s %-22s items %3d  accuracy %.2f  risk recall %.2f (%d)  caveat recall %.2f (%d)  "
              "false alarms on ok %.3f (%d)\n",
              set.c_str(), who, f.items, f.Accuracy(), f.Recall("risk"), f.Gold("risk"), f.Recall("caveat"),
              f.Gold("caveat"), f.FalseAlarms(), f.Gold("ok"));
}

TEST(AssessLabels, DevelopmentSetMeetsTheTargets) {
  const bool explain = std::getenv("TS_ASSESS_EXPLAIN") != nullptr;
  auto [ours, naive] = Measure("dev", explain);
  Print("dev", ours, "evaluate::AssessItem");
  Print("dev", naive, "naive (no-mark = risk)");
  auto [ours2, naive2] = Measure("dev2", explain);
  Print("dev2", ours2, "evaluate::AssessItem");
  Print("dev2", naive2, "naive (no-mark = risk)");
  auto add = [](Figures* to, const Figures& from) {
    for (const auto& [g, row] : from.confusion) {
      for (const auto& [p, n] : row) to->confusion[g][p] += n;
    }
    to->items += from.items;
  };
  add(&ours, ours2);
  add(&naive, naive2);
  Print("dev+dev2", ours, "evaluate::AssessItem");
  Print("dev+dev2", naive, "naive (no-mark = risk)");
  EXPECT_GE(ours.Recall("risk"), 0.85);
  EXPECT_GE(ours.Recall("caveat"), 0.70);
  EXPECT_LE(ours.FalseAlarms(), 0.05);
}

TEST(AssessLabels, HeldOutSetIsReported) {
  auto [ours, naive] = Measure("heldout", false);  // its misses are not printed: it is not for tuning
  Print("heldout", ours, "evaluate::AssessItem");
  Print("heldout", naive, "naive (no-mark = risk)");
  EXPECT_EQ(ours.items, 90);
}

}  // namespace
}  // namespace ts::evaluate

namespace ts::evaluate {
namespace {

// The three real vendors' sheets in ../shared/corpus: each assesses, and the ✕ answers to the
// exposure questions of seed 003 (third-party provision of personal and entrusted data) are
// good news.
TEST(AssessSeeds, AssessWithoutErrorAndAnExposureNoIsOk) {
  const std::string seeds = std::string(TS_SOURCE_DIR) + "/../shared/corpus/seeds/";
  if (!std::ifstream(seeds + "003_294ac525af549ce9.txt")) {
    GTEST_SKIP() << "../shared/corpus is absent: the seeds are not assessed";
  }
  for (const char* f : {"002_ade5a688148bdfbd.txt", "003_294ac525af549ce9.txt", "004_7ccdf125775a5fc3.txt"}) {
    Result<sheet::Checksheet> cs = ingest::ImportFile(seeds + f);
    ASSERT_TRUE(cs.ok()) << cs.status().message();
    const SheetAssessment sa = AssessSheet(*cs);
    EXPECT_GE(sa.summary.score, 0) << f;
    if (std::string(f).rfind("003", 0) != 0) continue;
    int exposures = 0;
    for (std::size_t p = 0; p < cs->parts.size(); ++p) {
      for (std::size_t i = 0; i < cs->parts[p].items.size(); ++i) {
        const sheet::Item& it = cs->parts[p].items[i];
        if (it.question.find("第三者") == std::string::npos || it.answer.mark != sheet::Mark::kNo) continue;
        ++exposures;
        EXPECT_EQ(sa.items[p][i].verdict, Verdict::kOk) << it.number << " " << it.question;
        EXPECT_EQ(sa.items[p][i].desired, sheet::Desired::kNo) << it.number;
      }
    }
    EXPECT_GE(exposures, 2);
  }
}

}  // namespace
}  // namespace ts::evaluate
