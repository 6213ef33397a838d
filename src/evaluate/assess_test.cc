#include "evaluate/assess.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "text/utf8.h"

namespace ts::evaluate {
namespace {

sheet::Item Answered(std::string question, sheet::Mark mark, std::string text, std::string remarks = "") {
  sheet::Item it;
  it.question = std::move(question);
  it.answer = {mark, std::move(text)};
  it.remarks = std::move(remarks);
  return it;
}

using sheet::Mark;

TEST(Assess, ANoToAnExposureIsGoodNewsAndAYesIsAHighRisk) {
  const std::string q = "サービス契約者の個人情報を第三者に提供しているか。";
  Assessment no = AssessItem(Answered(q, Mark::kNo, "✕"));
  EXPECT_EQ(no.verdict, Verdict::kOk);
  EXPECT_EQ(no.desired, sheet::Desired::kNo);
  EXPECT_EQ(no.reason, "回答「✕」: 望ましい回答は「いいえ」です");
  Assessment yes = AssessItem(Answered(q, Mark::kYes, "◯"));
  EXPECT_EQ(yes.verdict, Verdict::kRisk);
  EXPECT_EQ(yes.severity, Severity::kHigh);
  EXPECT_EQ(AssessItem(Answered("預託データが他国に移転されることはあるか", Mark::kNo, "✕")).verdict, Verdict::kOk);
  // A remark that repeats the no does not weaken it.
  EXPECT_EQ(AssessItem(Answered(q, Mark::kNo, "✕", "無断での第三者提供は行っておりません。")).verdict, Verdict::kOk);
}

TEST(Assess, AGoodMarkWhoseRemarkSaysTheControlIsMissingIsARisk) {
  Assessment a = AssessItem(Answered("保存データを暗号化していますか。", Mark::kYes, "有",
                                     "通信は暗号化しております。保存データの暗号化は対応しておりません。"));
  EXPECT_EQ(a.verdict, Verdict::kRisk);
  EXPECT_EQ(a.severity, Severity::kHigh);
  EXPECT_EQ(a.reason, "備考「保存データの暗号化は対応しておりません」: 回答「有」に反して、対策がないことを示しています");
}

TEST(Assess, HedgedRemarksAreCaveatsQuotingTheWords) {
  const std::string q = "管理者アカウントに多要素認証を適用していますか。";
  struct Case {
    std::string remarks, quoted;
  } cases[] = {
      {"今後対応予定です。", "今後対応予定です"},
      {"一部のサービスのみ対応しています。", "一部のサービスのみ対応しています"},
      {"現在検討中です。", "現在検討中です"},
      {"お客様にて設定いただく必要があります。", "お客様にて設定いただく必要があります"},
      {"有償オプションにて提供します。", "有償オプションにて提供します"},
      {"全顧客で単一のキーを利用しています。", "全顧客で単一のキーを利用しています"},
  };
  for (const Case& c : cases) {
    Assessment a = AssessItem(Answered(q, Mark::kYes, "◯", c.remarks));
    EXPECT_EQ(a.verdict, Verdict::kCaveat) << c.remarks;
    EXPECT_EQ(a.severity, Severity::kMedium) << c.remarks;
    EXPECT_NE(a.reason.find("備考「" + c.quoted + "」"), std::string::npos) << a.reason;
  }
  // A vague notice period, in a value answer.
  Assessment notice = AssessItem(Answered("サービス仕様の変更を何日前までに通知しますか。", Mark::kText,
                                          "なるべく早いタイミングで通知します"));
  EXPECT_EQ(notice.verdict, Verdict::kCaveat);
  EXPECT_EQ(notice.desired, sheet::Desired::kInformation);
}

TEST(Assess, UndesiredMarksAreRisksEvenWhenPlanned) {
  Assessment a = AssessItem(Answered("バックアップを取得していますか。", Mark::kPlanned, "✕", "2027年度に導入予定です。"));
  EXPECT_EQ(a.verdict, Verdict::kRisk);
  EXPECT_EQ(a.severity, Severity::kHigh);
  EXPECT_EQ(a.reason, "回答「✕」: 望ましい回答は「はい」です(備考「2027年度に導入予定です」: 現時点では未対応です)");
  EXPECT_EQ(AssessItem(Answered("情報セキュリティ基本方針を定めていますか。", Mark::kNo, "いいえ")).severity,
            Severity::kMedium);
}

TEST(Assess, InformationAndUnusableAnswers) {
  EXPECT_EQ(AssessItem(Answered("データセンターの所在地を教えてください。", Mark::kText, "東京・大阪")).verdict, Verdict::kInfo);
  EXPECT_EQ(AssessItem(Answered("ログを取得していますか。", Mark::kNone, "")).verdict, Verdict::kUnclear);
  EXPECT_EQ(AssessItem(Answered("ログを取得していますか。", Mark::kText, "-")).verdict, Verdict::kUnclear);
  Assessment see = AssessItem(Answered("ログを取得していますか。", Mark::kText, "別紙参照"));
  EXPECT_EQ(see.verdict, Verdict::kUnclear);
  EXPECT_EQ(see.reason, "回答「別紙参照」からは判断できません");
  // Not applicable: with the reason why it is an answer, bare it says nothing.
  EXPECT_EQ(AssessItem(Answered("委託先を管理していますか。", Mark::kNotApplicable, "該当なし")).verdict, Verdict::kUnclear);
  EXPECT_EQ(AssessItem(Answered("委託先を管理していますか。", Mark::kNotApplicable, "該当なし", "業務を委託していません。")).verdict,
            Verdict::kOk);
  // A yes/no question answered in words reads as what the words say.
  EXPECT_EQ(AssessItem(Answered("ログを取得していますか。", Mark::kText, "取得しておりません")).verdict, Verdict::kRisk);
}

TEST(Assess, WeakValuesOnlyWhereTheQuestionAsksForThem) {
  Assessment pw = AssessItem(Answered("パスワードの最低文字数を定めていますか。", Mark::kYes, "はい", "6文字以上としております。"));
  EXPECT_EQ(pw.verdict, Verdict::kRisk);
  EXPECT_EQ(pw.reason, "回答「6文字」: パスワードの長さが8文字に足りません");
  EXPECT_EQ(AssessItem(Answered("ログを保存していますか。", Mark::kYes, "はい", "ログは7日間保存しております。")).verdict,
            Verdict::kCaveat);
  // Not the length: kinds of characters, a change interval, a login lockout, a patch deadline.
  EXPECT_EQ(AssessItem(Answered("パスワードの長さと複雑さを定めていますか。", Mark::kYes, "はい", "12文字以上、3文字種以上。")).verdict,
            Verdict::kOk);
  EXPECT_EQ(AssessItem(Answered("ログインパスワードを定期的に変更させていますか。", Mark::kYes, "はい", "60日ごとに変更。")).verdict,
            Verdict::kOk);
  EXPECT_EQ(AssessItem(Answered("Is MFA required for all administrative logins?", Mark::kYes, "Yes",
                                "Sessions expire after 30 days.")).verdict,
            Verdict::kOk);
}

TEST(Assess, PartialAnswersAreCaveats) {
  Assessment a = AssessItem(Answered("脆弱性診断を実施していますか。", Mark::kPartial, "△", "外部公開部分のみ実施"));
  EXPECT_EQ(a.verdict, Verdict::kCaveat);
  EXPECT_NE(a.reason.find("外部公開部分のみ実施"), std::string::npos);
}

TEST(Assess, HarmlessPhrasesAreNotFindings) {
  EXPECT_TRUE(FindInRemarks("特記事項なし").empty());
  EXPECT_TRUE(FindInRemarks("これまで漏えい事故はありません。").empty());
  EXPECT_EQ(AssessItem(Answered("ログを取得していますか。", Mark::kYes, "はい", "特になし")).verdict, Verdict::kOk);
}

// Every pattern of the data file is found as its own kind.
TEST(Assess, EveryPatternOfTheDataFileIsFound) {
  std::ifstream in(std::string(TS_SOURCE_DIR) + "/data/evaluate/remarks.tsv");
  ASSERT_TRUE(in) << "data/evaluate/remarks.tsv";
  const std::vector<std::string> kinds = {"unusable", "absent", "planned", "partial", "customer",
                                          "option",   "vague",  "soon",    "weak",    "severe", "governed", "alternative", "yes", "no"};
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    const std::string kind = line.substr(0, tab), pattern = line.substr(tab + 1);
    auto k = std::find(kinds.begin(), kinds.end(), kind);
    if (k == kinds.end()) {
      EXPECT_TRUE(kind == "harmless" || kind == "high" || kind == "timing") << "unknown kind: " << line;
      continue;
    }
    bool found = false;
    for (const Found& f : FindInRemarks("これは " + pattern + " です")) {
      found = found || static_cast<std::size_t>(f.kind) == static_cast<std::size_t>(k - kinds.begin());
    }
    EXPECT_TRUE(found) << line;
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

TEST(Assess, SheetScoreAndBand) {
  sheet::Checksheet cs;
  sheet::Part& p = cs.parts.emplace_back();
  p.items = {Answered("ログを取得していますか。", Mark::kYes, "はい"),
             Answered("バックアップを取得していますか。", Mark::kYes, "はい", "今後対応予定"),
             Answered("データセンターの所在地を教えてください。", Mark::kText, "東京")};
  SheetAssessment s = AssessSheet(cs);
  ASSERT_EQ(s.items.at(0).size(), 3u);
  EXPECT_EQ(s.summary.verdicts[static_cast<std::size_t>(Verdict::kOk)], 1);
  EXPECT_EQ(s.summary.verdicts[static_cast<std::size_t>(Verdict::kCaveat)], 1);
  EXPECT_DOUBLE_EQ(s.summary.score, 75.0);  // (1 + 0.5) / 2; the information item is left out
  EXPECT_EQ(s.summary.band, "要確認");
}

}  // namespace
}  // namespace ts::evaluate
