// The questionnaire use cases (回答依頼), each written once for the CLI, the JSON API and the web
// pages: open a customer's file as a questionnaire (parsed once, drafted once), review its
// items (accept, edit, reject, needs-info), assign, comment, bulk-accept, re-draft without
// losing reviews, propose an edited answer to the library, and build the filled file from the
// reviewed answers. Every change is audited through the Context. Parsing and drafting are
// separate from the store calls so a caller can run them outside any lock it holds.
// Thread-safety: functions over a Context; a Context (its store) is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "match/draft.h"
#include "sheet/checksheet.h"
#include "store/store.h"

namespace ts::service {

// Who acts, in one tenant, and where their changes are audited.
struct Context {
  store::Store& db;
  store::TenantId tenant;
  std::int64_t user_id = 0;  // 0: no user (an API token without one, the CLI)
  std::string actor;         // audit form: "user:3", "cli"
  // Appends (action, target, result) to the audit log; its failure fails the use case.
  std::function<Status(std::string_view action, std::string_view target, std::string_view result)> audit;
};

enum class ReviewState { kDraft, kAccepted, kEdited, kRejected, kNeedsInfo };
std::string_view ReviewStateName(ReviewState s);
std::optional<ReviewState> ReviewStateFromName(std::string_view name);

enum class QuestionnaireStatus { kNotStarted, kInProgress, kAwaitingReview, kDone };
std::string_view QuestionnaireStatusName(QuestionnaireStatus s);
std::optional<QuestionnaireStatus> QuestionnaireStatusFromName(std::string_view name);

// ---- opening a questionnaire (three steps: parse, draft, save) ----

// Reads the customer's file. InvalidArgument names the file and the place (as `import` does).
Result<sheet::Checksheet> ParseUpload(std::string_view bytes, const std::string& file_name);

// One item record per sheet item, in the file's order, each with its draft (see DraftJson).
std::vector<store::QuestionnaireItem> DraftItems(match::Drafter& drafter, const sheet::Checksheet& sheet);

struct NewQuestionnaire {
  std::int64_t service_id = 0;
  std::string file_name;
  std::string customer;  // required
  std::string title;     // default: the file name
  std::string due_date;  // YYYY-MM-DD or ""
  std::string library_revision;
};

// InvalidArgument for a missing customer, too long a customer or title, a malformed due date.
Status CheckNewQuestionnaire(const NewQuestionnaire& n);

// Stores the file, the parsed sheet and the drafted items in one transaction; audits
// questionnaire.create. InvalidArgument for a missing customer or a malformed due date.
Result<store::Questionnaire> SaveQuestionnaire(Context& c, const NewQuestionnaire& n, std::string_view file_bytes,
                                               const sheet::Checksheet& sheet,
                                               std::vector<store::QuestionnaireItem> items);

// ---- reading ----

struct QuestionnaireView {
  store::Questionnaire q;
  store::ItemCounts counts;
};
// NotFound for another tenant's id.
Result<QuestionnaireView> GetQuestionnaire(Context& c, std::int64_t id);
struct QuestionnaireList {
  std::vector<QuestionnaireView> items;
  std::int64_t total = 0;
};
Result<QuestionnaireList> ListQuestionnaires(Context& c, const store::QuestionnaireFilter& f);

// An item as the review screen shows it: the record and the sheet's item.
struct ItemView {
  store::QuestionnaireItem record;
  sheet::Item item;
  std::vector<std::string> vocabulary;  // the answer words of the item's part
};
struct ItemFilter {
  std::string state;       // "" for any
  std::string confidence;  // "" for any
  std::optional<std::int64_t> assignee;  // 0: nobody
};
// The questionnaire's items in the file's order (filtered), with the sheet read once.
Result<std::vector<ItemView>> ListItems(Context& c, std::int64_t questionnaire_id, const ItemFilter& f);
// NotFound unless the item belongs to the questionnaire.
Result<ItemView> GetItem(Context& c, std::int64_t questionnaire_id, std::int64_t item_id);

// ---- changing ----

struct QuestionnairePatch {
  std::optional<std::string> customer, title, due_date, status;
  std::optional<std::int64_t> owner_id;  // 0: nobody
};
Result<QuestionnaireView> UpdateQuestionnaire(Context& c, std::int64_t id, const QuestionnairePatch& p);
Status DeleteQuestionnaire(Context& c, std::int64_t id);

struct ReviewAction {
  std::string action;  // accept, edit, reject, needs_info, reset
  std::optional<int> version;      // refuse (Conflict) when the item changed since
  std::optional<int> alternative;  // accept: the i-th alternative instead of the draft
  std::optional<std::string> mark, text, remarks;  // edit
};
// Applies one review action; accepting and rejecting teach the drafter (a decision on the
// question and the library entry). The questionnaire moves from not_started to in_progress.
Result<ItemView> ReviewItem(Context& c, std::int64_t questionnaire_id, std::int64_t item_id, const ReviewAction& a);

// Accepts every item still in draft whose draft is at least `min` confident; returns how many.
Result<int> BulkAccept(Context& c, std::int64_t questionnaire_id, match::Confidence min);

// Assigns the item to a member of the tenant (0: to nobody). InvalidArgument for a non-member.
Result<ItemView> AssignItem(Context& c, std::int64_t questionnaire_id, std::int64_t item_id, std::int64_t user_id);

Result<store::ItemComment> AddComment(Context& c, std::int64_t questionnaire_id, std::int64_t item_id,
                                      const std::string& body);
Result<std::vector<store::ItemComment>> ListComments(Context& c, std::int64_t questionnaire_id, std::int64_t item_id);

// Proposes an edited item's answer to the library as a draft entry, which someone else approves
// (see ApproveEntry). Conflict unless the item is edited or when it was proposed already.
Result<store::Entry> ProposeToLibrary(Context& c, std::int64_t questionnaire_id, std::int64_t item_id);

// Approves a library entry (four eyes for proposals: Conflict when the approver proposed it or
// changed it since its last approval).
Result<store::Entry> ApproveEntry(Context& c, std::int64_t entry_id);

// Re-drafting, in three steps like opening: what to draft, the drafts, and writing them. Only
// items still in draft when the drafts are written are re-drafted; reviewed items keep everything.
struct Redraft {
  store::Questionnaire q;
  sheet::Checksheet sheet;
};
Result<Redraft> LoadForRedraft(Context& c, std::int64_t questionnaire_id);
struct RedraftReport {
  int redrafted = 0;
  int kept = 0;
};
// `fresh` is DraftItems over r.sheet with the current library.
Result<RedraftReport> ApplyRedraft(Context& c, Redraft r, std::vector<store::QuestionnaireItem> fresh,
                                   const std::string& library_revision);

// The customer's file with the reviewed answers (accepted and edited) written in; with
// `include_high_drafts`, items still in draft with a high draft too (counted in `unreviewed`).
struct FilledFile {
  std::string name;
  std::string bytes;
  int answers = 0;
  int unreviewed = 0;  // high drafts written without review
  std::vector<std::string> not_written;  // "<item id>: why" for answers the file had no place for
};
Result<FilledFile> BuildFilledFile(Context& c, std::int64_t questionnaire_id, bool include_high_drafts);

// Items assigned to the context's user that are not yet answered.
Result<std::vector<store::Assignment>> MyAssignments(Context& c, std::int64_t offset, std::int64_t limit);

}  // namespace ts::service
