// The customer's report on one or several vendors' answered checksheets: one self-contained HTML
// page in Japanese (no script, no outside resource; printable to PDF from the browser) with a
// summary per vendor, a bar chart of the scores per domain and a heat map drawn as SVG by the
// binary, and every risk and caveat with its reason. Pure; thread-safe.
#pragma once

#include <string>

#include "evaluate/compare.h"

namespace ts::exporter {

// `title` heads the page (「取引先評価レポート」 when empty).
std::string AssessmentReportHtml(const evaluate::Comparison& comparison, const std::string& title = "");

}  // namespace ts::exporter
