// Word questionnaires (.docx): the tables of the document body, in order, with their merged
// cells (gridSpan, vMerge) and the paragraphs between them as headings, read by the same
// layout detection as workbooks. Check boxes come as ☑/☐: content controls (w14:checkbox),
// legacy form fields and Wingdings symbols are read as the glyph they show. Each item's
// location names its table and row (1-based) and the grid column of each cell, which is
// what export fills. Thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "ingest/limits.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

Result<sheet::Checksheet> ReadDocx(std::string_view bytes, std::string_view file, const Limits& limits);

}  // namespace ts::ingest
