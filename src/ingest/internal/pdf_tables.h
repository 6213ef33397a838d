// Tables of a PDF page rebuilt from its ruling lines, the way a person reads a ruled grid
// (after pdfplumber's lattice idea, written anew): segments snapped and joined; segments that
// touch form one table; the table's distinct x and y lines make a grid; a grid boundary that
// is not drawn joins the cells on both sides (a merged cell, as in the workbook it came from);
// each character goes to the cell under its centre, lines of a cell in reading order. The
// text outside every table comes back as lines (titles, headings between tables).
// Pure functions of the page; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ingest/grid.h"
#include "ingest/internal/pdf_document.h"

namespace ts::ingest::internal {

struct RuledTable {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::vector<double> xs, ys;  // column and row boundaries, ascending
  // cells[r][c]: the text of the merged cell whose top-left grid cell is (r, c), lines
  // separated by '\n'; "" for cells covered by a merge and for empty cells.
  std::vector<std::vector<std::string>> cells;
  std::vector<MergeRange> merges;
};

// A line of text outside every table: its top, its text.
struct LooseLine {
  double y0 = 0, x0 = 0;
  std::string text;
};

struct PageTables {
  std::vector<RuledTable> tables;  // top to bottom
  std::vector<LooseLine> loose;    // top to bottom
};

// Tables with at least two rows and two columns of grid; smaller drawings (underlines, boxes
// around a single paragraph) are no table and their text stays loose.
PageTables FindRuledTables(const PdfPage& page);

// Whether the gap from `a` to `b` on one line reads as a space.
bool GapIsSpace(const PdfChar& a, const PdfChar& b);

// The text of characters in reading order: lines by their serial, a space between Latin
// words where the gap shows one and none between Japanese characters.
std::string CharsText(const std::vector<const PdfChar*>& chars);

}  // namespace ts::ingest::internal
