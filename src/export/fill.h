// Writing drafted answers back: into a copy of the customer's own workbook (only the answer
// and remarks cells change; every other part of the archive is copied byte for byte), into
// the same CSV, or into a new workbook for sheets that came as text or PDF. Functions return
// the bytes; the caller writes them atomically. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sheet/checksheet.h"

namespace ts::exporter {

// What to write for one item.
struct Fill {
  std::string item_id;
  sheet::Mark mark = sheet::Mark::kNone;
  std::string answer;   // in the sheet's vocabulary ("有", "◯", "はい")
  std::string remarks;  // written only where the sheet has a remarks column
};

struct FillReport {
  int answers = 0;
  int remarks = 0;
  std::vector<std::string> not_written;  // "<item id>: why"
};

// A copy of the XLSX `original` (which `sheet` was imported from) with the fills written.
// For checkbox layouts (one column per choice) the sheet's tick goes into the column of the
// drafted mark, and the other choice cells of the row are cleared.
Result<std::string> FillXlsx(std::string_view original, const sheet::Checksheet& sheet, const std::vector<Fill>& fills,
                             FillReport* report);

// The CSV `original` with the fills written, in its own delimiter and encoding.
Result<std::string> FillCsv(std::string_view original, const sheet::Checksheet& sheet, const std::vector<Fill>& fills,
                            FillReport* report);

// A copy of the Word document `original` (which `sheet` was imported from) with the fills
// written into their table cells. A cell keeps its first paragraph's properties and its first
// run's formatting; check boxes (content controls, ☐ characters) are ticked in place. Every
// other part of the package is copied byte for byte.
Result<std::string> FillDocx(std::string_view original, const sheet::Checksheet& sheet, const std::vector<Fill>& fills,
                             FillReport* report);

// A new workbook: one sheet per part with number, section, question, answer and remarks.
Result<std::string> NewXlsx(const sheet::Checksheet& sheet, const std::vector<Fill>& fills, FillReport* report);

}  // namespace ts::exporter
