// Questionnaires (回答依頼) over HTTP: thin adapters over service/questionnaire.h — decode the
// request, call one use case, encode the answer. Opening and re-drafting parse and match
// outside any store transaction. Also the organization's members (for assigning) and my
// assignments.
#include <limits>
#include <map>

#include "server/internal/app.h"
#include "service/questionnaire.h"

namespace ts::server {
namespace {

constexpr std::size_t kMaxQueryBytes = 300;  // customer, title, search text in a query string

json ParseStored(const std::string& text) {
  if (text.empty()) return nullptr;
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

// People shown in replies ({id, name, email}), each read once per request.
class People {
 public:
  explicit People(Call& c) : c_(c) {}
  Result<json> Of(std::int64_t id) {
    if (id == 0) return json(nullptr);
    auto known = seen_.find(id);
    if (known != seen_.end()) return known->second;
    TS_ASSIGN_OR_RETURN(std::optional<store::User> u, c_.db().GetUser(id));
    json who = u && !u->deleted ? json{{"id", u->id}, {"name", u->name}, {"email", u->email}} : json{{"id", id}};
    seen_.emplace(id, who);
    return who;
  }

 private:
  Call& c_;
  std::map<std::int64_t, json> seen_;
};

Result<json> QuestionnaireJson(Call& c, People& people, const service::QuestionnaireView& v) {
  const store::Questionnaire& q = v.q;
  TS_ASSIGN_OR_RETURN(std::optional<store::Service> s, c.db().GetService(store::TenantId{c.tenant}, q.service_id));
  TS_ASSIGN_OR_RETURN(json owner, people.Of(q.owner_id));
  TS_ASSIGN_OR_RETURN(json created_by, people.Of(q.created_by));
  json progress = {{"total", v.counts.total}};
  std::int64_t reviewed = 0;
  for (const char* state : {"draft", "accepted", "edited", "rejected", "needs_info"}) {
    auto n = v.counts.by_state.find(state);
    const std::int64_t count = n == v.counts.by_state.end() ? 0 : n->second;
    progress[state] = count;
    if (std::string_view(state) != "draft") reviewed += count;
  }
  progress["reviewed"] = reviewed;
  json confidence = json::object();
  for (const char* band : {"high", "medium", "low", "none"}) {
    auto n = v.counts.by_confidence.find(band);
    confidence[band] = n == v.counts.by_confidence.end() ? 0 : n->second;
  }
  return json{{"id", q.id},
              {"service", {{"id", q.service_id}, {"name", s ? s->name : ""}}},
              {"customer", q.customer},
              {"title", q.title},
              {"file", {{"id", q.file_id}, {"name", q.file_name}}},
              {"format", q.format},
              {"due_date", q.due_date},
              {"status", q.status},
              {"owner", owner},
              {"created_by", created_by},
              {"created_at", q.created_at},
              {"updated_at", q.updated_at},
              {"drafted_at", q.drafted_at},
              {"library_revision", q.library_revision},
              {"progress", progress},
              {"confidence", confidence}};
}

Result<json> ItemJson(People& people, const service::ItemView& v) {
  const store::QuestionnaireItem& r = v.record;
  json draft = ParseStored(r.draft_json);
  json original = nullptr;
  if (draft.is_object()) {
    if (draft.contains("item")) original = draft["item"].value("original", json(nullptr));
    draft.erase("item");
    draft.erase("vocabulary");
  }
  json vocabulary_marks = json::array();  // the mark each of the sheet's words means
  for (const std::string& w : v.vocabulary) vocabulary_marks.push_back(sheet::MarkName(sheet::ClassifyAnswer(w)));
  TS_ASSIGN_OR_RETURN(json decided_by, people.Of(r.decided_by));
  TS_ASSIGN_OR_RETURN(json assignee, people.Of(r.assignee_id));
  return json{{"id", r.id},
              {"questionnaire", r.questionnaire_id},
              {"position", r.position},
              {"item_id", r.item_key},
              {"number", v.item.number},
              {"section", v.item.section},
              {"question", v.item.question},
              {"location", v.item.location.range},
              {"vocabulary", v.vocabulary},
              {"vocabulary_marks", vocabulary_marks},
              {"original", original},
              {"draft", draft},
              {"state", r.state},
              {"answer", ParseStored(r.answer_json)},
              {"decided_by", decided_by},
              {"decided_at", r.decided_at},
              {"assignee", assignee},
              {"comments", r.comments},
              {"version", r.version},
              {"proposal", r.proposal_entry == 0 ? json(nullptr) : json(r.proposal_entry)}};
}

Status SendQuestionnaire(Call& c, int status, const service::QuestionnaireView& v) {
  People people(c);
  TS_ASSIGN_OR_RETURN(json out, QuestionnaireJson(c, people, v));
  c.Json(status, out);
  return Status();
}

Status SendItem(Call& c, const service::ItemView& v) {
  People people(c);
  TS_ASSIGN_OR_RETURN(json out, ItemJson(people, v));
  c.Json(200, out);
  return Status();
}

// Query parameter `name` ("" when absent), bounded.
Result<std::string> QueryText(const Call& c, const char* name) {
  std::string v = c.req.has_param(name) ? c.req.get_param_value(name) : "";
  if (v.size() > kMaxQueryBytes) {
    return InvalidArgument(std::string("query parameter '") + name + "' is too long (at most " +
                           std::to_string(kMaxQueryBytes) + " bytes)");
  }
  return v;
}

// "me", "none" (0) or a user id, for the owner and assignee filters.
Result<std::optional<std::int64_t>> PersonParam(const Call& c, const char* name) {
  if (!c.req.has_param(name)) return std::optional<std::int64_t>();
  const std::string v = c.req.get_param_value(name);
  if (v == "me") return std::optional<std::int64_t>(c.user ? c.user->id : 0);
  if (v == "none") return std::optional<std::int64_t>(0);
  TS_ASSIGN_OR_RETURN(std::int64_t id, c.IntParam(name, 0, 1, std::numeric_limits<std::int64_t>::max()));
  return std::optional<std::int64_t>(id);
}

Status CreateQuestionnaire(Call& c) {
  TS_ASSIGN_OR_RETURN(std::int64_t service_id, c.IntParam("service", 0, 1, std::numeric_limits<std::int64_t>::max()));
  if (service_id == 0) return InvalidArgument("query parameter 'service' (the service whose library answers) is required");
  TS_ASSIGN_OR_RETURN(std::optional<store::Service> s, c.db().GetService(store::TenantId{c.tenant}, service_id));
  if (!s) return NotFound("service " + std::to_string(service_id) + " not found");
  service::NewQuestionnaire n;
  n.service_id = service_id;
  TS_ASSIGN_OR_RETURN(n.file_name, FileName(c));
  TS_ASSIGN_OR_RETURN(n.customer, QueryText(c, "customer"));
  TS_ASSIGN_OR_RETURN(n.title, QueryText(c, "title"));
  TS_ASSIGN_OR_RETURN(n.due_date, QueryText(c, "due_date"));
  // Checked before the file is read and drafted (SaveQuestionnaire checks again).
  TS_RETURN_IF_ERROR(service::CheckNewQuestionnaire(n));
  TS_ASSIGN_OR_RETURN(DrafterLease lease, TakeDrafter(c, *s));
  n.library_revision = lease.revision;
  Result<sheet::Checksheet> sheet = service::ParseUpload(c.req.body, n.file_name);
  std::vector<store::QuestionnaireItem> items;
  if (sheet.ok()) items = service::DraftItems(*lease.drafter, *sheet);
  ReturnDrafter(c, s->id, std::move(lease));
  if (!sheet.ok()) {
    (void)c.Audit("questionnaire.create", n.file_name, "error: " + sheet.status().message());
    return sheet.status();
  }
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(store::Questionnaire q, service::SaveQuestionnaire(ctx, n, c.req.body, *sheet, std::move(items)));
  TS_ASSIGN_OR_RETURN(service::QuestionnaireView v, service::GetQuestionnaire(ctx, q.id));
  return SendQuestionnaire(c, 201, v);
}

Status ListQuestionnaires(Call& c) {
  store::QuestionnaireFilter f;
  TS_ASSIGN_OR_RETURN(f.status, QueryText(c, "status"));
  TS_ASSIGN_OR_RETURN(f.service_id, c.IntParam("service", 0, 0, std::numeric_limits<std::int64_t>::max()));
  TS_ASSIGN_OR_RETURN(std::optional<std::int64_t> owner, PersonParam(c, "owner"));
  if (owner) {
    if (*owner == 0) return InvalidArgument("owner must be me or a user id");
    f.owner_id = *owner;
  }
  TS_ASSIGN_OR_RETURN(f.text, QueryText(c, "q"));
  TS_ASSIGN_OR_RETURN(f.offset, c.IntParam("offset", 0, 0, 1'000'000'000));
  TS_ASSIGN_OR_RETURN(f.limit, c.IntParam("limit", kDefaultPageSize, 1, kMaxPageSize));
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(service::QuestionnaireList list, service::ListQuestionnaires(ctx, f));
  People people(c);
  json items = json::array();
  for (const service::QuestionnaireView& v : list.items) {
    TS_ASSIGN_OR_RETURN(json one, QuestionnaireJson(c, people, v));
    items.push_back(std::move(one));
  }
  c.Json(200, {{"items", items}, {"total", list.total}, {"offset", f.offset}, {"limit", f.limit}});
  return Status();
}

Status GetQuestionnaire(Call& c) {
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(service::QuestionnaireView v, service::GetQuestionnaire(ctx, c.ids.at("questionnaire")));
  return SendQuestionnaire(c, 200, v);
}

Status PatchQuestionnaire(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  service::QuestionnairePatch p;
  for (auto [key, field] : {std::pair{"customer", &p.customer}, std::pair{"title", &p.title},
                            std::pair{"due_date", &p.due_date}, std::pair{"status", &p.status}}) {
    if (!b.contains(key)) continue;
    TS_ASSIGN_OR_RETURN(std::string v, StringField(b, key, kMaxQueryBytes, false));
    *field = std::move(v);
  }
  if (b.contains("owner")) {
    if (b["owner"].is_null()) {
      p.owner_id = 0;
    } else {
      TS_ASSIGN_OR_RETURN(std::int64_t owner, IntField(b, "owner", 0, 1, std::numeric_limits<std::int64_t>::max()));
      p.owner_id = owner;
    }
  }
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(service::QuestionnaireView v, service::UpdateQuestionnaire(ctx, c.ids.at("questionnaire"), p));
  return SendQuestionnaire(c, 200, v);
}

Status DeleteQuestionnaire(Call& c) {
  service::Context ctx = ServiceContext(c);
  TS_RETURN_IF_ERROR(service::DeleteQuestionnaire(ctx, c.ids.at("questionnaire")));
  c.res.status = 204;
  return Status();
}

Status ListItems(Call& c) {
  service::ItemFilter f;
  TS_ASSIGN_OR_RETURN(f.state, QueryText(c, "state"));
  TS_ASSIGN_OR_RETURN(f.confidence, QueryText(c, "confidence"));
  TS_ASSIGN_OR_RETURN(f.assignee, PersonParam(c, "assignee"));
  // view=grid: what a grid of all items shows, without each draft's alternatives and reasons
  // (three quarters of the bytes), which GET …/items/{id} gives for the item in view.
  TS_ASSIGN_OR_RETURN(std::string view, QueryText(c, "view"));
  if (!view.empty() && view != "full" && view != "grid") return InvalidArgument("view must be full or grid");
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(std::vector<service::ItemView> items, service::ListItems(ctx, c.ids.at("questionnaire"), f));
  People people(c);
  json out = json::array();
  for (const service::ItemView& v : items) {
    TS_ASSIGN_OR_RETURN(json one, ItemJson(people, v));
    if (view == "grid") {
      if (json& d = one["draft"]; d.is_object()) {
        d.erase("alternatives");
        d.erase("why");
      }
      one["summary"] = true;
    }
    out.push_back(std::move(one));
  }
  c.Json(200, {{"items", out}, {"total", out.size()}});
  return Status();
}

Status GetItem(Call& c) {
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(service::ItemView v, service::GetItem(ctx, c.ids.at("questionnaire"), c.ids.at("item")));
  return SendItem(c, v);
}

Status ReviewItem(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  service::ReviewAction a;
  TS_ASSIGN_OR_RETURN(a.action, StringField(b, "action", 32));
  if (b.contains("version")) {
    TS_ASSIGN_OR_RETURN(std::int64_t v, IntField(b, "version", 0, 1, 1'000'000'000));
    a.version = static_cast<int>(v);
  }
  if (b.contains("alternative")) {
    TS_ASSIGN_OR_RETURN(std::int64_t i, IntField(b, "alternative", 0, 0, 100));
    a.alternative = static_cast<int>(i);
  }
  for (auto [key, field] : {std::pair{"mark", &a.mark}, std::pair{"text", &a.text}, std::pair{"remarks", &a.remarks}}) {
    if (!b.contains(key)) continue;
    // Sent exactly as typed: no trimming, line breaks kept; bounded by the use case.
    TS_ASSIGN_OR_RETURN(std::string v, StringField(b, key, 16'000, false));
    *field = std::move(v);
  }
  service::Context ctx = ServiceContext(c);
  const std::int64_t id = c.ids.at("questionnaire");
  TS_ASSIGN_OR_RETURN(service::ItemView v, service::ReviewItem(ctx, id, c.ids.at("item"), a));
  // The questionnaire's status and progress come along: the first action starts it.
  TS_ASSIGN_OR_RETURN(service::QuestionnaireView qv, service::GetQuestionnaire(ctx, id));
  People people(c);
  TS_ASSIGN_OR_RETURN(json out, ItemJson(people, v));
  TS_ASSIGN_OR_RETURN(json q, QuestionnaireJson(c, people, qv));
  out["questionnaire_summary"] = {{"id", id}, {"status", q["status"]}, {"progress", q["progress"]}};
  c.Json(200, out);
  return Status();
}

Status BulkAccept(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string band, StringField(b, "confidence", 16, false));
  if (band.empty()) band = "high";
  if (band != "high" && band != "medium") return InvalidArgument("confidence must be high or medium");
  service::Context ctx = ServiceContext(c);
  const std::int64_t id = c.ids.at("questionnaire");
  TS_ASSIGN_OR_RETURN(int n, service::BulkAccept(ctx, id, *match::ConfidenceFromName(band)));
  TS_ASSIGN_OR_RETURN(service::QuestionnaireView v, service::GetQuestionnaire(ctx, id));
  People people(c);
  TS_ASSIGN_OR_RETURN(json q, QuestionnaireJson(c, people, v));
  c.Json(200, {{"accepted", n}, {"questionnaire", q}});
  return Status();
}

Status AssignItem(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  if (!b.contains("user")) return InvalidArgument("user is required (a user id, or null for nobody)");
  std::int64_t user = 0;
  if (!b["user"].is_null()) {
    TS_ASSIGN_OR_RETURN(user, IntField(b, "user", 0, 1, std::numeric_limits<std::int64_t>::max()));
  }
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(service::ItemView v, service::AssignItem(ctx, c.ids.at("questionnaire"), c.ids.at("item"), user));
  return SendItem(c, v);
}

Result<json> CommentJson(People& people, const store::ItemComment& x) {
  TS_ASSIGN_OR_RETURN(json author, people.Of(x.user_id));
  return json{{"id", x.id}, {"body", x.body}, {"author", author}, {"created_at", x.created_at}};
}

Status ListComments(Call& c) {
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(std::vector<store::ItemComment> all,
                      service::ListComments(ctx, c.ids.at("questionnaire"), c.ids.at("item")));
  People people(c);
  json items = json::array();
  for (const store::ItemComment& x : all) {
    TS_ASSIGN_OR_RETURN(json one, CommentJson(people, x));
    items.push_back(std::move(one));
  }
  c.Json(200, {{"items", items}});
  return Status();
}

Status AddComment(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string body, StringField(b, "body", 16'000));
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(store::ItemComment x, service::AddComment(ctx, c.ids.at("questionnaire"), c.ids.at("item"), body));
  People people(c);
  TS_ASSIGN_OR_RETURN(json out, CommentJson(people, x));
  c.Json(201, out);
  return Status();
}

Status Propose(Call& c) {
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(store::Entry e, service::ProposeToLibrary(ctx, c.ids.at("questionnaire"), c.ids.at("item")));
  c.Json(201, {{"entry", e.id}, {"status", store::EntryStatusName(e.status)}});
  return Status();
}

Status Redraft(Call& c) {
  service::Context ctx = ServiceContext(c);
  const std::int64_t id = c.ids.at("questionnaire");
  TS_ASSIGN_OR_RETURN(service::Redraft r, service::LoadForRedraft(ctx, id));
  TS_ASSIGN_OR_RETURN(std::optional<store::Service> s, c.db().GetService(store::TenantId{c.tenant}, r.q.service_id));
  if (!s) return NotFound("the service of questionnaire " + std::to_string(id) + " is gone");
  TS_ASSIGN_OR_RETURN(DrafterLease lease, TakeDrafter(c, *s));
  std::vector<store::QuestionnaireItem> fresh = service::DraftItems(*lease.drafter, r.sheet);
  const std::string revision = lease.revision;
  ReturnDrafter(c, s->id, std::move(lease));
  TS_ASSIGN_OR_RETURN(service::RedraftReport report, service::ApplyRedraft(ctx, std::move(r), std::move(fresh), revision));
  TS_ASSIGN_OR_RETURN(service::QuestionnaireView v, service::GetQuestionnaire(ctx, id));
  People people(c);
  TS_ASSIGN_OR_RETURN(json q, QuestionnaireJson(c, people, v));
  c.Json(200, {{"redrafted", report.redrafted}, {"kept", report.kept}, {"questionnaire", q}});
  return Status();
}

Status Filled(Call& c) {
  const std::string include = c.req.has_param("include_drafts") ? c.req.get_param_value("include_drafts") : "";
  if (!include.empty() && include != "high") return InvalidArgument("include_drafts must be high (or absent)");
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(service::FilledFile f, service::BuildFilledFile(ctx, c.ids.at("questionnaire"), include == "high"));
  c.res.set_header("X-Trustsheet-Answers", std::to_string(f.answers));
  c.res.set_header("X-Trustsheet-Unreviewed", std::to_string(f.unreviewed));
  // Reviewed answers the file had no cell for: said, never dropped silently.
  c.res.set_header("X-Trustsheet-Not-Written", std::to_string(f.not_written.size()));
  SendFile(c, f.name, std::move(f.bytes));
  return Status();
}

Status Assignments(Call& c) {
  TS_ASSIGN_OR_RETURN(std::int64_t offset, c.IntParam("offset", 0, 0, 1'000'000'000));
  TS_ASSIGN_OR_RETURN(std::int64_t limit, c.IntParam("limit", kDefaultPageSize, 1, kMaxPageSize));
  service::Context ctx = ServiceContext(c);
  TS_ASSIGN_OR_RETURN(std::vector<store::Assignment> mine, service::MyAssignments(ctx, offset, limit));
  json items = json::array();
  for (const store::Assignment& a : mine) {
    const json d = ParseStored(a.item.draft_json);
    const json item = d.is_object() ? d.value("item", json::object()) : json::object();
    items.push_back({{"id", a.item.id},
                     {"number", item.value("number", "")},
                     {"question", item.value("question", "")},
                     {"state", a.item.state},
                     {"confidence", a.item.confidence},
                     {"questionnaire",
                      {{"id", a.questionnaire.id},
                       {"title", a.questionnaire.title},
                       {"customer", a.questionnaire.customer},
                       {"due_date", a.questionnaire.due_date},
                       {"status", a.questionnaire.status}}}});
  }
  c.Json(200, {{"items", items}, {"offset", offset}, {"limit", limit}});
  return Status();
}

Status Members(Call& c) {
  TS_ASSIGN_OR_RETURN(std::vector<store::Membership> ms, c.db().TenantMembers(c.tenant));
  json items = json::array();
  for (const store::Membership& m : ms) {
    TS_ASSIGN_OR_RETURN(std::optional<store::User> u, c.db().GetUser(m.user_id));
    if (!u || u->deleted || u->disabled) continue;
    items.push_back({{"id", u->id}, {"name", u->name}, {"email", u->email}, {"role", m.role}});
  }
  c.Json(200, {{"items", items}});
  return Status();
}

}  // namespace

service::Context ServiceContext(Call& c) {
  return service::Context{c.db(), store::TenantId{c.tenant}, c.user ? c.user->id : 0, c.Actor(),
                          [&c](std::string_view action, std::string_view target, std::string_view result) {
                            return c.Audit(action, target, result);
                          }};
}

void AddQuestionnaireRoutes(std::vector<Route>* routes) {
  auto add = [&](const char* method, const char* pattern, Permission p, Handler h) -> Route& {
    Route& r = AddRoute(routes, method, pattern, p, std::move(h));
    r.api_token = true;
    return r;
  };
  const std::string q = "/api/v1/questionnaires/{questionnaire}";
  const std::string item = q + "/items/{item}";
  add("POST", "/api/v1/questionnaires", Permission::kEdit, CreateQuestionnaire).own_transactions = true;  // parse, draft
  add("GET", "/api/v1/questionnaires", Permission::kRead, ListQuestionnaires);
  add("GET", q.c_str(), Permission::kRead, GetQuestionnaire);
  add("PATCH", q.c_str(), Permission::kEdit, PatchQuestionnaire);
  add("DELETE", q.c_str(), Permission::kEdit, DeleteQuestionnaire);
  add("GET", (q + "/items").c_str(), Permission::kRead, ListItems);
  add("POST", (q + "/bulk-accept").c_str(), Permission::kReview, BulkAccept);
  add("POST", (q + "/redraft").c_str(), Permission::kEdit, Redraft).own_transactions = true;
  add("GET", (q + "/filled").c_str(), Permission::kRead, Filled);
  add("GET", item.c_str(), Permission::kRead, GetItem);
  add("POST", (item + "/review").c_str(), Permission::kReview, ReviewItem);
  add("PUT", (item + "/assignee").c_str(), Permission::kReview, AssignItem);
  add("GET", (item + "/comments").c_str(), Permission::kRead, ListComments);
  add("POST", (item + "/comments").c_str(), Permission::kReview, AddComment);
  add("POST", (item + "/propose").c_str(), Permission::kReview, Propose);
  add("GET", "/api/v1/assignments", Permission::kRead, Assignments);
  add("GET", "/api/v1/members", Permission::kRead, Members);
}

}  // namespace ts::server
