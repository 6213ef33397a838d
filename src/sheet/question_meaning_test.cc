#include "sheet/question_meaning.h"

#include <gtest/gtest.h>

namespace ts::sheet {
namespace {

TEST(QuestionMeaning, PlainControlQuestionWantsYes) {
  QuestionMeaning m = AnalyzeQuestion("保存データを暗号化しているか。");
  EXPECT_FALSE(m.negated);
  EXPECT_FALSE(m.exposure);
  EXPECT_EQ(m.asks, AnswerKind::kYesNo);
  EXPECT_EQ(m.desired, Desired::kYes);
}

TEST(QuestionMeaning, ThirdPartyProvisionWantsNo) {
  QuestionMeaning m = AnalyzeQuestion("サービス契約者の個人情報を第三者に提供しているか。");
  EXPECT_TRUE(m.exposure);
  EXPECT_EQ(m.desired, Desired::kNo);
  EXPECT_EQ(m.evidence, std::vector<std::string>{"第三者に提供"});
}

TEST(QuestionMeaning, TransferAbroadWantsNo) {
  EXPECT_EQ(AnalyzeQuestion("預託データが他国に移転されることはあるか").desired, Desired::kNo);
  EXPECT_EQ(AnalyzeQuestion("Is customer data ever used to train your AI models?").desired, Desired::kNo);
}

TEST(QuestionMeaning, NegatedExposureWantsYesAgain) {
  QuestionMeaning m = AnalyzeQuestion("個人情報を第三者に提供していないこと。");
  EXPECT_TRUE(m.negated);
  EXPECT_TRUE(m.exposure);
  EXPECT_EQ(m.desired, Desired::kYes);
}

TEST(QuestionMeaning, NegatedRiskWantsYes) {
  // Regression: a prohibition or a closed port is good news.
  EXPECT_EQ(AnalyzeQuestion("私物端末の業務利用を禁止していますか").desired, Desired::kYes);
  EXPECT_EQ(AnalyzeQuestion("不要なポートを開放していないか").desired, Desired::kYes);
}

TEST(QuestionMeaning, NegationInsideAClauseIsNotTheQuestions) {
  // 「されていない」 modifies a noun, 「ないように」 states a purpose: the questions ask "do you".
  EXPECT_FALSE(AnalyzeQuestion("認可されていないモバイルコードを実行できないようにすること。").negated);
  EXPECT_FALSE(AnalyzeQuestion("許可されていないアクセスがないように保護すること。").negated);
  EXPECT_TRUE(AnalyzeQuestion("許可されていない端末を接続させていないこと。").negated);
}

TEST(QuestionMeaning, AGovernedExposureIsAProtection) {
  EXPECT_FALSE(AnalyzeQuestion("個人情報の目的外利用を防止しているか").exposure);
  EXPECT_FALSE(AnalyzeQuestion("第三者に提供する場合は事前に本人の同意を得ているか").exposure);
  EXPECT_TRUE(AnalyzeQuestion("顧客データを第三者に提供することはあるか").exposure);
}

TEST(QuestionMeaning, ProhibitionIsNegated) {
  EXPECT_TRUE(AnalyzeQuestion("私物端末の業務利用を禁止していますか").negated);
  EXPECT_TRUE(AnalyzeQuestion("不要なポートを開放していないか").negated);
  EXPECT_TRUE(AnalyzeQuestion("Do you prohibit shared accounts?").negated);
  EXPECT_FALSE(AnalyzeQuestion("アクセス権を制限しているか").negated);
}

TEST(QuestionMeaning, AsciiPatternsNeedAWordStart) {
  // "never" inside another word is not a negation.
  EXPECT_FALSE(AnalyzeQuestion("Are whenever-used keys rotated?").negated);
  EXPECT_TRUE(AnalyzeQuestion("Are keys never reused?").negated);
}

TEST(QuestionMeaning, KindOfAnswer) {
  EXPECT_EQ(AnalyzeQuestion("バックアップは何世代保持していますか").asks, AnswerKind::kNumber);
  EXPECT_EQ(AnalyzeQuestion("退職者のアカウントは何日以内に削除しますか").asks, AnswerKind::kPeriod);
  EXPECT_EQ(AnalyzeQuestion("データセンターの所在地を記載してください").asks, AnswerKind::kInformation);
  EXPECT_EQ(AnalyzeQuestion("How long are logs retained?").asks, AnswerKind::kPeriod);
  EXPECT_EQ(AnalyzeQuestion("稼働率の目標値").desired, Desired::kInformation);
}

// An exposure asked about in order to govern it (block, record, manage, report, approve) is a
// protection: yes is good.
TEST(QuestionMeaning, AnExposureGovernedIsAProtection) {
  for (const char* q : {"海外からアクセスを遮断していますか。", "共有アカウントを利用する場合は管理台帳で管理していますか。",
                        "セキュリティ事故の有無を定期的に経営層へ報告していますか。",
                        "再委託を認める場合は事前に書面で承認を得ていますか。", "お客様データにアクセスすることは記録されますか。",
                        "Are all employees who access customer data background checked?",
                        "Are shared accounts used only with documented approval?",
                        "Do you block access to customer data from outside the country?"}) {
    EXPECT_EQ(AnalyzeQuestion(q).desired, Desired::kYes) << q;
  }
  for (const char* q : {"海外の拠点から顧客データにアクセスできますか。", "Do you use customer data to improve your products?",
                        "お客様データを広告目的で利用していますか。"}) {
    EXPECT_EQ(AnalyzeQuestion(q).desired, Desired::kNo) << q;
  }
}

TEST(QuestionMeaning, OppositeMeaning) {
  const QuestionMeaning provide = AnalyzeQuestion("個人情報を第三者に提供しているか");
  const QuestionMeaning protect = AnalyzeQuestion("個人データを確実に保護すること");
  const QuestionMeaning forbid = AnalyzeQuestion("私物端末の利用を禁止しているか");
  const QuestionMeaning use = AnalyzeQuestion("私物端末を利用しているか");
  const QuestionMeaning antivirus = AnalyzeQuestion("ウイルス対策ソフトを利用しているか");
  EXPECT_TRUE(OppositeMeaning(provide, protect));
  EXPECT_TRUE(OppositeMeaning(forbid, use));
  EXPECT_TRUE(use.exposure);  // staff's own devices at work: the careful customer wants no
  EXPECT_FALSE(OppositeMeaning(protect, antivirus));
}

}  // namespace
}  // namespace ts::sheet
