// Layout detection for tabular checksheets: finds the header row (often not the first),
// assigns a role to each column (number, section, question, answer, remarks, unit, one column
// per choice), recognises section rows and continuation rows, and turns the rows into items
// with their source cells. Pure function of the grid; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ingest/grid.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

struct TableContext {
  std::string file;     // for locations and messages
  std::string part_id;  // e.g. "p1"
  std::vector<sheet::Warning>* warnings = nullptr;
  std::map<std::string, std::string>* meta = nullptr;  // key/value lines above the table
};

// Returns the part found in `grid`, or nullopt when the grid holds no checksheet table
// (a cover sheet, an instructions sheet, an empty sheet).
std::optional<sheet::Part> ReadTable(const Grid& grid, const TableContext& ctx);

// The role a column header names: "number", "section", "question", "answer", "remarks",
// "unit", "choice" (the header is itself a mark such as はい), or "" when it names none.
std::string HeaderRoleName(std::string_view header);

// Cleans one cell: NormalizeText, HTML tag remnants removed, wrapped lines joined.
std::string CleanCellText(std::string_view raw);

}  // namespace ts::ingest
