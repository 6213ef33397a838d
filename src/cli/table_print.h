// Plain-text rendering of a checksheet for terminals: East Asian wide characters count as two
// columns so Japanese tables line up. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "sheet/checksheet.h"

namespace ts::cli {

// Display width in terminal columns (CJK and full-width forms are 2).
int DisplayWidth(std::string_view s);
// Cuts `s` to at most `width` columns, adding "…" when cut, and pads with spaces to `width`.
std::string FitToWidth(std::string_view s, int width);
// The readable table `trustsheet import` prints by default.
std::string RenderTable(const sheet::Checksheet& sheet);
// One summary line per answer mark: "yes 60, no 8, none 2".
std::string SummarizeMarks(const sheet::Checksheet& sheet);

}  // namespace ts::cli
