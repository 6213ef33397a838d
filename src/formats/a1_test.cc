#include "formats/a1.h"

#include <gtest/gtest.h>

namespace ts::formats {
namespace {

TEST(A1, LettersAndIndexesRoundTripOverTheWholeSheetWidth) {
  EXPECT_EQ(ColumnLetters(0), "A");
  EXPECT_EQ(ColumnLetters(25), "Z");
  EXPECT_EQ(ColumnLetters(26), "AA");
  EXPECT_EQ(ColumnLetters(16383), "XFD");
  for (int c = 0; c < 16384; ++c) ASSERT_EQ(ColumnIndex(ColumnLetters(c)), c) << c;
  EXPECT_EQ(ColumnIndex("D12"), 3);
  EXPECT_EQ(ColumnIndex("12"), -1);
  EXPECT_EQ(CellRef(3, 12), "D12");
}

TEST(A1, ParsesCellsWithOrWithoutDollarsAndRefusesWhatIsNoCell) {
  int c = -1, r = -1;
  ASSERT_TRUE(ParseCellRef("BC12", &c, &r));
  EXPECT_EQ(c, 54);
  EXPECT_EQ(r, 12);
  ASSERT_TRUE(ParseCellRef("$A$1", &c, &r));
  EXPECT_EQ(c, 0);
  EXPECT_EQ(r, 1);
  ASSERT_TRUE(ParseCellRef("XFD1048576", &c, &r));
  for (const char* bad : {"", "A", "12", "A0", "a1", "A1B", "XFE1", "A1048577", "A1:B2"}) {
    EXPECT_FALSE(ParseCellRef(bad, &c, &r)) << bad;
  }
}

TEST(A1, RowOfARangeIsItsFirstRow) {
  EXPECT_EQ(RowOf("A12:F12"), 12);
  EXPECT_EQ(RowOf("D7"), 7);
  EXPECT_EQ(RowOf("$D$7"), 7);
  EXPECT_EQ(RowOf(""), 0);
  EXPECT_EQ(RowOf("D"), 0);
}

}  // namespace
}  // namespace ts::formats
