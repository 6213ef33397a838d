#include "export/fill.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <pugixml.hpp>
#include <sstream>
#include <unistd.h>

#include "base/file_io.h"
#include "formats/docx.h"
#include "ingest/import.h"
#include "zip_entries.h"

namespace ts::exporter {
namespace {

namespace fs = std::filesystem;

fs::path Blank(const char* name) { return fs::path(TS_SOURCE_DIR) / "tests" / "data" / "blank" / name; }

std::string Slurp(const fs::path& p) {
  auto r = ReadFileBounded(p.string(), 10u << 20);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : std::string();
}

// Every entry of an archive, uncompressed.
std::map<std::string, std::string> Entries(const std::string& bytes) {
  auto entries = ts::testing::ZipEntries(bytes);
  if (!entries) ADD_FAILURE() << "not a zip";
  return entries.value_or(std::map<std::string, std::string>());
}

struct CellState {
  std::string type, style, value;
  bool operator==(const CellState&) const = default;
};

// ref -> (t, s, value or inline text) for every cell of a worksheet, and the XML of everything
// in the worksheet that is not sheetData (columns, merges, validations, page setup).
std::map<std::string, CellState> Cells(const std::string& xml, std::string* rest) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  std::map<std::string, CellState> out;
  pugi::xml_node ws = doc.child("worksheet");
  for (pugi::xml_node row : ws.child("sheetData").children("row")) {
    for (pugi::xml_node c : row.children("c")) {
      std::string v = c.child("is") ? c.child("is").child("t").text().get() : c.child("v").text().get();
      out[c.attribute("r").value()] = {c.attribute("t").value(), c.attribute("s").value(), v};
    }
  }
  std::ostringstream os;
  for (pugi::xml_node n : ws.children()) {
    if (std::string_view(n.name()) != "sheetData") n.print(os, "", pugi::format_raw);
  }
  *rest = os.str();
  return out;
}

std::vector<Fill> FillsFor(const sheet::Checksheet& cs, const std::vector<std::pair<sheet::Mark, std::string>>& marks) {
  std::vector<Fill> fills;
  for (std::size_t i = 0; i < cs.parts[0].items.size() && i < marks.size(); ++i) {
    fills.push_back({cs.parts[0].items[i].id, marks[i].first, marks[i].second, "備考その" + std::to_string(i + 1)});
  }
  return fills;
}

TEST(FillXlsx, OnlyAnswerAndRemarksCellsChange) {
  const fs::path in = Blank("blank_layout1_answer_column.xlsx");
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  auto fills = FillsFor(*cs, {{sheet::Mark::kYes, "はい"}, {sheet::Mark::kNo, "いいえ"}, {sheet::Mark::kYes, "はい"}});
  FillReport report;
  auto out = FillXlsx(original, *cs, fills, &report);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(report.answers, 3);
  EXPECT_EQ(report.remarks, 3);
  auto before = Entries(original), after = Entries(*out);
  ASSERT_EQ(before.size(), after.size());
  const std::string part = cs->parts[0].source_part;
  for (const auto& [name, data] : before) {
    ASSERT_TRUE(after.contains(name)) << name;
    if (name != part) {
      EXPECT_EQ(after[name], data) << name << " changed";
    }
  }
  std::string rest_before, rest_after;
  auto cells_before = Cells(before[part], &rest_before);
  auto cells_after = Cells(after[part], &rest_after);
  EXPECT_EQ(rest_before, rest_after);  // columns, merges, validations untouched
  const std::map<std::string, std::string> expected = {{"D5", "はい"}, {"E5", "備考その1"}, {"D6", "いいえ"},
                                                       {"E6", "備考その2"}, {"D7", "はい"}, {"E7", "備考その3"}};
  for (const auto& [ref, state] : cells_after) {
    auto e = expected.find(ref);
    if (e != expected.end()) {
      EXPECT_EQ(state.value, e->second) << ref;
      if (cells_before.contains(ref)) {
        EXPECT_EQ(state.style, cells_before[ref].style) << ref << " lost its style";
      }
    } else {
      ASSERT_TRUE(cells_before.contains(ref)) << ref << " appeared";
      EXPECT_EQ(state, cells_before[ref]) << ref << " changed";
    }
  }
  for (const auto& [ref, state] : cells_before) EXPECT_TRUE(cells_after.contains(ref)) << ref << " vanished";
  // What we wrote reads back as answers.
  auto again = ingest::ImportBytes(*out, "filled.xlsx");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->parts[0].items[0].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(again->parts[0].items[1].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(again->parts[0].items[1].remarks, "備考その2");
  EXPECT_EQ(again->parts[0].items[3].answer.mark, sheet::Mark::kNone);
}

TEST(FillXlsx, CheckboxLayoutTicksTheColumnOfTheMark) {
  const fs::path in = Blank("blank_layout2_checkbox_columns.xlsx");
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok());
  auto fills = FillsFor(*cs, {{sheet::Mark::kYes, "はい"}, {sheet::Mark::kNo, "いいえ"},
                              {sheet::Mark::kNotApplicable, "該当なし"}, {sheet::Mark::kPlanned, "いいえ"}});
  FillReport report;
  auto out = FillXlsx(original, *cs, fills, &report);
  ASSERT_TRUE(out.ok()) << out.status().message();
  auto again = ingest::ImportBytes(*out, "filled.xlsx");
  ASSERT_TRUE(again.ok());
  const auto& items = again->parts[0].items;
  EXPECT_EQ(items[0].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(items[1].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(items[2].answer.mark, sheet::Mark::kNotApplicable);
  EXPECT_EQ(items[3].answer.text, "いいえ");  // planned is "no" today; its remark says the plan
  EXPECT_EQ(items[4].answer.mark, sheet::Mark::kNone);
}

// Answer cells that are check boxes with labels: the drafted label's box is ticked in the
// cell's own style, the others cleared, and the filled workbook reads back with those answers.
TEST(FillXlsx, CheckBoxCellsGetTheDraftedLabelTicked) {
  const fs::path in = Blank("blank_layout7_check_boxes.xlsx");
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  EXPECT_EQ(cs->parts[0].answer_vocabulary, (std::vector<std::string>{"対応済", "未対策", "対応不要"}));
  for (const auto& it : cs->parts[0].items) EXPECT_EQ(it.answer.mark, sheet::Mark::kNone) << it.id;
  std::vector<Fill> fills = FillsFor(*cs, {{sheet::Mark::kYes, "対応済"}, {sheet::Mark::kNo, "未対策"},
                                           {sheet::Mark::kNotApplicable, "対応不要"}, {sheet::Mark::kYes, "はい"}});
  FillReport report;
  auto out = FillXlsx(original, *cs, fills, &report);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(report.answers, 3);
  ASSERT_EQ(report.not_written.size(), 1u);
  EXPECT_NE(report.not_written[0].find("the sheet's check boxes have no 'はい'"), std::string::npos);
  std::string rest;
  auto cells = Cells(Entries(*out)[cs->parts[0].source_part], &rest);
  EXPECT_EQ(cells["C4"].value, "■ 対応済\n□ 未対策\n□ 対応不要");
  EXPECT_EQ(cells["C5"].value, "□ 対応済\n■ 未対策\n□ 対応不要");
  EXPECT_EQ(cells["C6"].value, "□ 対応済\n□ 未対策\n■ 対応不要");
  auto again = ingest::ImportBytes(*out, "filled.xlsx");
  ASSERT_TRUE(again.ok()) << again.status().message();
  const auto& items = again->parts[0].items;
  EXPECT_EQ(items[0].answer.text, "対応済");
  EXPECT_EQ(items[1].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(items[2].answer.mark, sheet::Mark::kNotApplicable);
  EXPECT_EQ(items[3].answer.mark, sheet::Mark::kNone);
}

// A service-level sheet prints 【有】 and the remark in one cell: what it reads as answer and
// remarks is written back as the same cell, character for character.
TEST(FillXlsx, AnAnswerCellThatCarriesRemarksIsWrittenAsPrinted) {
  const fs::path in = fs::path(TS_SOURCE_DIR) / "tests" / "data" / "samples" / "layout6_service_level.xlsx";
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  std::vector<Fill> fills;
  sheet::Checksheet unanswered = *cs;  // the same rows as a blank copy would have them
  for (auto& it : unanswered.parts[0].items) {
    fills.push_back({it.id, it.answer.mark, it.answer.text, sheet::PrintedRemarks(it)});
    it.answer = {};
  }
  FillReport report;
  auto out = FillXlsx(original, unanswered, fills, &report);
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::string rest;
  auto after = Cells(Entries(*out)[cs->parts[0].source_part], &rest);
  int combined = 0;
  for (const auto& it : cs->parts[0].items) {
    const std::string ref = it.location.cells.at("answer");
    if (it.remarks.empty()) continue;
    ++combined;
    EXPECT_EQ(after[ref].value, "【" + it.answer.text + "】" + it.remarks) << ref;
  }
  EXPECT_EQ(combined, 3);
  EXPECT_EQ(report.remarks, 3);
  auto again = ingest::ImportBytes(*out, "filled.xlsx");
  ASSERT_TRUE(again.ok());
  for (std::size_t i = 0; i < cs->parts[0].items.size(); ++i) {
    EXPECT_EQ(again->parts[0].items[i].answer.text, cs->parts[0].items[i].answer.text) << i;
    EXPECT_EQ(again->parts[0].items[i].remarks, cs->parts[0].items[i].remarks) << i;
  }
}

TEST(FillXlsx, ExistingAnswersAreNotOverwritten) {
  const fs::path in = fs::path(TS_SOURCE_DIR) / "tests" / "data" / "samples" / "layout1_title_rows.xlsx";
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok());
  FillReport report;
  auto out = FillXlsx(original, *cs, FillsFor(*cs, {{sheet::Mark::kNo, "いいえ"}}), &report);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(report.answers, 0);
  ASSERT_EQ(report.not_written.size(), 1u);
  EXPECT_NE(report.not_written[0].find("already answered"), std::string::npos);
}

TEST(FillCsv, KeepsEncodingAndWritesAnswers) {
  const fs::path in = Blank("blank_cp932.csv");
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  FillReport report;
  auto out = FillCsv(original, *cs, FillsFor(*cs, {{sheet::Mark::kYes, "○"}, {sheet::Mark::kNo, "×"}}), &report);
  ASSERT_TRUE(out.ok()) << out.status().message();
  auto again = ingest::ImportBytes(*out, "filled.csv");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->meta.at("encoding"), "cp932");
  EXPECT_EQ(again->parts[0].items[0].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(again->parts[0].items[1].answer.mark, sheet::Mark::kNo);
  EXPECT_EQ(again->parts[0].items[1].remarks, "備考その2");
}

TEST(NewXlsx, TextSheetsBecomeAWorkbookThatImportsBack) {
  auto cs = ingest::ImportBytes("1 パスワードの長さを定めているか。\n2 ログを保管しているか。 ◯\n", "q.txt");
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  FillReport report;
  auto out = NewXlsx(*cs, FillsFor(*cs, {{sheet::Mark::kYes, "◯"}}), &report);
  ASSERT_TRUE(out.ok()) << out.status().message();
  auto again = ingest::ImportBytes(*out, "new.xlsx");
  ASSERT_TRUE(again.ok()) << again.status().message();
  ASSERT_EQ(again->ItemCount(), 2u);
  EXPECT_EQ(again->parts[0].items[0].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(again->parts[0].items[1].answer.text, "◯");
}

// LibreOffice opens what we write (skipped where soffice is not installed).
TEST(FillXlsx, LibreOfficeOpensTheFilledWorkbook) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) GTEST_SKIP() << "soffice not installed; skipping";
  const fs::path in = Blank("blank_layout1_answer_column.xlsx");
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok());
  FillReport report;
  auto out = FillXlsx(original, *cs, FillsFor(*cs, {{sheet::Mark::kYes, "はい"}, {sheet::Mark::kNo, "いいえ"}}), &report);
  ASSERT_TRUE(out.ok());
  const fs::path dir = fs::temp_directory_path() / ("ts_lo_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic((dir / "filled.xlsx").string(), *out).ok());
  const std::string cmd = "cd " + dir.string() + " && HOME=" + dir.string() +
                          " timeout 120 soffice --headless --convert-to csv:\"Text - txt - csv (StarCalc)\":44,34,76 "
                          "--outdir . filled.xlsx >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string csv = Slurp(dir / "filled.csv");
  EXPECT_NE(csv.find("いいえ"), std::string::npos) << csv;
  EXPECT_NE(csv.find("備考その2"), std::string::npos);
  fs::remove_all(dir);
}


fs::path Sample(const std::string& name) { return fs::path(TS_SOURCE_DIR) / "tests" / "data" / "samples" / name; }

// The text of every paragraph of a Word document outside `skip` (table, row, grid column:
// the cells a fill may write), in order: what must not change.
std::vector<std::string> UntouchedText(const std::string& document_xml, const std::set<std::string>& skip) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(document_xml.data(), document_xml.size(), pugi::parse_default | pugi::parse_ws_pcdata));
  std::vector<std::string> out;
  int table = 0;
  for (pugi::xml_node block : formats::docx::BodyBlocks(doc)) {
    if (std::string_view(block.name()) == "w:p") {
      out.push_back(formats::docx::ParagraphText(block));
      continue;
    }
    ++table;
    int row = 0;
    for (pugi::xml_node tr : block.children("w:tr")) {
      ++row;
      for (const auto& gc : formats::docx::RowCells(tr)) {
        const std::string key = std::to_string(table) + "/" + std::to_string(row) + "/" + std::to_string(gc.col + 1);
        if (!skip.count(key)) out.push_back(key + " " + formats::docx::CellText(gc.tc));
      }
    }
  }
  return out;
}

// Three Word layouts (a merged category column; ☑/☐ characters in the answer cell; check-box
// content controls, one column per choice): a blank copy filled with the answered sample's
// answers reads back as the answered sample, and nothing but the answer and remarks cells
// changes: every other part of the package byte for byte, every other paragraph's text.
TEST(FillDocx, BlankWordQuestionnairesFillBackAsTheAnsweredOnes) {
  for (const std::string name : {"docx1_merged_category", "docx2_check_characters", "docx3_content_controls"}) {
    SCOPED_TRACE(name);
    auto answered = ingest::ImportFile(Sample(name + ".docx").string());
    ASSERT_TRUE(answered.ok()) << answered.status().message();
    const fs::path in = Blank(("blank_" + name + ".docx").c_str());
    const std::string original = Slurp(in);
    auto cs = ingest::ImportBytes(original, in.string());
    ASSERT_TRUE(cs.ok()) << cs.status().message();
    ASSERT_EQ(cs->ItemCount(), answered->ItemCount());
    std::vector<Fill> fills;
    std::set<std::string> written;
    for (std::size_t i = 0; i < cs->parts[0].items.size(); ++i) {
      const sheet::Item& want = answered->parts[0].items[i];
      const sheet::Item& blank = cs->parts[0].items[i];
      EXPECT_EQ(blank.answer.mark, sheet::Mark::kNone);
      fills.push_back({blank.id, want.answer.mark, want.answer.text, sheet::PrintedRemarks(want)});
      for (const sheet::ColumnInfo& c : cs->parts[0].columns) {
        if (c.role == "answer" || c.role == "remarks" || c.role == "choice") {
          written.insert(std::to_string(blank.location.table) + "/" + std::to_string(blank.location.line) + "/" + c.column);
        }
      }
    }
    FillReport report;
    auto out = FillDocx(original, *cs, fills, &report);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(report.answers, 6);
    EXPECT_EQ(report.remarks, 4);
    EXPECT_TRUE(report.not_written.empty()) << report.not_written.front();
    auto before = Entries(original), after = Entries(*out);
    ASSERT_EQ(before.size(), after.size());
    for (const auto& [part, data] : before) {
      if (part != "word/document.xml") {
        EXPECT_EQ(after[part], data) << part << " changed";
      }
    }
    EXPECT_EQ(UntouchedText(after["word/document.xml"], written), UntouchedText(before["word/document.xml"], written));
    auto again = ingest::ImportBytes(*out, "filled.docx");
    ASSERT_TRUE(again.ok()) << again.status().message();
    ASSERT_EQ(again->ItemCount(), answered->ItemCount());
    for (std::size_t i = 0; i < again->parts[0].items.size(); ++i) {
      const sheet::Item& got = again->parts[0].items[i];
      const sheet::Item& want = answered->parts[0].items[i];
      EXPECT_EQ(got.answer.mark, want.answer.mark) << got.id;
      EXPECT_EQ(got.answer.text, want.answer.text) << got.id;
      EXPECT_EQ(sheet::PrintedRemarks(got), sheet::PrintedRemarks(want)) << got.id;  // line breaks too
    }
  }
}

TEST(FillDocx, LibreOfficeOpensTheFilledDocumentAndShowsTheAnswers) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) GTEST_SKIP() << "soffice not installed; skipping";
  const fs::path in = Blank("blank_docx3_content_controls.docx");
  const std::string original = Slurp(in);
  auto cs = ingest::ImportBytes(original, in.string());
  ASSERT_TRUE(cs.ok());
  std::vector<Fill> fills = FillsFor(*cs, {{sheet::Mark::kYes, "はい"}, {sheet::Mark::kNo, "いいえ"}});
  FillReport report;
  auto out = FillDocx(original, *cs, fills, &report);
  ASSERT_TRUE(out.ok());
  const fs::path dir = fs::temp_directory_path() / ("ts_lo_docx_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic((dir / "filled.docx").string(), *out).ok());
  const std::string cmd = "cd " + dir.string() + " && HOME=" + dir.string() +
                          " timeout 120 soffice --headless --convert-to txt:Text --outdir . filled.docx >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string text = Slurp(dir / "filled.txt");
  EXPECT_NE(text.find("備考その1"), std::string::npos) << text;
  EXPECT_NE(text.find("備考その2"), std::string::npos) << text;
  EXPECT_NE(text.find("☒"), std::string::npos) << text;  // the ticked content controls
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ts::exporter
