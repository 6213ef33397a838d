#include "sheet/answer_mark.h"

#include <gtest/gtest.h>

namespace ts::sheet {
namespace {

TEST(ClassifyAnswer, RecognisesYesForms) {
  for (const char* s : {"◯", "○", "〇", "●", "✓", "✔", "有", "はい", "Yes", "YES", "済", " 有 "}) {
    EXPECT_EQ(ClassifyAnswer(s), Mark::kYes) << s;
  }
}

TEST(ClassifyAnswer, RecognisesNoPartialAndNotApplicable) {
  for (const char* s : {"✕", "×", "無", "いいえ", "No"}) EXPECT_EQ(ClassifyAnswer(s), Mark::kNo) << s;
  EXPECT_EQ(ClassifyAnswer("△"), Mark::kPartial);
  for (const char* s : {"-", "N/A", "対象外", "該当なし"}) {
    EXPECT_EQ(ClassifyAnswer(s), Mark::kNotApplicable) << s;
  }
  EXPECT_EQ(ClassifyAnswer("対応予定"), Mark::kPlanned);
}

TEST(ClassifyAnswer, FreeTextIsText) {
  EXPECT_EQ(ClassifyAnswer("日本法"), Mark::kText);
  EXPECT_EQ(ClassifyAnswer(""), Mark::kNone);
  EXPECT_EQ(ClassifyAnswer("有効期限を設定"), Mark::kText);
}

TEST(FindLeadingMark, FindsBracketedMarkOnRemark) {
  auto m = FindLeadingMark("【有】計画停止については告知します。");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->mark, Mark::kYes);
  EXPECT_EQ(m->token, "有");
  EXPECT_EQ(std::string("【有】計画停止については告知します。").substr(m->length),
            "計画停止については告知します。");
  auto n = FindLeadingMark("【無】");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->mark, Mark::kNo);
}

TEST(FindLeadingMark, FindsUnbracketedMarkWithSeparator) {
  auto m = FindLeadingMark("有、ISMS認証を取得");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->mark, Mark::kYes);
  EXPECT_FALSE(FindLeadingMark("有効期限を設定しています").has_value());
  EXPECT_FALSE(FindLeadingMark("はいりょう").has_value());
}

TEST(MentionsPlanned, FindsPlannedPhrases) {
  EXPECT_TRUE(MentionsPlanned("対応を予定しております"));
  EXPECT_TRUE(MentionsPlanned("今後対応します"));
  EXPECT_FALSE(MentionsPlanned("計画停止については告知します"));
}

TEST(FindCheckBoxes, TheTickedLabelOfAStackedGroupIsTheAnswer) {
  auto b = FindCheckBoxes("■ 対応済\n□ 未対策\n□ 対応不要");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->labels, (std::vector<std::string>{"対応済", "未対策", "対応不要"}));
  EXPECT_EQ(b->checked, (std::vector<std::string>{"対応済"}));
  EXPECT_EQ(b->mark, Mark::kYes);
  b = FindCheckBoxes("□対応済 ■未対策 □対応不要");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->mark, Mark::kNo);
  b = FindCheckBoxes("□ 対応済 □ 未対策 ■ 対応不要");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->mark, Mark::kNotApplicable);
}

TEST(FindCheckBoxes, ReadsWordBoxesRadioGroupsAndUnknownLabels) {
  auto b = FindCheckBoxes("☐はい ☑いいえ");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->checked, (std::vector<std::string>{"いいえ"}));
  EXPECT_EQ(b->mark, Mark::kNo);
  b = FindCheckBoxes("●有 ○無");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->mark, Mark::kYes);
  b = FindCheckBoxes("☒ 自社で運用 ☐ 委託先で運用");  // a label that is no mark word
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->mark, Mark::kText);
  EXPECT_EQ(b->checked.front(), "自社で運用");
  b = FindCheckBoxes("□はい □いいえ");  // nothing ticked: unanswered, the choices known
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->mark, Mark::kNone);
  EXPECT_EQ(b->labels.size(), 2u);
}

TEST(TickCheckBox, TicksTheLabelInTheCellsOwnStyleAndClearsTheOthers) {
  EXPECT_EQ(TickCheckBox("□ 対応済\n■ 未対策\n□ 対応不要", "対応済"), "■ 対応済\n□ 未対策\n□ 対応不要");
  EXPECT_EQ(TickCheckBox("☐有 / ☐無", "有"), "☑有 / ☐無");  // a separator after the label
  EXPECT_EQ(TickCheckBox("☐はい、☐いいえ", "いいえ"), "☐はい、☑いいえ");
  EXPECT_EQ(TickCheckBox("✓有 ☐無", "無"), "☐有 ☑無");  // a cleared tick becomes a box
  EXPECT_EQ(TickCheckBox("○有 ●無", "有"), "●有 ○無");
  EXPECT_FALSE(TickCheckBox("☐有 ☐無", "はい").has_value());
  EXPECT_FALSE(TickCheckBox("有", "有").has_value());
}

TEST(FindCheckBoxes, IsNoGroupWithoutTwoLabelledBoxes) {
  EXPECT_FALSE(FindCheckBoxes("○").has_value());
  EXPECT_FALSE(FindCheckBoxes("■ 対応済").has_value());
  EXPECT_FALSE(FindCheckBoxes("■□").has_value());
  EXPECT_FALSE(FindCheckBoxes("対応状況 ■はい □いいえ").has_value());
  EXPECT_FALSE(FindCheckBoxes("").has_value());
}

TEST(MarkName, RoundTrips) {
  for (Mark m : {Mark::kNone, Mark::kYes, Mark::kNo, Mark::kPartial, Mark::kPlanned,
                 Mark::kNotApplicable, Mark::kText}) {
    EXPECT_EQ(MarkFromName(MarkName(m)), m);
  }
  EXPECT_FALSE(MarkFromName("maybe").has_value());
}

}  // namespace
}  // namespace ts::sheet
