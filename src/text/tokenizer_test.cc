#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ts::text {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& w) {
  return std::find(v.begin(), v.end(), w) != v.end();
}

TEST(Tokenizer, ContentWordsKeepNounsCompoundsAndVerbsInDictionaryForm) {
  auto t = Tokenizer::Create();
  ASSERT_TRUE(t.ok()) << t.status().message();
  auto words = (*t)->ContentWords("管理者アカウントに多要素認証を適用していますか。");
  EXPECT_TRUE(Has(words, "管理")) << ::testing::PrintToString(words);
  EXPECT_TRUE(Has(words, "認証"));
  EXPECT_TRUE(Has(words, "多要素認証"));  // prefix + nouns as one compound
  EXPECT_TRUE(Has(words, "適用"));
  EXPECT_FALSE(Has(words, "いる"));
  EXPECT_FALSE(Has(words, "か"));
  auto verbs = (*t)->ContentWords("手順を定めた。");
  EXPECT_TRUE(Has(verbs, "定める")) << ::testing::PrintToString(verbs);
}

TEST(Tokenizer, LatinWordsAreLowerCased) {
  auto t = Tokenizer::Create();
  ASSERT_TRUE(t.ok());
  auto words = (*t)->ContentWords("MFAとSSOに対応");
  EXPECT_TRUE(Has(words, "mfa")) << ::testing::PrintToString(words);
  EXPECT_TRUE(Has(words, "sso"));
}

}  // namespace
}  // namespace ts::text
