#include "service/questionnaire.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "ingest/import.h"
#include "library/library.h"
#include "sheet/sheet_json.h"

namespace ts::service {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxCustomerBytes = 200;
constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMaxAnswerBytes = 8000;
constexpr std::size_t kMaxCommentBytes = 4000;
// A questionnaire is answered by people: real sheets have 50 to 300 questions, a few thousand
// at most. More is refused before drafting, so one upload cannot hold the server for minutes.
constexpr std::size_t kMaxQuestionnaireItems = 5000;
// Library entries proposed from a questionnaire carry this prefix in source_item, so approval
// can tell them apart (four eyes).
constexpr std::string_view kProposalSource = "questionnaire:";

std::string Id(std::string_view kind, std::int64_t id) { return std::string(kind) + ":" + std::to_string(id); }

// Where the item is in the customer's file, as a person says it: "回答!D12", "page 3 line 40".
std::string PlaceOf(const sheet::SourceLocation& l) {
  if (!l.sheet.empty()) {
    auto answer = l.cells.find("answer");
    return l.sheet + "!" + (answer != l.cells.end() ? answer->second : l.range);
  }
  sheet::SourceLocation no_file = l;
  no_file.file.clear();
  return no_file.Describe();
}

json SourceJson(const match::LibraryAnswer& a) {
  return {{"entry", std::atoll(a.entry_id.c_str())}, {"question", a.question},   {"mark", sheet::MarkName(a.mark)},
          {"answer_text", a.answer_text},            {"remarks", a.remarks},     {"document", a.document},
          {"item", a.item}};
}

// What an item record keeps of its sheet item and draft (sealed at rest): enough to show and
// review it without reading the whole sheet.
std::string DraftJson(const sheet::Item& it, const std::vector<std::string>& vocabulary, const match::Draft& d) {
  json alternatives = json::array();
  for (const match::Alternative& a : d.alternatives) {
    alternatives.push_back({{"entry", std::atoll(a.source.entry_id.c_str())},
                            {"question", a.source.question},
                            {"mark", sheet::MarkName(a.source.mark)},
                            {"text", a.text},
                            {"remarks", a.source.remarks},
                            {"document", a.source.document},
                            {"score", a.score},
                            {"why", a.why}});
  }
  json j = {{"item",
             {{"id", it.id},
              {"number", it.number},
              {"section", it.section},
              {"question", it.question},
              {"location", PlaceOf(it.location)},
              {"original", {{"mark", sheet::MarkName(it.answer.mark)}, {"text", it.answer.text}, {"remarks", it.remarks}}}}},
            {"vocabulary", vocabulary},
            {"mark", sheet::MarkName(d.mark)},
            {"text", d.text},
            {"remarks", d.remarks},
            {"confidence", match::ConfidenceName(d.confidence)},
            {"score", d.score},
            {"source", d.source ? SourceJson(*d.source) : json(nullptr)},
            {"why", d.why},
            {"alternatives", alternatives}};
  // Invalid UTF-8 (a damaged cell) becomes U+FFFD instead of an exception.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json ParseStored(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

ItemView ViewOf(store::QuestionnaireItem record) {
  ItemView v;
  const json d = ParseStored(record.draft_json);
  const json item = d.value("item", json::object());
  v.item.id = item.value("id", record.item_key);
  v.item.number = item.value("number", "");
  v.item.question = item.value("question", "");
  if (item.contains("section") && item["section"].is_array()) {
    for (const json& s : item["section"]) {
      if (s.is_string()) v.item.section.push_back(s.get<std::string>());
    }
  }
  v.item.location.range = item.value("location", "");
  if (d.contains("vocabulary") && d["vocabulary"].is_array()) {
    for (const json& w : d["vocabulary"]) {
      if (w.is_string()) v.vocabulary.push_back(w.get<std::string>());
    }
  }
  v.record = std::move(record);
  return v;
}

Status ValidDueDate(const std::string& d) {
  if (d.empty()) return Status();
  const bool shape = d.size() == 10 && d[4] == '-' && d[7] == '-' &&
                     std::all_of(d.begin(), d.end(), [](char ch) { return ch == '-' || (ch >= '0' && ch <= '9'); });
  const int month = shape ? std::atoi(d.substr(5, 2).c_str()) : 0;
  const int day = shape ? std::atoi(d.substr(8, 2).c_str()) : 0;
  if (!shape || month < 1 || month > 12 || day < 1 || day > 31) {
    return InvalidArgument("due_date must be a date as YYYY-MM-DD, not '" + d + "'");
  }
  return Status();
}

Status Bounded(const std::string& value, const char* what, std::size_t max) {
  if (value.size() > max) {
    return InvalidArgument(std::string(what) + " is too long (at most " + std::to_string(max) + " bytes)");
  }
  return Status();
}

Result<store::Questionnaire> QuestionnaireOf(Context& c, std::int64_t id, bool with_sheet) {
  TS_ASSIGN_OR_RETURN(std::optional<store::Questionnaire> q, c.db.GetQuestionnaire(c.tenant.value, id, with_sheet));
  if (!q) return NotFound("questionnaire " + std::to_string(id) + " not found");
  return std::move(*q);
}

Result<store::QuestionnaireItem> ItemOf(Context& c, std::int64_t questionnaire_id, std::int64_t item_id) {
  TS_ASSIGN_OR_RETURN(std::optional<store::QuestionnaireItem> it, c.db.GetItem(c.tenant.value, item_id));
  if (!it || it->questionnaire_id != questionnaire_id) {
    return NotFound("item " + std::to_string(item_id) + " not found in questionnaire " + std::to_string(questionnaire_id));
  }
  return std::move(*it);
}

// The first review action starts the work.
Status MarkStarted(Context& c, store::Questionnaire q) {
  if (q.status != QuestionnaireStatusName(QuestionnaireStatus::kNotStarted)) return Status();
  q.status = QuestionnaireStatusName(QuestionnaireStatus::kInProgress);
  return c.db.UpdateQuestionnaire(c.tenant.value, q);
}

// Remembers the reviewer's verdict on (question, entry) for the service's next drafts; it
// replaces any earlier verdict on the pair. `accepted` nullopt only withdraws.
Status Decide(Context& c, std::int64_t service_id, const ItemView& v, std::int64_t entry,
              std::optional<bool> accepted) {
  if (entry == 0) return Status();
  const std::string key = match::QuestionKey(v.item.question);
  TS_RETURN_IF_ERROR(c.db.WithdrawDecisions(c.tenant, service_id, key, entry));
  if (!accepted) return Status();
  return c.db.AddDecision(c.tenant, service_id, {key, v.item.question, entry, *accepted, c.actor, ""});
}

// The library entry an item's current state taught the drafter about (0: none): the accepted
// entry, or the rejected draft's source.
std::int64_t DecidedEntry(const store::QuestionnaireItem& rec) {
  if (rec.state == "accepted") {
    const json a = json::parse(rec.answer_json, nullptr, false);
    if (a.is_object() && a.contains("entry")) return a.value("entry", std::int64_t{0});
  }
  if (rec.state == "accepted" || rec.state == "rejected") {
    const json d = json::parse(rec.draft_json, nullptr, false);
    if (d.is_object() && d.contains("source") && d["source"].is_object()) return d["source"].value("entry", std::int64_t{0});
  }
  return 0;
}

// An answer as stored: what goes into the file, and for accepted ones the entry it came from.
std::string AnswerJson(const std::string& mark, const std::string& text, const std::string& remarks,
                       std::int64_t entry = 0) {
  json a{{"mark", mark}, {"text", text}, {"remarks", remarks}};
  if (entry != 0) a["entry"] = entry;
  return a.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string_view ReviewStateName(ReviewState s) {
  switch (s) {
    case ReviewState::kAccepted: return "accepted";
    case ReviewState::kEdited: return "edited";
    case ReviewState::kRejected: return "rejected";
    case ReviewState::kNeedsInfo: return "needs_info";
    case ReviewState::kDraft: break;
  }
  return "draft";
}

std::optional<ReviewState> ReviewStateFromName(std::string_view name) {
  for (ReviewState s : {ReviewState::kDraft, ReviewState::kAccepted, ReviewState::kEdited, ReviewState::kRejected,
                        ReviewState::kNeedsInfo}) {
    if (ReviewStateName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view QuestionnaireStatusName(QuestionnaireStatus s) {
  switch (s) {
    case QuestionnaireStatus::kInProgress: return "in_progress";
    case QuestionnaireStatus::kAwaitingReview: return "awaiting_review";
    case QuestionnaireStatus::kDone: return "done";
    case QuestionnaireStatus::kNotStarted: break;
  }
  return "not_started";
}

std::optional<QuestionnaireStatus> QuestionnaireStatusFromName(std::string_view name) {
  for (QuestionnaireStatus s : {QuestionnaireStatus::kNotStarted, QuestionnaireStatus::kInProgress,
                                QuestionnaireStatus::kAwaitingReview, QuestionnaireStatus::kDone}) {
    if (QuestionnaireStatusName(s) == name) return s;
  }
  return std::nullopt;
}

Result<sheet::Checksheet> ParseUpload(std::string_view bytes, const std::string& file_name) {
  if (bytes.empty()) return InvalidArgument(file_name + ": the file is empty");
  TS_ASSIGN_OR_RETURN(sheet::Checksheet sheet, ingest::ImportBytes(bytes, file_name));
  if (sheet.ItemCount() == 0) {
    return InvalidArgument(file_name + ": no questions found (is it a checksheet? " +
                           std::to_string(sheet.warnings.size()) + " warnings)");
  }
  if (sheet.ItemCount() > kMaxQuestionnaireItems) {
    return InvalidArgument(file_name + ": " + std::to_string(sheet.ItemCount()) + " questions; a questionnaire takes at most " +
                           std::to_string(kMaxQuestionnaireItems) + " (split the file)");
  }
  return sheet;
}

std::vector<store::QuestionnaireItem> DraftItems(match::Drafter& drafter, const sheet::Checksheet& sheet) {
  std::vector<store::QuestionnaireItem> out;
  for (const sheet::Part& p : sheet.parts) {
    for (const sheet::Item& it : p.items) {
      const match::Draft d = drafter.DraftFor(it, p.answer_vocabulary);
      store::QuestionnaireItem rec;
      rec.position = static_cast<int>(out.size());
      rec.item_key = it.id;
      rec.confidence = match::ConfidenceName(d.confidence);
      rec.draft_json = DraftJson(it, p.answer_vocabulary, d);
      rec.state = ReviewStateName(ReviewState::kDraft);
      out.push_back(std::move(rec));
    }
  }
  return out;
}

Status CheckNewQuestionnaire(const NewQuestionnaire& n) {
  if (n.customer.empty()) return InvalidArgument("customer is required (the customer's name, 取引先名)");
  TS_RETURN_IF_ERROR(Bounded(n.customer, "customer", kMaxCustomerBytes));
  TS_RETURN_IF_ERROR(Bounded(n.title, "title", kMaxTitleBytes));
  return ValidDueDate(n.due_date);
}

Result<store::Questionnaire> SaveQuestionnaire(Context& c, const NewQuestionnaire& n, std::string_view file_bytes,
                                               const sheet::Checksheet& sheet,
                                               std::vector<store::QuestionnaireItem> items) {
  TS_RETURN_IF_ERROR(CheckNewQuestionnaire(n));
  store::Questionnaire q;
  q.tenant_id = c.tenant.value;
  q.service_id = n.service_id;
  q.customer = n.customer;
  q.file_name = n.file_name;
  q.title = n.title.empty() ? n.file_name : n.title;
  q.format = sheet.format;
  q.due_date = n.due_date;
  q.status = QuestionnaireStatusName(QuestionnaireStatus::kNotStarted);
  q.owner_id = c.user_id;
  q.created_by = c.user_id;
  q.library_revision = n.library_revision;
  q.sheet_json = sheet::ToJson(sheet, false);
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(q.file_id, c.db.PutFile(c.tenant.value, n.file_name, file_bytes, c.user_id));
    TS_ASSIGN_OR_RETURN(q.id, c.db.InsertQuestionnaire(q, items));
    return c.audit("questionnaire.create", Id("questionnaire", q.id),
                   "ok " + std::to_string(items.size()) + " items, file:" + std::to_string(q.file_id));
  }));
  TS_ASSIGN_OR_RETURN(store::Questionnaire saved, QuestionnaireOf(c, q.id, false));
  return saved;
}

Result<QuestionnaireView> GetQuestionnaire(Context& c, std::int64_t id) {
  TS_ASSIGN_OR_RETURN(store::Questionnaire q, QuestionnaireOf(c, id, false));
  TS_ASSIGN_OR_RETURN(auto counts, c.db.CountItems(c.tenant.value, {id}));
  return QuestionnaireView{std::move(q), counts[id]};
}

Result<QuestionnaireList> ListQuestionnaires(Context& c, const store::QuestionnaireFilter& f) {
  if (!f.status.empty() && !QuestionnaireStatusFromName(f.status)) {
    return InvalidArgument("status must be not_started, in_progress, awaiting_review or done");
  }
  TS_ASSIGN_OR_RETURN(store::QuestionnairePage page, c.db.PageQuestionnaires(c.tenant.value, f));
  std::vector<std::int64_t> ids;
  for (const store::Questionnaire& q : page.questionnaires) ids.push_back(q.id);
  TS_ASSIGN_OR_RETURN(auto counts, c.db.CountItems(c.tenant.value, ids));
  QuestionnaireList out;
  out.total = page.total;
  for (store::Questionnaire& q : page.questionnaires) {
    const std::int64_t id = q.id;
    out.items.push_back({std::move(q), counts[id]});
  }
  return out;
}

Result<std::vector<ItemView>> ListItems(Context& c, std::int64_t questionnaire_id, const ItemFilter& f) {
  if (!f.state.empty() && !ReviewStateFromName(f.state)) {
    return InvalidArgument("state must be draft, accepted, edited, rejected or needs_info");
  }
  if (!f.confidence.empty() && !match::ConfidenceFromName(f.confidence)) {
    return InvalidArgument("confidence must be high, medium, low or none");
  }
  TS_ASSIGN_OR_RETURN(bool has, c.db.HasQuestionnaire(c.tenant.value, questionnaire_id));
  if (!has) return NotFound("questionnaire " + std::to_string(questionnaire_id) + " not found");
  TS_ASSIGN_OR_RETURN(std::vector<store::QuestionnaireItem> records, c.db.ListItems(c.tenant.value, questionnaire_id));
  std::vector<ItemView> out;
  out.reserve(records.size());
  for (store::QuestionnaireItem& r : records) {
    if (!f.state.empty() && r.state != f.state) continue;
    if (!f.confidence.empty() && r.confidence != f.confidence) continue;
    if (f.assignee && r.assignee_id != *f.assignee) continue;
    out.push_back(ViewOf(std::move(r)));
  }
  return out;
}

Result<ItemView> GetItem(Context& c, std::int64_t questionnaire_id, std::int64_t item_id) {
  TS_ASSIGN_OR_RETURN(store::QuestionnaireItem it, ItemOf(c, questionnaire_id, item_id));
  return ViewOf(std::move(it));
}

Result<QuestionnaireView> UpdateQuestionnaire(Context& c, std::int64_t id, const QuestionnairePatch& p) {
  TS_ASSIGN_OR_RETURN(store::Questionnaire q, QuestionnaireOf(c, id, false));
  std::vector<std::string> changed;
  if (p.customer) {
    if (p.customer->empty()) return InvalidArgument("customer must not be empty");
    TS_RETURN_IF_ERROR(Bounded(*p.customer, "customer", kMaxCustomerBytes));
    q.customer = *p.customer;
    changed.push_back("customer");
  }
  if (p.title) {
    TS_RETURN_IF_ERROR(Bounded(*p.title, "title", kMaxTitleBytes));
    q.title = *p.title;
    changed.push_back("title");
  }
  if (p.due_date) {
    TS_RETURN_IF_ERROR(ValidDueDate(*p.due_date));
    q.due_date = *p.due_date;
    changed.push_back("due_date");
  }
  if (p.status) {
    if (!QuestionnaireStatusFromName(*p.status)) {
      return InvalidArgument("status must be not_started, in_progress, awaiting_review or done");
    }
    q.status = *p.status;
    changed.push_back("status=" + q.status);
  }
  if (p.owner_id) {
    if (*p.owner_id != 0) {
      TS_ASSIGN_OR_RETURN(auto m, c.db.GetMembership(c.tenant.value, *p.owner_id));
      if (!m) return InvalidArgument("owner " + std::to_string(*p.owner_id) + " is not a member of this organization");
    }
    q.owner_id = *p.owner_id;
    changed.push_back("owner=" + std::to_string(q.owner_id));
  }
  std::string what;
  for (const std::string& s : changed) what += (what.empty() ? "" : " ") + s;
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_RETURN_IF_ERROR(c.db.UpdateQuestionnaire(c.tenant.value, q));
    return c.audit("questionnaire.update", Id("questionnaire", id), "ok " + what);
  }));
  return GetQuestionnaire(c, id);
}

Status DeleteQuestionnaire(Context& c, std::int64_t id) {
  return c.db.Transaction([&]() -> Status {
    TS_RETURN_IF_ERROR(c.db.DeleteQuestionnaire(c.tenant.value, id));
    return c.audit("questionnaire.delete", Id("questionnaire", id), "ok");
  });
}

Result<ItemView> ReviewItem(Context& c, std::int64_t questionnaire_id, std::int64_t item_id, const ReviewAction& a) {
  TS_ASSIGN_OR_RETURN(store::QuestionnaireItem rec, ItemOf(c, questionnaire_id, item_id));
  if (a.version && *a.version != rec.version) {
    return Status(ErrorCode::kConflict, "item " + std::to_string(item_id) + " is at version " +
                                            std::to_string(rec.version) + ", not " + std::to_string(*a.version) +
                                            ": someone changed it; reload it");
  }
  const json draft = ParseStored(rec.draft_json);
  ItemView view = ViewOf(rec);
  const std::int64_t earlier_entry = DecidedEntry(rec);  // what the previous state taught
  std::int64_t decided_entry = 0;  // the library entry a decision is recorded for
  bool accepted = false;
  std::string detail;
  if (a.action == "accept") {
    if (a.alternative) {
      const json alts = draft.value("alternatives", json::array());
      if (*a.alternative < 0 || static_cast<std::size_t>(*a.alternative) >= alts.size()) {
        return InvalidArgument("alternative " + std::to_string(*a.alternative) + " does not exist (this item has " +
                               std::to_string(alts.size()) + ")");
      }
      const json& alt = alts[static_cast<std::size_t>(*a.alternative)];
      decided_entry = alt.value("entry", std::int64_t{0});
      rec.answer_json = AnswerJson(alt.value("mark", "none"), alt.value("text", ""), alt.value("remarks", ""), decided_entry);
      detail = " alternative " + std::to_string(*a.alternative);
    } else {
      if (!draft.contains("source") || draft["source"].is_null()) {
        return InvalidArgument("item " + std::to_string(item_id) +
                               " has no drafted answer to accept: edit it, or accept an alternative");
      }
      decided_entry = draft["source"].value("entry", std::int64_t{0});
      rec.answer_json =
          AnswerJson(draft.value("mark", "none"), draft.value("text", ""), draft.value("remarks", ""), decided_entry);
    }
    rec.state = ReviewStateName(ReviewState::kAccepted);
    accepted = true;
  } else if (a.action == "edit") {
    if (!a.mark && !a.text && !a.remarks) return InvalidArgument("edit needs mark, text or remarks");
    const json old = ParseStored(rec.answer_json.empty() ? AnswerJson(draft.value("mark", "none"), draft.value("text", ""),
                                                                      draft.value("remarks", ""))
                                                         : rec.answer_json);
    std::string mark = a.mark.value_or(old.value("mark", "none"));
    const std::optional<sheet::Mark> m = sheet::MarkFromName(mark);
    if (!m) return InvalidArgument("mark must be yes, no, partial, planned, not-applicable, text or none, not '" + mark + "'");
    std::string text;
    if (*m == sheet::Mark::kText && !a.text) {
      return InvalidArgument("edit with mark text needs the text (the answer's words)");
    }
    if (a.text) {
      text = *a.text;
    } else if (a.mark) {
      // The sheet's own word for the chosen mark; the mark's name when the sheet has none.
      text = *m == sheet::Mark::kNone ? "" : match::SheetWord(*m, view.vocabulary, std::string(sheet::MarkName(*m)));
    } else {
      text = old.value("text", "");
    }
    const std::string remarks = a.remarks.value_or(old.value("remarks", ""));
    TS_RETURN_IF_ERROR(Bounded(text, "text", kMaxAnswerBytes));
    TS_RETURN_IF_ERROR(Bounded(remarks, "remarks", kMaxAnswerBytes));
    rec.answer_json = AnswerJson(mark, text, remarks);
    rec.state = ReviewStateName(ReviewState::kEdited);
  } else if (a.action == "reject" || a.action == "needs_info" || a.action == "reset") {
    rec.answer_json.clear();
    rec.state = ReviewStateName(a.action == "reject"       ? ReviewState::kRejected
                                : a.action == "needs_info" ? ReviewState::kNeedsInfo
                                                           : ReviewState::kDraft);
    if (a.action == "reject" && draft.contains("source") && !draft["source"].is_null()) {
      decided_entry = draft["source"].value("entry", std::int64_t{0});
    }
  } else {
    return InvalidArgument("action must be accept, edit, reject, needs_info or reset, not '" + a.action + "'");
  }
  rec.decided_by = a.action == "reset" ? 0 : c.user_id;
  rec.decided_at = a.action == "reset" ? "" : NowIso();
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_RETURN_IF_ERROR(c.db.UpdateItem(c.tenant.value, rec));
    TS_ASSIGN_OR_RETURN(store::Questionnaire q, QuestionnaireOf(c, questionnaire_id, false));
    TS_RETURN_IF_ERROR(MarkStarted(c, q));
    // A changed verdict takes the earlier one back (reset, edit, or the other verdict).
    if (earlier_entry != 0) TS_RETURN_IF_ERROR(Decide(c, q.service_id, view, earlier_entry, std::nullopt));
    if (a.action == "accept" || a.action == "reject") {
      TS_RETURN_IF_ERROR(Decide(c, q.service_id, view, decided_entry, accepted));
    }
    return c.audit("item.review", Id("questionnaire", questionnaire_id) + " " + Id("item", item_id),
                   "ok " + rec.state + detail);
  }));
  return GetItem(c, questionnaire_id, item_id);
}

Result<int> BulkAccept(Context& c, std::int64_t questionnaire_id, match::Confidence min) {
  TS_ASSIGN_OR_RETURN(store::Questionnaire q, QuestionnaireOf(c, questionnaire_id, false));
  int accepted = 0;
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(std::vector<store::QuestionnaireItem> items, c.db.ListItems(c.tenant.value, questionnaire_id));
    for (store::QuestionnaireItem& rec : items) {
      if (rec.state != ReviewStateName(ReviewState::kDraft)) continue;
      const std::optional<match::Confidence> conf = match::ConfidenceFromName(rec.confidence);
      if (!conf || *conf < min || *conf == match::Confidence::kNone) continue;
      const json draft = ParseStored(rec.draft_json);
      if (!draft.contains("source") || draft["source"].is_null()) continue;
      const ItemView view = ViewOf(rec);
      const std::int64_t entry = draft["source"].value("entry", std::int64_t{0});
      rec.answer_json = AnswerJson(draft.value("mark", "none"), draft.value("text", ""), draft.value("remarks", ""), entry);
      rec.state = ReviewStateName(ReviewState::kAccepted);
      rec.decided_by = c.user_id;
      rec.decided_at = NowIso();
      TS_RETURN_IF_ERROR(c.db.UpdateItem(c.tenant.value, rec));
      TS_RETURN_IF_ERROR(Decide(c, q.service_id, view, entry, true));
      ++accepted;
    }
    if (accepted > 0) TS_RETURN_IF_ERROR(MarkStarted(c, q));
    return c.audit("questionnaire.bulk-accept", Id("questionnaire", questionnaire_id),
                   "ok " + std::to_string(accepted) + " accepted at " + std::string(match::ConfidenceName(min)) +
                       " or above");
  }));
  return accepted;
}

Result<ItemView> AssignItem(Context& c, std::int64_t questionnaire_id, std::int64_t item_id, std::int64_t user_id) {
  TS_ASSIGN_OR_RETURN(store::QuestionnaireItem rec, ItemOf(c, questionnaire_id, item_id));
  if (user_id != 0) {
    TS_ASSIGN_OR_RETURN(auto m, c.db.GetMembership(c.tenant.value, user_id));
    if (!m) return InvalidArgument("user " + std::to_string(user_id) + " is not a member of this organization");
  }
  rec.assignee_id = user_id;
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_RETURN_IF_ERROR(c.db.UpdateItem(c.tenant.value, rec));
    return c.audit("item.assign", Id("questionnaire", questionnaire_id) + " " + Id("item", item_id),
                   user_id == 0 ? "ok nobody" : "ok " + Id("user", user_id));
  }));
  return GetItem(c, questionnaire_id, item_id);
}

Result<store::ItemComment> AddComment(Context& c, std::int64_t questionnaire_id, std::int64_t item_id,
                                      const std::string& body) {
  TS_RETURN_IF_ERROR(ItemOf(c, questionnaire_id, item_id).status());
  if (body.empty()) return InvalidArgument("body is required (the comment)");
  TS_RETURN_IF_ERROR(Bounded(body, "body", kMaxCommentBytes));
  store::ItemComment comment{0, item_id, c.user_id, body, ""};
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(comment.id, c.db.AddComment(c.tenant.value, comment));
    return c.audit("item.comment", Id("questionnaire", questionnaire_id) + " " + Id("item", item_id),
                   "ok " + Id("comment", comment.id));
  }));
  TS_ASSIGN_OR_RETURN(std::vector<store::ItemComment> all, c.db.ListComments(c.tenant.value, item_id));
  for (store::ItemComment& x : all) {
    if (x.id == comment.id) return x;
  }
  return Internal("comment " + std::to_string(comment.id) + " not found after it was added");
}

Result<std::vector<store::ItemComment>> ListComments(Context& c, std::int64_t questionnaire_id, std::int64_t item_id) {
  TS_RETURN_IF_ERROR(ItemOf(c, questionnaire_id, item_id).status());
  return c.db.ListComments(c.tenant.value, item_id);
}

Result<store::Entry> ProposeToLibrary(Context& c, std::int64_t questionnaire_id, std::int64_t item_id) {
  TS_ASSIGN_OR_RETURN(store::QuestionnaireItem rec, ItemOf(c, questionnaire_id, item_id));
  if (rec.state != ReviewStateName(ReviewState::kEdited)) {
    return Status(ErrorCode::kConflict, "only an edited answer can be proposed to the library (item " +
                                            std::to_string(item_id) + " is " + rec.state + ")");
  }
  if (rec.proposal_entry != 0) {
    return Status(ErrorCode::kConflict,
                  "item " + std::to_string(item_id) + " was proposed already as entry " + std::to_string(rec.proposal_entry));
  }
  TS_ASSIGN_OR_RETURN(store::Questionnaire q, QuestionnaireOf(c, questionnaire_id, false));
  const ItemView view = ViewOf(rec);
  const json answer = ParseStored(rec.answer_json);
  store::Entry e;
  e.service_id = q.service_id;
  e.source_item = std::string(kProposalSource) + std::to_string(questionnaire_id) + " item:" + std::to_string(item_id);
  e.section = view.item.section;
  e.number = view.item.number;
  e.question = view.item.question;
  e.mark = sheet::MarkFromName(answer.value("mark", "none")).value_or(sheet::Mark::kNone);
  e.answer_text = answer.value("text", "");
  e.remarks = answer.value("remarks", "");
  e.status = store::EntryStatus::kDraft;
  e.owner = c.actor;
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(e.id, c.db.InsertEntry(c.tenant, e, c.actor));
    rec.proposal_entry = e.id;
    TS_RETURN_IF_ERROR(c.db.UpdateItem(c.tenant.value, rec));
    return c.audit("item.propose", Id("questionnaire", questionnaire_id) + " " + Id("item", item_id),
                   "ok " + Id("entry", e.id));
  }));
  TS_ASSIGN_OR_RETURN(std::optional<store::Entry> saved, c.db.GetEntry(c.tenant, e.id));
  if (!saved) return Internal("entry " + std::to_string(e.id) + " not found after it was proposed");
  return *saved;
}

Result<store::Entry> ApproveEntry(Context& c, std::int64_t entry_id) {
  TS_ASSIGN_OR_RETURN(std::optional<store::Entry> e, c.db.GetEntry(c.tenant, entry_id));
  if (!e) return NotFound("entry " + std::to_string(entry_id) + " not found");
  if (e->source_item.rfind(kProposalSource, 0) == 0) {
    // Whoever proposed or reworded it since its last approval may not approve it.
    TS_ASSIGN_OR_RETURN(std::vector<store::HistoryRecord> history, c.db.History(c.tenant, entry_id));
    for (auto h = history.rbegin(); h != history.rend() && h->action != "approved"; ++h) {
      if (h->actor == c.actor && (h->action == "created" || h->action == "updated")) {
        return Status(ErrorCode::kConflict, "entry " + std::to_string(entry_id) +
                                                " was proposed or changed by you; another person must approve it (four eyes)");
      }
    }
  }
  e->status = store::EntryStatus::kApproved;
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    TS_RETURN_IF_ERROR(c.db.UpdateEntry(c.tenant, *e, c.actor, "approved"));
    return c.audit("entry.approve", Id("entry", entry_id), "ok");
  }));
  TS_ASSIGN_OR_RETURN(e, c.db.GetEntry(c.tenant, entry_id));
  if (!e) return NotFound("entry not found");
  return *e;
}

Result<Redraft> LoadForRedraft(Context& c, std::int64_t questionnaire_id) {
  Redraft r;
  TS_ASSIGN_OR_RETURN(r.q, QuestionnaireOf(c, questionnaire_id, true));
  TS_ASSIGN_OR_RETURN(r.sheet, sheet::FromJson(r.q.sheet_json));
  return r;
}

Result<RedraftReport> ApplyRedraft(Context& c, Redraft r, std::vector<store::QuestionnaireItem> drafted,
                                   const std::string& library_revision) {
  // The new drafts, matched to records by the sheet's item id.
  std::map<std::string, store::QuestionnaireItem> fresh;
  for (store::QuestionnaireItem& it : drafted) fresh.emplace(it.item_key, std::move(it));
  RedraftReport report;
  TS_RETURN_IF_ERROR(c.db.Transaction([&]() -> Status {
    // Read again: people may have reviewed items or changed the questionnaire while drafting
    // ran (without the caller's lock); what they did stays.
    TS_ASSIGN_OR_RETURN(std::vector<store::QuestionnaireItem> now, c.db.ListItems(c.tenant.value, r.q.id));
    for (store::QuestionnaireItem& rec : now) {
      auto f = fresh.find(rec.item_key);
      if (rec.state != ReviewStateName(ReviewState::kDraft) || f == fresh.end()) {
        ++report.kept;
        continue;
      }
      rec.draft_json = f->second.draft_json;
      rec.confidence = f->second.confidence;
      TS_RETURN_IF_ERROR(c.db.UpdateItem(c.tenant.value, rec));
      ++report.redrafted;
    }
    TS_ASSIGN_OR_RETURN(store::Questionnaire q, QuestionnaireOf(c, r.q.id, false));
    q.drafted_at = NowIso();
    q.library_revision = library_revision;
    TS_RETURN_IF_ERROR(c.db.UpdateQuestionnaire(c.tenant.value, q));
    return c.audit("questionnaire.redraft", Id("questionnaire", r.q.id),
                   "ok " + std::to_string(report.redrafted) + " redrafted, " + std::to_string(report.kept) + " kept");
  }));
  return report;
}

Result<FilledFile> BuildFilledFile(Context& c, std::int64_t questionnaire_id, bool include_high_drafts) {
  TS_ASSIGN_OR_RETURN(store::Questionnaire q, QuestionnaireOf(c, questionnaire_id, true));
  TS_ASSIGN_OR_RETURN(sheet::Checksheet sheet, sheet::FromJson(q.sheet_json));
  TS_ASSIGN_OR_RETURN(std::vector<store::QuestionnaireItem> items, c.db.ListItems(c.tenant.value, questionnaire_id));
  TS_ASSIGN_OR_RETURN(std::optional<store::StoredFile> file, c.db.GetFile(c.tenant.value, q.file_id));
  if (!file) return NotFound("the file of questionnaire " + std::to_string(questionnaire_id) + " is gone");
  FilledFile out;
  std::vector<exporter::Fill> fills;
  for (const store::QuestionnaireItem& rec : items) {
    json answer;
    if (rec.state == ReviewStateName(ReviewState::kAccepted) || rec.state == ReviewStateName(ReviewState::kEdited)) {
      answer = ParseStored(rec.answer_json);
    } else if (include_high_drafts && rec.state == ReviewStateName(ReviewState::kDraft) &&
               rec.confidence == match::ConfidenceName(match::Confidence::kHigh)) {
      answer = ParseStored(rec.draft_json);
      ++out.unreviewed;
    } else {
      continue;
    }
    fills.push_back({rec.item_key, sheet::MarkFromName(answer.value("mark", "none")).value_or(sheet::Mark::kNone),
                     answer.value("text", ""), answer.value("remarks", "")});
  }
  exporter::FillReport report;
  TS_ASSIGN_OR_RETURN(out.bytes, library::WriteAnswers(file->content, sheet, fills, &report));
  out.answers = report.answers;
  out.not_written = report.not_written;
  out.name = "answered_" + file->name;
  if (!library::FillsInPlace(sheet)) out.name += ".xlsx";
  TS_RETURN_IF_ERROR(c.audit("download", Id("questionnaire", questionnaire_id) + " filled",
                             "ok " + std::to_string(report.answers) + " answers, " + std::to_string(out.unreviewed) +
                                 " unreviewed, " + std::to_string(out.not_written.size()) + " not written"));
  return out;
}

Result<std::vector<store::Assignment>> MyAssignments(Context& c, std::int64_t offset, std::int64_t limit) {
  if (c.user_id == 0) return std::vector<store::Assignment>();
  return c.db.AssignedItems(c.tenant.value, c.user_id, offset, limit);
}

}  // namespace ts::service
