// New workbooks written from scratch: sheets of text and number cells (inline strings, so no
// shared-string table), column widths, a bold header row, a frozen first row and, per sheet, a
// data-validation list. What a new questionnaire or a report needs; nothing of an existing
// file is kept (export/fill.h writes into a customer's own workbook). Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace ts::formats {

struct NewCell {
  std::string text;
  double number = 0;
  bool is_number = false;

  NewCell(std::string t) : text(std::move(t)) {}  // NOLINT: a cell is written as its text
  NewCell(const char* t) : text(t) {}             // NOLINT
  static NewCell Number(double n) {
    NewCell c("");
    c.number = n;
    c.is_number = true;
    return c;
  }
};

struct NewSheet {
  std::string name;                        // cleaned: at most 31 characters, none of []:*?/\ .
  std::vector<double> widths;              // per column, in characters
  std::vector<std::vector<NewCell>> rows;  // rows[0] is the header (bold, frozen) when header
  bool header = true;
  std::string list_range, list;            // a data-validation list ("D2:D40", "はい,いいえ")
};

// The .xlsx bytes. Errors: Internal when the archive cannot be written.
Result<std::string> WriteNewWorkbook(const std::vector<NewSheet>& sheets);

// `name` as a sheet name: the characters Excel refuses dropped, at most `max` characters.
std::string CleanSheetName(const std::string& name, std::size_t max = 31);

}  // namespace ts::formats
