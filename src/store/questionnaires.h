// A vendor's questionnaires (回答依頼) behind the store interface: a customer's file parsed once,
// its items with their drafts and review states, and each item's comment thread. Plain values;
// the rules (which action leads to which state, what goes into the filled file) live in
// service/questionnaire.h. Sensitive text (the parsed sheet, drafts, answers, comments) is
// sealed at rest like library answers. Thread-safety: as Store (one per thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ts::store {

struct Questionnaire {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::int64_t service_id = 0;
  std::int64_t file_id = 0;  // the customer's file as uploaded (files table)
  std::string file_name;
  std::string customer;
  std::string title;
  std::string format;    // xlsx, csv, pdf, text
  std::string due_date;  // YYYY-MM-DD or ""
  std::string status;    // not_started, in_progress, awaiting_review, done
  std::int64_t owner_id = 0;    // 0: nobody
  std::int64_t created_by = 0;  // 0: not known (API token without a user, CLI)
  std::string created_at;
  std::string updated_at;
  std::string drafted_at;
  std::string library_revision;  // Store::LibraryRevision when the drafts were made
  std::string sheet_json;        // the parsed checksheet (sheet::ToJson); read only on request
};

struct QuestionnaireItem {
  std::int64_t id = 0;
  std::int64_t questionnaire_id = 0;
  int position = 0;         // the file's order, 0-based
  std::string item_key;     // the sheet's item id ("p1/2.1/5")
  std::string confidence;   // of the draft: high, medium, low, none (kept in the clear for filters)
  std::string draft_json;   // the drafter's proposal (sealed at rest)
  std::string state;        // draft, accepted, edited, rejected, needs_info
  std::string answer_json;  // the reviewed answer {mark, text, remarks}, or "" (sealed at rest)
  std::int64_t decided_by = 0;
  std::string decided_at;
  std::int64_t assignee_id = 0;  // 0: nobody
  int version = 1;               // bumped by every update
  std::int64_t proposal_entry = 0;  // library entry proposed from this item, 0: none
  int comments = 0;              // how many comments (read only)
};

struct ItemComment {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::int64_t user_id = 0;
  std::string body;
  std::string created_at;
};

struct QuestionnaireFilter {
  std::string status;            // "" for any
  std::int64_t service_id = 0;   // 0 for any
  std::int64_t owner_id = 0;     // 0 for any
  std::string text;              // customer or title contains it ("" for any)
  std::int64_t offset = 0;
  std::int64_t limit = 100;
};

struct QuestionnairePage {
  std::vector<Questionnaire> questionnaires;  // newest first, without sheet_json
  std::int64_t total = 0;
};

// Items of one questionnaire counted by review state and by draft confidence.
struct ItemCounts {
  std::map<std::string, std::int64_t> by_state;
  std::map<std::string, std::int64_t> by_confidence;
  std::int64_t total = 0;
};

// An item assigned to someone, with what a list needs of its questionnaire.
struct Assignment {
  QuestionnaireItem item;
  Questionnaire questionnaire;  // without sheet_json
};

class QuestionnaireStore {
 public:
  virtual ~QuestionnaireStore() = default;

  // Inserts the questionnaire and its items (in one transaction); returns its id. The items'
  // questionnaire_id and versions are set here.
  virtual Result<std::int64_t> InsertQuestionnaire(const Questionnaire& q, const std::vector<QuestionnaireItem>& items) = 0;
  // With `with_sheet` the sealed parsed sheet is opened too; otherwise sheet_json stays empty.
  virtual Result<std::optional<Questionnaire>> GetQuestionnaire(std::int64_t tenant_id, std::int64_t id,
                                                                bool with_sheet) = 0;
  // Whether the tenant has it, without opening anything (ownership checks).
  virtual Result<bool> HasQuestionnaire(std::int64_t tenant_id, std::int64_t id) = 0;
  virtual Result<QuestionnairePage> PageQuestionnaires(std::int64_t tenant_id, const QuestionnaireFilter& f) = 0;
  // Writes customer, title, due_date, status, owner_id, drafted_at, library_revision and sets
  // updated_at. NotFound for another tenant's id.
  virtual Status UpdateQuestionnaire(std::int64_t tenant_id, const Questionnaire& q) = 0;
  // Deletes it with its items and comments (the uploaded file stays in the files list).
  virtual Status DeleteQuestionnaire(std::int64_t tenant_id, std::int64_t id) = 0;
  virtual Result<std::map<std::int64_t, ItemCounts>> CountItems(std::int64_t tenant_id,
                                                                const std::vector<std::int64_t>& questionnaire_ids) = 0;

  // Every item of the questionnaire in the file's order.
  virtual Result<std::vector<QuestionnaireItem>> ListItems(std::int64_t tenant_id, std::int64_t questionnaire_id) = 0;
  virtual Result<std::optional<QuestionnaireItem>> GetItem(std::int64_t tenant_id, std::int64_t item_id) = 0;
  // Whether the tenant has the item, without opening anything.
  virtual Result<bool> HasItem(std::int64_t tenant_id, std::int64_t item_id) = 0;
  // Writes every mutable field of `item` when its stored version is `item.version`, and bumps
  // the version (item.version + 1). Conflict when someone changed it since; NotFound for
  // another tenant's id.
  virtual Status UpdateItem(std::int64_t tenant_id, const QuestionnaireItem& item) = 0;
  // Items assigned to `user_id` in states other than accepted and edited, by due date.
  virtual Result<std::vector<Assignment>> AssignedItems(std::int64_t tenant_id, std::int64_t user_id,
                                                        std::int64_t offset, std::int64_t limit) = 0;

  virtual Result<std::int64_t> AddComment(std::int64_t tenant_id, const ItemComment& c) = 0;
  virtual Result<std::vector<ItemComment>> ListComments(std::int64_t tenant_id, std::int64_t item_id) = 0;
};

}  // namespace ts::store
