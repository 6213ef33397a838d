// CSV and TSV checksheets: RFC 4180 quoting (quoted newlines and "" escapes), the delimiter
// detected from the data (comma, tab or semicolon), UTF-8 with or without BOM, UTF-16 with
// BOM, or CP932. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/grid.h"
#include "ingest/limits.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

// Parses CSV text (already UTF-8) into a grid. Errors: InvalidArgument naming the line of an
// unterminated quote; ResourceExhausted past limits.max_cells.
Result<Grid> ParseCsv(std::string_view utf8, std::string_view file, const Limits& limits);

// A CSV file as written: raw cells (not normalized), delimiter and encoding, so that it can be
// written back with only some cells changed.
struct CsvDocument {
  Grid grid;
  char delimiter = ',';
  std::string encoding;  // as DecodeText reports it
};
Result<CsvDocument> ParseCsvDocument(std::string_view bytes, std::string_view file, const Limits& limits);
// Serializes with the same delimiter and encoding, quoting where RFC 4180 requires, CRLF.
Result<std::string> WriteCsvDocument(const CsvDocument& doc, std::string_view file);

// Decodes, parses and detects the table. Errors name the file.
Result<sheet::Checksheet> ReadCsv(std::string_view bytes, std::string_view file, const Limits& limits);

}  // namespace ts::ingest
