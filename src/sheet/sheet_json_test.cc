#include "sheet/sheet_json.h"

#include <gtest/gtest.h>

namespace ts::sheet {
namespace {

Checksheet Sample() {
  Checksheet s;
  s.source_file = "a.xlsx";
  s.format = "xlsx";
  Part p;
  p.id = "p1";
  p.title = "チェック";
  Item it;
  it.id = "p1/1/2";
  it.section = {"1. 基本方針"};
  it.number = "2";
  it.question = "パスワードの最低文字数を定めているか。";
  it.answer = {Mark::kYes, "はい"};
  it.remarks = "12文字以上";
  it.extra = {{"測定単位", "有無"}};
  it.location.file = "a.xlsx";
  it.location.sheet = "チェック";
  it.location.range = "A5:E5";
  it.location.cells["answer"] = "D5";
  p.items.push_back(it);
  s.parts.push_back(p);
  s.warnings.push_back({"row 9 hidden: skipped", it.location});
  return s;
}

TEST(SheetJson, RoundTripsEveryField) {
  Checksheet s = Sample();
  auto back = FromJson(ToJson(s));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->parts.size(), 1u);
  const Item& it = back->parts[0].items[0];
  EXPECT_EQ(it.id, "p1/1/2");
  EXPECT_EQ(it.section, std::vector<std::string>{"1. 基本方針"});
  EXPECT_EQ(it.answer.mark, Mark::kYes);
  EXPECT_EQ(it.answer.text, "はい");
  EXPECT_EQ(it.remarks, "12文字以上");
  ASSERT_EQ(it.extra.size(), 1u);
  EXPECT_EQ(it.extra[0].second, "有無");
  EXPECT_EQ(it.location.cells.at("answer"), "D5");
  EXPECT_EQ(it.location.range, "A5:E5");
  ASSERT_EQ(back->warnings.size(), 1u);
  EXPECT_EQ(back->warnings[0].location.range, "A5:E5");
  // Nothing is lost: the JSON of what was read back is the JSON it was read from.
  EXPECT_EQ(ToJson(*back), ToJson(s));
}

TEST(SheetJson, EscapesControlCharactersAndReplacesInvalidUtf8) {
  Checksheet s = Sample();
  s.parts[0].items[0].question = "a\"b\\c\x01" "d\te\nf\xffg「h」";
  s.parts[0].items[0].extra = {{"k", "1"}, {"k", "2"}, {"l", "3"}};
  for (bool pretty : {true, false}) {
    const std::string json = ToJson(s, pretty);
    EXPECT_NE(json.find("\"a\\\"b\\\\c\\u0001d\\te\\nf\xef\xbf\xbdg「h」\""), std::string::npos) << json;
    auto back = FromJson(json);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->parts[0].items[0].question, "a\"b\\c\x01" "d\te\nf\xef\xbf\xbdg「h」");
    // A header that comes twice is one member: its first place, its last value.
    EXPECT_EQ(back->parts[0].items[0].extra,
              (std::vector<std::pair<std::string, std::string>>{{"k", "2"}, {"l", "3"}}));
  }
  EXPECT_EQ(ToJson(s, false).find('\n'), ToJson(s, false).size() - 1);  // compact: one line
  // A sequence cut short is one U+FFFD, as nlohmann/json writes it.
  s.parts[0].items[0].question = "\xE3\x81" "a";
  EXPECT_NE(ToJson(s, false).find("\"\xEF\xBF\xBD" "a\""), std::string::npos);
}

TEST(SheetJson, ReportsWherePartsAreWrong) {
  auto r = FromJson(R"({"parts":[{"id":"p","items":[{"question":"q","answer":{"mark":"maybe"}}]}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "checksheet JSON: parts[0].items[0].answer.mark: unknown mark 'maybe'");
  EXPECT_EQ(FromJson("{").status().message(), "checksheet JSON: not valid JSON");
}

TEST(SourceLocation, DescribesLikeACompiler) {
  SourceLocation l;
  l.file = "a.xlsx";
  l.sheet = "S";
  l.range = "D12";
  EXPECT_EQ(l.Describe(), "a.xlsx:sheet 'S' D12");
  SourceLocation t;
  t.file = "b.txt";
  t.page = 2;
  t.line = 40;
  t.end_line = 42;
  EXPECT_EQ(t.Describe(), "b.txt:page 2:line 40-42");
}

}  // namespace
}  // namespace ts::sheet
