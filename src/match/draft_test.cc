#include "match/draft.h"

#include <gtest/gtest.h>

namespace ts::match {
namespace {

std::vector<LibraryAnswer> Library() {
  return {
      {"1", "管理者アカウントに多要素認証を適用していますか。", sheet::Mark::kYes, "◯", "", "doc", "p1/1", "認証"},
      {"2", "保存データを暗号化していますか。", sheet::Mark::kYes, "◯", "AES-256で暗号化しています。", "doc", "p1/2", "暗号"},
      {"3", "個人データを確実に保護すること。", sheet::Mark::kYes, "有", "個人情報保護方針に従い管理しています。", "doc", "p1/3", "個人情報"},
      {"4", "バックアップを定期的に取得していますか。", sheet::Mark::kYes, "◯", "日次、7世代保持。", "doc", "p1/4", "運用"},
      {"5", "サービス時間", sheet::Mark::kText, "24時間365日です。", "", "doc", "p1/5", "可用性"},
  };
}

std::unique_ptr<Drafter> Built(std::vector<Decision> decisions = {}) {
  auto d = Drafter::Build(Library(), std::move(decisions), &catalog::Catalog::Builtin());
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? std::move(*d) : nullptr;
}

sheet::Item ItemOf(std::string q) {
  sheet::Item it;
  it.question = std::move(q);
  return it;
}

TEST(Drafter, EveryItemHasAlternativesEvenWithoutADraft) {
  auto d = Built();
  ASSERT_TRUE(d);
  Draft none = d->DraftFor(ItemOf("反社会的勢力との関係を遮断していますか。"), {});
  EXPECT_LE(none.confidence, Confidence::kLow);
  for (const Draft& dr : {none, d->DraftFor(ItemOf("保存データは暗号化されていますか"), {})}) {
    EXPECT_FALSE(dr.alternatives.empty());
    EXPECT_LE(dr.alternatives.size(), 3u);
    for (const Alternative& a : dr.alternatives) {
      if (dr.source) {
        EXPECT_NE(a.source.entry_id, dr.source->entry_id);
      }
      EXPECT_FALSE(a.why.empty());
    }
    for (std::size_t i = 1; i < dr.alternatives.size(); ++i) {
      EXPECT_GE(dr.alternatives[i - 1].score, dr.alternatives[i].score);
    }
  }
}

TEST(Drafter, NeverDraftsAcrossOppositeMeaningAtMediumOrHigh) {
  // Yes to 「提供しているか」 is the dangerous answer; the protection entry must not answer it.
  auto d = Built();
  ASSERT_TRUE(d);
  Draft dr = d->DraftFor(ItemOf("サービス契約者の個人情報を第三者に提供しているか。"), {});
  EXPECT_LE(dr.confidence, Confidence::kLow);
}

TEST(Drafter, EmptyLibraryHasNoAlternatives) {
  auto d = Drafter::Build({}, {}, &catalog::Catalog::Builtin());
  ASSERT_TRUE(d.ok());
  Draft dr = (*d)->DraftFor(ItemOf("保存データを暗号化していますか"), {});
  EXPECT_EQ(dr.confidence, Confidence::kNone);
  EXPECT_TRUE(dr.alternatives.empty());
  EXPECT_EQ(dr.why, std::vector<std::string>{"the library is empty"});
}

TEST(Drafter, AcceptedDecisionAppliesToTheSameQuestionInOtherRegister) {
  const std::string asked = "貴社では、保存データを暗号化していますか。";
  auto d = Built({{QuestionKey(asked), "4", true}});
  ASSERT_TRUE(d);
  for (const char* q : {"御社は保存データを暗号化しているか", "保存データを暗号化していますか？", asked.c_str()}) {
    Draft dr = d->DraftFor(ItemOf(q), {});
    ASSERT_TRUE(dr.source) << q;
    EXPECT_EQ(dr.source->entry_id, "4") << q;
    EXPECT_EQ(dr.confidence, Confidence::kHigh);
  }
}

TEST(QuestionKey, FoldsRegisterButKeepsNegation) {
  EXPECT_EQ(QuestionKey("貴社では保存データを暗号化していますか。"), QuestionKey("御社は、保存データを暗号化しているか"));
  EXPECT_EQ(QuestionKey("保存データを暗号化していること。"), QuestionKey("保存データを暗号化していますか"));
  EXPECT_NE(QuestionKey("私物端末を利用していないか"), QuestionKey("私物端末を利用しているか"));
}

TEST(Drafter, FreeTextAnswerIsDraftedAsText) {
  auto d = Built();
  ASSERT_TRUE(d);
  Draft dr = d->DraftFor(ItemOf("サービスの提供時間帯"), {});
  ASSERT_TRUE(dr.source);
  EXPECT_EQ(dr.source->entry_id, "5");
  EXPECT_EQ(dr.text, "24時間365日です。");
}

TEST(Drafter, SheetVocabularyIsUsed) {
  EXPECT_EQ(SheetWord(sheet::Mark::kYes, {"はい", "いいえ"}, "◯"), "はい");
  EXPECT_EQ(SheetWord(sheet::Mark::kPlanned, {"はい", "いいえ"}, "予定"), "いいえ");
}

}  // namespace
}  // namespace ts::match
