// A grid of cells: what every tabular reader (XLSX, CSV, PDF tables, tab-separated text)
// produces before layout detection. Plain value; thread-compatible.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "formats/a1.h"

namespace ts::ingest {

struct MergeRange {
  int row0, col0, row1, col1;  // 0-based, inclusive
};

struct Grid {
  std::string name;  // sheet name; empty for CSV and text
  std::string part_path;  // XLSX: the worksheet part in the archive ("xl/worksheets/sheet1.xml")
  // rows[r][c]: normalized cell text ("" for empty). Rows may have different lengths.
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> hidden_rows;  // by row index; may be shorter than rows
  std::vector<bool> hidden_cols;
  std::vector<MergeRange> merges;
  std::map<int, std::vector<std::string>> column_lists;  // col -> data-validation list
  std::vector<bool> bold_rows;  // rows whose text cells are all bold (headings)
  // Where row r came from: spreadsheet row number (1-based) or text line / PDF line.
  std::vector<int> source_rows;
  std::vector<int> source_pages;  // PDF page per row (1-based) or empty
  std::vector<int> source_tables;  // DOCX: the body's table per row (1-based; 0 for a paragraph)
  // Where the rows came from: a spreadsheet (locations are cell references) or the lines of a
  // text or PDF page (locations are page and line).
  bool from_spreadsheet = true;
  // Spreadsheet cells and the cells of a ruled PDF table are whole; in text grids and unruled
  // PDF tables a row without a number may continue the item above (page breaks, wrapped lines).
  bool whole_cells = true;
  // Cells hold their text as the author typed it (workbooks, CSV, Word), line breaks included;
  // a PDF's lines are where the text wrapped.
  bool exact_text = true;
  // Rows that open a new page of a table continued from the page before (PDF): a row split by
  // the page break continues there, whole cells or not.
  std::vector<bool> page_continues;

  const std::string& At(std::size_t r, std::size_t c) const { return CellAt(rows, r, c); }
  // Cell (r, c) of `rows`, "" where a row is shorter or missing.
  static const std::string& CellAt(const std::vector<std::vector<std::string>>& rows, std::size_t r, std::size_t c) {
    static const std::string kEmpty;
    if (r >= rows.size() || c >= rows[r].size()) return kEmpty;
    return rows[r][c];
  }
  bool RowHidden(std::size_t r) const { return r < hidden_rows.size() && hidden_rows[r]; }
  bool ContinuesAcrossPage(std::size_t r) const { return r < page_continues.size() && page_continues[r]; }
  bool ColHidden(std::size_t c) const { return c < hidden_cols.size() && hidden_cols[c]; }
  std::size_t Width() const {
    std::size_t w = 0;
    for (const auto& r : rows) w = std::max(w, r.size());
    return w;
  }
};

// A1 addresses (ColumnLetters, CellRef) are formats/a1.h's.
using formats::CellRef;
using formats::ColumnLetters;

}  // namespace ts::ingest
