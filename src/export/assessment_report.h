// The customer's report on one or several vendors' answered checksheets: one self-contained HTML
// page in Japanese (no script, no outside resource; printable to PDF from the browser) with a
// summary per vendor, a bar chart of the scores per domain and a heat map drawn as SVG by the
// binary, and every risk and caveat with its reason; or as a workbook. Pure; thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "evaluate/compare.h"
#include "evaluate/followup.h"

namespace ts::exporter {

// `title` heads the page (「取引先評価レポート」 when empty).
std::string AssessmentReportHtml(const evaluate::Comparison& comparison, const std::string& title = "");

// The same as a workbook: 概要 (one row per vendor), 領域別 (domains × vendors, scores as
// numbers) and 指摘事項 (every risk, caveat and unanswered item with its answer, remarks and
// reason), for those who work on in Excel.
Result<std::string> AssessmentReportXlsx(const evaluate::Comparison& comparison);

// The follow-up sheet to send to a vendor (確認事項): per row the item's id and number, its
// question, what was answered, what to make clear, and empty 回答 (a list of はい / いいえ /
// 一部対応 / 該当なし) and 備考 cells. `trustsheet import` reads it back, numbered by the ids.
Result<std::string> FollowUpXlsx(const std::vector<evaluate::FollowUpRow>& rows);

}  // namespace ts::exporter
