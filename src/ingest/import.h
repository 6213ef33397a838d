// Importing a checksheet file of any supported format into the model. The one entry point
// the CLI and the server use. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/limits.h"
#include "ingest/table_layout.h"
#include "sheet/checksheet.h"

namespace ts::ingest {

enum class Format { kAuto, kText, kPdf, kXlsx, kCsv, kDocx };

std::string_view FormatName(Format f);
std::optional<Format> FormatFromName(std::string_view name);

// Detects the format from the bytes (magic numbers) and the file name. Errors name the file
// and the problem: empty, an image, a legacy or password-protected Office file, binary data.
Result<Format> DetectFormat(std::string_view bytes, std::string_view file);

struct ImportOptions {
  Format format = Format::kAuto;
  Limits limits;
  // A workbook's sheets of more rows than this stream (ReadXlsxTo): read twice, never held.
  std::size_t stream_after_rows = kLayoutRows;
};

// Reads `path` (bounded by limits.max_file_bytes) and imports it.
Result<sheet::Checksheet> ImportFile(const std::string& path, const ImportOptions& options = {});

// Imports bytes already in memory; `file` names them in locations and messages.
Result<sheet::Checksheet> ImportBytes(std::string_view bytes, std::string_view file,
                                      const ImportOptions& options = {});

// The same into `sink` as it is read, part by part and item by item, for a consumer that need
// not hold the document (`import --json` writes each item as it comes): a workbook's large
// sheets stream row by row and are never held whole; other formats are read whole and passed
// on. `doc` gets the source, format, metadata and warnings; its parts are left alone. Every
// error but the sink's own comes before the first StartPart, so nothing is half written.
Status ImportBytesTo(std::string_view bytes, std::string_view file, const ImportOptions& options,
                     sheet::PartSink* sink, sheet::Checksheet* doc);
Status ImportFileTo(const std::string& path, const ImportOptions& options, sheet::PartSink* sink,
                    sheet::Checksheet* doc);

}  // namespace ts::ingest
