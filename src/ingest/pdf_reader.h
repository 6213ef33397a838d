// PDF checksheets (poppler-cpp): text boxes with their positions are grouped into lines and
// table cells by geometry (a reading-order dump scrambles tables), then go through the same
// table detection as spreadsheets, or the text block parser where no table grid is found.
// Thread-safe (poppler documents are created per call).
#pragma once

#include <string_view>

#include "base/status.h"
#include "ingest/limits.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

Result<sheet::Checksheet> ReadPdf(std::string_view bytes, std::string_view file, const Limits& limits);

}  // namespace ts::ingest
