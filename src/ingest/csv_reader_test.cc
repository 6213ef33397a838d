#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

namespace ts::ingest {
namespace {

TEST(ParseCsv, HandlesQuotesNewlinesAndEscapes) {
  auto g = ParseCsv("a,\"b,c\",\"d\"\"e\"\r\n1,\"x\ny\",z\n", "t.csv", Limits{});
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->rows.size(), 2u);
  EXPECT_EQ(g->rows[0][1], "b,c");
  EXPECT_EQ(g->rows[0][2], "d\"e");
  EXPECT_EQ(g->rows[1][1], "x\ny");
  EXPECT_EQ(g->source_rows[1], 2);
}

TEST(ParseCsv, ReportsUnterminatedQuoteWithLine) {
  auto g = ParseCsv("a,b\n1,\"open\n2,3\n", "t.csv", Limits{});
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), "t.csv: line 2: quoted field is not closed before the end of the file");
}

TEST(ParseCsv, DetectsTabDelimiter) {
  auto g = ParseCsv("No\t質問\t回答\n1\ta,b\tはい\n", "t.tsv", Limits{});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->rows[1][1], "a,b");
}

TEST(ReadCsv, ReadsCp932WithMarks) {
  // "番号,質問,回答\r\n1,暗号化していますか。,○\r\n" in CP932.
  std::string cp932 =
      "\x94\xd4\x8d\x86,\x8e\xbf\x96\xe2,\x89\xf1\x93\x9a\r\n"
      "1,\x88\xc3\x8d\x86\x89\xbb\x82\xb5\x82\xc4\x82\xa2\x82\xdc\x82\xb7\x82\xa9\x81\x42,\x81\x9b\r\n";
  auto cs = ReadCsv(cp932, "s.csv", Limits{});
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  ASSERT_EQ(cs->ItemCount(), 1u);
  EXPECT_EQ(cs->meta.at("encoding"), "cp932");
  const auto& it = cs->parts[0].items[0];
  EXPECT_EQ(it.question, "暗号化していますか。");
  EXPECT_EQ(it.answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(it.location.cells.at("answer"), "C2");
}

TEST(ReadCsv, WithoutHeaderRowSaysSo) {
  auto cs = ReadCsv("a,b\nc,d\n", "x.csv", Limits{});
  ASSERT_FALSE(cs.ok());
  EXPECT_EQ(cs.status().message(),
            "x.csv: no checksheet table found (no header row with a question and an answer column)");
}

}  // namespace
}  // namespace ts::ingest
