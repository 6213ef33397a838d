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
#include "evaluate/followup.h"
#include "export/assessment_report.h"
#include "ingest/import.h"
#include "sheet/sheet_json.h"

namespace ts::cli {
namespace {

struct AssessOptions {
  std::string file;
  bool json = false;
  std::string output;    // a report to write (.html, .xlsx)
  std::string followup;  // the vendor's answered follow-up sheet, merged before judging
};

struct CompareOptions {
  std::vector<std::string> files;
  std::string output;
  std::string title;
};

// `file` imported, with the answers of the returned follow-up sheet `followup` (if any) merged.
Result<sheet::Checksheet> LoadSheet(const std::string& file, const std::string& followup) {
  TS_ASSIGN_OR_RETURN(sheet::Checksheet cs, ingest::ImportFile(file));
  if (followup.empty()) return cs;
  TS_ASSIGN_OR_RETURN(sheet::Checksheet back, ingest::ImportFile(followup));
  std::vector<std::string> unknown;
  const int merged = evaluate::MergeFollowUp(&cs, back, &unknown);
  std::cerr << followup << ": " << merged << " 項目の回答を反映しました\n";
  if (!unknown.empty()) {
    std::cerr << followup << ": " << unknown.size() << " 行は " << file << " にない ID です(最初: " << unknown.front()
              << ")\n";
  }
  return cs;
}

// Writes the report of `sheets` (vendor name, sheet) to `output`, as HTML or xlsx by its
// extension (whole or not at all).
Status WriteReport(const std::vector<std::pair<std::string, sheet::Checksheet>>& sheets, const std::string& output,
                   const std::string& title) {
  std::string ext = output.substr(output.rfind('.') == std::string::npos ? output.size() : output.rfind('.'));
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool xlsx = ext == ".xlsx";
  if (ext != ".html" && ext != ".htm" && !xlsx) {
    return InvalidArgument("usage: " + output + ": a report is written as .html (printable to PDF) or .xlsx");
  }
  std::vector<std::pair<std::string, const sheet::Checksheet*>> named;
  for (const auto& [name, cs] : sheets) named.emplace_back(name, &cs);
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

std::string FileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

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
  Status s;
  if (o.followup.empty()) {
    s = ingest::ImportFileTo(o.file, {}, &writer, &doc);
  } else {
    // With a follow-up merged, the sheet is held: it is read whole, then written.
    Result<sheet::Checksheet> cs = LoadSheet(o.file, o.followup);
    if (!cs.ok()) return Fail("assess", cs.status());
    doc = std::move(*cs);
    s = writer.WriteParts(doc);
  }
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
  Result<sheet::Checksheet> cs = LoadSheet(o.file, o.followup);
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
  cmd->add_option("--followup", o->followup, "the vendor's answered follow-up sheet (trustsheet followup): its answers first");
  commands->push_back({cmd, [o] {
                         if (!o->output.empty()) {
                           Result<sheet::Checksheet> cs = LoadSheet(o->file, o->followup);
                           if (!cs.ok()) return Fail("assess", cs.status());
                           std::vector<std::pair<std::string, sheet::Checksheet>> one;
                           one.emplace_back(FileName(o->file), std::move(*cs));
                           Status s = WriteReport(one, o->output, "");
                           return s.ok() ? kExitOk : Fail("assess", s);
                         }
                         return o->json ? RunJson(*o) : RunTable(*o);
                       }});

  auto f = std::make_shared<AssessOptions>();
  CLI::App* followup = app.add_subcommand(
      "followup", "Write the follow-up sheet for a vendor: every risk, caveat and unanswered item to answer again (xlsx)");
  followup->add_option("SHEET", f->file, "the vendor's answered checksheet")->required();
  followup->add_option("-o,--output", f->output, "the follow-up workbook to write (.xlsx)")->required();
  followup->add_option("--followup", f->followup, "an answered follow-up sheet: ask only what is still open");
  commands->push_back({followup, [f] {
                         Result<sheet::Checksheet> cs = LoadSheet(f->file, f->followup);
                         if (!cs.ok()) return Fail("followup", cs.status());
                         const std::vector<evaluate::FollowUpRow> rows =
                             evaluate::FollowUpRows(*cs, evaluate::AssessSheet(*cs));
                         Result<std::string> book = exporter::FollowUpXlsx(rows);
                         Status s = book.ok() ? WriteFileAtomic(f->output, *book) : book.status();
                         if (!s.ok()) return Fail("followup", s);
                         std::cout << f->output << ": 確認事項 " << rows.size() << " 件を書き出しました\n";
                         return kExitOk;
                       }});

  auto c = std::make_shared<CompareOptions>();
  CLI::App* compare = app.add_subcommand(
      "compare", "Compare several vendors' answered checksheets: scores per domain, a chart and a heat map (HTML or xlsx)");
  compare->add_option("SHEET", c->files, "the answered checksheets, one per vendor")->required();
  compare->add_option("-o,--output", c->output, "the report to write: report.html or report.xlsx")->required();
  compare->add_option("--title", c->title, "the report's title (default 取引先評価レポート)");
  commands->push_back({compare, [c] {
                         std::vector<std::pair<std::string, sheet::Checksheet>> sheets;
                         for (const std::string& file : c->files) {
                           Result<sheet::Checksheet> cs = ingest::ImportFile(file);
                           if (!cs.ok()) return Fail("compare", cs.status());
                           sheets.emplace_back(FileName(file), std::move(*cs));
                         }
                         Status s = WriteReport(sheets, c->output, c->title);
                         return s.ok() ? kExitOk : Fail("compare", s);
                       }});
}

}  // namespace ts::cli
