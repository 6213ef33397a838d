#include "ingest/text_reader.h"

#include <gtest/gtest.h>

namespace ts::ingest {
namespace {

// Original test text in the shapes PDF extraction produces (not copied from any vendor).
TEST(ReadText, JoinsWrappedQuestionsAndSeparatesMarks) {
  const char* txt =
      "1 パスワードの最低文字数を定めて\n"
      "いるか。\n"
      "\n"
      "◯\n"
      "\n"
      "2 多要素認証を利用できるか。 ✕ 対応を予定しております\n"
      "3 サービスに関する準拠法。 日本法\n"
      "© 2026 Example Inc.\n"
      "4\n"
      "ログを1年以上保管しているか。\n"
      "\n"
      "◯\n"
      "保管期間は2年です。\n";
  auto cs = ReadText(txt, "t.txt", Limits{});
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  ASSERT_EQ(cs->ItemCount(), 4u);
  const auto& items = cs->parts[0].items;
  EXPECT_EQ(items[0].question, "パスワードの最低文字数を定めているか。");
  EXPECT_EQ(items[0].answer.mark, sheet::Mark::kYes);
  EXPECT_EQ(items[1].answer.mark, sheet::Mark::kPlanned);
  EXPECT_EQ(items[1].answer.text, "✕");
  EXPECT_EQ(items[1].remarks, "対応を予定しております");
  EXPECT_EQ(items[2].answer.mark, sheet::Mark::kText);
  EXPECT_EQ(items[2].answer.text, "日本法");
  EXPECT_EQ(items[3].remarks, "保管期間は2年です。");
  EXPECT_EQ(items[3].location.line, 9);
}

TEST(ReadText, TabSeparatedTableWithSectionsAndSplitNumbers) {
  const char* txt =
      "1. 基本方針\n"
      "\t確認事項\t実施有無\t事業者回答\n"
      "1\t方針を文書化すること。\t有\t文書があります。\n"
      "2\t方針を見直すこと。\t有\t毎年見直します。\n"
      "2. アクセス制御\n"
      "\t確認事項\t実施有無\t事業者回答\n"
      "1 0\tIDを個人ごとに付与する\t有\t付与して\n"
      "\tこと。\t\tいます。\n"
      "--\t--\t--\t--\n"
      "11\t<p>ログを取得すること。</p>\t無\t\n";
  auto cs = ReadText(txt, "t.txt", Limits{});
  ASSERT_TRUE(cs.ok()) << cs.status().message();
  const auto& items = cs->parts[0].items;
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[2].number, "10");
  EXPECT_EQ(items[2].question, "IDを個人ごとに付与すること。");
  EXPECT_EQ(items[2].remarks, "付与しています。");
  EXPECT_EQ(items[2].section, std::vector<std::string>{"2. アクセス制御"});
  EXPECT_EQ(items[3].question, "ログを取得すること。");
  EXPECT_EQ(items[3].answer.mark, sheet::Mark::kNo);
}

TEST(ReadText, EmptyOrBinaryInputIsAClearError) {
  EXPECT_EQ(ReadText("just some words\n", "a.txt", Limits{}).status().message(),
            "a.txt: no checksheet items found (no numbered questions with answers)");
  EXPECT_EQ(ReadText(std::string("ab\0cd", 5), "b.txt", Limits{}).status().message(),
            "b.txt: not text (contains NUL bytes)");
}

}  // namespace
}  // namespace ts::ingest
