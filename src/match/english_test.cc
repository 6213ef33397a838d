#include "match/english.h"

#include <gtest/gtest.h>

namespace ts::match {
namespace {

TEST(English, StemmerJoinsWordForms) {
  EXPECT_EQ(StemEnglish("encrypted"), StemEnglish("encrypt"));
  EXPECT_EQ(StemEnglish("encrypts"), StemEnglish("encrypt"));
  EXPECT_EQ(StemEnglish("policies"), StemEnglish("policy"));
  EXPECT_EQ(StemEnglish("backups"), StemEnglish("backup"));
  EXPECT_EQ(StemEnglish("logging"), StemEnglish("log"));
  EXPECT_EQ(StemEnglish("stored"), StemEnglish("store"));
  EXPECT_EQ(StemEnglish("access"), "access");
}

TEST(English, LongestPhraseWins) {
  Lexicon l;
  l.Add("data\tデータ\ndata center\tデータセンター\ncenter\t中心\n# comment\n");
  EXPECT_EQ(l.Translate("is the data center in japan?"), (std::vector<std::string_view>{"データセンター"}));
  EXPECT_EQ(l.Translate("data backups"), (std::vector<std::string_view>{"データ"}));
  EXPECT_TRUE(l.Translate("日本語だけ").empty());
}

TEST(English, BuiltinKnowsSecurityWords) {
  const Lexicon& l = Lexicon::Builtin();
  EXPECT_GT(l.size(), 200u);
  const std::vector<std::string_view> w = l.Translate("encryption");
  EXPECT_FALSE(w.empty());
}

}  // namespace
}  // namespace ts::match
