// `trustsheet library add|list|show|export|conflicts|decide` and `trustsheet answer`.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "base/file_io.h"
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "cli/table_print.h"
#include "export/fill.h"
#include "ingest/import.h"
#include "library/library.h"
#include "store/store.h"

namespace ts::cli {
namespace {

struct DbArgs {
  std::string db;
  std::string service;
};

// The library database of a command that only reads: one that does not exist is an error,
// not a new empty database (a mistyped --db would otherwise look like an empty library).
Result<std::unique_ptr<store::Store>> OpenExistingLibrary(const std::string& db) {
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) {
    return NotFound("no library database at '" + db + "' (create one with 'trustsheet library add')");
  }
  return store::OpenSqliteStore(db);
}

// The service named `name` in the library at `db`; NotFound names the services there are.
Result<store::Service> ExistingService(store::Store& st, const std::string& db, const std::string& name) {
  TS_ASSIGN_OR_RETURN(std::optional<store::Service> s, st.FindService(store::kLocalTenant, name));
  if (s) return *s;
  TS_ASSIGN_OR_RETURN(std::vector<store::Service> all, st.ListServices(store::kLocalTenant));
  if (all.empty()) {
    return NotFound("no service '" + name + "' in " + db +
                    ": it has no services yet (add answers with: trustsheet library add FILE --db " + db +
                    " --service '" + name + "')");
  }
  std::string names;
  for (const store::Service& one : all) names += (names.empty() ? "" : ", ") + one.name;
  return NotFound("no service '" + name + "' in " + db + "; services: " + names);
}

// The database and the service a command works on; the service must have a library.
struct ServiceDb {
  std::unique_ptr<store::Store> store;
  store::Service service;
};

Result<ServiceDb> OpenService(const DbArgs& a) {
  ServiceDb out;
  TS_ASSIGN_OR_RETURN(out.store, OpenExistingLibrary(a.db));
  TS_ASSIGN_OR_RETURN(out.service, ExistingService(*out.store, a.db, a.service));
  return out;
}

std::string MarkAndText(sheet::Mark m, const std::string& text) {
  return text.empty() ? std::string(sheet::MarkName(m)) : text;
}

// YYYY-MM-DD with a plausible month and day.
bool IsIsoDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

int RunAdd(const std::string& file, const DbArgs& a, const std::string& document, const std::string& status_name,
           const std::string& owner, const std::string& review_date, const std::string& format_name) {
  if (!review_date.empty() && !IsIsoDate(review_date)) {
    return Fail("library add", InvalidArgument("usage: --review-date must be YYYY-MM-DD, not '" + review_date + "'"));
  }
  auto status = store::EntryStatusFromName(status_name);
  if (!status || *status == store::EntryStatus::kRetired) {
    return Fail("library add", InvalidArgument("usage: --status must be approved or draft"));
  }
  auto format = ingest::FormatFromName(format_name);
  if (!format) return Fail("library add", InvalidArgument("usage: unknown --format '" + format_name + "'"));
  auto sheet = ingest::ImportFile(file, {*format, {}});
  if (!sheet.ok()) return Fail("library add", sheet.status());
  auto st = store::OpenSqliteStore(a.db);
  if (!st.ok()) return Fail("library add", st.status());
  auto svc = (*st)->EnsureService(store::kLocalTenant, a.service);
  if (!svc.ok()) return Fail("library add", svc.status());
  library::AddOptions opts;
  opts.document = document;
  opts.status = *status;
  opts.owner = owner;
  opts.review_date = review_date;
  auto r = library::AddChecksheet(**st, store::kLocalTenant, *svc, *sheet, opts, catalog::Catalog::Builtin());
  if (!r.ok()) return Fail("library add", r.status());
  std::cout << "library '" << a.service << "': " << file << " as document '" << r->document.name << "' (version "
            << r->document.version << "): " << r->added << " added, " << r->updated << " updated, " << r->unchanged
            << " unchanged, " << r->retired << " retired, " << r->skipped << " items without an answer skipped\n";
  return kExitOk;
}

int RunList(const DbArgs& a, bool json) {
  auto st = OpenExistingLibrary(a.db);
  if (!st.ok()) return Fail("library list", st.status());
  std::vector<store::Service> services;
  if (a.service.empty()) {
    auto all = (*st)->ListServices(store::kLocalTenant);
    if (!all.ok()) return Fail("library list", all.status());
    services = *all;
  } else {
    auto one = ExistingService(**st, a.db, a.service);
    if (!one.ok()) return Fail("library list", one.status());
    services.push_back(*one);
  }
  for (const store::Service& s : services) {
    auto entries = (*st)->ListEntries(store::kLocalTenant, s.id);
    if (!entries.ok()) return Fail("library list", entries.status());
    if (json) {
      std::cout << library::EntriesToJson(*entries, s.name);
      continue;
    }
    std::cout << "== " << s.name << " (" << entries->size() << " entries)\n"
              << FitToWidth("id", 6) << " " << FitToWidth("status", 9) << " " << FitToWidth("answer", 10) << " "
              << "question\n";
    for (const store::Entry& e : *entries) {
      std::cout << FitToWidth(std::to_string(e.id), 6) << " " << FitToWidth(store::EntryStatusName(e.status), 9) << " "
                << FitToWidth(MarkAndText(e.mark, e.answer_text), 10) << " " << FitToWidth(e.question, 70) << "\n";
    }
  }
  return kExitOk;
}

int RunShow(std::int64_t id, const DbArgs& a) {
  auto st = OpenExistingLibrary(a.db);
  if (!st.ok()) return Fail("library show", st.status());
  auto e = (*st)->GetEntry(store::kLocalTenant, id);
  if (!e.ok()) return Fail("library show", e.status());
  if (!*e) return Fail("library show", NotFound("entry " + std::to_string(id) + " not found"));
  auto h = (*st)->History(store::kLocalTenant, id);
  if (!h.ok()) return Fail("library show", h.status());
  std::cout << library::EntryToJson(**e, *h);
  return kExitOk;
}

int RunExport(const DbArgs& a, const std::string& format, const std::string& out) {
  if (format != "json" && format != "csv") return Fail("library export", InvalidArgument("usage: --format json or csv"));
  auto db = OpenService(a);
  if (!db.ok()) return Fail("library export", db.status());
  auto entries = db->store->ListEntries(store::kLocalTenant, db->service.id);
  if (!entries.ok()) return Fail("library export", entries.status());
  std::string text = format == "csv" ? library::EntriesToCsv(*entries, a.service)
                                     : library::EntriesToJson(*entries, a.service);
  if (out.empty() || out == "-") {
    std::cout << text;
    return kExitOk;
  }
  Status w = WriteFileAtomic(out, text);
  if (!w.ok()) return Fail("library export", w);
  std::cerr << "wrote " << out << ": " << entries->size() << " entries\n";
  return kExitOk;
}

int RunConflicts(const DbArgs& a, bool json) {
  auto db = OpenService(a);
  if (!db.ok()) return Fail("library conflicts", db.status());
  auto entries = db->store->ListEntries(store::kLocalTenant, db->service.id);
  if (!entries.ok()) return Fail("library conflicts", entries.status());
  auto findings = library::FindDuplicates(*entries, &catalog::Catalog::Builtin());
  if (!findings.ok()) return Fail("library conflicts", findings.status());
  if (json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    auto side = [](const store::Entry& e) {
      return nlohmann::ordered_json{{"id", e.id},
                                    {"question", e.question},
                                    {"answer", MarkAndText(e.mark, e.answer_text)},
                                    {"remarks", e.remarks}};
    };
    for (const library::Finding& f : *findings) {
      arr.push_back({{"kind", f.kind}, {"score", std::round(f.score * 1000) / 1000}, {"a", side(f.a)}, {"b", side(f.b)}});
    }
    std::cout << arr.dump(2) << "\n";
    return kExitOk;
  }
  int conflicts = 0;
  for (const library::Finding& f : *findings) {
    conflicts += f.kind == "conflict" ? 1 : 0;
    // Both questions, then both remarks: the remarks show why the answers differ.
    std::cout << f.kind << " (" << std::round(f.score * 100) / 100 << "): #" << f.a.id << " "
              << MarkAndText(f.a.mark, f.a.answer_text) << " / #" << f.b.id << " "
              << MarkAndText(f.b.mark, f.b.answer_text) << "\n  " << FitToWidth(f.a.question, 90) << "\n  "
              << FitToWidth(f.b.question, 90) << "\n";
    for (const store::Entry* e : {&f.a, &f.b}) {
      if (e->remarks.empty()) continue;
      std::string remarks = e->remarks;  // whole, continuation lines indented
      for (std::size_t at = remarks.find('\n'); at != std::string::npos; at = remarks.find('\n', at + 5)) {
        remarks.replace(at, 1, "\n    ");
      }
      std::cout << "  #" << e->id << " remarks: " << remarks << "\n";
    }
  }
  std::cout << findings->size() - static_cast<std::size_t>(conflicts) << " duplicates, " << conflicts
            << " conflicts in " << entries->size() << " entries\n";
  return kExitOk;
}

int RunDecide(const DbArgs& a, const std::string& question, std::int64_t entry, bool accept, bool reject) {
  if (accept == reject) return Fail("library decide", InvalidArgument("usage: give exactly one of --accept or --reject"));
  auto db = OpenService(a);
  if (!db.ok()) return Fail("library decide", db.status());
  Status s = db->store->AddDecision(store::kLocalTenant, db->service.id,
                                {match::QuestionKey(question), question, entry, accept, "cli", ""});
  if (!s.ok()) return Fail("library decide", s);
  std::cout << (accept ? "accepted" : "rejected") << " entry " << entry << " for: " << question << "\n";
  return kExitOk;
}

// --decisions FILE: [{"item": "p1/3", "entry": 12, "accepted": true}, ...] for items of the sheet.
Status RecordDecisions(store::Store& st, const store::Service& svc, const sheet::Checksheet& sheet,
                       const std::string& path) {
  TS_ASSIGN_OR_RETURN(std::string text, ReadFileBounded(path, 16u << 20));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return InvalidArgument(path + ": expected a JSON array of {item, entry, accepted}");
  std::map<std::string, const sheet::Item*> items;
  for (const sheet::Part& p : sheet.parts) {
    for (const sheet::Item& it : p.items) items[it.id] = &it;
  }
  return st.Transaction([&]() -> Status {
    for (std::size_t i = 0; i < j.size(); ++i) {
      const auto& d = j[i];
      const std::string where = path + ": [" + std::to_string(i) + "]";
      if (!d.is_object() || !d.contains("item") || !d["item"].is_string() || !d.contains("entry") ||
          !d.contains("accepted") || !d["accepted"].is_boolean()) {
        return InvalidArgument(where + ": needs \"item\" (string), \"entry\" (id) and \"accepted\" (true/false)");
      }
      auto it = items.find(d["item"].get<std::string>());
      if (it == items.end()) return InvalidArgument(where + ": no item '" + d["item"].get<std::string>() + "' in the sheet");
      std::int64_t entry = d["entry"].is_number_integer() ? d["entry"].get<std::int64_t>()
                           : d["entry"].is_string()       ? std::atoll(d["entry"].get<std::string>().c_str())
                                                          : 0;
      Status s = st.AddDecision(store::kLocalTenant, svc.id,
                                {match::QuestionKey(it->second->question), it->second->question, entry,
                                 d["accepted"].get<bool>(), "cli", ""});
      if (!s.ok()) return s.WithPrefix(where);
    }
    return Status();
  });
}

// "1 answer", "2 answers".
std::string Plural(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// What `answer -o` wrote, on stderr: one line, however long the sheet; with `verbose` then one
// line per item held back or not written, under the sheet's own item numbers.
void ReportWritten(const std::string& out, const sheet::Checksheet& sheet, const library::DraftedSheet& drafted,
                   const exporter::FillReport& report, const std::string& min_name, bool verbose) {
  std::cerr << "wrote " << out << ": " << Plural(static_cast<std::size_t>(report.answers), "answer") << ", "
            << Plural(static_cast<std::size_t>(report.remarks), "remark") << "; "
            << Plural(drafted.held_back.size(), "item") << " held back below --min-confidence " << min_name
            << " (left blank)";
  if (!report.not_written.empty()) std::cerr << "; " << Plural(report.not_written.size(), "item") << " not written";
  const bool more = !drafted.held_back.empty() || !report.not_written.empty();
  std::cerr << (more && !verbose ? "; --verbose lists them\n" : "\n");
  if (!verbose) return;
  std::set<std::string> filled;
  for (const exporter::Fill& f : drafted.fills) filled.insert(f.item_id);
  std::map<std::string, const sheet::Item*> by_id;
  for (std::size_t p = 0; p < sheet.parts.size(); ++p) {
    for (std::size_t i = 0; i < sheet.parts[p].items.size(); ++i) {
      const sheet::Item& it = sheet.parts[p].items[i];
      by_id[it.id] = &it;
      if (filled.count(it.id) != 0) continue;
      std::cerr << "  held back: " << it.number << " (" << match::ConfidenceName(drafted.drafts[p][i].confidence)
                << ") " << it.question << "\n";
    }
  }
  for (const std::string& n : report.not_written) {
    // "<item id>: why", told under the item's printed number.
    const std::size_t colon = n.find(": ");
    auto it = colon == std::string::npos ? by_id.end() : by_id.find(n.substr(0, colon));
    std::cerr << "  not written: " << (it == by_id.end() ? n : it->second->number + n.substr(colon)) << "\n";
  }
}

int RunAnswer(const std::string& file, const DbArgs& a, const std::string& out, bool json,
              const std::string& min_name, const std::string& decisions, bool verbose) {
  auto min = match::ConfidenceFromName(min_name);
  if (!min) return Fail("answer", InvalidArgument("usage: --min-confidence must be high, medium, low or none"));
  if (!out.empty() && std::filesystem::weakly_canonical(out) == std::filesystem::weakly_canonical(file)) {
    return Fail("answer", InvalidArgument("usage: -o must not be the input file (the input is never modified)"));
  }
  auto original = ReadFileBounded(file, ingest::Limits{}.max_file_bytes);
  if (!original.ok()) return Fail("answer", original.status());
  auto sheet = ingest::ImportBytes(*original, file);
  if (!sheet.ok()) return Fail("answer", sheet.status());
  auto db = OpenService(a);
  if (!db.ok()) return Fail("answer", db.status());
  if (!decisions.empty()) {
    Status s = RecordDecisions(*db->store, db->service, *sheet, decisions);
    if (!s.ok()) return Fail("answer", s);
  }
  auto drafter = library::MakeDrafter(*db->store, store::kLocalTenant, db->service, &catalog::Catalog::Builtin());
  if (!drafter.ok()) return Fail("answer", drafter.status());
  library::DraftedSheet drafted = library::DraftSheet(**drafter, *sheet, *min);
  std::cout << (json ? library::DraftsToJson(*sheet, drafted.drafts, a.service)
                     : RenderDraftTable(*sheet, drafted.drafts));
  if (out.empty()) return kExitOk;
  exporter::FillReport report;
  Result<std::string> bytes = library::WriteAnswers(*original, *sheet, drafted.fills, &report);
  if (!bytes.ok()) return Fail("answer", bytes.status());
  Status w = WriteFileAtomic(out, *bytes);
  if (!w.ok()) return Fail("answer", w);
  ReportWritten(out, *sheet, drafted, report, min_name, verbose);
  return kExitOk;
}

}  // namespace

// The parsed options live in `o`, which each command's closure keeps alive as long as the
// command list (CLI11 writes into it during parsing).
void AddLibraryCommands(CLI::App& app, std::vector<Command>* commands) {
  struct Options {
    DbArgs add, list, show, exp, conf, decide;
    std::string file, document, status = "approved", owner, review_date, format = "auto";
    bool json = false;
    std::int64_t id = 0;
    std::string export_format = "json", out;
    std::string question;
    std::int64_t entry = 0;
    bool accept = false, reject = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* lib = app.add_subcommand("library", "The answer library: add answered sheets, list, show, export");
  lib->require_subcommand(1);
  auto db_opts = [](CLI::App* c, DbArgs* a, bool service_required) {
    c->add_option("--db", a->db, "the library database (SQLite file; must exist)")->required();
    auto* s = c->add_option("--service", a->service, "the service the answers are for");
    if (service_required) s->required();
  };

  CLI::App* add = lib->add_subcommand("add", "Add an answered checksheet's items as library entries");
  add->add_option("FILE", o->file, "an answered checksheet (any format import reads)")->required();
  db_opts(add, &o->add, true);
  add->get_option("--db")->description("the library database (SQLite file; created if missing)");
  add->add_option("--document", o->document, "the document's name in the library (default: the file name)");
  add->add_option("--status", o->status, "approved (default) or draft");
  add->add_option("--owner", o->owner, "who owns these answers");
  add->add_option("--review-date", o->review_date, "when these answers are next to be reviewed (YYYY-MM-DD)");
  add->add_option("--format", o->format, "auto (default), text, pdf, xlsx, docx or csv");
  commands->push_back({add, [o] {
                         return RunAdd(o->file, o->add, o->document, o->status, o->owner, o->review_date, o->format);
                       }});

  CLI::App* list = lib->add_subcommand("list", "List the entries of one service or of all");
  db_opts(list, &o->list, false);
  list->add_flag("--json", o->json, "print JSON");
  commands->push_back({list, [o] { return RunList(o->list, o->json); }});

  CLI::App* show = lib->add_subcommand("show", "Show one entry with its history (JSON)");
  show->add_option("ID", o->id, "entry id")->required();
  db_opts(show, &o->show, false);
  commands->push_back({show, [o] { return RunShow(o->id, o->show); }});

  CLI::App* exp = lib->add_subcommand("export", "Export a service's entries as JSON or CSV");
  db_opts(exp, &o->exp, true);
  exp->add_option("--format", o->export_format, "json (default) or csv");
  exp->add_option("-o,--output", o->out, "write to this file (atomically) instead of stdout");
  commands->push_back({exp, [o] { return RunExport(o->exp, o->export_format, o->out); }});

  CLI::App* conf = lib->add_subcommand("conflicts", "Entries that ask the same thing: duplicates and conflicts");
  db_opts(conf, &o->conf, true);
  conf->add_flag("--json", o->json, "print JSON");
  commands->push_back({conf, [o] { return RunConflicts(o->conf, o->json); }});

  CLI::App* decide = lib->add_subcommand("decide", "Record a reviewer's decision: this entry answers this question, or not");
  db_opts(decide, &o->decide, true);
  decide->add_option("--question", o->question, "the question as the customer's sheet asks it")->required();
  decide->add_option("--entry", o->entry, "library entry id")->required();
  decide->add_flag("--accept", o->accept, "the entry answers the question");
  decide->add_flag("--reject", o->reject, "the entry does not answer the question");
  commands->push_back({decide, [o] { return RunDecide(o->decide, o->question, o->entry, o->accept, o->reject); }});
}

void AddAnswerCommand(CLI::App& app, std::vector<Command>* commands) {
  struct Options {
    DbArgs db;
    std::string file, out, min_confidence = "medium", decisions;
    bool json = false, verbose = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* ans = app.add_subcommand("answer", "Draft every answer of a customer's sheet from the library");
  ans->add_option("FILE", o->file, "the customer's checksheet")->required();
  ans->add_option("--db", o->db.db, "the library database")->required();
  ans->add_option("--service", o->db.service, "the service to answer for")->required();
  ans->add_option("-o,--output", o->out, "write the answered sheet here: a copy of an XLSX or CSV, a new XLSX otherwise");
  ans->add_flag("--json", o->json, "print the sheet with a draft per item as JSON");
  ans->add_option("--min-confidence", o->min_confidence, "lowest confidence written to -o: high, medium (default), low");
  ans->add_option("--decisions", o->decisions, "record reviewer decisions first: JSON [{item, entry, accepted}]");
  ans->add_flag("--verbose", o->verbose, "with -o: list every item held back or not written, not only their count");
  commands->push_back({ans, [o] {
                         return RunAnswer(o->file, o->db, o->out, o->json, o->min_confidence, o->decisions, o->verbose);
                       }});
}

}  // namespace ts::cli
