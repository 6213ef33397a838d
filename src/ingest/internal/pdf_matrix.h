// The "mark matrix" layout of PDF checklists: numbered requirements in a text column, a
// heading column on their left, and several narrow columns on the right that each hold one
// symbol per row (☆ ◎ ○ −), under column headers often printed vertically, one glyph per
// line. The 1997 METI 情報システム安全対策基準 is the model. Pure function; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ingest/internal/pdf_lines.h"
#include "sheet/checksheet.h"

namespace ts::ingest::internal {

// The parts found, one per top-level heading or change of mark columns; empty when the lines
// hold no mark matrix (fewer than kMinMatrixRows rows with two or more trailing marks).
// Items carry no answer: the marks go into `extra`, keyed by the column header. What each
// mark means, when a legend line says so ("☆……①のＡに限定して必要な対策"), goes into
// `meta` as "legend ☆".
std::vector<sheet::Part> ReadMarkMatrix(const std::vector<PdfLine>& lines, const std::string& file,
                                        std::vector<sheet::Warning>* warnings,
                                        std::map<std::string, std::string>* meta);

inline constexpr int kMinMatrixRows = 5;

}  // namespace ts::ingest::internal
