// Layout detection for tabular checksheets: finds the header row (often not the first),
// assigns a role to each column (number, section, question, answer, remarks, unit, one column
// per choice), recognises section rows and continuation rows, and turns the rows into items
// with their source cells. ReadTable is a pure function of the grid and thread-safe;
// TableReader reads the same row by row.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ingest/grid.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

struct TableContext {
  std::string file;     // for locations and messages
  std::string part_id;  // e.g. "p1"
  std::vector<sheet::Warning>* warnings = nullptr;
  std::map<std::string, std::string>* meta = nullptr;  // key/value lines above the table
};

using sheet::PartSink;

// Rows the layout is detected from: the header is looked for in the first 60, and column
// contents are sampled over the 400 rows under it.
inline constexpr std::size_t kLayoutRows = 512;

// One row of a grid as a reader streams it: its cells as read (not yet cleaned) and its place.
struct GridRow {
  const std::vector<std::string>* cells = nullptr;
  int source_row = 0;  // as Grid::source_rows
  int page = 0;        // as Grid::source_pages (0: none)
  int table = 0;       // as Grid::source_tables (0: none)
  bool hidden = false, bold = false, page_continues = false;
};

// Row `r` of a whole grid as a GridRow.
GridRow RowOf(const Grid& grid, std::size_t r);

// Reads one table row by row: its layout from the head of the grid, then each row in order,
// items going to a sink as each one is complete. ReadTable is this over a whole grid; the
// workbook reader streams large sheets through it. Not thread-safe.
class TableReader {
 public:
  // `head` holds at least the grid's first kLayoutRows rows (or all of them), and all of its
  // merges, hidden columns and lists; `width` is the widest row of the whole grid. Nullopt when
  // the head holds no checksheet table. `head` must outlive the reader.
  static std::optional<TableReader> Start(const Grid& head, std::size_t width, const TableContext& ctx,
                                          PartSink* sink);
  TableReader(TableReader&&) noexcept;
  TableReader& operator=(TableReader&&) noexcept;
  ~TableReader();

  // Row `r` (0-based, every row of the grid in order; rows above the data are passed over).
  Status Add(std::size_t r, const GridRow& row);
  // Ends the table: the last item and EndPart. Returns whether it had items.
  Result<bool> Finish();

 private:
  struct State;
  explicit TableReader(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
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
