// Decodes bytes of a text or CSV file to UTF-8: UTF-8 with or without BOM, UTF-16 with BOM,
// and CP932 (Shift_JIS as Excel writes it). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace ts::ingest::internal {

struct Decoded {
  std::string text;      // UTF-8
  std::string encoding;  // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "cp932"
};

// Errors: InvalidArgument "<file>: not text: ..." when no encoding fits (binary data).
Result<Decoded> DecodeText(std::string_view bytes, std::string_view file);

// The reverse: UTF-8 text in one of the encodings DecodeText reports (with its byte order
// mark where it has one). Errors: a character the encoding cannot represent.
Result<std::string> EncodeText(std::string_view utf8, std::string_view encoding, std::string_view file);

}  // namespace ts::ingest::internal
