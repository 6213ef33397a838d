// XLSX (Office Open XML) workbooks read directly with libzip and pugixml: shared and inline
// strings, rich text, merged cells, several sheets (cover sheets skipped), hidden rows and
// columns, data-validation lists. Zip bombs, oversized parts, deep XML and DTDs are refused.
// Thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "ingest/grid.h"
#include "ingest/limits.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

// Every visible sheet of the workbook as a grid, in workbook order. Errors name the file and
// the part of the archive that is wrong.
Result<std::vector<Grid>> ReadXlsxGrids(std::string_view bytes, std::string_view file, const Limits& limits);

Result<sheet::Checksheet> ReadXlsx(std::string_view bytes, std::string_view file, const Limits& limits);

}  // namespace ts::ingest
