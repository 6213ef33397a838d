#include "text/normalize.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>

#include "text/utf8.h"

namespace ts::text {
namespace {

TEST(NormalizeText, AppliesNfkcToFullWidthAndHalfWidth) {
  EXPECT_EQ(NormalizeText("ＡＢＣ１２３（ｶﾀｶﾅ）"), "ABC123(カタカナ)");
}

TEST(NormalizeText, MapsKangxiRadicalsToIdeographs) {
  // U+2F45 KANGXI RADICAL SQUARE -> 方, U+2F64 -> 用
  EXPECT_EQ(NormalizeText("運\u2F64⽅針"), "運用方針");
}

TEST(NormalizeText, MapsRadicalSupplementLookalikes) {
  EXPECT_EQ(NormalizeText("冗\u2ED1化"), "冗長化");
  EXPECT_EQ(NormalizeText("教育\u2027訓練"), "教育・訓練");
  EXPECT_EQ(NormalizeText("内部\u2215外部"), "内部/外部");
}

TEST(NormalizeText, RepairsBrokenFontDigitsNextToLatin) {
  EXPECT_EQ(NormalizeText("AES-\u43C5\u43C8\u43C9方式"), "AES-256方式");
  EXPECT_EQ(NormalizeText("TLS \u43C4.\u43C5 以上"), "TLS 1.2 以上");
  EXPECT_EQ(NormalizeText("ISO\u43C5\u43CA\u43C3\u43C3\u43C4"), "ISO27001");
  EXPECT_EQ(NormalizeText("SAS\u43CA\u43C3Type\u43C5"), "SAS70Type2");
}

TEST(NormalizeText, RepairsLongGlyphDigitRunsInUrls) {
  EXPECT_EQ(NormalizeText("articles/\u43C9\u43C3\u43C7\u43CB\u43CC\u43C7\u43C3/"),
            "articles/6048940/");
}

TEST(NormalizeText, LeavesIsolatedRareIdeographAmongKanjiAlone) {
  // A single U+43C5 between kanji is not a digit.
  EXPECT_EQ(NormalizeText("漢\u43C5字"), "漢\u43C5字");
}

TEST(NormalizeText, ReplacesInvalidUtf8AndDropsControls) {
  EXPECT_EQ(NormalizeText(std::string("a\xff" "b\x01" "c")), "a\uFFFDbc");
}

TEST(ComparisonKey, IgnoresWhiteSpaceAndWidth) {
  EXPECT_EQ(ComparisonKey(" 有　 "), "有");
  EXPECT_EQ(ComparisonKey("A B\tC\nＤ"), "ABCD");
}

}  // namespace
}  // namespace ts::text

namespace ts::text {
namespace {

// The fast path must agree with plain NFKC + look-alikes on every string, including those
// where composition crosses characters (halves of voiced marks, combining accents, Hangul).
TEST(NormalizeText, FastPathAgreesWithReference) {
  const std::u32string pieces[] = {
      U"パスワード", U"ｶﾞｲﾄﾞ", U"か\u3099", U"ﾊﾟ", U"e\u0301", U"é", U"\u1100\u1161", U"ㄱㅏ", U"ﾡ",
      U"⽅針", U"⻑期", U"①②", U"ＡＥＳ－２５６", U"䏅䏈䏉", U"AES-", U"㈱", U"ｷﾛ", U"\u309B", U"゜",
      U"Ⅻ", U"™", U"\u00A0", U"½", U"…", U"ﬁ", U"\u0B47\u0B3E", U"漢字", U"。", U"\t", U" ", U"a"};
  std::uint32_t state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  for (int trial = 0; trial < 3000; ++trial) {
    std::u32string u;
    int n = static_cast<int>(next() % 6) + 1;
    for (int k = 0; k < n; ++k) u += pieces[(next() >> 8) % std::size(pieces)];
    const std::string s = ToUtf8(u);
    ASSERT_EQ(NormalizeText(s), NormalizeTextReference(s)) << s;
  }
}

}  // namespace
}  // namespace ts::text
