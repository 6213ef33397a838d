// A1 cell addresses, as workbooks write them: columns as letters (A, Z, AA … XFD), rows from 1.
// The one codec the reader and the fill share. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace ts::formats {

// "A", "B", ..., "Z", "AA" for 0-based column c.
std::string ColumnLetters(int c);
// "D12" for 0-based column and 1-based row.
std::string CellRef(int col, int row1);
// "AB" (or the letters at the start of "AB12") -> 27, 0-based; -1 when there are none.
int ColumnIndex(std::string_view ref);
// The row of "A12:F12" or "D12" (its first cell): 12; 0 when there is none.
int RowOf(std::string_view ref);
// "BC12" or "$BC$12" -> column 54 (0-based), row 12. False for anything else, and past the
// sheet's size (XFD, 1,048,576).
bool ParseCellRef(std::string_view ref, int* col, int* row1);

}  // namespace ts::formats
