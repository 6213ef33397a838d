#include "library/library.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "ingest/csv_reader.h"
#include "sheet/sheet_json.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::library {
namespace {

using ojson = nlohmann::ordered_json;

bool SameContent(const store::Entry& a, const store::Entry& b) {
  return a.question == b.question && a.mark == b.mark && a.answer_text == b.answer_text && a.remarks == b.remarks &&
         a.section == b.section && a.number == b.number && a.status == b.status && a.owner == b.owner &&
         a.review_date == b.review_date;
}

std::vector<std::string> ControlsOf(const catalog::Catalog& catalog, const std::string& text) {
  std::vector<std::string> out;
  for (const catalog::ConceptHit& h : catalog.FindConcepts(text)) out.push_back(catalog.controls()[h.control].id);
  return out;
}

std::string Joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? std::string(sep) : "") + v[i];
  return s;
}

ojson EntryObject(const store::Entry& e) {
  return ojson{{"id", e.id},
               {"document_id", e.document_id},
               {"source_item", e.source_item},
               {"section", e.section},
               {"number", e.number},
               {"question", e.question},
               {"answer", {{"mark", std::string(sheet::MarkName(e.mark))}, {"text", e.answer_text}}},
               {"remarks", e.remarks},
               {"controls", e.controls},
               {"status", std::string(store::EntryStatusName(e.status))},
               {"owner", e.owner},
               {"review_date", e.review_date},
               {"version", e.version},
               {"created_at", e.created_at},
               {"updated_at", e.updated_at}};
}

// Where a drafted answer comes from, as `answer --json` and the API print it.
ojson SourceObject(const match::LibraryAnswer& a) {
  return {{"entry", a.entry_id}, {"question", a.question}, {"document", a.document}, {"item", a.item}};
}

}  // namespace

std::string DefaultDocumentName(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

Result<AddReport> AddChecksheet(store::Store& st, store::TenantId tenant, const store::Service& service,
                                const sheet::Checksheet& sheet, const AddOptions& options,
                                const catalog::Catalog& catalog) {
  AddReport report;
  const std::string doc_name = options.document.empty() ? DefaultDocumentName(sheet.source_file) : options.document;
  if (doc_name.empty()) return InvalidArgument("library add: the document needs a name (--document)");
  Status s = st.Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(report.document, st.RecordImport(tenant, service.id, doc_name, sheet.source_file, sheet.format));
    std::set<std::string> seen;
    for (const sheet::Part& part : sheet.parts) {
      for (const sheet::Item& item : part.items) {
        if (item.answer.mark == sheet::Mark::kNone && text::Trim(item.remarks).empty()) {
          ++report.skipped;
          continue;
        }
        seen.insert(item.id);
        store::Entry e;
        e.service_id = service.id;
        e.document_id = report.document.id;
        e.source_item = item.id;
        e.section = item.section;
        e.number = item.number;
        e.question = item.question;
        e.mark = item.answer.mark;
        e.answer_text = sheet::PrintedAnswer(item);  // the approved wording, exactly as printed
        e.remarks = sheet::PrintedRemarks(item);
        e.controls = ControlsOf(catalog, item.question + " " + item.remarks);
        e.status = options.status;
        e.owner = options.owner;
        e.review_date = options.review_date;
        TS_ASSIGN_OR_RETURN(std::optional<store::Entry> old, st.FindEntryBySource(tenant, report.document.id, item.id));
        if (!old) {
          TS_ASSIGN_OR_RETURN(std::int64_t id, st.InsertEntry(tenant, e, options.actor));
          (void)id;
          ++report.added;
          continue;
        }
        e.id = old->id;
        if (e.owner.empty()) e.owner = old->owner;
        if (e.review_date.empty()) e.review_date = old->review_date;
        if (SameContent(*old, e)) {
          ++report.unchanged;
          continue;
        }
        TS_RETURN_IF_ERROR(st.UpdateEntry(tenant, e, options.actor, "updated from " + sheet.source_file));
        ++report.updated;
      }
    }
    // Entries of this document that the new version no longer has are retired, not deleted.
    TS_ASSIGN_OR_RETURN(std::vector<store::Entry> all, st.ListEntries(tenant, service.id));
    for (store::Entry& e : all) {
      if (e.document_id != report.document.id || seen.contains(e.source_item) ||
          e.status == store::EntryStatus::kRetired) {
        continue;
      }
      e.status = store::EntryStatus::kRetired;
      TS_RETURN_IF_ERROR(st.UpdateEntry(tenant, e, options.actor, "retired: not in " + sheet.source_file));
      ++report.retired;
    }
    return Status();
  });
  if (!s.ok()) return s;
  return report;
}

Result<std::vector<Finding>> FindDuplicates(const std::vector<store::Entry>& entries, const catalog::Catalog* catalog,
                                            double threshold) {
  std::vector<const store::Entry*> live;
  std::vector<std::string> answer_keys;
  std::vector<match::Document> docs;
  for (const store::Entry& e : entries) {
    if (e.status == store::EntryStatus::kRetired) continue;
    live.push_back(&e);
    // Read and compared as the drafter reads them: entries conflict only when their answers
    // differ (有 and ○ are one mark; free-text answers compare by text).
    const match::LibraryAnswer a{std::to_string(e.id), e.question, e.mark, e.answer_text, e.remarks, "", "",
                                 Joined(e.section, " / ")};
    docs.push_back(match::DocumentOf(a));
    answer_keys.push_back(match::AnswerKey(a));
  }
  TS_ASSIGN_OR_RETURN(std::unique_ptr<match::Index> index, match::Index::Build(docs, catalog));
  // Match is not symmetric: a pair is found from either side, and kept once with its best score.
  std::map<std::pair<std::size_t, std::size_t>, double> pairs;
  for (std::size_t i = 0; i < live.size(); ++i) {
    for (const match::Hit& h : index->Match(match::Query{docs[i].question, docs[i].section}, 6)) {
      if (h.doc == i || h.score < threshold || h.signals.opposite > 0) continue;
      const auto key = std::minmax(i, h.doc);
      double& best = pairs[{key.first, key.second}];
      best = std::max(best, h.score);
    }
  }
  std::vector<Finding> out;
  for (const auto& [pair, score] : pairs) {
    const bool same = answer_keys[pair.first] == answer_keys[pair.second];
    out.push_back({same ? "duplicate" : "conflict", *live[pair.first], *live[pair.second], score});
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& x, const Finding& y) {
    return x.kind != y.kind ? x.kind == "conflict" : x.score > y.score;
  });
  return out;
}

bool EntryMatches(const store::Entry& e, const EntryFilter& f) {
  if (f.status && e.status != *f.status) return false;
  if (!f.owner.empty() && e.owner != f.owner) return false;
  if (!f.control.empty() && std::find(e.controls.begin(), e.controls.end(), f.control) == e.controls.end()) return false;
  if (!f.review_before.empty() && (e.review_date.empty() || e.review_date >= f.review_before)) return false;
  if (!f.text.empty()) {
    auto key = [](std::string_view x) { return text::AsciiLower(text::ComparisonKey(x)); };
    const std::string want = key(f.text);
    bool found = false;
    for (const std::string* field : {&e.question, &e.answer_text, &e.remarks, &e.number}) {
      if (key(*field).find(want) != std::string::npos) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

ojson EntriesJson(const std::vector<store::Entry>& entries, const std::string& service) {
  ojson arr = ojson::array();
  for (const store::Entry& e : entries) arr.push_back(EntryObject(e));
  return ojson{{"service", service}, {"entries", std::move(arr)}};
}

std::string EntriesToJson(const std::vector<store::Entry>& entries, const std::string& service) {
  return EntriesJson(entries, service).dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

std::string EntryToJson(const store::Entry& e, const std::vector<store::HistoryRecord>& history) {
  ojson root = EntryObject(e);
  ojson h = ojson::array();
  for (const store::HistoryRecord& r : history) {
    h.push_back({{"version", r.version},
                 {"changed_at", r.changed_at},
                 {"actor", r.actor},
                 {"action", r.action},
                 {"entry", EntryObject(r.snapshot)}});
  }
  root["history"] = std::move(h);
  return root.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

std::string EntriesToCsv(const std::vector<store::Entry>& entries, const std::string& service) {
  ingest::CsvDocument doc;  // written the way the CSV reader reads: RFC 4180, CRLF
  doc.delimiter = ',';
  doc.encoding = "utf-8-bom";
  doc.grid.rows.push_back({"id", "service", "document_id", "source_item", "section", "number", "question", "mark",
                           "answer", "remarks", "controls", "status", "owner", "review_date", "version", "updated_at"});
  for (const store::Entry& e : entries) {
    doc.grid.rows.push_back({std::to_string(e.id), service, std::to_string(e.document_id), e.source_item,
                             Joined(e.section, " / "), e.number, e.question, std::string(sheet::MarkName(e.mark)),
                             e.answer_text, e.remarks, Joined(e.controls, " "),
                             std::string(store::EntryStatusName(e.status)), e.owner, e.review_date,
                             std::to_string(e.version), e.updated_at});
  }
  // UTF-8 with a byte order mark cannot fail to encode.
  Result<std::string> csv = ingest::WriteCsvDocument(doc, "library export");
  return csv.ok() ? *std::move(csv) : std::string();
}

std::string DraftsToJson(const sheet::Checksheet& sheet, const std::vector<std::vector<match::Draft>>& drafts,
                         const std::string& service) {
  ojson root = ojson::parse(sheet::ToJson(sheet, false));
  std::map<std::string, int> bands = {{"high", 0}, {"medium", 0}, {"low", 0}, {"none", 0}};
  for (std::size_t p = 0; p < sheet.parts.size() && p < drafts.size(); ++p) {
    ojson& items = root["parts"][p]["items"];
    for (std::size_t i = 0; i < items.size() && i < drafts[p].size(); ++i) {
      const match::Draft& d = drafts[p][i];
      ojson source = d.source ? SourceObject(*d.source) : ojson::object();
      ojson alternatives = ojson::array();
      for (const match::Alternative& a : d.alternatives) {
        alternatives.push_back({{"source", SourceObject(a.source)},
                                {"mark", std::string(sheet::MarkName(a.source.mark))},
                                {"text", a.text},
                                {"remarks", a.source.remarks},
                                {"score", std::round(a.score * 1000) / 1000},
                                {"why", a.why}});
      }
      const std::string band(match::ConfidenceName(d.confidence));
      ++bands[band];
      items[i]["draft"] = {{"mark", std::string(sheet::MarkName(d.mark))},
                           {"text", d.text},
                           {"remarks", d.remarks},
                           {"confidence", band},
                           {"score", std::round(d.score * 1000) / 1000},
                           {"source", std::move(source)},
                           {"why", d.why},
                           {"alternatives", std::move(alternatives)}};
    }
  }
  root["drafts"] = {{"service", service},
                    {"high", bands["high"]},
                    {"medium", bands["medium"]},
                    {"low", bands["low"]},
                    {"none", bands["none"]}};
  return root.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

Result<DraftingLibrary> LoadDraftingLibrary(store::Store& st, store::TenantId tenant, const store::Service& service) {
  TS_ASSIGN_OR_RETURN(std::vector<store::Entry> entries, st.ListEntries(tenant, service.id));
  TS_ASSIGN_OR_RETURN(std::vector<store::Document> docs, st.ListDocuments(tenant, service.id));
  std::map<std::int64_t, std::string> doc_names;
  for (const store::Document& d : docs) doc_names[d.id] = d.name;
  std::vector<match::LibraryAnswer> answers;
  for (const store::Entry& e : entries) {
    if (e.status != store::EntryStatus::kApproved) continue;
    answers.push_back({std::to_string(e.id), e.question, e.mark, e.answer_text, e.remarks, doc_names[e.document_id],
                       e.source_item, Joined(e.section, " / ")});
  }
  TS_ASSIGN_OR_RETURN(std::vector<store::DecisionRecord> records, st.Decisions(tenant, service.id));
  std::vector<match::Decision> decisions;
  for (const store::DecisionRecord& r : records) {
    // Keyed again from the question: the key's folding may have grown since the decision.
    decisions.push_back({r.question.empty() ? r.question_key : match::QuestionKey(r.question),
                         std::to_string(r.entry_id), r.accepted});
  }
  return DraftingLibrary{std::move(answers), std::move(decisions)};
}

Result<std::unique_ptr<match::Drafter>> MakeDrafter(store::Store& st, store::TenantId tenant,
                                                    const store::Service& service, const catalog::Catalog* catalog) {
  TS_ASSIGN_OR_RETURN(DraftingLibrary lib, LoadDraftingLibrary(st, tenant, service));
  return match::Drafter::Build(std::move(lib.answers), std::move(lib.decisions), catalog);
}

DraftedSheet DraftSheet(match::Drafter& drafter, const sheet::Checksheet& sheet, match::Confidence min) {
  DraftedSheet out;
  for (const sheet::Part& p : sheet.parts) {
    out.drafts.emplace_back();
    for (const sheet::Item& it : p.items) {
      match::Draft d = drafter.DraftFor(it, p.answer_vocabulary);
      if (d.source && d.confidence >= min) {
        out.fills.push_back({it.id, d.mark, d.text, d.remarks});
      } else {
        out.held_back.push_back(it.id + " (" + std::string(match::ConfidenceName(d.confidence)) + ")");
      }
      out.drafts.back().push_back(std::move(d));
    }
  }
  return out;
}

bool FillsInPlace(const sheet::Checksheet& sheet) {
  return sheet.format == "xlsx" || sheet.format == "docx" || sheet.format == "csv";
}

Result<std::string> WriteAnswers(std::string_view original, const sheet::Checksheet& sheet,
                                 const std::vector<exporter::Fill>& fills, exporter::FillReport* report) {
  if (sheet.format == "xlsx") return exporter::FillXlsx(original, sheet, fills, report);
  if (sheet.format == "docx") return exporter::FillDocx(original, sheet, fills, report);
  if (sheet.format == "csv") return exporter::FillCsv(original, sheet, fills, report);
  return exporter::NewXlsx(sheet, fills, report);
}

}  // namespace ts::library
