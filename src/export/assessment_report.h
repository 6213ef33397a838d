// The customer's report on one or several vendors' answered checksheets: one self-contained HTML
// page in Japanese (no script, no outside resource; printable to PDF from the browser) with a
// summary per vendor, a bar chart of the scores per domain and a heat map drawn as SVG by the
// binary, and every risk and caveat with its reason; or as a workbook. Pure; thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "evaluate/compare.h"

namespace ts::exporter {

// `title` heads the page (「取引先評価レポート」 when empty).
std::string AssessmentReportHtml(const evaluate::Comparison& comparison, const std::string& title = "");

// The same as a workbook: 概要 (one row per vendor), 領域別 (domains × vendors, scores as
// numbers) and 指摘事項 (every risk, caveat and unanswered item with its answer, remarks and
// reason), for those who work on in Excel.
Result<std::string> AssessmentReportXlsx(const evaluate::Comparison& comparison);

}  // namespace ts::exporter
