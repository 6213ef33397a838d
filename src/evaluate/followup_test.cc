#include "evaluate/followup.h"

#include <gtest/gtest.h>

#include "export/assessment_report.h"
#include "export/fill.h"
#include "ingest/import.h"

namespace ts::evaluate {
namespace {

// The whole loop as a customer and a vendor go through it: the follow-up sheet written from a
// vendor's answers, read back, answered by the vendor in its own copy, read again and merged;
// the items answered well drop out of the next follow-up.
TEST(FollowUp, WrittenAnsweredReadBackAndMerged) {
  const std::string file = std::string(TS_SOURCE_DIR) + "/tests/data/assess/dev/vendor_a_maru_batsu.csv";
  Result<sheet::Checksheet> cs = ingest::ImportFile(file);
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  const SheetAssessment before = AssessSheet(*cs);
  const std::vector<FollowUpRow> rows = FollowUpRows(*cs, before);
  ASSERT_GE(rows.size(), 5u);
  EXPECT_EQ(static_cast<int>(rows.size()), before.summary.verdicts[1] + before.summary.verdicts[2] + before.summary.verdicts[4]);

  Result<std::string> book = exporter::FollowUpXlsx(rows);
  ASSERT_TRUE(book.ok()) << book.status().message();
  Result<sheet::Checksheet> blank = ingest::ImportBytes(*book, "followup.xlsx");
  ASSERT_TRUE(blank.ok()) << blank.status().message();
  ASSERT_EQ(blank->ItemCount(), rows.size());
  EXPECT_EQ(blank->parts[0].items[0].number, rows[0].id);  // the id comes back as the number
  EXPECT_EQ(blank->parts[0].items[0].question, rows[0].question);
  EXPECT_EQ(blank->parts[0].answer_vocabulary, (std::vector<std::string>{"はい", "いいえ", "一部対応", "該当なし"}));

  // The vendor answers three of the items that want a yes, in the follow-up workbook itself.
  std::vector<exporter::Fill> fills;
  std::vector<std::string> answered;
  for (std::size_t i = 0; i < rows.size() && fills.size() < 3; ++i) {
    const sheet::Item* orig = nullptr;
    for (const sheet::Item& it : cs->parts[0].items) {
      if (it.id == rows[i].id) orig = &it;
    }
    ASSERT_NE(orig, nullptr);
    if (AssessItem(*orig).desired != sheet::Desired::kYes) continue;
    fills.push_back({blank->parts[0].items[i].id, sheet::Mark::kYes, "はい", "2026年11月に全件で対応を完了しました。"});
    answered.push_back(rows[i].id);
  }
  exporter::FillReport report;
  Result<std::string> filled = exporter::FillXlsx(*book, *blank, fills, &report);
  ASSERT_TRUE(filled.ok()) << filled.status().message();
  Result<sheet::Checksheet> back = ingest::ImportBytes(*filled, "followup_answered.xlsx");
  ASSERT_TRUE(back.ok()) << back.status().message();

  std::vector<std::string> unknown;
  EXPECT_EQ(MergeFollowUp(&*cs, *back, &unknown), 3);
  EXPECT_TRUE(unknown.empty());
  const SheetAssessment after = AssessSheet(*cs);
  for (std::size_t i = 0; i < cs->parts[0].items.size(); ++i) {
    const sheet::Item& it = cs->parts[0].items[i];
    if (std::find(answered.begin(), answered.end(), it.id) == answered.end()) continue;
    EXPECT_EQ(it.remarks, "2026年11月に全件で対応を完了しました。");
    EXPECT_EQ(after.items[0][i].verdict, Verdict::kOk) << it.id << ": " << after.items[0][i].reason;
  }
  EXPECT_EQ(FollowUpRows(*cs, after).size(), rows.size() - 3);
  EXPECT_GT(after.summary.score, before.summary.score);

  // The same answers do not go into another vendor's sheet, although its ids (p1/…) look alike.
  Result<sheet::Checksheet> other =
      ingest::ImportFile(std::string(TS_SOURCE_DIR) + "/tests/data/assess/dev/vendor_d_service_level.csv");
  ASSERT_TRUE(other.ok());
  unknown.clear();
  EXPECT_EQ(MergeFollowUp(&*other, *back, &unknown), 0);
  ASSERT_EQ(unknown.size(), 3u);
  EXPECT_NE(unknown[0].find("(質問が一致しません)"), std::string::npos) << unknown[0];  // same id, another question
}

}  // namespace
}  // namespace ts::evaluate
