#include "match/index.h"

#include <gtest/gtest.h>

namespace ts::match {
namespace {

std::vector<Document> Library() {
  return {{"管理者アカウントに多要素認証を適用していますか。"},
          {"保存データを暗号化していますか。"},
          {"パスワードの使い回しを禁止していますか。"},
          {"バックアップを定期的に取得していますか。"},
          {"通信経路をTLSで暗号化していますか。"}};
}

TEST(Index, FindsTheSameQuestionInOtherWords) {
  auto idx = Index::Build(Library(), &catalog::Catalog::Builtin());
  ASSERT_TRUE(idx.ok()) << idx.status().message();
  auto hits = (*idx)->Match("管理者のログインに二段階認証を利用できるか。");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].doc, 0u);
  EXPECT_EQ(hits[0].shared_controls, (std::vector<std::string>{"IAM-08"}));  // synonym via the catalog
  auto backup = (*idx)->Match("データのバックアップは定期的に取得されているか");
  ASSERT_FALSE(backup.empty());
  EXPECT_EQ(backup[0].doc, 3u);
  EXPECT_GT(backup[0].score, 0.5);
}

TEST(Index, PolarityMismatchIsPenalized) {
  auto idx = Index::Build(Library(), &catalog::Catalog::Builtin());
  ASSERT_TRUE(idx.ok());
  auto same = (*idx)->Match("パスワードの使い回しを禁止しているか。");
  auto opposite = (*idx)->Match("パスワードの使い回しを許可しているか。");
  ASSERT_FALSE(same.empty());
  ASSERT_FALSE(opposite.empty());
  EXPECT_EQ(same[0].doc, 2u);
  EXPECT_FALSE(same[0].polarity_differs);
  EXPECT_TRUE(opposite[0].polarity_differs);
  EXPECT_LT(opposite[0].score, same[0].score * 0.8);
}

TEST(Index, UnrelatedQuestionScoresLow) {
  auto idx = Index::Build(Library(), &catalog::Catalog::Builtin());
  ASSERT_TRUE(idx.ok());
  auto hits = (*idx)->Match("サービスの稼働率の実績を教えてください。");
  EXPECT_TRUE(hits.empty() || hits[0].score < 0.3) << hits[0].score;
}

TEST(Index, BoilerplateIsRemoved) {
  EXPECT_EQ(CoreText("クラウドサービスの提供に用いる装置を管理しているか。"), "装置を管理 。");
  EXPECT_EQ(Polarity("私物端末の利用を禁止しているか"), -1);
  EXPECT_EQ(Polarity("利用していないか"), -1);
  EXPECT_EQ(Polarity("利用しているか"), 1);
}

}  // namespace
}  // namespace ts::match
