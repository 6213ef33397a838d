// PDF checksheets (MuPDF, internal/pdf_document.h): a mark matrix (internal/pdf_matrix.h);
// tables drawn with ruling lines, rebuilt cell by cell with their merged cells and continued
// over pages (internal/pdf_tables.h); unruled tables from the alignment of their text; and the
// text block parser where no table is found. Tables go through the same layout detection as
// workbooks. Thread-safe (a MuPDF context per call).
#pragma once

#include <string_view>

#include "base/status.h"
#include "ingest/limits.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

Result<sheet::Checksheet> ReadPdf(std::string_view bytes, std::string_view file, const Limits& limits);

}  // namespace ts::ingest
