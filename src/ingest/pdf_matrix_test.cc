#include "ingest/internal/pdf_matrix.h"

#include <gtest/gtest.h>

namespace ts::ingest::internal {
namespace {

// Builds a page the way the PDF reader sees one: boxes with positions (points, y downwards).
class PageBuilder {
 public:
  explicit PageBuilder(int page) : page_(page) {}
  // A line at height y: (x, text) pairs; each box is 10pt per character wide and 10pt tall.
  PageBuilder& Line(double y, std::vector<std::pair<double, std::string>> boxes) {
    PdfLine l{page_, y, y + 10, {}};
    for (auto& [x, t] : boxes) {
      double w = 10.0 * static_cast<double>(std::max<std::size_t>(1, t.size() / 3));
      l.boxes.push_back({t, x, x + w, y, y + 10, false});
    }
    lines_.push_back(std::move(l));
    return *this;
  }
  // Marks in columns at x = 400, 420, 440.
  PageBuilder& Row(double y, double x_heading, std::string heading, std::string text, std::string marks) {
    std::vector<std::pair<double, std::string>> b;
    if (!heading.empty()) b.push_back({x_heading, heading});
    b.push_back({100, text});
    std::u32string u;
    double x = 400;
    for (std::size_t i = 0; i < marks.size();) {
      std::size_t n = (static_cast<unsigned char>(marks[i]) >= 0xE0) ? 3 : 1;
      b.push_back({x, marks.substr(i, n)});
      i += n;
      x += 20;
    }
    return Line(y, b);
  }
  std::vector<PdfLine> Take() { return std::move(lines_); }

 private:
  int page_;
  std::vector<PdfLine> lines_;
};

std::vector<PdfLine> SamplePage() {
  PageBuilder p(1);
  p.Line(20, {{10, "一"}, {25, "設備基準"}});
  // Vertical headers, one glyph per line: "1 本社", "2 支店", "3 倉庫".
  p.Line(40, {{400, "１"}, {420, "２"}, {440, "３"}});
  p.Line(52, {{20, "項目"}, {100, "要件"}, {400, "本"}, {420, "支"}, {440, "倉"}});
  p.Line(64, {{400, "社"}, {420, "店"}, {440, "庫"}});
  p.Row(90, 20, "イ．入口", "（１）入口には施錠できる扉を設けるこ", "☆◎−");
  p.Line(102, {{110, "と。"}});
  p.Row(114, 0, "", "（２）来訪者の記録を残すこと。", "◎◎○");
  p.Row(126, 20, "ロ．電源設", "（１）無停電電源装置を備えること。", "−○◎");
  p.Line(138, {{20, "備"}});
  p.Row(150, 0, "", "（２）発電機を定期的に試験すること。", "−−☆");
  p.Row(162, 20, "ａ．予備", "（１）予備の燃料を備えること。", "−−◎");
  p.Line(176, {{100, "この基準は例として書いたものであり、実在の基準の文章ではありません。長い行です。"}});
  return p.Take();
}

TEST(ReadMarkMatrix, FindsItemsHeadingsAndColumns) {
  std::vector<sheet::Warning> warnings;
  std::map<std::string, std::string> meta;
  auto parts = ReadMarkMatrix(SamplePage(), "m.pdf", &warnings, &meta);
  ASSERT_EQ(parts.size(), 1u);
  const sheet::Part& part = parts[0];
  EXPECT_EQ(part.title, "一 設備基準");
  ASSERT_EQ(part.columns.size(), 3u);
  EXPECT_EQ(part.columns[0].header, "本社");
  EXPECT_EQ(part.columns[2].header, "倉庫");
  ASSERT_EQ(part.items.size(), 5u);
  const sheet::Item& first = part.items[0];
  EXPECT_EQ(first.number, "(1)");
  EXPECT_EQ(first.question, "入口には施錠できる扉を設けること。");
  EXPECT_EQ(first.section, (std::vector<std::string>{"イ.入口"}));
  EXPECT_EQ(first.answer.mark, sheet::Mark::kNone);
  ASSERT_EQ(first.extra.size(), 3u);
  EXPECT_EQ(first.extra[0], (std::pair<std::string, std::string>{"本社", "☆"}));
  EXPECT_EQ(first.extra[1], (std::pair<std::string, std::string>{"支店", "◎"}));
  EXPECT_EQ(first.location.page, 1);
  EXPECT_EQ(first.location.end_line, first.location.line + 1);
  EXPECT_EQ(first.id, "p1/イ/1");
  // A heading wrapped onto the next line is joined; items before the wrap get it too.
  EXPECT_EQ(part.items[2].section, (std::vector<std::string>{"ロ.電源設備"}));
  EXPECT_EQ(part.items[3].section, (std::vector<std::string>{"ロ.電源設備"}));
  // A new numbering style nests under the heading in force.
  EXPECT_EQ(part.items[4].section, (std::vector<std::string>{"ロ.電源設備", "a.予備"}));
  EXPECT_EQ(part.items[4].id, "p1/ロ.a/1");
}

TEST(ReadMarkMatrix, ProseAfterTheTableEndsIt) {
  std::vector<sheet::Warning> warnings;
  std::map<std::string, std::string> meta;
  auto parts = ReadMarkMatrix(SamplePage(), "m.pdf", &warnings, &meta);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].items.back().question, "予備の燃料を備えること。");
}

TEST(ReadMarkMatrix, NoMatrixInPlainText) {
  PageBuilder p(1);
  for (int i = 0; i < 10; ++i) p.Line(20 + 12 * i, {{10, "本文の行です。"}, {200, "◯"}});
  std::vector<sheet::Warning> warnings;
  std::map<std::string, std::string> meta;
  EXPECT_TRUE(ReadMarkMatrix(p.Take(), "t.pdf", &warnings, &meta).empty());
}

TEST(ReadMarkMatrix, LegendLinesGoToMeta) {
  std::vector<PdfLine> lines = SamplePage();
  PageBuilder legend(1);
  legend.Line(300, {{10, "・☆……本社のみ必要"}});
  for (auto& l : legend.Take()) lines.push_back(std::move(l));
  std::vector<sheet::Warning> warnings;
  std::map<std::string, std::string> meta;
  ASSERT_FALSE(ReadMarkMatrix(lines, "m.pdf", &warnings, &meta).empty());
  EXPECT_EQ(meta["legend ☆"], "本社のみ必要");
}

}  // namespace
}  // namespace ts::ingest::internal
