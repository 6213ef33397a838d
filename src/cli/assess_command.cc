// `trustsheet assess SHEET [--json] [-o report.html]`: a vendor's answered checksheet judged item
// by item as a careful customer would (evaluate::AssessItem), with the general profile: each item
// by its own question. `trustsheet compare SHEET... -o report.html`: several vendors side by side.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <memory>
#include <iostream>

#include "cli/commands.h"
#include "cli/table_print.h"
#include "base/file_io.h"
#include "evaluate/assess.h"
#include "evaluate/compare.h"
#include "export/assessment_report.h"
#include "ingest/import.h"
#include "sheet/sheet_json.h"

namespace ts::cli {
namespace {

struct AssessOptions {
  std::string file;
  bool json = false;
  std::string output;  // a report to write (.html)
};

struct CompareOptions {
  std::vector<std::string> files;
  std::string output;
  std::string title;
};

// Writes the HTML report of `sheets` to `output` (whole or not at all).
Status WriteReport(const std::vector<std::string>& files, const std::string& output, const std::string& title) {
  std::string ext = output.substr(output.rfind('.') == std::string::npos ? output.size() : output.rfind('.'));
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool xlsx = ext == ".xlsx";
  if (ext != ".html" && ext != ".htm" && !xlsx) {
    return InvalidArgument("usage: " + output + ": a report is written as .html (printable to PDF) or .xlsx");
  }
  std::vector<sheet::Checksheet> sheets;
  sheets.reserve(files.size());
  for (const std::string& f : files) {
    Result<sheet::Checksheet> cs = ingest::ImportFile(f);
    if (!cs.ok()) return cs.status();
    sheets.push_back(std::move(*cs));
  }
  std::vector<std::pair<std::string, const sheet::Checksheet*>> named;
  for (std::size_t i = 0; i < files.size(); ++i) {
    named.emplace_back(std::filesystem::path(files[i]).filename().string(), &sheets[i]);
  }
  const evaluate::Comparison c = evaluate::Compare(named);
  if (xlsx) {
    TS_ASSIGN_OR_RETURN(std::string book, exporter::AssessmentReportXlsx(c));
    TS_RETURN_IF_ERROR(WriteFileAtomic(output, book));
  } else {
    TS_RETURN_IF_ERROR(WriteFileAtomic(output, exporter::AssessmentReportHtml(c, title)));
  }
  for (const evaluate::VendorResult& v : c.vendors) {
    const evaluate::Summary& s = v.assessment.summary;
    std::cout << v.name << ": " << (s.score < 0 ? std::string("スコア なし") : "スコア " + std::to_string(static_cast<int>(s.score + 0.5)) + " (" + s.band + ")") << "\n";
  }
  std::cout << output << " を書き出しました\n";
  return Status::Ok();
}

std::string ItemJson(const evaluate::Assessment& a) {
  return nlohmann::ordered_json{{"verdict", evaluate::VerdictName(a.verdict)},
                                {"desired", sheet::DesiredName(a.desired)},
                                {"severity", evaluate::SeverityName(a.severity)},
                                {"reason", a.reason},
                                {"requirement", a.requirement}}
      .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string SummaryJson(const evaluate::Summary& s) {
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (std::size_t v = 0; v < s.verdicts.size(); ++v) {
    counts[std::string(evaluate::VerdictName(static_cast<evaluate::Verdict>(v)))] = s.verdicts[v];
  }
  nlohmann::ordered_json j = {{"profile", "general"}, {"verdicts", counts}};
  j["score"] = s.score < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::round(s.score * 10) / 10);
  j["band"] = s.band;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Every item as `import --json` prints it, with its "assessment"; the sheet's assessment after
// the summary. Items are judged and written as they are read.
int RunJson(const AssessOptions& o) {
  sheet::Checksheet doc;
  sheet::JsonWriter writer(&std::cout, /*pretty=*/true, &doc);
  evaluate::Summary summary;
  double points = 0;
  int judged = 0;
  writer.SetItemAnnex([&](const sheet::Item& item) {
    const evaluate::Assessment a = evaluate::AssessItem(item);
    summary.verdicts[static_cast<std::size_t>(a.verdict)]++;
    if (a.verdict != evaluate::Verdict::kInfo) {
      ++judged;
      points += evaluate::Points(a.verdict);
    }
    return sheet::JsonWriter::Members{{"assessment", ItemJson(a)}};
  });
  Status s = ingest::ImportFileTo(o.file, {}, &writer, &doc);
  if (!s.ok()) return Fail("assess", s);
  evaluate::Score(points, judged, &summary);
  s = writer.End({{"assessment", SummaryJson(summary)}});
  return s.ok() ? kExitOk : Fail("assess", s);
}

std::string ScoreText(const evaluate::Summary& s) {
  if (s.score < 0) return "スコア なし";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", s.score);
  return std::string("スコア ") + buf + " (" + s.band + ")";
}

int RunTable(const AssessOptions& o) {
  Result<sheet::Checksheet> cs = ingest::ImportFile(o.file);
  if (!cs.ok()) return Fail("assess", cs.status());
  const evaluate::SheetAssessment sa = evaluate::AssessSheet(*cs);
  std::string out = cs->source_file + ": " + std::to_string(cs->ItemCount()) + " 項目: ";
  for (std::size_t v = 0; v < sa.summary.verdicts.size(); ++v) {
    out += (v ? " / " : "") + std::string(evaluate::VerdictLabel(static_cast<evaluate::Verdict>(v))) + " " +
           std::to_string(sa.summary.verdicts[v]);
  }
  out += "; " + ScoreText(sa.summary) + "\n\n";
  out += FitToWidth("番号", 8) + " " + FitToWidth("判定", 8) + " " + FitToWidth("重大度", 6) + " " +
         FitToWidth("質問", 48) + " 理由\n";
  const char* severity[] = {"", "低", "中", "高"};
  for (std::size_t p = 0; p < cs->parts.size(); ++p) {
    for (std::size_t i = 0; i < cs->parts[p].items.size(); ++i) {
      const sheet::Item& it = cs->parts[p].items[i];
      const evaluate::Assessment& a = sa.items[p][i];
      out += FitToWidth(it.number, 8) + " " + FitToWidth(evaluate::VerdictLabel(a.verdict), 8) + " " +
             FitToWidth(severity[static_cast<int>(a.severity)], 6) + " " + FitToWidth(it.question, 48) + " " +
             a.reason + "\n";
    }
  }
  std::cout << out;
  return kExitOk;
}

}  // namespace

void AddAssessCommand(CLI::App& app, std::vector<Command>* commands) {
  auto o = std::make_shared<AssessOptions>();
  CLI::App* cmd = app.add_subcommand(
      "assess", "Judge a vendor's answered checksheet as a customer: each answer ok, risk, caveat, info or unclear");
  cmd->add_option("SHEET", o->file, "the answered checksheet (any format import reads)")->required();
  cmd->add_flag("--json", o->json, "every item as import --json prints it, with its \"assessment\"");
  cmd->add_option("-o,--output", o->output, "write a report instead: report.html (self-contained, printable) or report.xlsx");
  commands->push_back({cmd, [o] {
                         if (!o->output.empty()) {
                           Status s = WriteReport({o->file}, o->output, "");
                           if (!s.ok()) return Fail("assess", s);
                           return kExitOk;
                         }
                         return o->json ? RunJson(*o) : RunTable(*o);
                       }});

  auto c = std::make_shared<CompareOptions>();
  CLI::App* compare = app.add_subcommand(
      "compare", "Compare several vendors' answered checksheets: scores per domain, a chart and a heat map (HTML or xlsx)");
  compare->add_option("SHEET", c->files, "the answered checksheets, one per vendor")->required();
  compare->add_option("-o,--output", c->output, "the report to write: report.html or report.xlsx")->required();
  compare->add_option("--title", c->title, "the report's title (default 取引先評価レポート)");
  commands->push_back({compare, [c] {
                         Status s = WriteReport(c->files, c->output, c->title);
                         return s.ok() ? kExitOk : Fail("compare", s);
                       }});
}

}  // namespace ts::cli
