// The JSON form of the checksheet model (documented in docs/checksheet-json.md). Keeps
// nlohmann/json out of this header so that including it stays cheap. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "sheet/checksheet.h"

namespace ts::sheet {

// Serializes `sheet` to JSON text (UTF-8, 2-space indent when `pretty`).
std::string ToJson(const Checksheet& sheet, bool pretty = true);

// Parses the JSON form back. Errors: InvalidArgument naming the JSON path that is wrong.
Result<Checksheet> FromJson(std::string_view json);

}  // namespace ts::sheet
