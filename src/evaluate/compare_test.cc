#include "evaluate/compare.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/file_io.h"
#include "export/assessment_report.h"
#include "ingest/import.h"

namespace ts::evaluate {
namespace {

sheet::Checksheet Sheet(std::vector<std::tuple<std::string, sheet::Mark, std::string, std::string>> rows) {
  sheet::Checksheet cs;
  sheet::Part& p = cs.parts.emplace_back();
  int n = 0;
  for (auto& [q, mark, text, remarks] : rows) {
    sheet::Item it;
    it.number = std::to_string(++n);
    it.question = q;
    it.answer = {mark, text};
    it.remarks = remarks;
    p.items.push_back(std::move(it));
  }
  return cs;
}

std::size_t Count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST(Compare, ScoresEachVendorPerDomainOfTheCatalog) {
  using sheet::Mark;
  EXPECT_EQ(DomainOf("保存データを暗号化していますか。"), "CRY");
  EXPECT_EQ(DomainLabel("CRY"), "暗号");
  EXPECT_EQ(DomainLabel(""), "その他");
  const sheet::Checksheet a = Sheet({{"保存データを暗号化していますか。", Mark::kYes, "◯", ""},
                                     {"バックアップを取得していますか。", Mark::kYes, "◯", ""}});
  const sheet::Checksheet b = Sheet({{"データベースを暗号化しているか", Mark::kNo, "✕", ""},
                                     {"バックアップを取得しているか", Mark::kYes, "はい", "今後対応予定"}});
  const Comparison c = Compare({{"A社 <本番>", &a}, {"B社", &b}});
  ASSERT_EQ(c.vendors.size(), 2u);
  const auto crypto = std::find(c.domains.begin(), c.domains.end(), "CRY") - c.domains.begin();
  ASSERT_LT(static_cast<std::size_t>(crypto), c.domains.size());
  EXPECT_DOUBLE_EQ(c.vendors[0].domains[static_cast<std::size_t>(crypto)].summary.score, 100.0);
  EXPECT_DOUBLE_EQ(c.vendors[1].domains[static_cast<std::size_t>(crypto)].summary.score, 0.0);
  EXPECT_DOUBLE_EQ(c.vendors[1].assessment.summary.score, 25.0);  // risk 0 + caveat 0.5, of 2
  EXPECT_EQ(c.vendors[1].assessment.summary.band, "不可");

  const std::string html = exporter::AssessmentReportHtml(c);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("A社 &lt;本番&gt;"), std::string::npos);  // names are escaped
  EXPECT_EQ(html.find("A社 <本番>"), std::string::npos);
  // One bar per vendor and domain with a score; zero-width bars are still drawn.
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 2 * c.domains.size());
  EXPECT_NE(html.find("今後対応予定"), std::string::npos);  // the caveat's reason quotes the remark
  EXPECT_EQ(html.find("<script"), std::string::npos);      // self-contained, nothing runs
}

// The workbook report: its findings sheet reads back as a checksheet (one item per risk, caveat
// or unanswered item), and LibreOffice opens it (skipped where soffice is not installed).
TEST(Compare, WorkbookReportReadsBackAndOpensInLibreOffice) {
  using sheet::Mark;
  const sheet::Checksheet a = Sheet({{"保存データを暗号化していますか。", Mark::kYes, "◯", "全顧客で単一の暗号鍵を利用"},
                                     {"バックアップを取得していますか。", Mark::kNo, "✕", ""},
                                     {"ログを取得していますか。", Mark::kYes, "◯", ""}});
  const Comparison c = Compare({{"A社", &a}});
  Result<std::string> book = exporter::AssessmentReportXlsx(c);
  ASSERT_TRUE(book.ok()) << book.status().message();
  Result<sheet::Checksheet> back = ingest::ImportBytes(*book, "report.xlsx");
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->parts.size(), 1u);  // 概要 and 領域別 hold no checksheet table
  ASSERT_EQ(back->parts[0].items.size(), 2u);
  EXPECT_EQ(back->parts[0].title, "指摘事項");
  EXPECT_EQ(back->parts[0].items[0].question, "保存データを暗号化していますか。");
  EXPECT_EQ(back->parts[0].items[1].answer.text, "✕");

  if (std::system("command -v soffice >/dev/null 2>&1") != 0) GTEST_SKIP() << "soffice not installed; skipping";
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("ts_report_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic((dir / "report.xlsx").string(), *book).ok());
  const std::string cmd = "cd '" + dir.string() + "' && HOME='" + dir.string() +
                          "' timeout 120 soffice --headless --convert-to csv:\"Text - txt - csv (StarCalc)\":44,34,76 "
                          "report.xlsx >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir / "report.csv");
  std::stringstream csv;
  csv << in.rdbuf();
  EXPECT_NE(csv.str().find("A社"), std::string::npos) << csv.str();  // the first sheet, 概要
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ts::evaluate
