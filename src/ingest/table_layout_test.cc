// The project's own sample workbooks (tests/data/samples), one test per layout: every item
// found with its number, question, answer and source cell.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ingest/import.h"

namespace ts::ingest {
namespace {

std::string Sample(const std::string& name) { return std::string(TS_SOURCE_DIR) + "/tests/data/samples/" + name; }

sheet::Checksheet Load(const std::string& name) {
  auto r = ImportFile(Sample(name));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : sheet::Checksheet{};
}

TEST(SampleLayouts, TitleRowsSectionColumnAndValidationList) {
  auto cs = Load("layout1_title_rows.xlsx");
  ASSERT_EQ(cs.ItemCount(), 9u);
  const auto& p = cs.parts[0];
  EXPECT_EQ(p.answer_vocabulary, (std::vector<std::string>{"はい", "いいえ", "該当なし"}));
  EXPECT_EQ(p.items[1].section, std::vector<std::string>{"アカウント管理"});  // merged cell carried down
  EXPECT_EQ(p.items[2].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(p.items[7].answer.mark, sheet::Mark::kNotApplicable);
  EXPECT_EQ(p.items[8].answer.mark, sheet::Mark::kNone);
  EXPECT_EQ(p.items[0].location.cells.at("answer"), "D5");
  EXPECT_EQ(p.items[0].location.cells.at("remarks"), "E5");
}

TEST(SampleLayouts, CheckboxColumnsUnderMergedHeader) {
  auto cs = Load("layout2_checkbox_columns.xlsx");
  ASSERT_EQ(cs.ItemCount(), 6u);
  const auto& items = cs.parts[0].items;
  EXPECT_EQ(items[2].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(items[2].answer.text, "いいえ");
  EXPECT_EQ(items[2].location.cells.at("answer"), "D7");
  EXPECT_EQ(items[3].answer.mark, sheet::Mark::kNotApplicable);
}

TEST(SampleLayouts, SectionRowsInlineAndRichText) {
  auto cs = Load("layout3_section_rows.xlsx");
  ASSERT_EQ(cs.ItemCount(), 7u);
  const auto& items = cs.parts[0].items;
  EXPECT_EQ(items[0].question, "情報セキュリティの責任者を任命していますか。");  // inline, two lines
  EXPECT_EQ(items[1].question, "重要 インシデント発生時の連絡体制を定めていますか。");  // rich text, no furigana
  EXPECT_EQ(items[3].section, std::vector<std::string>{"2. 技術的対策"});
  EXPECT_EQ(items[3].answer.mark, sheet::Mark::kPlanned);  // 無 + 「対応予定」
  EXPECT_EQ(cs.parts[0].answer_vocabulary, (std::vector<std::string>{"有", "無", "対象外"}));
}

TEST(SampleLayouts, SkipsCoverSheetsHiddenRowsAndResolvesListOnHiddenSheet) {
  auto cs = Load("layout4_multi_sheet.xlsx");
  ASSERT_EQ(cs.parts.size(), 1u);
  EXPECT_EQ(cs.parts[0].title, "チェックシート");
  EXPECT_EQ(cs.ItemCount(), 5u);  // the hidden row A-03 is skipped
  ASSERT_EQ(cs.warnings.size(), 1u);
  EXPECT_EQ(cs.warnings[0].message, "row 4 is hidden: skipped");
  EXPECT_EQ(cs.parts[0].answer_vocabulary, (std::vector<std::string>{"対応", "一部対応", "未対応"}));
  EXPECT_EQ(cs.parts[0].items[2].answer.mark, sheet::Mark::kPartial);
  for (const auto& it : cs.parts[0].items) {
    for (const auto& [k, v] : it.extra) EXPECT_NE(k, "内部メモ") << "hidden column leaked";
  }
}

TEST(SampleLayouts, EnglishQuestionnaire) {
  auto cs = Load("layout5_english.xlsx");
  ASSERT_EQ(cs.ItemCount(), 6u);
  EXPECT_EQ(cs.parts[0].items[0].number, "IAM-01");
  EXPECT_EQ(cs.parts[0].items[2].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(cs.parts[0].items[5].answer.mark, sheet::Mark::kNotApplicable);
}

TEST(SampleLayouts, ServiceLevelTableWithUnitsAndBracketMarks) {
  auto cs = Load("layout6_service_level.xlsx");
  ASSERT_EQ(cs.ItemCount(), 6u);
  const auto& items = cs.parts[0].items;
  EXPECT_EQ(items[1].question, "計画停止の予告 計画停止を事前に知らせるか");
  EXPECT_EQ(items[1].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(items[1].answer.text, "有");
  // The 【有】 prefix is the answer, not part of the remarks; the cell printed both, so the
  // answer column carries remarks when answers are written back.
  EXPECT_EQ(items[1].remarks, "10営業日前までに通知します。");
  EXPECT_EQ(items[1].printed_remarks, "10営業日前までに通知します。");
  const auto answer_col = std::find_if(cs.parts[0].columns.begin(), cs.parts[0].columns.end(),
                                       [](const sheet::ColumnInfo& c) { return c.role == "answer"; });
  ASSERT_NE(answer_col, cs.parts[0].columns.end());
  EXPECT_TRUE(answer_col->carries_remarks);
  EXPECT_EQ(items[5].answer.mark, sheet::Mark::kNo);
  // A free-text setting is an answer (「24時間365日」), not an unanswered item.
  EXPECT_EQ(items[0].answer.mark, sheet::Mark::kText);
  EXPECT_EQ(items[0].answer.text, "24時間365日(計画停止を除く)");
  ASSERT_FALSE(items[0].extra.empty());
  EXPECT_EQ(items[0].extra[0], (std::pair<std::string, std::string>{"測定単位", "時間帯"}));
}

TEST(SampleLayouts, CheckBoxesStackedInTheAnswerCell) {
  auto cs = Load("layout7_check_boxes.xlsx");
  ASSERT_EQ(cs.ItemCount(), 4u);
  const auto& items = cs.parts[0].items;
  EXPECT_EQ(items[0].answer.text, "対応済");
  EXPECT_EQ(items[0].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(items[2].answer.text, "未対策");
  EXPECT_EQ(items[2].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(items[2].remarks, "次回の改修で対応");
  EXPECT_EQ(items[3].answer.mark, sheet::Mark::kNotApplicable);
  EXPECT_EQ(cs.parts[0].answer_vocabulary, (std::vector<std::string>{"対応済", "未対策", "対応不要"}));
}

TEST(SampleLayouts, WordTablesWithMergedCellsHeadingsAndCheckBoxes) {
  auto merged = Load("docx1_merged_category.docx");
  ASSERT_EQ(merged.ItemCount(), 6u);
  const auto& m = merged.parts[0].items;
  EXPECT_EQ(merged.format, "docx");
  EXPECT_EQ(m[4].section, (std::vector<std::string>{"データ保護"}));  // a vMerge cell carries down
  EXPECT_EQ(m[3].printed_remarks, "AES-256を使用しています。\n鍵は専用の管理サービスで保管します。");
  EXPECT_EQ(m[3].location.table, 1);
  EXPECT_EQ(m[3].location.line, 5);  // its table's fifth row (the header is the first)
  EXPECT_EQ(m[3].location.Describe(), Sample("docx1_merged_category.docx") + ":table 1:row 5");
  auto chars = Load("docx2_check_characters.docx");
  ASSERT_EQ(chars.ItemCount(), 6u);
  EXPECT_EQ(chars.parts[0].items[2].answer.text, "いいえ");
  EXPECT_EQ(chars.parts[0].items[2].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(chars.parts[0].items[4].section, (std::vector<std::string>{"2. データ保護"}));  // the heading between tables
  EXPECT_EQ(chars.parts[0].items[4].location.table, 2);
  auto controls = Load("docx3_content_controls.docx");
  ASSERT_EQ(controls.ItemCount(), 6u);
  EXPECT_EQ(controls.parts[0].items[0].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(controls.parts[0].items[5].answer.mark, sheet::Mark::kNo);
  EXPECT_TRUE(controls.warnings.empty()) << controls.warnings[0].message;  // ☐ ticks no column
}

TEST(SampleLayouts, PdfMadeByLibreOfficeMatchesItsWorkbook) {
  auto pdf = Load("layout1_title_rows.pdf");
  auto xlsx = Load("layout1_title_rows.xlsx");
  ASSERT_EQ(pdf.ItemCount(), xlsx.ItemCount());
  for (std::size_t i = 0; i < xlsx.parts[0].items.size(); ++i) {
    const auto& a = pdf.parts[0].items[i];
    const auto& b = xlsx.parts[0].items[i];
    EXPECT_EQ(a.number, b.number);
    EXPECT_EQ(a.question, b.question);
    EXPECT_EQ(a.answer.mark, b.answer.mark);
    EXPECT_EQ(a.remarks, b.remarks);
    EXPECT_EQ(a.section, b.section);
  }
  EXPECT_GT(pdf.parts[0].items[0].location.page, 0);
}

TEST(SampleLayouts, Cp932Csv) {
  auto cs = Load("sample_cp932.csv");
  ASSERT_EQ(cs.ItemCount(), 4u);
  EXPECT_EQ(cs.parts[0].items[1].answer.mark, sheet::Mark::kPlanned);
  EXPECT_EQ(cs.parts[0].items[3].remarks, "HTTP, \"リダイレクト\"あり");
}

}  // namespace
}  // namespace ts::ingest
