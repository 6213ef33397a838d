#include "cli/table_print.h"

#include <gtest/gtest.h>

namespace ts::cli {
namespace {

sheet::Checksheet SheetOf(std::initializer_list<const char*> questions) {
  sheet::Checksheet s;
  s.parts.emplace_back();
  for (const char* q : questions) {
    sheet::Item it;
    it.question = q;
    s.parts[0].items.push_back(it);
  }
  return s;
}

TEST(SheetLanguage, IsJapaneseWhenMostQuestionsAreJapanese) {
  EXPECT_EQ(SheetLanguage(SheetOf({"パスワードを定めていますか。", "Do you use SSO?", "ログを保管していますか"})),
            Language::kJapanese);
  EXPECT_EQ(SheetLanguage(SheetOf({"ＭＦＡを使っていますか", "Do you use SSO?"})), Language::kEnglish);  // half is not most
  EXPECT_EQ(SheetLanguage(SheetOf({"Is data encrypted (AES-256)?", "Are backups tested?"})), Language::kEnglish);
  EXPECT_EQ(SheetLanguage(SheetOf({})), Language::kEnglish);
}

TEST(AnswerAsWritten, UsesTheSheetsOwnWords) {
  const std::vector<std::string> ari_nashi = {"有", "無", "対象外"};
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kYes, "◯"}, {}, Language::kJapanese), "◯");
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kText, "日本法"}, {}, Language::kJapanese), "日本法");
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kYes, ""}, ari_nashi, Language::kJapanese), "有");  // a tick in a 有 column
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kNo, ""}, {}, Language::kJapanese), "いいえ");
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kNo, ""}, {}, Language::kEnglish), "no");
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kNone, ""}, ari_nashi, Language::kJapanese), "");
  // A "×" whose remarks say it is planned: the printed word, and what it was read as.
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kPlanned, "×"}, {}, Language::kJapanese), "× (予定)");
  EXPECT_EQ(AnswerAsWritten({sheet::Mark::kPlanned, "No"}, {}, Language::kEnglish), "No (planned)");
  EXPECT_EQ(MarkWord(sheet::Mark::kPlanned, ari_nashi, Language::kJapanese), "無 (予定)");
}

}  // namespace
}  // namespace ts::cli
