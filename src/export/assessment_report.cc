#include "export/assessment_report.h"

#include <array>
#include <cmath>
#include <cstdio>

#include "formats/new_workbook.h"
#include "formats/xml.h"

namespace ts::exporter {
namespace {

using evaluate::Verdict;
using formats::EscapeXml;

// One colour per vendor in the chart (up to eight, then again), readable in print.
constexpr std::array<const char*, 8> kVendorColours = {"#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad",
                                                       "#c0392b", "#16a085", "#7f8c8d", "#b7950b"};

std::string Fixed(double v, int digits = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string ScoreText(const evaluate::Summary& s) { return s.score < 0 ? "–" : Fixed(s.score); }

// Heat-map colours: not acceptable (under 60), to be checked (under 80), fine.
const char* BandColour(const evaluate::Summary& s) {
  if (s.score < 0) return "#eeeeee";
  return s.score >= 80 ? "#cdebd3" : s.score >= 60 ? "#fbe7b5" : "#f6c6c1";
}

// Scores per domain, one bar per vendor, 0 to 100.
std::string BarChart(const evaluate::Comparison& c) {
  const int label_w = 170, plot_w = 440, bar_h = 12, gap = 10, top = 30;
  const int n = static_cast<int>(c.vendors.size());
  const int group_h = n * bar_h + gap;
  const int height = top + static_cast<int>(c.domains.size()) * group_h + 20;
  const int width = label_w + plot_w + 60;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"領域別スコア\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) + "\" class=\"chart\">\n";
  for (int t = 0; t <= 100; t += 20) {
    const int x = label_w + plot_w * t / 100;
    svg += "<line x1=\"" + std::to_string(x) + "\" y1=\"" + std::to_string(top - 6) + "\" x2=\"" + std::to_string(x) +
           "\" y2=\"" + std::to_string(height - 20) + "\" stroke=\"#ccc\"/>";
    svg += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(top - 10) +
           "\" font-size=\"10\" text-anchor=\"middle\">" + std::to_string(t) + "</text>\n";
  }
  for (std::size_t d = 0; d < c.domains.size(); ++d) {
    const int y0 = top + static_cast<int>(d) * group_h;
    svg += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y0 + n * bar_h / 2 + 4) +
           "\" font-size=\"12\" text-anchor=\"end\">" + EscapeXml(evaluate::DomainLabel(c.domains[d])) + "</text>\n";
    for (int v = 0; v < n; ++v) {
      const evaluate::Summary& s = c.vendors[static_cast<std::size_t>(v)].domains[d].summary;
      const int y = y0 + v * bar_h;
      if (s.score < 0) {
        svg += "<text x=\"" + std::to_string(label_w + 4) + "\" y=\"" + std::to_string(y + bar_h - 2) +
               "\" font-size=\"10\" fill=\"#777\">評価対象なし</text>\n";
        continue;
      }
      const int w = static_cast<int>(plot_w * s.score / 100.0 + 0.5);
      svg += "<rect class=\"bar\" x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
             std::to_string(w) + "\" height=\"" + std::to_string(bar_h - 2) + "\" fill=\"" +
             kVendorColours[static_cast<std::size_t>(v) % kVendorColours.size()] + "\"><title>" +
             EscapeXml(c.vendors[static_cast<std::size_t>(v)].name) + ": " + ScoreText(s) + "</title></rect>";
      svg += "<text x=\"" + std::to_string(label_w + w + 4) + "\" y=\"" + std::to_string(y + bar_h - 3) +
             "\" font-size=\"10\">" + ScoreText(s) + "</text>\n";
    }
  }
  return svg + "</svg>\n";
}

std::string Legend(const evaluate::Comparison& c) {
  std::string out = "<p class=\"legend\">";
  for (std::size_t v = 0; v < c.vendors.size(); ++v) {
    out += "<span><span class=\"swatch\" style=\"background:" +
           std::string(kVendorColours[v % kVendorColours.size()]) + "\"></span>" + EscapeXml(c.vendors[v].name) +
           "</span> ";
  }
  return out + "</p>\n";
}

std::string HeatMap(const evaluate::Comparison& c) {
  std::string out = "<table class=\"heat\"><thead><tr><th scope=\"col\">領域</th>";
  for (const auto& v : c.vendors) out += "<th scope=\"col\">" + EscapeXml(v.name) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (std::size_t d = 0; d < c.domains.size(); ++d) {
    out += "<tr><th scope=\"row\">" + EscapeXml(evaluate::DomainLabel(c.domains[d])) + "</th>";
    for (const auto& v : c.vendors) {
      const evaluate::DomainScore& ds = v.domains[d];
      const int risks = ds.summary.verdicts[static_cast<std::size_t>(Verdict::kRisk)];
      out += "<td style=\"background:" + std::string(BandColour(ds.summary)) + "\">" + ScoreText(ds.summary) +
             (risks > 0 ? "<br><small>リスク " + std::to_string(risks) + "</small>" : std::string()) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string SummaryTable(const evaluate::Comparison& c) {
  std::string out =
      "<table class=\"summary\"><thead><tr><th scope=\"col\">取引先(ファイル)</th><th scope=\"col\">項目</th>"
      "<th scope=\"col\">スコア</th><th scope=\"col\">判定</th>";
  for (std::size_t k = 0; k < 5; ++k) out += "<th scope=\"col\">" + std::string(evaluate::VerdictLabel(static_cast<Verdict>(k))) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& v : c.vendors) {
    const evaluate::Summary& s = v.assessment.summary;
    out += "<tr><th scope=\"row\">" + EscapeXml(v.name) + "</th><td>" + std::to_string(v.sheet->ItemCount()) +
           "</td><td>" + ScoreText(s) + "</td><td style=\"background:" + BandColour(s) + "\">" +
           EscapeXml(s.band.empty() ? "–" : s.band) + "</td>";
    for (int n : s.verdicts) out += "<td>" + std::to_string(n) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

// Every risk and caveat of one vendor, the most severe first.
std::string Findings(const evaluate::VendorResult& v) {
  std::string rows;
  int count = 0;
  for (int severity = 3; severity >= 1; --severity) {
    evaluate::ForEachAssessed(*v.sheet, v.assessment, [&](const sheet::Item& it, const evaluate::Assessment& a) {
      if (static_cast<int>(a.severity) != severity) return;
      ++count;
      rows += "<tr class=\"" + std::string(evaluate::VerdictName(a.verdict)) + "\"><td>" + EscapeXml(it.number) +
              "</td><td>" + std::string(evaluate::VerdictLabel(a.verdict)) + "</td><td>" +
              std::string(evaluate::SeverityLabel(a.severity)) + "</td><td>" + EscapeXml(it.question) + "</td><td>" +
              EscapeXml(a.reason) + "</td></tr>\n";
    });
  }
  std::string out = "<h3>" + EscapeXml(v.name) + ": リスクと注意 " + std::to_string(count) + " 件</h3>\n";
  if (count == 0) return out + "<p>指摘事項はありません。</p>\n";
  return out +
         "<table class=\"findings\"><thead><tr><th scope=\"col\">番号</th><th scope=\"col\">判定</th>"
         "<th scope=\"col\">重大度</th><th scope=\"col\">質問</th><th scope=\"col\">理由</th></tr></thead><tbody>\n" +
         rows + "</tbody></table>\n";
}

constexpr const char* kStyle = R"(
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .3em .5em; vertical-align: top; }
thead th { background: #f0f0f0; }
table.heat td, table.summary td { text-align: center; min-width: 5em; }
table.findings td:nth-child(-n+3), table.findings th { white-space: nowrap; } table.findings td:nth-child(4) { max-width: 28em; } table.findings tr.risk td:nth-child(2) { color: #a61b0f; font-weight: bold; }
.legend span { margin-right: 1.2em; } .swatch { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: middle; }
.note { color: #555; font-size: .85em; }
@media print { body { margin: 1cm; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
)";

}  // namespace

std::string AssessmentReportHtml(const evaluate::Comparison& c, const std::string& title_in) {
  const std::string title = title_in.empty() ? "取引先評価レポート" : title_in;
  std::string out = "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>" + EscapeXml(title) +
                    "</title><style>" + kStyle + "</style></head><body>\n<h1>" + EscapeXml(title) + "</h1>\n";
  out += "<p class=\"note\">各回答を質問の意味(望ましい回答)と備考の内容から判定しています(一般プロファイル: "
         "各項目をその質問自体で評価)。スコアは 問題なし 1、注意 0.5、リスク・判断不能 0 の平均(情報は除く)で、"
         "80 以上「問題なし」、60 以上「要確認」、それ未満「不可」です。</p>\n";
  out += "<h2>概要</h2>\n" + SummaryTable(c);
  out += "<h2>領域別スコア</h2>\n" + Legend(c) + BarChart(c);
  out += "<h2>ヒートマップ</h2>\n" + HeatMap(c);
  out += "<h2>指摘事項</h2>\n";
  for (const auto& v : c.vendors) out += Findings(v);
  return out + "</body></html>\n";
}

Result<std::string> AssessmentReportXlsx(const evaluate::Comparison& c) {
  formats::NewSheet summary{"概要", {32, 8, 8, 10, 10, 8, 8, 8, 10}, {}, true, "", ""};
  summary.rows.push_back({"取引先(ファイル)", "項目", "スコア", "判定", "問題なし", "リスク", "注意", "情報", "判断不能"});
  for (const auto& v : c.vendors) {
    const evaluate::Summary& s = v.assessment.summary;
    std::vector<formats::NewCell> row = {v.name, formats::NewCell::Number(static_cast<double>(v.sheet->ItemCount())),
                                         s.score < 0 ? formats::NewCell("") : formats::NewCell::Number(std::round(s.score * 10) / 10),
                                         s.band};
    for (int n : s.verdicts) row.push_back(formats::NewCell::Number(n));
    summary.rows.push_back(std::move(row));
  }
  formats::NewSheet domains{"領域別", {24}, {}, true, "", ""};
  std::vector<formats::NewCell> head = {"領域"};
  for (const auto& v : c.vendors) {
    head.push_back(v.name);
    domains.widths.push_back(16);
  }
  domains.rows.push_back(std::move(head));
  for (std::size_t d = 0; d < c.domains.size(); ++d) {
    std::vector<formats::NewCell> row = {std::string(evaluate::DomainLabel(c.domains[d]))};
    for (const auto& v : c.vendors) {
      const evaluate::Summary& s = v.domains[d].summary;
      row.push_back(s.score < 0 ? formats::NewCell("") : formats::NewCell::Number(std::round(s.score * 10) / 10));
    }
    domains.rows.push_back(std::move(row));
  }
  formats::NewSheet findings{"指摘事項", {24, 8, 10, 8, 50, 12, 40, 50}, {}, true, "", ""};
  findings.rows.push_back({"取引先", "番号", "判定", "重大度", "質問", "回答", "備考", "理由"});
  for (const auto& v : c.vendors) {
    evaluate::ForEachAssessed(*v.sheet, v.assessment, [&](const sheet::Item& it, const evaluate::Assessment& a) {
      if (!evaluate::AsksMore(a.verdict)) return;
      findings.rows.push_back({v.name, it.number, std::string(evaluate::VerdictLabel(a.verdict)),
                               std::string(evaluate::SeverityLabel(a.severity)), it.question, sheet::PrintedAnswer(it),
                               sheet::PrintedRemarks(it), a.reason});
    });
  }
  return formats::WriteNewWorkbook({summary, domains, findings});
}

Result<std::string> FollowUpXlsx(const std::vector<evaluate::FollowUpRow>& rows) {
  formats::NewSheet sheet{"確認事項", {14, 8, 20, 50, 36, 50, 12, 40}, {}, true, "", ""};
  sheet.rows.push_back({"ID", "番号", "分類", "確認事項", "前回の記載", "確認したい点", "回答", "備考"});
  for (const evaluate::FollowUpRow& r : rows) {
    sheet.rows.push_back({r.id, r.number, r.section, r.question, r.previous, r.ask, "", ""});
  }
  if (!rows.empty()) {
    sheet.list_range = "G2:G" + std::to_string(rows.size() + 1);
    sheet.list = "はい,いいえ,一部対応,該当なし";
  }
  return formats::WriteNewWorkbook({sheet});
}

}  // namespace ts::exporter
