// The answer library of a vendor's service: turning answered checksheets into library entries
// (re-adding a newer version of a document updates entries and keeps history), listing and
// exporting them, finding duplicates and conflicts, and building the drafter for `answer`
// from the approved entries and the reviewers' decisions. Functions over a Store; not
// thread-safe beyond what the Store is.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "export/fill.h"
#include "match/draft.h"
#include "sheet/checksheet.h"
#include "store/store.h"

namespace ts::library {

struct AddOptions {
  std::string document;  // identity of the document in the service; default: file name without extension
  store::EntryStatus status = store::EntryStatus::kApproved;
  std::string owner;
  std::string review_date;  // YYYY-MM-DD: when these answers are next to be reviewed
  std::string actor = "cli";
};

struct AddReport {
  store::Document document;
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  int retired = 0;   // entries of this document that the new version no longer has
  int skipped = 0;   // items without an answer or remarks
};

// Adds every answered item of `sheet` to the service's library in one transaction.
Result<AddReport> AddChecksheet(store::Store& store, store::TenantId tenant, const store::Service& service,
                                const sheet::Checksheet& sheet, const AddOptions& options,
                                const catalog::Catalog& catalog);

// The document name `add` uses by default: "dir/会社A_v2.xlsx" -> "会社A_v2".
std::string DefaultDocumentName(const std::string& path);

// Two entries that ask the same thing: with the same answer (duplicate) or not (conflict).
struct Finding {
  std::string kind;  // "duplicate" or "conflict"
  store::Entry a, b;
  double score = 0;
};
Result<std::vector<Finding>> FindDuplicates(const std::vector<store::Entry>& entries, const catalog::Catalog* catalog,
                                            double threshold = 0.75);

// What a library page filters by; empty fields match everything.
struct EntryFilter {
  std::optional<store::EntryStatus> status;
  std::string text;           // in the question, answer, remarks or number (width and case folded)
  std::string owner;          // exactly
  std::string control;        // a catalog control id the entry maps to
  std::string review_before;  // review date set and before this YYYY-MM-DD (due for review)
};
bool EntryMatches(const store::Entry& e, const EntryFilter& f);

// Export forms. CSV is RFC 4180 with a header row, UTF-8 with BOM (Excel opens it).
// {"service", "entries": [...]}, fields in a fixed order; EntriesToJson is its text.
nlohmann::ordered_json EntriesJson(const std::vector<store::Entry>& entries, const std::string& service);
std::string EntriesToJson(const std::vector<store::Entry>& entries, const std::string& service);
std::string EntriesToCsv(const std::vector<store::Entry>& entries, const std::string& service);
std::string EntryToJson(const store::Entry& e, const std::vector<store::HistoryRecord>& history);

// `answer --json`: the sheet as `import --json` prints it, each item with its `draft`
// ({mark, text, remarks, confidence, score, source{entry, question, document, item}, why}),
// and a summary of the confidence bands. drafts[p][i] belongs to sheet.parts[p].items[i].
std::string DraftsToJson(const sheet::Checksheet& sheet, const std::vector<std::vector<match::Draft>>& drafts,
                         const std::string& service);

// What a drafter is built from: the service's approved entries and its reviewers' decisions.
struct DraftingLibrary {
  std::vector<match::LibraryAnswer> answers;
  std::vector<match::Decision> decisions;
};
Result<DraftingLibrary> LoadDraftingLibrary(store::Store& store, store::TenantId tenant, const store::Service& service);

// The drafter over the service's approved entries and its reviewers' decisions (the two steps
// apart let a server read under its store lock and build outside it).
Result<std::unique_ptr<match::Drafter>> MakeDrafter(store::Store& store, store::TenantId tenant,
                                                    const store::Service& service, const catalog::Catalog* catalog);

// Every item of `sheet` drafted; items whose draft reaches `min` become fills, the others are
// held back ("<item id> (<confidence>)"). drafts[p][i] belongs to sheet.parts[p].items[i].
struct DraftedSheet {
  std::vector<std::vector<match::Draft>> drafts;
  std::vector<exporter::Fill> fills;
  std::vector<std::string> held_back;
};
DraftedSheet DraftSheet(match::Drafter& drafter, const sheet::Checksheet& sheet, match::Confidence min);

// Whether answers go back into the customer's own file (XLSX, DOCX, CSV); for text and PDF
// they go into a new workbook, whose name then ends in .xlsx.
bool FillsInPlace(const sheet::Checksheet& sheet);

// The customer's file with the fills written: the same XLSX, DOCX or CSV with only answer
// cells changed, or a new workbook for sheets that came as text or PDF.
Result<std::string> WriteAnswers(std::string_view original, const sheet::Checksheet& sheet,
                                 const std::vector<exporter::Fill>& fills, exporter::FillReport* report);

}  // namespace ts::library
