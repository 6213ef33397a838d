// The two real PDFs in ../shared/corpus/pdf (skipped when the corpus is absent): the 1997 METI
// 情報システム安全対策基準 is a mark matrix whose 192 requirements (設置基準 100, 技術基準 26,
// 運用基準 66, as its own text counts them) must all be found with their marks; the 107-page
// 2013 guideline must import without error.
#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/import.h"

namespace ts {
namespace {

namespace fs = std::filesystem;

fs::path PdfDir() { return fs::path(TS_SOURCE_DIR) / ".." / "shared" / "corpus" / "pdf"; }

#define TS_REQUIRE_CORPUS_FILE(path)                                                  \
  if (!fs::exists(path)) {                                                            \
    GTEST_SKIP() << "corpus file " << (path) << " not found (../shared/corpus); skipping"; \
  }

TEST(CorpusPdf, SafetyStandard1997MatrixItemsFound) {
  const fs::path f = PdfDir() / "meti_system_safety_standard_1997.pdf";
  TS_REQUIRE_CORPUS_FILE(f);
  auto cs = ingest::ImportFile(f.string());
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  ASSERT_EQ(cs->parts.size(), 3u);
  EXPECT_EQ(cs->parts[0].items.size(), 100u);
  EXPECT_EQ(cs->parts[1].items.size(), 26u);
  EXPECT_EQ(cs->parts[2].items.size(), 66u);
  const std::size_t columns[] = {6, 3, 3};
  for (std::size_t p = 0; p < 3; ++p) {
    ASSERT_EQ(cs->parts[p].columns.size(), columns[p]);
    for (const auto& item : cs->parts[p].items) {
      EXPECT_FALSE(item.number.empty()) << item.id;
      EXPECT_FALSE(item.section.empty()) << item.id;
      EXPECT_TRUE(item.question.ends_with("。")) << item.id << ": " << item.question;
      EXPECT_EQ(item.extra.size(), columns[p]) << item.id;
    }
  }
  EXPECT_EQ(cs->parts[0].columns[1].header, "コンピュータ室");
  EXPECT_EQ(cs->parts[1].columns[0].header, "不特定");
  const auto& first = cs->parts[0].items[0];
  EXPECT_EQ(first.section, (std::vector<std::string>{"イ.設置環境", "1.立地・配置"}));
  EXPECT_EQ(first.extra[0].second, "☆");
  // The font is not embedded (90ms-RKSJ-H, no ToUnicode): MuPDF reads code 0x817C as U+FF0D,
  // as CP932 does, which NFKC makes '-'; poppler read it as U+2212 '−'. Either is the dash.
  EXPECT_EQ(first.extra[5].second, "-");
  EXPECT_EQ(cs->meta["legend ◎"], "1のA、B、C全てに必要な対策");
}

TEST(CorpusPdf, Guideline2013ImportsWithoutError) {
  const fs::path f = PdfDir() / "meti_cloudsec2013_guideline.pdf";
  TS_REQUIRE_CORPUS_FILE(f);
  auto cs = ingest::ImportFile(f.string());
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  EXPECT_EQ(cs->meta["pages"], "107");
  for (const auto& part : cs->parts) {
    for (const auto& item : part.items) EXPECT_FALSE(item.question.empty()) << item.id;
  }
}

}  // namespace
}  // namespace ts
