// `trustsheet assess SHEET [--json] [-o report.html]`: a vendor's answered checksheet judged item
// by item as a careful customer would (evaluate::AssessItem), with the general profile: each item
// by its own question. `trustsheet compare SHEET... -o report.html`: several vendors side by side.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
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
  if (!unknown.empty()) {
    return InvalidArgument(followup + ": row " + unknown.front() + " is not an item of " + file +
                           " (the follow-up of another sheet?); " + std::to_string(unknown.size()) + " such rows");
  }
  if (merged == 0) return InvalidArgument(followup + ": no row of the follow-up sheet is answered yet");
  std::cerr << followup << ": " << merged << " 項目の回答を反映しました\n";
  return cs;
}

// The report's kind from its name: .html (or .htm) or .xlsx; a usage error otherwise.
Result<bool> IsXlsxReport(const std::string& output) {
  std::string ext = std::filesystem::path(output).extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == ".xlsx") return true;
  if (ext == ".html" || ext == ".htm") return false;
  return InvalidArgument("usage: " + output + ": a report is written as .html (printable to PDF) or .xlsx");
}

std::string ScoreText(const evaluate::Summary& s) {
  if (s.score < 0) return "スコア なし";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", s.score);
  return std::string("スコア ") + buf + " (" + s.band + ")";
}

// Writes the report of `sheets` (vendor name, sheet) to `output`, as xlsx or HTML (whole or not
// at all).
Status WriteReport(const std::vector<std::pair<std::string, sheet::Checksheet>>& sheets, const std::string& output,
                   bool xlsx, const std::string& title) {
  std::vector<std::pair<std::string, const sheet::Checksheet*>> named;
  for (const auto& [name, cs] : sheets) named.emplace_back(name, &cs);
  const evaluate::Comparison c = evaluate::Compare(named);
  if (xlsx) {
    TS_ASSIGN_OR_RETURN(std::string book, exporter::AssessmentReportXlsx(c));
    TS_RETURN_IF_ERROR(WriteFileAtomic(output, book));
  } else {
    TS_RETURN_IF_ERROR(WriteFileAtomic(output, exporter::AssessmentReportHtml(c, title)));
  }
  for (const evaluate::VendorResult& v : c.vendors) std::cout << v.name << ": " << ScoreText(v.assessment.summary) << "\n";
  std::cout << output << " を書き出しました\n";
  return Status::Ok();
}

// The vendors' names: the files' names, with their folder where two are the same.
std::vector<std::string> VendorNames(const std::vector<std::string>& files) {
  std::vector<std::string> base, names;
  for (const std::string& f : files) base.push_back(std::filesystem::path(f).filename().string());
  names = base;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (std::count(base.begin(), base.end(), base[i]) > 1) {
      const std::filesystem::path p = std::filesystem::absolute(files[i]);
      names[i] = (p.parent_path().filename() / p.filename()).string();
    }
  }
  return names;
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
  evaluate::Tally tally;
  writer.SetItemAnnex([&](const sheet::Item& item) {
    const evaluate::Assessment a = evaluate::AssessItem(item);
    tally.Add(a.verdict);
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
  s = writer.End({{"assessment", SummaryJson(tally.Done())}});
  return s.ok() ? kExitOk : Fail("assess", s);
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
  evaluate::ForEachAssessed(*cs, sa, [&](const sheet::Item& it, const evaluate::Assessment& a) {
    out += FitToWidth(it.number, 8) + " " + FitToWidth(evaluate::VerdictLabel(a.verdict), 8) + " " +
           FitToWidth(evaluate::SeverityLabel(a.severity), 6) + " " + FitToWidth(it.question, 48) + " " + a.reason + "\n";
  });
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
                           if (o->json) return Fail("assess", InvalidArgument("usage: --json and -o: choose one"));
                           Result<bool> xlsx = IsXlsxReport(o->output);
                           if (!xlsx.ok()) return Fail("assess", xlsx.status());
                           Result<sheet::Checksheet> cs = LoadSheet(o->file, o->followup);
                           if (!cs.ok()) return Fail("assess", cs.status());
                           std::vector<std::pair<std::string, sheet::Checksheet>> one;
                           one.emplace_back(VendorNames({o->file}).front(), std::move(*cs));
                           Status s = WriteReport(one, o->output, *xlsx, "");
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
                         if (Result<bool> xlsx = IsXlsxReport(f->output); !xlsx.ok() || !*xlsx) {
                           return Fail("followup", InvalidArgument("usage: " + f->output + ": the follow-up sheet is written as .xlsx"));
                         }
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
                         Result<bool> xlsx = IsXlsxReport(c->output);
                         if (!xlsx.ok()) return Fail("compare", xlsx.status());
                         std::vector<std::pair<std::string, sheet::Checksheet>> sheets;
                         const std::vector<std::string> names = VendorNames(c->files);
                         for (std::size_t i = 0; i < c->files.size(); ++i) {
                           Result<sheet::Checksheet> cs = ingest::ImportFile(c->files[i]);
                           if (!cs.ok()) return Fail("compare", cs.status());
                           sheets.emplace_back(names[i], std::move(*cs));
                         }
                         Status s = WriteReport(sheets, c->output, *xlsx, c->title);
                         return s.ok() ? kExitOk : Fail("compare", s);
                       }});
}

}  // namespace ts::cli
