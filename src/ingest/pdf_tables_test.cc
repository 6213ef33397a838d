#include "ingest/internal/pdf_tables.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "text/utf8.h"

namespace ts::ingest::internal {
namespace {

// A page with text laid out character by character: 10 pt glyphs, 10 pt apart.
struct PageBuilder {
  PdfPage page;
  int line = 0;
  void Text(double x, double y, std::string_view s) {
    std::u32string u = text::ToU32(s);
    for (char32_t c : u) {
      page.chars.push_back({c, x, y, x + 10, y + 10, 10, line});
      x += 10;
    }
    ++line;
  }
  void H(double y, double x0, double x1) { page.rulings.push_back({x0, y, x1, y}); }
  void V(double x, double y0, double y1) { page.rulings.push_back({x, y0, x, y1}); }
};

// Columns at x 0|50|200|250, rows at y 0|20|60|100. Column 0's rows 1 and 2 are one merged
// cell (no line between them), its text centred across both.
PageBuilder Sample() {
  PageBuilder b;
  b.H(0, 0, 250);
  b.H(20, 0, 250);
  b.H(60, 50, 250);  // the merge: this line starts at column 1
  b.H(100, 0, 250);
  for (double x : {0.0, 50.0, 200.0, 250.0}) b.V(x, 0, 100);
  b.Text(5, 5, "分類");
  b.Text(55, 5, "質問");
  b.Text(205, 5, "回答");
  b.Text(5, 70, "認証");  // low in the merged cell: inside the grid's row 2
  b.Text(55, 25, "パスワードの長さを");
  b.Text(55, 37, "決めていますか");
  b.Text(205, 35, "はい");
  b.Text(55, 70, "ロックしますか");
  b.Text(205, 75, "いいえ");
  b.Text(5, 120, "注記");
  return b;
}

TEST(FindRuledTables, CellsFromTheGridAndMergesFromMissingLines) {
  PageTables pt = FindRuledTables(Sample().page);
  ASSERT_EQ(pt.tables.size(), 1u);
  const RuledTable& t = pt.tables[0];
  ASSERT_EQ(t.cells.size(), 3u);
  ASSERT_EQ(t.cells[0].size(), 3u);
  EXPECT_EQ(t.cells[0][0], "分類");
  EXPECT_EQ(t.cells[1][1], "パスワードの長さを\n決めていますか");
  EXPECT_EQ(t.cells[1][2], "はい");
  EXPECT_EQ(t.cells[2][2], "いいえ");
  // The merged cell's text belongs to its top-left cell, as in a workbook.
  EXPECT_EQ(t.cells[1][0], "認証");
  EXPECT_EQ(t.cells[2][0], "");
  ASSERT_EQ(t.merges.size(), 1u);
  EXPECT_EQ(t.merges[0].row0, 1);
  EXPECT_EQ(t.merges[0].row1, 2);
  EXPECT_EQ(t.merges[0].col0, 0);
  EXPECT_EQ(t.merges[0].col1, 0);
  ASSERT_EQ(pt.loose.size(), 1u);
  EXPECT_EQ(pt.loose[0].text, "注記");
}

TEST(FindRuledTables, PiecesOfALineAndDoubleBordersAreOneLine) {
  PageBuilder b = Sample();
  // The top border drawn in two pieces and again 0.8 pt lower (a double border).
  b.page.rulings.erase(b.page.rulings.begin());
  b.H(0, 0, 120);
  b.H(0, 121, 250);
  b.H(0.8, 0, 250);
  PageTables pt = FindRuledTables(b.page);
  ASSERT_EQ(pt.tables.size(), 1u);
  EXPECT_EQ(pt.tables[0].cells.size(), 3u);
  EXPECT_EQ(pt.tables[0].cells[0][1], "質問");
}

TEST(FindRuledTables, ABoxAroundOneParagraphIsNoTable) {
  PageBuilder b;
  b.H(0, 0, 200);
  b.H(40, 0, 200);
  b.V(0, 0, 40);
  b.V(200, 0, 40);
  b.Text(5, 5, "お問い合わせ先");
  PageTables pt = FindRuledTables(b.page);
  EXPECT_TRUE(pt.tables.empty());
  ASSERT_EQ(pt.loose.size(), 1u);
  EXPECT_EQ(pt.loose[0].text, "お問い合わせ先");
}

TEST(FindRuledTables, LatinWordsOnOneLineKeepTheirSpaces) {
  std::vector<PdfChar> chars;
  double x = 0;
  for (char32_t c : std::u32string(U"Do you")) {
    chars.push_back({c, x, 0, x + 5, 10, 10, 0});
    x += 6;
  }
  chars.push_back({U'e', x + 4, 0, x + 9, 10, 10, 1});  // another text line, after a gap
  std::vector<const PdfChar*> ptrs;
  for (const PdfChar& c : chars) ptrs.push_back(&c);
  EXPECT_EQ(CharsText(ptrs), "Do you e");
}

// A page of more lines than any form draws is no table; its text stays loose.
TEST(FindRuledTables, APageOfThousandsOfLinesIsNoTable) {
  PageBuilder b;
  for (int i = 0; i < 5000; ++i) {
    b.H(i * 2.0, 0, 10000);
    b.V(i * 2.0, 0, 10000);
  }
  b.Text(5, 5, "x");
  PageTables pt = FindRuledTables(b.page);
  EXPECT_TRUE(pt.tables.empty());
  ASSERT_EQ(pt.loose.size(), 1u);
}

// A 100 x 100 grid whose short verticals merge every other pair of cells (2,500 merges), a
// character in each cell: each character finds its merged cell directly (not by a scan of the
// merges), and every character lands exactly once.
TEST(FindRuledTables, ManyMergedCellsAndCharactersAreReadOnce) {
  PageBuilder b;
  const int n = 100;
  for (int i = 0; i <= n; ++i) b.H(i * 10.0, 0, n * 10.0);
  for (int j = 0; j <= n; ++j) {
    if (j % 2 == 0) {
      b.V(j * 10.0, 0, n * 10.0);
    } else {
      for (int i = 0; i < n; i += 2) b.V(j * 10.0, i * 10.0, i * 10.0 + 10);  // only every other row
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) b.page.chars.push_back({U'a', j * 10.0 + 3, i * 10.0 + 3, j * 10.0 + 6, i * 10.0 + 6, 3, i});
  }
  PageTables pt = FindRuledTables(b.page);
  ASSERT_EQ(pt.tables.size(), 1u);
  const RuledTable& t = pt.tables[0];
  EXPECT_EQ(t.merges.size(), static_cast<std::size_t>(n / 2 * n / 2));
  std::size_t letters = 0;
  for (const auto& row : t.cells) {
    for (const std::string& cell : row) letters += std::count(cell.begin(), cell.end(), 'a');
  }
  EXPECT_EQ(letters, static_cast<std::size_t>(n * n));
  EXPECT_TRUE(pt.loose.empty());
}

}  // namespace
}  // namespace ts::ingest::internal
