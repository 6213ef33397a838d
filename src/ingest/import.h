// Importing a checksheet file of any supported format into the model. The one entry point
// the CLI and the server use. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/limits.h"
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
};

// Reads `path` (bounded by limits.max_file_bytes) and imports it.
Result<sheet::Checksheet> ImportFile(const std::string& path, const ImportOptions& options = {});

// Imports bytes already in memory; `file` names them in locations and messages.
Result<sheet::Checksheet> ImportBytes(std::string_view bytes, std::string_view file,
                                      const ImportOptions& options = {});

}  // namespace ts::ingest
