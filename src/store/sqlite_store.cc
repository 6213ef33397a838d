#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "store/store.h"

namespace ts::store {
namespace {

using json = nlohmann::json;

// Schema migrations, applied in order; the index + 1 is the schema version. Never edit a
// migration that has shipped: add a new one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
INSERT INTO tenants (id, name, created_at) VALUES (1, 'local', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  service_id INTEGER NOT NULL REFERENCES services (id),
  name TEXT NOT NULL,
  source_file TEXT NOT NULL,
  format TEXT NOT NULL,
  version INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (tenant_id, service_id, name)
);
CREATE TABLE entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  service_id INTEGER NOT NULL REFERENCES services (id),
  document_id INTEGER REFERENCES documents (id),
  source_item TEXT NOT NULL DEFAULT '',
  section TEXT NOT NULL DEFAULT '[]',
  number TEXT NOT NULL DEFAULT '',
  question TEXT NOT NULL,
  mark TEXT NOT NULL,
  answer_text TEXT NOT NULL DEFAULT '',
  remarks TEXT NOT NULL DEFAULT '',
  controls TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'retired')),
  owner TEXT NOT NULL DEFAULT '',
  review_date TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX entries_by_service ON entries (tenant_id, service_id);
CREATE UNIQUE INDEX entries_by_source ON entries (tenant_id, document_id, source_item) WHERE document_id IS NOT NULL;
CREATE TABLE entry_history (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  entry_id INTEGER NOT NULL REFERENCES entries (id),
  version INTEGER NOT NULL,
  changed_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  snapshot TEXT NOT NULL
);
CREATE INDEX history_by_entry ON entry_history (tenant_id, entry_id);
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  service_id INTEGER NOT NULL REFERENCES services (id),
  question_key TEXT NOT NULL,
  question TEXT NOT NULL,
  entry_id INTEGER NOT NULL REFERENCES entries (id),
  accepted INTEGER NOT NULL,
  actor TEXT NOT NULL,
  decided_at TEXT NOT NULL
);
CREATE INDEX decisions_by_service ON decisions (tenant_id, service_id);
)sql",
};

std::string NowUtc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// One prepared statement; finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p),
                                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

std::vector<std::string> JsonList(const std::string& s) {
  json j = json::parse(s, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

json EntryJson(const Entry& e) {
  return {{"id", e.id},
          {"service_id", e.service_id},
          {"document_id", e.document_id},
          {"source_item", e.source_item},
          {"section", e.section},
          {"number", e.number},
          {"question", e.question},
          {"mark", std::string(sheet::MarkName(e.mark))},
          {"answer_text", e.answer_text},
          {"remarks", e.remarks},
          {"controls", e.controls},
          {"status", std::string(EntryStatusName(e.status))},
          {"owner", e.owner},
          {"review_date", e.review_date},
          {"version", e.version},
          {"created_at", e.created_at},
          {"updated_at", e.updated_at}};
}

Entry EntryFromJson(const json& j) {
  Entry e;
  e.id = j.value("id", std::int64_t{0});
  e.service_id = j.value("service_id", std::int64_t{0});
  e.document_id = j.value("document_id", std::int64_t{0});
  e.source_item = j.value("source_item", "");
  if (j.contains("section")) e.section = j["section"].get<std::vector<std::string>>();
  e.number = j.value("number", "");
  e.question = j.value("question", "");
  e.mark = sheet::MarkFromName(j.value("mark", "none")).value_or(sheet::Mark::kNone);
  e.answer_text = j.value("answer_text", "");
  e.remarks = j.value("remarks", "");
  if (j.contains("controls")) e.controls = j["controls"].get<std::vector<std::string>>();
  e.status = EntryStatusFromName(j.value("status", "draft")).value_or(EntryStatus::kDraft);
  e.owner = j.value("owner", "");
  e.review_date = j.value("review_date", "");
  e.version = j.value("version", 0);
  e.created_at = j.value("created_at", "");
  e.updated_at = j.value("updated_at", "");
  return e;
}

constexpr const char* kEntryColumns =
    "id, service_id, COALESCE(document_id, 0), source_item, section, number, question, mark, answer_text, remarks, "
    "controls, status, owner, review_date, version, created_at, updated_at";

Entry ReadEntry(const Stmt& s) {
  Entry e;
  e.id = s.Int(0);
  e.service_id = s.Int(1);
  e.document_id = s.Int(2);
  e.source_item = s.Text(3);
  e.section = JsonList(s.Text(4));
  e.number = s.Text(5);
  e.question = s.Text(6);
  e.mark = sheet::MarkFromName(s.Text(7)).value_or(sheet::Mark::kNone);
  e.answer_text = s.Text(8);
  e.remarks = s.Text(9);
  e.controls = JsonList(s.Text(10));
  e.status = EntryStatusFromName(s.Text(11)).value_or(EntryStatus::kDraft);
  e.owner = s.Text(12);
  e.review_date = s.Text(13);
  e.version = static_cast<int>(s.Int(14));
  e.created_at = s.Text(15);
  e.updated_at = s.Text(16);
  return e;
}

constexpr const char* kDocumentColumns = "id, service_id, name, source_file, format, version, imported_at";

Document ReadDocument(const Stmt& q) {
  return Document{q.Int(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4), static_cast<int>(q.Int(5)), q.Text(6)};
}

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err != nullptr ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return Error(m);
    }
    return Status();
  }

  Status Error(std::string_view what) const {
    int code = sqlite3_errcode(db_);
    std::string m = path_ + ": database error: " + std::string(what);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return Unavailable(m + " (database is busy)");
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) return Corruption(m);
    return Internal(m);
  }
  Status Error() const { return Error(sqlite3_errmsg(db_)); }

  Status Migrate() {
    TS_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"));
    Stmt v(db_, "PRAGMA user_version");
    if (!v.ok() || v.Step() != SQLITE_ROW) return Error();
    const std::int64_t have = v.Int(0);
    const std::int64_t want = static_cast<std::int64_t>(std::size(kMigrations));
    if (have > want) {
      return Status(ErrorCode::kConflict, path_ + ": database schema version " + std::to_string(have) +
                                " is newer than this trustsheet (" + std::to_string(want) + ")");
    }
    for (std::int64_t i = have; i < want; ++i) {
      TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
        TS_RETURN_IF_ERROR(Exec(kMigrations[i]));
        return Exec(("PRAGMA user_version=" + std::to_string(i + 1)).c_str());
      }));
    }
    return Status();
  }

  Status Transaction(const std::function<Status()>& body) override {
    if (depth_ > 0) return body();  // nested: part of the outer transaction
    TS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    ++depth_;
    Status s = body();
    --depth_;
    if (!s.ok()) {
      (void)Exec("ROLLBACK");  // the body's error is the one to report
      return s;
    }
    return Exec("COMMIT");
  }

  Result<Service> EnsureService(TenantId t, std::string_view name) override {
    TS_ASSIGN_OR_RETURN(std::optional<Service> found, FindService(t, name));
    if (found) return *found;
    Stmt s(db_, "INSERT INTO services (tenant_id, name, created_at) VALUES (?, ?, ?)");
    s.Bind(1, t.value).Bind(2, name).Bind(3, NowUtc());
    if (s.Step() != SQLITE_DONE) return Error();
    return Service{sqlite3_last_insert_rowid(db_), std::string(name)};
  }

  Result<std::optional<Service>> FindService(TenantId t, std::string_view name) override {
    Stmt s(db_, "SELECT id, name FROM services WHERE tenant_id = ? AND name = ?");
    s.Bind(1, t.value).Bind(2, name);
    int rc = s.Step();
    if (rc == SQLITE_ROW) return std::optional<Service>(Service{s.Int(0), s.Text(1)});
    if (rc != SQLITE_DONE) return Error();
    return std::optional<Service>();
  }

  Result<std::vector<Service>> ListServices(TenantId t) override {
    Stmt s(db_, "SELECT id, name FROM services WHERE tenant_id = ? ORDER BY name");
    s.Bind(1, t.value);
    return All<Service>(s, [](const Stmt& r) { return Service{r.Int(0), r.Text(1)}; });
  }

  Result<Document> RecordImport(TenantId t, std::int64_t service_id, std::string_view name,
                                std::string_view source_file, std::string_view format) override {
    TS_RETURN_IF_ERROR(RequireService(t, service_id));
    const std::string now = NowUtc();
    Stmt s(db_,
           "INSERT INTO documents (tenant_id, service_id, name, source_file, format, version, imported_at) "
           "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (tenant_id, service_id, name) DO UPDATE SET "
           "source_file = excluded.source_file, format = excluded.format, version = version + 1, "
           "imported_at = excluded.imported_at");
    s.Bind(1, t.value).Bind(2, service_id).Bind(3, name).Bind(4, source_file).Bind(5, format).Bind(6, now);
    if (s.Step() != SQLITE_DONE) return Error();
    Stmt q(db_, (std::string("SELECT ") + kDocumentColumns +
                 " FROM documents WHERE tenant_id = ? AND service_id = ? AND name = ?")
                    .c_str());
    q.Bind(1, t.value).Bind(2, service_id).Bind(3, name);
    if (q.Step() != SQLITE_ROW) return Error();
    return ReadDocument(q);
  }

  Result<std::vector<Document>> ListDocuments(TenantId t, std::int64_t service_id) override {
    Stmt q(db_, (std::string("SELECT ") + kDocumentColumns +
                 " FROM documents WHERE tenant_id = ? AND service_id = ? ORDER BY name")
                    .c_str());
    q.Bind(1, t.value).Bind(2, service_id);
    return All<Document>(q, ReadDocument);
  }

  Result<std::int64_t> InsertEntry(TenantId t, const Entry& e_in, std::string_view actor) override {
    TS_RETURN_IF_ERROR(RequireService(t, e_in.service_id));
    Entry e = e_in;
    e.version = 1;
    e.created_at = e.updated_at = NowUtc();
    std::int64_t id = 0;
    TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Stmt s(db_,
             "INSERT INTO entries (tenant_id, service_id, document_id, source_item, section, number, question, mark, "
             "answer_text, remarks, controls, status, owner, review_date, version, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      BindEntry(s, t, e);
      s.Bind(15, std::int64_t{e.version}).Bind(16, e.created_at).Bind(17, e.updated_at);
      if (s.Step() != SQLITE_DONE) return Error();
      id = sqlite3_last_insert_rowid(db_);
      e.id = id;
      return AddHistory(t, e, actor, "created");
    }));
    return id;
  }

  Status UpdateEntry(TenantId t, const Entry& e_in, std::string_view actor, std::string_view action) override {
    return Transaction([&]() -> Status {
      TS_ASSIGN_OR_RETURN(std::optional<Entry> old, GetEntry(t, e_in.id));
      if (!old) return NotFound("library entry " + std::to_string(e_in.id) + " not found");
      Entry e = e_in;
      e.service_id = old->service_id;
      e.created_at = old->created_at;
      e.version = old->version + 1;
      e.updated_at = NowUtc();
      Stmt s(db_,
             "UPDATE entries SET tenant_id = ?, service_id = ?, document_id = ?, source_item = ?, section = ?, "
             "number = ?, question = ?, mark = ?, answer_text = ?, remarks = ?, controls = ?, status = ?, owner = ?, "
             "review_date = ?, version = ?, updated_at = ? WHERE id = ? AND tenant_id = ?");
      BindEntry(s, t, e);
      s.Bind(15, std::int64_t{e.version}).Bind(16, e.updated_at).Bind(17, e.id).Bind(18, t.value);
      if (s.Step() != SQLITE_DONE) return Error();
      return AddHistory(t, e, actor, action);
    });
  }

  Result<std::optional<Entry>> GetEntry(TenantId t, std::int64_t id) override {
    Stmt s(db_, (std::string("SELECT ") + kEntryColumns + " FROM entries WHERE tenant_id = ? AND id = ?").c_str());
    s.Bind(1, t.value).Bind(2, id);
    return One(s);
  }

  Result<std::optional<Entry>> FindEntryBySource(TenantId t, std::int64_t document_id,
                                                 std::string_view source_item) override {
    Stmt s(db_, (std::string("SELECT ") + kEntryColumns +
                 " FROM entries WHERE tenant_id = ? AND document_id = ? AND source_item = ?")
                    .c_str());
    s.Bind(1, t.value).Bind(2, document_id).Bind(3, source_item);
    return One(s);
  }

  Result<std::vector<Entry>> ListEntries(TenantId t, std::int64_t service_id) override {
    Stmt s(db_, (std::string("SELECT ") + kEntryColumns +
                 " FROM entries WHERE tenant_id = ? AND service_id = ? ORDER BY id")
                    .c_str());
    s.Bind(1, t.value).Bind(2, service_id);
    return All<Entry>(s, ReadEntry);
  }

  Result<std::vector<HistoryRecord>> History(TenantId t, std::int64_t entry_id) override {
    Stmt s(db_,
           "SELECT version, changed_at, actor, action, snapshot FROM entry_history "
           "WHERE tenant_id = ? AND entry_id = ? ORDER BY version, id");
    s.Bind(1, t.value).Bind(2, entry_id);
    return All<HistoryRecord>(s, [](const Stmt& r) {
      json snap = json::parse(r.Text(4), nullptr, false);
      return HistoryRecord{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), r.Text(3),
                           snap.is_object() ? EntryFromJson(snap) : Entry{}};
    });
  }

  Status AddDecision(TenantId t, std::int64_t service_id, const DecisionRecord& d) override {
    TS_RETURN_IF_ERROR(RequireService(t, service_id));
    TS_ASSIGN_OR_RETURN(std::optional<Entry> e, GetEntry(t, d.entry_id));
    if (!e || e->service_id != service_id) {
      return NotFound("library entry " + std::to_string(d.entry_id) + " not found in this service");
    }
    Stmt s(db_,
           "INSERT INTO decisions (tenant_id, service_id, question_key, question, entry_id, accepted, actor, "
           "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, t.value).Bind(2, service_id).Bind(3, d.question_key).Bind(4, d.question).Bind(5, d.entry_id);
    s.Bind(6, std::int64_t{d.accepted ? 1 : 0}).Bind(7, d.actor).Bind(8, d.decided_at.empty() ? NowUtc() : d.decided_at);
    if (s.Step() != SQLITE_DONE) return Error();
    return Status();
  }

  Result<std::vector<DecisionRecord>> Decisions(TenantId t, std::int64_t service_id) override {
    Stmt s(db_,
           "SELECT question_key, question, entry_id, accepted, actor, decided_at FROM decisions "
           "WHERE tenant_id = ? AND service_id = ? ORDER BY id");
    s.Bind(1, t.value).Bind(2, service_id);
    return All<DecisionRecord>(s, [](const Stmt& r) {
      return DecisionRecord{r.Text(0), r.Text(1), r.Int(2), r.Int(3) != 0, r.Text(4), r.Text(5)};
    });
  }

 private:
  // Every row of `s`, read with `read`; a database error instead of a partial list.
  template <typename T, typename Read>
  Result<std::vector<T>> All(Stmt& s, Read read) {
    std::vector<T> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(read(s));
    if (rc != SQLITE_DONE) return Error();
    return out;
  }

  Status RequireService(TenantId t, std::int64_t service_id) {
    Stmt s(db_, "SELECT 1 FROM services WHERE tenant_id = ? AND id = ?");
    s.Bind(1, t.value).Bind(2, service_id);
    int rc = s.Step();
    if (rc == SQLITE_ROW) return Status();
    if (rc != SQLITE_DONE) return Error();
    return NotFound("service " + std::to_string(service_id) + " not found");
  }

  void BindEntry(Stmt& s, TenantId t, const Entry& e) {
    s.Bind(1, t.value).Bind(2, e.service_id);
    if (e.document_id == 0) {
      s.BindNull(3);
    } else {
      s.Bind(3, e.document_id);
    }
    s.Bind(4, e.source_item).Bind(5, json(e.section).dump()).Bind(6, e.number).Bind(7, e.question);
    s.Bind(8, sheet::MarkName(e.mark)).Bind(9, e.answer_text).Bind(10, e.remarks).Bind(11, json(e.controls).dump());
    s.Bind(12, EntryStatusName(e.status)).Bind(13, e.owner).Bind(14, e.review_date);
  }

  Status AddHistory(TenantId t, const Entry& e, std::string_view actor, std::string_view action) {
    Stmt h(db_,
           "INSERT INTO entry_history (tenant_id, entry_id, version, changed_at, actor, action, snapshot) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)");
    h.Bind(1, t.value).Bind(2, e.id).Bind(3, std::int64_t{e.version}).Bind(4, e.updated_at).Bind(5, actor);
    h.Bind(6, action).Bind(7, EntryJson(e).dump());
    if (h.Step() != SQLITE_DONE) return Error();
    return Status();
  }

  Result<std::optional<Entry>> One(Stmt& s) {
    int rc = s.Step();
    if (rc == SQLITE_ROW) return std::optional<Entry>(ReadEntry(s));
    if (rc != SQLITE_DONE) return Error();
    return std::optional<Entry>();
  }

  sqlite3* db_;
  std::string path_;
  int depth_ = 0;
};

}  // namespace

std::string_view EntryStatusName(EntryStatus s) {
  switch (s) {
    case EntryStatus::kApproved: return "approved";
    case EntryStatus::kRetired: return "retired";
    case EntryStatus::kDraft: break;
  }
  return "draft";
}

std::optional<EntryStatus> EntryStatusFromName(std::string_view name) {
  for (EntryStatus s : {EntryStatus::kDraft, EntryStatus::kApproved, EntryStatus::kRetired}) {
    if (EntryStatusName(s) == name) return s;
  }
  return std::nullopt;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Unavailable(path + ": cannot open database: " + m);
  }
  auto store = std::make_unique<SqliteStore>(db, path);
  Status s = store->Migrate();
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace ts::store
