// Reading a ZIP archive (an XLSX) in memory for tests: every entry, uncompressed, so a test can
// look at the XML exactly as written. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ts::testing {

// Entry name -> its bytes; nullopt when `bytes` is not a ZIP archive.
std::optional<std::map<std::string, std::string>> ZipEntries(std::string_view bytes);

}  // namespace ts::testing
