#include "match/index.h"

#include <gtest/gtest.h>

namespace ts::match {
namespace {

std::vector<Document> Library() {
  return {{"管理者アカウントに多要素認証を適用していますか。", "", "アクセス制御"},
          {"保存データを暗号化していますか。", "AES-256で暗号化して保管しています。", "暗号"},
          {"パスワードの使い回しを禁止していますか。", "", "アクセス制御"},
          {"バックアップを定期的に取得していますか。", "日次で取得し、7世代保持しています。", "運用"},
          {"通信経路をTLSで暗号化していますか。", "", "通信"},
          {"情報システムの時刻は正確な時刻源と同期させること。", "NTPを利用して全サーバの時刻同期を実施しております。", "運用"}};
}

std::unique_ptr<Index> Built() {
  auto idx = Index::Build(Library(), &catalog::Catalog::Builtin());
  EXPECT_TRUE(idx.ok()) << idx.status().message();
  return idx.ok() ? std::move(*idx) : nullptr;
}

TEST(Index, FindsTheSameQuestionInOtherWords) {
  auto idx = Built();
  ASSERT_TRUE(idx);
  auto hits = idx->Match("管理者のログインに二段階認証を利用できるか。");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].doc, 0u);
  EXPECT_EQ(hits[0].shared_controls, (std::vector<std::string>{"IAM-08"}));  // synonym via the catalog
  auto backup = idx->Match("データのバックアップは定期的に取得されているか");
  ASSERT_FALSE(backup.empty());
  EXPECT_EQ(backup[0].doc, 3u);
  EXPECT_GT(backup[0].score, backup.size() > 1 ? backup[1].score : 0.0);
}

TEST(Index, ReadsTheVendorsRemarks) {
  // Only the remarks say NTP; the question says 時刻源.
  auto idx = Built();
  ASSERT_TRUE(idx);
  auto hits = idx->Match("サーバーの時計はNTPで合わせていますか");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].doc, 5u);
  EXPECT_GT(hits[0].signals.remark_words, 0.0);
  auto generations = idx->Match("バックアップは何世代保持されますか");
  ASSERT_FALSE(generations.empty());
  EXPECT_EQ(generations[0].doc, 3u);
  EXPECT_EQ(generations[0].signals.kind_mismatch, 0.0);  // the remarks give the figure
}

TEST(Index, OppositeMeaningIsASignal) {
  auto idx = Built();
  ASSERT_TRUE(idx);
  auto same = idx->Match("パスワードの使い回しを禁止しているか。");
  auto opposite = idx->Match("パスワードの使い回しをしているか。");
  ASSERT_FALSE(same.empty());
  ASSERT_FALSE(opposite.empty());
  EXPECT_EQ(same[0].doc, 2u);
  EXPECT_EQ(same[0].signals.opposite, 0.0);
  ASSERT_EQ(opposite[0].doc, 2u);
  EXPECT_EQ(opposite[0].signals.opposite, 1.0);
  EXPECT_LT(opposite[0].score, same[0].score);
}

TEST(Index, EnglishQuestionFindsJapaneseEntry) {
  auto idx = Built();
  ASSERT_TRUE(idx);
  auto hits = idx->Match("Is data encrypted at rest?");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].doc, 1u);
  auto mfa = idx->Match("Do administrators sign in with multi-factor authentication?");
  ASSERT_FALSE(mfa.empty());
  EXPECT_EQ(mfa[0].doc, 0u);
}

TEST(Index, AOneEntryLibraryIsNoEvidenceForAnUnrelatedQuestion) {
  // Regression (review): a lone candidate "won" every channel and an unrelated question that
  // shared one word came out near certain.
  auto idx = Index::Build({{"保存データを暗号化していますか。", "AES-256で暗号化しています。", "暗号"}},
                          &catalog::Catalog::Builtin());
  ASSERT_TRUE(idx.ok());
  auto hits = (*idx)->Match("従業員データの保管期間を教えてください。");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].signals.agreement, 0.0);
  EXPECT_LT(Model::Builtin().Confidence(hits[0].score, 0), Model::Builtin().medium);
}

TEST(Index, UnrelatedQuestionScoresLow) {
  auto idx = Built();
  ASSERT_TRUE(idx);
  auto hits = idx->Match("反社会的勢力との関係がないことを表明していますか。");
  EXPECT_TRUE(hits.empty() || hits[0].score < 0.5) << hits[0].score;
}

TEST(Index, BoilerplateIsRemoved) {
  EXPECT_EQ(CoreText("クラウドサービスの提供に用いる装置を管理しているか。"), "装置を管理 。");
}

TEST(Model, BundledWeightsParse) {
  const Model& m = Model::Builtin();
  EXPECT_GE(m.high, m.medium);
  EXPECT_GT(m.medium, m.low);
  // A close second entry asking something else lowers the confidence.
  EXPECT_GT(m.Confidence(0.6, 0.1), m.Confidence(0.6, 0.5));
}

TEST(Model, ParseNamesTheBadLine) {
  auto bad = Model::Parse("bias\t1\nquestion_words\tlots\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "weights line 2: 'lots' is not a number");
  auto unknown = Model::Parse("# c\nfoo\t1\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "weights line 2: unknown name 'foo'");
  auto twice = Model::Parse("bias\t1\nbias\t2\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(), "weights line 2: 'bias' given twice");
  // A truncated file is refused, not read with defaults.
  auto truncated = Model::Parse("bias\t1\n");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().message(), "weights: no value for 'confidence.bias'");
}

}  // namespace
}  // namespace ts::match
