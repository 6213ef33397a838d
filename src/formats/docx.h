// The WordprocessingML (word/document.xml) structure that both the DOCX reader and the DOCX
// fill walk: the body's tables in order, a row's cells on the table grid, and the text a cell
// shows, check boxes included. Pure functions over a pugixml tree; thread-compatible.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ts::formats::docx {

// An element's name without its namespace prefix ("w:tbl" -> "tbl"): Word writes "w:", but
// the prefix is the document's choice.
std::string_view LocalName(pugi::xml_node n);
// The first child element, and an attribute, by local name ("w14:checked" -> "checked").
pugi::xml_node Child(pugi::xml_node n, std::string_view local);
pugi::xml_attribute Attr(pugi::xml_node n, std::string_view local);
// The w14:checkbox element of a content control (w:sdt), or null when it is no check box.
pugi::xml_node CheckBoxControl(pugi::xml_node sdt);

// The body's block content in order: paragraphs (w:p) and tables (w:tbl), looking through
// block-level content controls (w:sdt) and custom XML; tables nested in cells are not listed.
std::vector<pugi::xml_node> BodyBlocks(pugi::xml_node document);

// The tables among BodyBlocks, in order: what a location's `table` counts (1-based).
std::vector<pugi::xml_node> BodyTables(pugi::xml_node document);

// A row's cells with the grid columns they cover (w:gridBefore and w:gridSpan applied).
struct GridCell {
  pugi::xml_node tc;
  int col = 0;   // first grid column, 0-based
  int span = 1;  // grid columns covered
  // w:vMerge: "restart" opens a vertical merge, "continue" joins the cell above.
  enum class VMerge { kNone, kRestart, kContinue } vmerge = VMerge::kNone;
};
std::vector<GridCell> RowCells(pugi::xml_node tr);

// The cell covering grid column `col` (0-based) of row `row` (0-based) of `tbl`, or null.
pugi::xml_node CellAt(pugi::xml_node tbl, int row, int col);

// The text a paragraph shows: runs' text, tabs as '\t', breaks as '\n', deleted text left
// out; check-box content controls and form fields as ☑ or ☐, Wingdings box symbols likewise.
std::string ParagraphText(pugi::xml_node p);

// A cell's paragraphs (and those of tables nested in it), one per line.
std::string CellText(pugi::xml_node tc);

}  // namespace ts::formats::docx
