// Checksheets as plain text, typically pulled out of a PDF: tab-separated tables go through
// the table detector; free-flowing text goes through the block parser, which joins items
// broken across lines and pages, drops page furniture (footers, copyright lines, repeated
// headers, HTML and table remnants), rebuilds split numbers, attaches displaced section
// headings and separates answer marks from remarks. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/limits.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

// `bytes` in UTF-8, UTF-16 (BOM) or CP932. Errors name the file.
Result<sheet::Checksheet> ReadText(std::string_view bytes, std::string_view file, const Limits& limits);

// The block parser alone, on normalized lines; `pages` gives each line's page (or empty).
// Used by ReadText and by the PDF reader for pages without a table grid.
sheet::Checksheet ParseTextBlocks(const std::vector<std::string>& lines, const std::vector<int>& pages,
                                  std::string_view file);

}  // namespace ts::ingest
