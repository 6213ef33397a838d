// XLSX (Office Open XML) workbooks read directly with libzip, expat for the sheets and shared
// strings (streamed) and pugixml for the small parts: shared and inline strings, rich text,
// merged cells, several sheets (cover sheets skipped), hidden rows and columns, data-validation
// lists. Zip bombs, oversized parts, deep XML and DTDs are refused. Thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "ingest/grid.h"
#include "ingest/limits.h"
#include "ingest/table_layout.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

// Reads the workbook's checksheet tables into `sink`, part by part and item by item; `doc`
// gets the source, format, metadata and warnings (its parts are left alone). The whole workbook
// is read once first, every limit and reference checked, so that an error comes before the
// first item. A sheet of more than `stream_after_rows` rows is then read a second time, its
// rows passing through as they stream, so that it is never held whole; smaller sheets are
// kept from the first pass. Errors name the file and the part of the archive that is wrong.
Status ReadXlsxTo(std::string_view bytes, std::string_view file, const Limits& limits, PartSink* sink,
                  sheet::Checksheet* doc, std::size_t stream_after_rows = kLayoutRows);

}  // namespace ts::ingest
