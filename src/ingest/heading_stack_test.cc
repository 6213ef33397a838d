#include "ingest/internal/heading_stack.h"

#include <gtest/gtest.h>

namespace ts::ingest::internal {
namespace {

TEST(SplitHeadingNumber, SplitsCommonNumberings) {
  EXPECT_EQ(SplitHeadingNumber("1. 基本方針").number, "1");
  EXPECT_EQ(SplitHeadingNumber("1. 基本方針").title, "基本方針");
  EXPECT_EQ(SplitHeadingNumber("2.1 内部組織").number, "2.1");
  EXPECT_EQ(SplitHeadingNumber("(3) 物理").number, "3");
  EXPECT_EQ(SplitHeadingNumber("アプリケーション運用").number, "");
  EXPECT_EQ(SplitHeadingNumber("2023年の実績").number, "");
}

TEST(HeadingStack, NumberedHeadingAfterSubsectionsIsTopLevel) {
  HeadingStack h;
  h.Push("3. 人的資源", "3");
  h.Push("1. 雇用前", "1");
  h.NoteItem();
  h.Push("2. 雇用期間中", "2");
  EXPECT_EQ(h.Path(), (std::vector<std::string>{"3. 人的資源", "2. 雇用期間中"}));
  h.NoteItem();
  h.Push("4. 資産の管理", "4");
  EXPECT_EQ(h.Path(), (std::vector<std::string>{"4. 資産の管理"}));
}

TEST(HeadingStack, HeadingRightAfterHeadingIsChild) {
  HeadingStack h;
  h.Push("データ管理", "");
  h.Push("バックアップ", "");
  EXPECT_EQ(h.Path(), (std::vector<std::string>{"データ管理", "バックアップ"}));
  h.NoteItem();
  h.Push("暗号化", "");
  EXPECT_EQ(h.Path(), (std::vector<std::string>{"データ管理", "暗号化"}));
}

TEST(HeadingStack, DottedNumbersGiveDepth) {
  HeadingStack h;
  h.Push("1 組織", "1");
  h.NoteItem();
  h.Push("1.2 体制", "1.2");
  EXPECT_EQ(h.Path().size(), 2u);
}

}  // namespace
}  // namespace ts::ingest::internal
