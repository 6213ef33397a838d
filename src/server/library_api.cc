// The vendor workflow over HTTP, the same core calls as the CLI: services and their answer
// libraries (import an answered checksheet, list, edit, approve, retire, export), customer
// sheets (upload, list, download), drafts for a sheet and the filled file. Also the demo data.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <map>

#include "base/file_io.h"
#include "catalog/catalog.h"
#include "ingest/import.h"
#include "library/library.h"
#include "server/internal/app.h"
#include "service/questionnaire.h"
#include "sheet/sheet_json.h"

namespace ts::server {
namespace {

Result<store::Service> ServiceOf(Call& c) {
  TS_ASSIGN_OR_RETURN(std::optional<store::Service> s, c.db().GetService(store::TenantId{c.tenant}, c.ids.at("service")));
  if (!s) return NotFound("service not found");
  return *s;
}

Result<sheet::Checksheet> ImportUpload(const Call& c, const std::string& name) {
  if (c.req.body.empty()) return InvalidArgument(name + ": the request body (the file) is empty");
  return ingest::ImportBytes(c.req.body, name);
}

Status ListServices(Call& c) {
  TS_ASSIGN_OR_RETURN(std::vector<store::Service> all, c.db().ListServices(store::TenantId{c.tenant}));
  json items = json::array();
  for (const auto& s : all) items.push_back({{"id", s.id}, {"name", s.name}});
  c.Json(200, {{"items", items}, {"total", items.size()}});
  return Status();
}

Status CreateService(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string name, StringField(b, "name", 200));
  TS_ASSIGN_OR_RETURN(store::Service s, c.db().EnsureService(store::TenantId{c.tenant}, name));
  TS_RETURN_IF_ERROR(c.Audit("service.create", "service:" + std::to_string(s.id)));
  c.Json(201, {{"id", s.id}, {"name", s.name}});
  return Status();
}

// A page of the service's entries; with any of q, owner, control, review_before the whole
// library is read and filtered here (the answer and remarks are sealed, so SQL cannot search
// them). Each entry names its document.
Status ListEntries(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Service s, ServiceOf(c));
  TS_ASSIGN_OR_RETURN(std::int64_t offset, c.IntParam("offset", 0, 0, 1'000'000'000));
  TS_ASSIGN_OR_RETURN(std::int64_t limit, c.IntParam("limit", kDefaultPageSize, 1, kMaxPageSize));
  library::EntryFilter f;
  if (c.req.has_param("status")) {
    f.status = store::EntryStatusFromName(c.req.get_param_value("status"));
    if (!f.status) return InvalidArgument("status must be draft, approved or retired");
  }
  f.text = c.req.get_param_value("q");
  f.owner = c.req.get_param_value("owner");
  f.control = c.req.get_param_value("control");
  f.review_before = c.req.get_param_value("review_before");
  for (const std::string* v : {&f.text, &f.owner, &f.control, &f.review_before}) {
    if (v->size() > 300) return InvalidArgument("a filter is too long (at most 300 bytes)");
  }
  const store::TenantId tenant{c.tenant};
  store::Store::EntryPage page;
  if (f.text.empty() && f.owner.empty() && f.control.empty() && f.review_before.empty()) {
    TS_ASSIGN_OR_RETURN(page, c.db().PageEntries(tenant, s.id, f.status, offset, limit));
  } else {
    TS_ASSIGN_OR_RETURN(std::vector<store::Entry> all, c.db().ListEntries(tenant, s.id));
    for (store::Entry& e : all) {
      if (!library::EntryMatches(e, f)) continue;
      if (page.total >= offset && page.total < offset + limit) page.entries.push_back(std::move(e));
      ++page.total;
    }
  }
  TS_ASSIGN_OR_RETURN(std::vector<store::Document> docs, c.db().ListDocuments(tenant, s.id));
  std::map<std::int64_t, std::string> doc_names;
  for (const store::Document& d : docs) doc_names[d.id] = d.name;
  nlohmann::ordered_json out = library::EntriesJson(page.entries, s.name);  // built once, written once
  for (auto& e : out["entries"]) {
    const std::int64_t doc = e.value("document_id", std::int64_t{0});
    if (doc != 0) {
      e["document"] = {{"id", doc}, {"name", doc_names[doc]}};
    } else {
      // Entered by hand, or proposed from a questionnaire's edited answer.
      e["document"] = e.value("source_item", "").rfind("questionnaire:", 0) == 0
                          ? nlohmann::ordered_json{{"id", 0}, {"name", "回答依頼"}}
                          : nlohmann::ordered_json(nullptr);
    }
  }
  out["total"] = page.total;
  out["offset"] = offset;
  out["limit"] = limit;
  c.Json(200, out);
  return Status();
}

// Pairs of entries that ask the same thing: with the same answer (duplicate) or not (conflict).
Status Conflicts(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Service s, ServiceOf(c));
  TS_ASSIGN_OR_RETURN(std::vector<store::Entry> all, c.db().ListEntries(store::TenantId{c.tenant}, s.id));
  std::erase_if(all, [](const store::Entry& e) { return e.status == store::EntryStatus::kRetired; });
  Result<std::vector<library::Finding>> findings = library::FindDuplicates(all, &catalog::Catalog::Builtin());
  if (!findings.ok()) return findings.status();
  auto side = [](const store::Entry& e) {
    return json{{"id", e.id}, {"question", e.question}, {"mark", sheet::MarkName(e.mark)},
                {"answer_text", e.answer_text}, {"remarks", e.remarks}, {"status", store::EntryStatusName(e.status)}};
  };
  json items = json::array();
  int conflicts = 0;
  for (const library::Finding& f : *findings) {
    conflicts += f.kind == "conflict";
    items.push_back({{"kind", f.kind}, {"score", std::round(f.score * 1000) / 1000}, {"a", side(f.a)}, {"b", side(f.b)}});
  }
  c.Json(200, {{"items", items}, {"conflicts", conflicts}, {"duplicates", static_cast<int>(items.size()) - conflicts}});
  return Status();
}

Status ImportChecksheet(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Service s, ServiceOf(c));
  TS_ASSIGN_OR_RETURN(std::string name, FileName(c));
  library::AddOptions options;
  options.document = c.req.has_param("document") ? c.req.get_param_value("document") : library::DefaultDocumentName(name);
  if (c.req.has_param("status")) {
    auto st = store::EntryStatusFromName(c.req.get_param_value("status"));
    if (!st || *st == store::EntryStatus::kRetired) return InvalidArgument("status must be draft or approved");
    options.status = *st;
  }
  // Approving takes the approve permission; editors import drafts.
  if (options.status == store::EntryStatus::kApproved && !RoleAllows(c.role, Permission::kApprove)) {
    options.status = store::EntryStatus::kDraft;
  }
  options.actor = c.Actor();
  Result<sheet::Checksheet> sheet = ImportUpload(c, name);
  if (!sheet.ok()) {
    (void)c.Audit("import", name, "error: " + sheet.status().message());
    return sheet.status();
  }
  library::AddReport report;
  std::int64_t file_id = 0;
  TS_RETURN_IF_ERROR(c.db().Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(file_id, c.db().PutFile(c.tenant, name, c.req.body, c.user ? c.user->id : 0));
    TS_ASSIGN_OR_RETURN(report, library::AddChecksheet(c.db(), store::TenantId{c.tenant}, s, *sheet, options,
                                                       catalog::Catalog::Builtin()));
    return Status();
  }));
  TS_RETURN_IF_ERROR(c.Audit("import", "service:" + std::to_string(s.id) + " file:" + std::to_string(file_id),
                             "ok " + std::to_string(report.added) + " added, " + std::to_string(report.updated) + " updated"));
  c.Json(201, {{"file", file_id},
               {"document", report.document.name},
               {"version", report.document.version},
               {"added", report.added},
               {"updated", report.updated},
               {"unchanged", report.unchanged},
               {"retired", report.retired},
               {"skipped", report.skipped},
               {"status", store::EntryStatusName(options.status)}});
  return Status();
}

Status ExportLibrary(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Service s, ServiceOf(c));
  const std::string format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
  if (format != "json" && format != "csv") return InvalidArgument("format must be json or csv");
  TS_ASSIGN_OR_RETURN(std::vector<store::Entry> all, c.db().ListEntries(store::TenantId{c.tenant}, s.id));
  TS_RETURN_IF_ERROR(c.Audit("export", "service:" + std::to_string(s.id), "ok " + format));
  if (format == "csv") {
    c.res.set_header("Content-Disposition", "attachment; filename=\"library.csv\"");
    c.res.set_content(library::EntriesToCsv(all, s.name), "text/csv; charset=utf-8");
  } else {
    c.res.set_content(library::EntriesToJson(all, s.name), kJsonType);
  }
  return Status();
}

Status CreateEntry(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Service s, ServiceOf(c));
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  store::Entry e;
  e.service_id = s.id;
  TS_ASSIGN_OR_RETURN(e.question, StringField(b, "question", 4000));
  TS_ASSIGN_OR_RETURN(std::string mark_name, StringField(b, "mark", 16, false));
  auto mark = sheet::MarkFromName(mark_name.empty() ? "none" : mark_name);
  if (!mark) return InvalidArgument("mark must be yes, no, partial, planned, not-applicable, text or none");
  e.mark = *mark;
  TS_ASSIGN_OR_RETURN(e.answer_text, StringField(b, "answer_text", 8000, false));
  TS_ASSIGN_OR_RETURN(e.remarks, StringField(b, "remarks", 8000, false));
  e.status = store::EntryStatus::kDraft;
  TS_ASSIGN_OR_RETURN(e.id, c.db().InsertEntry(store::TenantId{c.tenant}, e, c.Actor()));
  TS_RETURN_IF_ERROR(c.Audit("entry.create", "entry:" + std::to_string(e.id)));
  c.Json(201, {{"id", e.id}});
  return Status();
}

Result<store::Entry> EntryOf(Call& c) {
  TS_ASSIGN_OR_RETURN(std::optional<store::Entry> e, c.db().GetEntry(store::TenantId{c.tenant}, c.ids.at("entry")));
  if (!e) return NotFound("entry not found");
  return *e;
}

Status GetEntry(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Entry e, EntryOf(c));
  TS_ASSIGN_OR_RETURN(std::vector<store::HistoryRecord> h, c.db().History(store::TenantId{c.tenant}, e.id));
  c.res.set_content(library::EntryToJson(e, h), kJsonType);
  return Status();
}

Status UpdateEntry(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Entry e, EntryOf(c));
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  auto text = [&](const char* key, std::string* out) -> Status {
    if (!b.contains(key)) return Status();
    TS_ASSIGN_OR_RETURN(*out, StringField(b, key, 8000, false));
    return Status();
  };
  if (b.contains("mark")) {
    TS_ASSIGN_OR_RETURN(std::string mark_name, StringField(b, "mark", 16));
    auto mark = sheet::MarkFromName(mark_name);
    if (!mark) return InvalidArgument("mark must be yes, no, partial, planned, not-applicable, text or none");
    e.mark = *mark;
  }
  TS_RETURN_IF_ERROR(text("answer_text", &e.answer_text));
  TS_RETURN_IF_ERROR(text("remarks", &e.remarks));
  TS_RETURN_IF_ERROR(text("owner", &e.owner));
  TS_RETURN_IF_ERROR(text("review_date", &e.review_date));
  e.status = store::EntryStatus::kDraft;  // an edited answer is reviewed again
  TS_RETURN_IF_ERROR(c.db().UpdateEntry(store::TenantId{c.tenant}, e, c.Actor(), "updated"));
  TS_RETURN_IF_ERROR(c.Audit("entry.update", "entry:" + std::to_string(e.id)));
  return GetEntry(c);
}

Status SetEntryStatus(Call& c, store::EntryStatus status, const char* action) {
  TS_ASSIGN_OR_RETURN(store::Entry e, EntryOf(c));
  e.status = status;
  TS_RETURN_IF_ERROR(c.db().UpdateEntry(store::TenantId{c.tenant}, e, c.Actor(), std::string(store::EntryStatusName(status))));
  TS_RETURN_IF_ERROR(c.Audit(action, "entry:" + std::to_string(e.id)));
  return GetEntry(c);
}

// Approval goes through the use case: proposals from questionnaires need another person.
Status ApproveEntry(Call& c) {
  service::Context ctx = ServiceContext(c);
  TS_RETURN_IF_ERROR(service::ApproveEntry(ctx, c.ids.at("entry")).status());
  return GetEntry(c);
}

Status UploadFile(Call& c) {
  TS_ASSIGN_OR_RETURN(std::string name, FileName(c));
  Result<sheet::Checksheet> sheet = ImportUpload(c, name);
  if (!sheet.ok()) {
    (void)c.Audit("upload", name, "error: " + sheet.status().message());
    return sheet.status();
  }
  TS_ASSIGN_OR_RETURN(std::int64_t id, c.db().PutFile(c.tenant, name, c.req.body, c.user ? c.user->id : 0));
  TS_RETURN_IF_ERROR(c.Audit("upload", "file:" + std::to_string(id), "ok " + name));
  c.Json(201, {{"id", id},
               {"name", name},
               {"format", sheet->format},
               {"parts", sheet->parts.size()},
               {"items", sheet->ItemCount()},
               {"warnings", sheet->warnings.size()}});
  return Status();
}

// The organization's files, newest first, a page at a time; who uploaded each where known.
Status ListFiles(Call& c) {
  TS_ASSIGN_OR_RETURN(std::int64_t offset, c.IntParam("offset", 0, 0, 1'000'000'000));
  TS_ASSIGN_OR_RETURN(std::int64_t limit, c.IntParam("limit", kDefaultPageSize, 1, kMaxPageSize));
  TS_ASSIGN_OR_RETURN(store::FilePage page, c.db().PageFiles(c.tenant, offset, limit));
  std::map<std::int64_t, json> uploaders;  // a page has few uploaders: read each once
  json items = json::array();
  for (const store::FileInfo& f : page.files) {
    json by = nullptr;
    if (f.uploaded_by != 0) {
      auto known = uploaders.find(f.uploaded_by);
      if (known == uploaders.end()) {
        TS_ASSIGN_OR_RETURN(std::optional<store::User> u, c.db().GetUser(f.uploaded_by));
        json who = u ? json{{"id", u->id}, {"email", u->email}, {"name", u->name}} : json{{"id", f.uploaded_by}};
        known = uploaders.emplace(f.uploaded_by, std::move(who)).first;
      }
      by = known->second;
    }
    items.push_back(
        {{"id", f.id}, {"name", f.name}, {"size", f.size}, {"created_at", f.created_at}, {"uploaded_by", by}});
  }
  c.Json(200, {{"items", items}, {"total", page.total}, {"offset", offset}, {"limit", limit}});
  return Status();
}

Result<store::StoredFile> FileOf(Call& c) {
  TS_ASSIGN_OR_RETURN(std::optional<store::StoredFile> f, c.db().GetFile(c.tenant, c.ids.at("file")));
  if (!f) return NotFound("file not found");
  return std::move(*f);
}

Status DownloadFile(Call& c) {
  TS_ASSIGN_OR_RETURN(store::StoredFile f, FileOf(c));
  TS_RETURN_IF_ERROR(c.Audit("download", "file:" + std::to_string(f.id)));
  SendFile(c, f.name, std::move(f.content));
  return Status();
}

// Drafts every item of an uploaded sheet from the service's approved library.
struct Drafted {
  store::StoredFile file;
  sheet::Checksheet sheet;
  library::DraftedSheet drafted;
  std::string service;
};

Result<Drafted> DraftFile(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Service s, ServiceOf(c));
  TS_ASSIGN_OR_RETURN(store::StoredFile f, FileOf(c));
  const std::string min_name = c.req.has_param("min_confidence") ? c.req.get_param_value("min_confidence") : "medium";
  auto min = match::ConfidenceFromName(min_name);
  if (!min) return InvalidArgument("min_confidence must be high, medium, low or none");
  TS_ASSIGN_OR_RETURN(DrafterLease lease, TakeDrafter(c, s));
  Result<sheet::Checksheet> sheet = ingest::ImportBytes(f.content, f.name);
  std::optional<library::DraftedSheet> drafted;
  if (sheet.ok()) drafted = library::DraftSheet(*lease.drafter, *sheet, *min);
  ReturnDrafter(c, s.id, std::move(lease));
  if (!sheet.ok()) return sheet.status();
  return Drafted{std::move(f), std::move(sheet).value(), std::move(*drafted), s.name};
}

Status Drafts(Call& c) {
  TS_ASSIGN_OR_RETURN(Drafted d, DraftFile(c));
  TS_RETURN_IF_ERROR(c.Audit("answer.draft", "file:" + std::to_string(d.file.id)));
  c.res.set_content(library::DraftsToJson(d.sheet, d.drafted.drafts, d.service), kJsonType);
  return Status();
}

Status Filled(Call& c) {
  TS_ASSIGN_OR_RETURN(Drafted d, DraftFile(c));
  exporter::FillReport report;
  TS_ASSIGN_OR_RETURN(std::string bytes, library::WriteAnswers(d.file.content, d.sheet, d.drafted.fills, &report));
  TS_RETURN_IF_ERROR(c.Audit("download", "file:" + std::to_string(d.file.id) + " filled",
                             "ok " + std::to_string(report.answers) + " answers"));
  c.res.set_header("X-Trustsheet-Answers", std::to_string(report.answers));
  c.res.set_header("X-Trustsheet-Held-Back", std::to_string(d.drafted.held_back.size()));
  std::string name = d.file.name;
  if (!library::FillsInPlace(d.sheet)) name += ".xlsx";
  SendFile(c, "answered_" + name, std::move(bytes));
  return Status();
}

}  // namespace

Result<std::string> FileName(const Call& c) {
  std::string name = c.req.get_param_value("name");
  if (name.empty()) return InvalidArgument("query parameter 'name' (the file name, e.g. sheet.xlsx) is required");
  if (name.size() > 255 || name.find_first_of("/\\\r\n\"") != std::string::npos) {
    return InvalidArgument("query parameter 'name' must be a plain file name");
  }
  return name;
}

void SendFile(Call& c, const std::string& name, std::string bytes) {
  const bool xlsx = name.size() >= 5 && name.substr(name.size() - 5) == ".xlsx";
  const bool csv = name.size() >= 4 && name.substr(name.size() - 4) == ".csv";
  const bool docx = name.size() >= 5 && name.substr(name.size() - 5) == ".docx";
  // RFC 6266 with RFC 5987 for non-ASCII names (most checksheets have Japanese names).
  std::string encoded;
  for (unsigned char ch : name) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += static_cast<char>(ch);
    } else {
      static const char* kHex = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[ch >> 4];
      encoded += kHex[ch & 15];
    }
  }
  c.res.set_header("Content-Disposition", "attachment; filename=\"download\"; filename*=UTF-8''" + encoded);
  c.res.set_content(std::move(bytes), xlsx  ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                      : docx ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                                      : csv  ? "text/csv"
                                            : "application/octet-stream");
}

Result<DrafterLease> TakeDrafter(Call& c, const store::Service& s) {
  const store::TenantId tenant{c.tenant};
  DrafterLease lease;
  // Wait for a drafter in use rather than build yet another (building costs more than
  // drafting); bounded, after which one more is built.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(kDrafterWaitSeconds);
  TS_ASSIGN_OR_RETURN(lease.revision, c.db().LibraryRevision(tenant, s.id));
  {
    std::unique_lock<std::mutex> lock(c.app.drafters_mu);
    for (bool busy = true; busy;) {
      lease.drafter = c.app.drafters.Take(c.tenant, s.id, lease.revision, &busy);
      if (busy && c.app.drafter_returned.wait_until(lock, give_up) == std::cv_status::timeout) break;
    }
  }
  if (lease.drafter) return lease;
  // From here the pool counts a drafter in use for this service: give the slot back on failure.
  Result<library::DraftingLibrary> lib = library::LoadDraftingLibrary(c.db(), tenant, s);
  Result<std::unique_ptr<match::Drafter>> built = lib.status();
  if (lib.ok()) {
    built = match::Drafter::Build(std::move(lib->answers), std::move(lib->decisions), &catalog::Catalog::Builtin());
  }
  if (!built.ok()) {
    ReturnDrafter(c, s.id, std::move(lease));
    return built.status();
  }
  lease.drafter = std::move(built).value();
  return lease;
}

void ReturnDrafter(Call& c, std::int64_t service_id, DrafterLease lease) {
  {
    std::lock_guard<std::mutex> lock(c.app.drafters_mu);
    c.app.drafters.Give(c.tenant, service_id, lease.revision, std::move(lease.drafter));
  }
  c.app.drafter_returned.notify_all();
}

void AddLibraryRoutes(std::vector<Route>* routes) {
  auto add = [&](const char* method, const char* pattern, Permission p, Handler h) -> Route& {
    Route& r = AddRoute(routes, method, pattern, p, std::move(h));
    r.api_token = true;
    return r;
  };
  add("GET", "/api/v1/services", Permission::kRead, ListServices);
  add("POST", "/api/v1/services", Permission::kEdit, CreateService);
  add("GET", "/api/v1/services/{service}/entries", Permission::kRead, ListEntries);
  add("POST", "/api/v1/services/{service}/entries", Permission::kEdit, CreateEntry);
  add("POST", "/api/v1/services/{service}/checksheets", Permission::kEdit, ImportChecksheet).own_transactions = true;
  add("GET", "/api/v1/services/{service}/export", Permission::kRead, ExportLibrary);
  add("GET", "/api/v1/services/{service}/conflicts", Permission::kRead, Conflicts);
  add("GET", "/api/v1/entries/{entry}", Permission::kRead, GetEntry);
  add("PUT", "/api/v1/entries/{entry}", Permission::kEdit, UpdateEntry);
  add("POST", "/api/v1/entries/{entry}/approve", Permission::kApprove, ApproveEntry);
  add("DELETE", "/api/v1/entries/{entry}", Permission::kEdit,
      [](Call& c) { return SetEntryStatus(c, store::EntryStatus::kRetired, "entry.retire"); });
  add("GET", "/api/v1/files", Permission::kRead, ListFiles);
  add("POST", "/api/v1/files", Permission::kEdit, UploadFile).own_transactions = true;  // parse the file
  add("GET", "/api/v1/files/{file}", Permission::kRead, DownloadFile);
  add("GET", "/api/v1/services/{service}/files/{file}/drafts", Permission::kRead, Drafts);
  add("GET", "/api/v1/services/{service}/files/{file}/filled", Permission::kRead, Filled);
}

Status Server::LoadDemo(const std::string& samples_dir) {
  namespace fs = std::filesystem;
  Impl& app = *impl_;
  TS_ASSIGN_OR_RETURN(StorePool::Lease db, app.stores->Take());
  TS_ASSIGN_OR_RETURN(std::optional<std::string> done, db->GetState("demo.tenant"));
  if (done) return Status();
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(samples_dir, ec)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  if (ec) return NotFound(samples_dir + ": cannot read the demo samples: " + ec.message());
  std::sort(files.begin(), files.end());
  return db->Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(store::Tenant t, db->CreateTenant("Demo"));
    TS_RETURN_IF_ERROR(db->SetTenantSettings(t.id, TenantSettingsToJson(TenantSettings{})));
    TS_ASSIGN_OR_RETURN(store::Service s, db->EnsureService(store::TenantId{t.id}, "デモサービス"));
    for (const fs::path& f : files) {
      TS_ASSIGN_OR_RETURN(sheet::Checksheet sheet, ingest::ImportFile(f.string()));
      library::AddOptions options;
      options.document = library::DefaultDocumentName(f.string());
      options.actor = "demo";
      TS_RETURN_IF_ERROR(library::AddChecksheet(*db, store::TenantId{t.id}, s, sheet, options,
                                                catalog::Catalog::Builtin())
                             .status());
    }
    TS_RETURN_IF_ERROR(db->SetState("demo.tenant", std::to_string(t.id)));
    return app.Audit(*db, t.id, "system", "", "demo.load", "service:" + std::to_string(s.id),
                     "ok " + std::to_string(files.size()) + " sheets");
  });
}

}  // namespace ts::server
