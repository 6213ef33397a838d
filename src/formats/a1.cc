#include "formats/a1.h"

namespace ts::formats {

std::string ColumnLetters(int c) {
  std::string s;
  for (int n = c + 1; n > 0; n = (n - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
  return s;
}

std::string CellRef(int col, int row1) { return ColumnLetters(col) + std::to_string(row1); }

int ColumnIndex(std::string_view ref) {
  int c = 0;
  for (char ch : ref) {
    if (ch < 'A' || ch > 'Z' || c > 16384) break;
    c = c * 26 + (ch - 'A' + 1);
  }
  return c - 1;
}

int RowOf(std::string_view ref) {
  std::size_t i = 0;
  while (i < ref.size() && (ref[i] == '$' || (ref[i] >= 'A' && ref[i] <= 'Z'))) ++i;
  int row = 0;
  for (; i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && row <= 1048576; ++i) row = row * 10 + (ref[i] - '0');
  return row;
}

bool ParseCellRef(std::string_view ref, int* col, int* row1) {
  std::size_t i = 0;
  int c = 0;
  while (i < ref.size() && ref[i] == '$') ++i;
  std::size_t letters = i;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    c = c * 26 + (ref[i] - 'A' + 1);
    ++i;
    if (c > 16384) return false;
  }
  if (i == letters) return false;
  while (i < ref.size() && ref[i] == '$') ++i;
  int r = 0;
  std::size_t digits = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9') {
    r = r * 10 + (ref[i] - '0');
    ++i;
    if (r > 1048576) return false;
  }
  if (i == digits || i != ref.size() || r == 0) return false;
  *col = c - 1;
  *row1 = r;
  return true;
}

}  // namespace ts::formats
