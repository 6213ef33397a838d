#include "text/utf8.h"

#include <gtest/gtest.h>

namespace ts::text {
namespace {

TEST(Utf8, RoundTripsMixedText) {
  std::string s = "abc 日本語 🙂";
  EXPECT_EQ(ToUtf8(ToU32(s)), s);
  EXPECT_EQ(CodePointCount(s), 9u);
}

TEST(Utf8, TruncatedSequenceNeverReadsPastTheEnd) {
  std::string s = "\xE6\x97";  // first two bytes of 日
  std::size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(s, &pos), kReplacementChar);
  EXPECT_EQ(pos, 1u);
  EXPECT_FALSE(IsValidUtf8(s));
  EXPECT_TRUE(IsValidUtf8("日本"));
}

TEST(Utf8, RejectsOverlongAndSurrogates) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
}

TEST(Utf8, TrimsIdeographicSpace) {
  EXPECT_EQ(Trim("\u3000 有 \u3000"), "有");
  EXPECT_EQ(Trim("   "), "");
}

TEST(Utf8, CollapsesSpaces) {
  EXPECT_EQ(CollapseSpaces("  a \n\t b\u3000c  "), "a b c");
}

TEST(Utf8, SplitsLinesAndDropsCarriageReturns) {
  auto lines = SplitLines("a\r\nb\n\nc\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], "b");
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3], "c");
}

}  // namespace
}  // namespace ts::text
