// Writes synthetic but realistic checksheet workbooks for benchmarks: title rows, a header
// row, section rows and answered items with remarks, in shared strings as Excel writes them.
#pragma once

#include <string>

#include "base/status.h"

namespace ts::bench {

// Writes an XLSX with `rows` item rows (plus a section row every 25 items) to `path`.
// Deterministic for a given `seed`.
Status WriteChecksheetWorkbook(const std::string& path, int rows, unsigned seed);

}  // namespace ts::bench
