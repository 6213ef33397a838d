#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <type_traits>
#include <nlohmann/json.hpp>

#include "base/file_io.h"
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
    R"sql(
ALTER TABLE tenants ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tenants ADD COLUMN deleted_at TEXT;
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT,
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  password_changed_at INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  totp_secret BLOB,
  totp_confirmed INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  recovery_hashes TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_by_email ON users (email) WHERE email IS NOT NULL;
CREATE TABLE password_history (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  hash TEXT NOT NULL,
  set_at TEXT NOT NULL
);
CREATE INDEX password_history_by_user ON password_history (user_id, id);
CREATE TABLE memberships (
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'reviewer', 'viewer')),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  created INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  mfa_done INTEGER NOT NULL,
  address TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE invitations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  used_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  tenant_id INTEGER NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  result TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_tenant ON audit_log (tenant_id, seq);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE tenant_keys (
  tenant_id INTEGER PRIMARY KEY,
  wrapped BLOB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE files (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  content BLOB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE server_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // Files keep their size (the content may be sealed, so length(content) is not it) and who
    // uploaded them; NULL for files stored before.
    R"sql(
ALTER TABLE files ADD COLUMN size INTEGER;
ALTER TABLE files ADD COLUMN uploaded_by INTEGER;
CREATE INDEX files_by_tenant ON files (tenant_id, id);
)sql",
    // Questionnaires (回答依頼): a customer's file parsed once, its items with drafts and review
    // states, comments; each user's language for the web pages ('' = not chosen) and the
    // organization they last signed in to (where the next sign-in goes by default).
    R"sql(
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_tenant INTEGER NOT NULL DEFAULT 0;
CREATE TABLE questionnaires (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  service_id INTEGER NOT NULL REFERENCES services (id),
  file_id INTEGER NOT NULL REFERENCES files (id),
  file_name TEXT NOT NULL,
  customer TEXT NOT NULL,
  title TEXT NOT NULL,
  format TEXT NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL,
  owner_id INTEGER,
  created_by INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  drafted_at TEXT NOT NULL,
  library_revision TEXT NOT NULL,
  sheet BLOB NOT NULL
);
CREATE INDEX questionnaires_by_tenant ON questionnaires (tenant_id, id);
CREATE TABLE questionnaire_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  questionnaire_id INTEGER NOT NULL REFERENCES questionnaires (id),
  position INTEGER NOT NULL,
  item_key TEXT NOT NULL,
  confidence TEXT NOT NULL,
  draft BLOB NOT NULL,
  state TEXT NOT NULL,
  answer BLOB NOT NULL,
  decided_by INTEGER,
  decided_at TEXT NOT NULL,
  assignee_id INTEGER,
  version INTEGER NOT NULL,
  proposal_entry INTEGER,
  UNIQUE (questionnaire_id, position)
);
CREATE INDEX questionnaire_items_by_assignee ON questionnaire_items (tenant_id, assignee_id);
CREATE TABLE item_comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  item_id INTEGER NOT NULL REFERENCES questionnaire_items (id),
  user_id INTEGER NOT NULL,
  body BLOB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX item_comments_by_item ON item_comments (item_id, id);
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
  Stmt& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  // Ready to run again with new bindings.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsBlob(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_BLOB; }
  std::string Blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
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

// The columns of an entry but its sealed ones (answer_text, remarks: 8 and 9), which the store
// reads through OpenField.
Entry ReadEntryPlain(const Stmt& s) {
  Entry e;
  e.id = s.Int(0);
  e.service_id = s.Int(1);
  e.document_id = s.Int(2);
  e.source_item = s.Text(3);
  e.section = JsonList(s.Text(4));
  e.number = s.Text(5);
  e.question = s.Text(6);
  e.mark = sheet::MarkFromName(s.Text(7)).value_or(sheet::Mark::kNone);
  e.controls = JsonList(s.Text(10));
  e.status = EntryStatusFromName(s.Text(11)).value_or(EntryStatus::kDraft);
  e.owner = s.Text(12);
  e.review_date = s.Text(13);
  e.version = static_cast<int>(s.Int(14));
  e.created_at = s.Text(15);
  e.updated_at = s.Text(16);
  return e;
}

// Field names bound into sealed values (see FieldCipher).
constexpr std::string_view kAnswerField = "entry.answer";
constexpr std::string_view kRemarksField = "entry.remarks";
constexpr std::string_view kFileField = "file.content";
constexpr std::string_view kTotpField = "user.totp";
constexpr std::string_view kQuestionnaireSheetField = "questionnaire.sheet";
constexpr std::string_view kItemDraftField = "item.draft";
constexpr std::string_view kItemAnswerField = "item.answer";
constexpr std::string_view kCommentField = "comment.body";
std::string HistoryField(int version) { return "entry.history.v" + std::to_string(version); }

constexpr const char* kDocumentColumns = "id, service_id, name, source_file, format, version, imported_at";

Document ReadDocument(const Stmt& q) {
  return Document{q.Int(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4), static_cast<int>(q.Int(5)), q.Text(6)};
}

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path, std::shared_ptr<std::mutex> writer_gate)
      : db_(db), path_(std::move(path)), writer_gate_(std::move(writer_gate)) {}
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
    // secure_delete: deleted rows (a destroyed tenant key, erased accounts) are overwritten in
    // the file, not left in free space for anyone holding the file to read back. Debian builds
    // SQLite with it on by default; set here so no other build can leave it off (with OFF,
    // ServerTest.DeletingAnOrganizationDestroysItsDataAndKey finds the key in the file).
    TS_RETURN_IF_ERROR(
        Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;"));
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
    if (depth_ > 0) {
      // Nested: a savepoint in the outer transaction, so a failed inner step takes back its
      // own writes and nothing else (the outer one decides what it does with the error).
      TS_RETURN_IF_ERROR(Exec("SAVEPOINT nested"));
      ++depth_;
      Status s = body();
      --depth_;
      if (!s.ok()) {
        (void)Exec("ROLLBACK TO nested");
        (void)Exec("RELEASE nested");
        return s;
      }
      return Exec("RELEASE nested");
    }
    // Writers of this process queue on the gate (woken in turn) rather than in SQLite's busy
    // handler, which polls with growing sleeps and lets a writer starve for seconds.
    std::unique_lock<std::mutex> gate;
    if (writer_gate_) gate = std::unique_lock<std::mutex>(*writer_gate_);
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
  bool InTransaction() const override { return depth_ > 0; }

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
    return First<Service>(s, [](const Stmt& r) { return Service{r.Int(0), r.Text(1)}; });
  }

  Result<std::vector<Service>> ListServices(TenantId t) override {
    Stmt s(db_, "SELECT id, name FROM services WHERE tenant_id = ? ORDER BY name");
    s.Bind(1, t.value);
    return All<Service>(s, [](const Stmt& r) { return Service{r.Int(0), r.Text(1)}; });
  }

  Result<std::optional<Service>> GetService(TenantId t, std::int64_t id) override {
    Stmt s(db_, "SELECT id, name FROM services WHERE tenant_id = ? AND id = ?");
    s.Bind(1, t.value).Bind(2, id);
    TS_ASSIGN_OR_RETURN(std::vector<Service> all, All<Service>(s, [](const Stmt& r) { return Service{r.Int(0), r.Text(1)}; }));
    if (all.empty()) return std::optional<Service>();
    return std::optional<Service>(all.front());
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
      TS_RETURN_IF_ERROR(WriteSealedEntryFields(t, e));
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
      TS_RETURN_IF_ERROR(WriteSealedEntryFields(t, e));
      return AddHistory(t, e, actor, action);
    });
  }

  Result<std::optional<Entry>> GetEntry(TenantId t, std::int64_t id) override {
    Stmt s(db_, (std::string("SELECT ") + kEntryColumns + " FROM entries WHERE tenant_id = ? AND id = ?").c_str());
    s.Bind(1, t.value).Bind(2, id);
    return One(t, s);
  }

  Result<std::optional<Entry>> FindEntryBySource(TenantId t, std::int64_t document_id,
                                                 std::string_view source_item) override {
    Stmt s(db_, (std::string("SELECT ") + kEntryColumns +
                 " FROM entries WHERE tenant_id = ? AND document_id = ? AND source_item = ?")
                    .c_str());
    s.Bind(1, t.value).Bind(2, document_id).Bind(3, source_item);
    return One(t, s);
  }

  Result<std::vector<Entry>> ListEntries(TenantId t, std::int64_t service_id) override {
    Stmt s(db_, (std::string("SELECT ") + kEntryColumns +
                 " FROM entries WHERE tenant_id = ? AND service_id = ? ORDER BY id")
                    .c_str());
    s.Bind(1, t.value).Bind(2, service_id);
    return All<Entry>(s, [&](const Stmt& r) { return ReadEntry(t, r); });
  }

  Result<EntryPage> PageEntries(TenantId t, std::int64_t service_id, std::optional<EntryStatus> status,
                                std::int64_t offset, std::int64_t limit) override {
    const std::string where = std::string(" FROM entries WHERE tenant_id = ? AND service_id = ?") +
                              (status ? " AND status = ?" : "");
    EntryPage page;
    Stmt count(db_, ("SELECT COUNT(*)" + where).c_str());
    count.Bind(1, t.value).Bind(2, service_id);
    if (status) count.Bind(3, EntryStatusName(*status));
    if (count.Step() != SQLITE_ROW) return Error();
    page.total = count.Int(0);
    Stmt s(db_, (std::string("SELECT ") + kEntryColumns + where + " ORDER BY id LIMIT ? OFFSET ?").c_str());
    s.Bind(1, t.value).Bind(2, service_id);
    int next = 3;
    if (status) s.Bind(next++, EntryStatusName(*status));
    s.Bind(next, limit).Bind(next + 1, offset);
    TS_ASSIGN_OR_RETURN(page.entries, All<Entry>(s, [&](const Stmt& r) { return ReadEntry(t, r); }));
    return page;
  }

  Result<std::string> LibraryRevision(TenantId t, std::int64_t service_id) override {
    // Inserts raise the count and the largest id, every update raises an entry's version.
    Stmt s(db_,
           "SELECT (SELECT COUNT(*) || ':' || COALESCE(SUM(version), 0) || ':' || COALESCE(MAX(id), 0) "
           "        FROM entries WHERE tenant_id = ?1 AND service_id = ?2) || '/' || "
           "       (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM decisions WHERE tenant_id = ?1 AND service_id = ?2)");
    s.Bind(1, t.value).Bind(2, service_id);
    if (s.Step() != SQLITE_ROW) return Error();
    return s.Text(0);
  }

  Result<std::vector<HistoryRecord>> History(TenantId t, std::int64_t entry_id) override {
    Stmt s(db_,
           "SELECT version, changed_at, actor, action, snapshot FROM entry_history "
           "WHERE tenant_id = ? AND entry_id = ? ORDER BY version, id");
    s.Bind(1, t.value).Bind(2, entry_id);
    return All<HistoryRecord>(s, [&](const Stmt& r) -> Result<HistoryRecord> {
      const int version = static_cast<int>(r.Int(0));
      TS_ASSIGN_OR_RETURN(std::string text, OpenField(r, 4, t.value, HistoryField(version), entry_id));
      json snap = json::parse(text, nullptr, false);
      return HistoryRecord{version, r.Text(1), r.Text(2), r.Text(3), snap.is_object() ? EntryFromJson(snap) : Entry{}};
    });
  }

  Status WithdrawDecisions(TenantId t, std::int64_t service_id, std::string_view question_key,
                           std::int64_t entry_id) override {
    Stmt s(db_, "DELETE FROM decisions WHERE tenant_id = ? AND service_id = ? AND question_key = ? AND entry_id = ?");
    s.Bind(1, t.value).Bind(2, service_id).Bind(3, question_key).Bind(4, entry_id);
    return s.Step() == SQLITE_DONE ? Status() : Error();
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

  void SetCipher(FieldCipher* cipher) override { cipher_ = cipher; }

  // ---- tenants ----

  Result<Tenant> CreateTenant(std::string_view name) override {
    Stmt s(db_, "INSERT INTO tenants (name, created_at) VALUES (?, ?)");
    s.Bind(1, name).Bind(2, NowUtc());
    int rc = s.Step();
    if (rc == SQLITE_CONSTRAINT) return Status(ErrorCode::kAlreadyExists, "organization '" + std::string(name) + "' exists");
    if (rc != SQLITE_DONE) return Error();
    return GetTenant(sqlite3_last_insert_rowid(db_));
  }

  Result<Tenant> GetTenant(std::int64_t id) override {
    Stmt s(db_, "SELECT id, name, settings, created_at FROM tenants WHERE id = ? AND deleted_at IS NULL");
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_ROW) return Tenant{s.Int(0), s.Text(1), s.Text(2), s.Text(3)};
    if (rc != SQLITE_DONE) return Error();
    return NotFound("organization " + std::to_string(id) + " not found");
  }

  Status SetTenantSettings(std::int64_t id, std::string_view settings_json) override {
    Stmt s(db_, "UPDATE tenants SET settings = ? WHERE id = ? AND deleted_at IS NULL");
    s.Bind(1, settings_json).Bind(2, id);
    if (s.Step() != SQLITE_DONE) return Error();
    if (sqlite3_changes(db_) == 0) return NotFound("organization " + std::to_string(id) + " not found");
    return Status();
  }

  Status DeleteTenant(std::int64_t id) override {
    return Transaction([&]() -> Status {
      TS_RETURN_IF_ERROR(GetTenant(id).status());
      // Children before parents (foreign keys are on). Destroying the wrapped key makes any copy
      // of the sealed rows (a backup, a WAL frame) unreadable too.
      for (const char* table : {"item_comments", "questionnaire_items", "questionnaires", "decisions", "entry_history",
                                "entries", "documents", "services", "files", "sessions",
                                "invitations", "api_tokens", "memberships", "tenant_keys"}) {
        Stmt d(db_, (std::string("DELETE FROM ") + table + " WHERE tenant_id = ?").c_str());
        d.Bind(1, id);
        if (d.Step() != SQLITE_DONE) return Error();
      }
      Stmt t(db_, "UPDATE tenants SET name = 'deleted:' || id, settings = '{}', deleted_at = ? WHERE id = ?");
      t.Bind(1, NowUtc()).Bind(2, id);
      if (t.Step() != SQLITE_DONE) return Error();
      return Status();
    });
  }

  // ---- users ----

  static constexpr const char* kUserColumns =
      "id, COALESCE(email, ''), name, password_hash, password_changed_at, must_change_password, disabled, deleted, "
      "totp_secret, totp_confirmed, totp_last_step, recovery_hashes, created_at, language, last_tenant";

  Result<User> ReadUser(const Stmt& s) {
    User u;
    u.id = s.Int(0);
    u.email = s.Text(1);
    u.name = s.Text(2);
    u.password_hash = s.Text(3);
    u.password_changed_at = s.Int(4);
    u.must_change_password = s.Int(5) != 0;
    u.disabled = s.Int(6) != 0;
    u.deleted = s.Int(7) != 0;
    TS_ASSIGN_OR_RETURN(u.totp_secret, OpenField(s, 8, 0, kTotpField, u.id));
    u.totp_confirmed = s.Int(9) != 0;
    u.totp_last_step = s.Int(10);
    u.recovery_hashes = s.Text(11);
    u.created_at = s.Text(12);
    u.language = s.Text(13);
    u.last_tenant = s.Int(14);
    return u;
  }

  Result<std::optional<User>> OneUser(Stmt& s) {
    return First<User>(s, [&](const Stmt& r) { return ReadUser(r); });
  }

  Result<std::int64_t> CreateUser(const User& u) override {
    std::int64_t id = 0;
    TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Stmt s(db_, "INSERT INTO users (email, name, password_hash, password_changed_at, created_at) VALUES (?, ?, ?, ?, ?)");
      s.Bind(1, u.email).Bind(2, u.name).Bind(3, u.password_hash).Bind(4, u.password_changed_at).Bind(5, NowUtc());
      int rc = s.Step();
      if (rc == SQLITE_CONSTRAINT) return Status(ErrorCode::kAlreadyExists, "a user with this e-mail exists");
      if (rc != SQLITE_DONE) return Error();
      id = sqlite3_last_insert_rowid(db_);
      User full = u;
      full.id = id;
      return UpdateUser(full);
    }));
    return id;
  }

  Result<std::optional<User>> GetUser(std::int64_t id) override {
    Stmt s(db_, (std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?").c_str());
    s.Bind(1, id);
    return OneUser(s);
  }

  Result<std::optional<User>> FindUserByEmail(std::string_view email) override {
    Stmt s(db_, (std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ? AND deleted = 0").c_str());
    s.Bind(1, email);
    return OneUser(s);
  }

  Status UpdateUser(const User& u) override {
    Stmt s(db_,
           "UPDATE users SET email = ?, name = ?, password_hash = ?, password_changed_at = ?, must_change_password = ?, "
           "disabled = ?, deleted = ?, totp_secret = ?, totp_confirmed = ?, totp_last_step = ?, recovery_hashes = ?, "
           "language = ?, last_tenant = ? WHERE id = ?");
    if (u.deleted) {
      s.BindNull(1);  // the e-mail is free again; the id is not
    } else {
      s.Bind(1, u.email);
    }
    s.Bind(2, u.name).Bind(3, u.password_hash).Bind(4, u.password_changed_at);
    s.Bind(5, std::int64_t{u.must_change_password}).Bind(6, std::int64_t{u.disabled}).Bind(7, std::int64_t{u.deleted});
    if (u.totp_secret.empty()) {
      s.BindNull(8);
    } else {
      TS_RETURN_IF_ERROR(BindField(s, 8, 0, kTotpField, u.id, u.totp_secret));
    }
    s.Bind(9, std::int64_t{u.totp_confirmed}).Bind(10, u.totp_last_step).Bind(11, u.recovery_hashes).Bind(12, u.language);
    s.Bind(13, u.last_tenant).Bind(14, u.id);
    int rc = s.Step();
    if (rc == SQLITE_CONSTRAINT) return Status(ErrorCode::kAlreadyExists, "a user with this e-mail exists");
    if (rc != SQLITE_DONE) return Error();
    if (sqlite3_changes(db_) == 0) return NotFound("user " + std::to_string(u.id) + " not found");
    return Status();
  }

  Result<std::int64_t> CountUsers() override {
    Stmt s(db_, "SELECT COUNT(*) FROM users");
    if (s.Step() != SQLITE_ROW) return Error();
    return s.Int(0);
  }

  Status AddPasswordHistory(std::int64_t user_id, std::string_view hash) override {
    Stmt s(db_, "INSERT INTO password_history (user_id, hash, set_at) VALUES (?, ?, ?)");
    s.Bind(1, user_id).Bind(2, hash).Bind(3, NowUtc());
    return s.Step() == SQLITE_DONE ? Status() : Error();
  }

  Result<std::vector<std::string>> RecentPasswords(std::int64_t user_id, int n) override {
    Stmt s(db_, "SELECT hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?");
    s.Bind(1, user_id).Bind(2, std::int64_t{n});
    return All<std::string>(s, [](const Stmt& r) { return r.Text(0); });
  }

  // ---- memberships ----

  Status SetMembership(const Membership& m) override {
    Stmt s(db_,
           "INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, ?, ?) "
           "ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role");
    s.Bind(1, m.tenant_id).Bind(2, m.user_id).Bind(3, m.role);
    int rc = s.Step();
    if (rc == SQLITE_CONSTRAINT) return InvalidArgument("role '" + m.role + "' is not one of owner, admin, editor, reviewer, viewer");
    return rc == SQLITE_DONE ? Status() : Error();
  }

  Status RemoveMembership(std::int64_t tenant_id, std::int64_t user_id) override {
    Stmt s(db_, "DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?");
    s.Bind(1, tenant_id).Bind(2, user_id);
    if (s.Step() != SQLITE_DONE) return Error();
    if (sqlite3_changes(db_) == 0) return NotFound("user " + std::to_string(user_id) + " not found");
    return Status();
  }

  Result<std::optional<Membership>> GetMembership(std::int64_t tenant_id, std::int64_t user_id) override {
    Stmt s(db_, "SELECT tenant_id, user_id, role FROM memberships WHERE tenant_id = ? AND user_id = ?");
    s.Bind(1, tenant_id).Bind(2, user_id);
    TS_ASSIGN_OR_RETURN(std::vector<Membership> all, All<Membership>(s, ReadMembership));
    if (all.empty()) return std::optional<Membership>();
    return std::optional<Membership>(all.front());
  }

  static Membership ReadMembership(const Stmt& r) { return Membership{r.Int(0), r.Int(1), r.Text(2)}; }

  Result<std::vector<Membership>> TenantMembers(std::int64_t tenant_id) override {
    Stmt s(db_, "SELECT tenant_id, user_id, role FROM memberships WHERE tenant_id = ? ORDER BY user_id");
    s.Bind(1, tenant_id);
    return All<Membership>(s, ReadMembership);
  }

  Result<std::vector<Membership>> UserMemberships(std::int64_t user_id) override {
    Stmt s(db_,
           "SELECT m.tenant_id, m.user_id, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id "
           "WHERE m.user_id = ? AND t.deleted_at IS NULL ORDER BY m.tenant_id");
    s.Bind(1, user_id);
    return All<Membership>(s, ReadMembership);
  }

  // ---- sessions ----

  Status InsertSession(const SessionRow& r) override {
    Stmt s(db_,
           "INSERT INTO sessions (token_hash, user_id, tenant_id, created, last_seen, mfa_done, address) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, r.token_hash).Bind(2, r.user_id).Bind(3, r.tenant_id).Bind(4, r.created).Bind(5, r.last_seen);
    s.Bind(6, std::int64_t{r.mfa_done}).Bind(7, r.address);
    return s.Step() == SQLITE_DONE ? Status() : Error();
  }

  Result<std::optional<SessionRow>> GetSession(std::string_view token_hash) override {
    Stmt s(db_,
           "SELECT token_hash, user_id, tenant_id, created, last_seen, mfa_done, address FROM sessions "
           "WHERE token_hash = ?");
    s.Bind(1, token_hash);
    TS_ASSIGN_OR_RETURN(std::vector<SessionRow> all, All<SessionRow>(s, [](const Stmt& r) {
                          return SessionRow{r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5) != 0, r.Text(6)};
                        }));
    if (all.empty()) return std::optional<SessionRow>();
    return std::optional<SessionRow>(all.front());
  }

  Status TouchSession(std::string_view token_hash, std::int64_t now, bool mfa_done) override {
    Stmt s(db_, "UPDATE sessions SET last_seen = ?, mfa_done = ? WHERE token_hash = ?");
    s.Bind(1, now).Bind(2, std::int64_t{mfa_done}).Bind(3, token_hash);
    return s.Step() == SQLITE_DONE ? Status() : Error();
  }

  Status DeleteSession(std::string_view token_hash) override {
    Stmt s(db_, "DELETE FROM sessions WHERE token_hash = ?");
    s.Bind(1, token_hash);
    return s.Step() == SQLITE_DONE ? Status() : Error();
  }

  Status DeleteUserSessions(std::int64_t user_id) override {
    Stmt s(db_, "DELETE FROM sessions WHERE user_id = ?");
    s.Bind(1, user_id);
    return s.Step() == SQLITE_DONE ? Status() : Error();
  }

  // ---- invitations ----

  Result<std::int64_t> InsertInvitation(const Invitation& i) override {
    Stmt s(db_,
           "INSERT INTO invitations (tenant_id, email, role, token_hash, created_by, expires) VALUES (?, ?, ?, ?, ?, ?)");
    s.Bind(1, i.tenant_id).Bind(2, i.email).Bind(3, i.role).Bind(4, i.token_hash).Bind(5, i.created_by).Bind(6, i.expires);
    if (s.Step() != SQLITE_DONE) return Error();
    return sqlite3_last_insert_rowid(db_);
  }

  Result<std::optional<Invitation>> FindInvitation(std::string_view token_hash) override {
    Stmt s(db_,
           "SELECT i.id, i.tenant_id, i.email, i.role, i.token_hash, i.created_by, i.expires, i.used_at "
           "FROM invitations i JOIN tenants t ON t.id = i.tenant_id WHERE i.token_hash = ? AND t.deleted_at IS NULL");
    s.Bind(1, token_hash);
    TS_ASSIGN_OR_RETURN(std::vector<Invitation> all, All<Invitation>(s, [](const Stmt& r) {
                          return Invitation{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6), r.Int(7)};
                        }));
    if (all.empty()) return std::optional<Invitation>();
    return std::optional<Invitation>(all.front());
  }

  Status UseInvitation(std::int64_t id, std::int64_t now) override {
    Stmt s(db_, "UPDATE invitations SET used_at = ? WHERE id = ? AND used_at = 0");
    s.Bind(1, now).Bind(2, id);
    if (s.Step() != SQLITE_DONE) return Error();
    if (sqlite3_changes(db_) == 0) return Status(ErrorCode::kConflict, "the invitation was used already");
    return Status();
  }

  // ---- API tokens ----

  static ApiToken ReadApiToken(const Stmt& r) {
    return ApiToken{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), r.Int(7), r.Int(8)};
  }
  static constexpr const char* kApiTokenColumns =
      "id, tenant_id, user_id, name, token_hash, scopes, created, expires, revoked_at";

  Result<std::int64_t> InsertApiToken(const ApiToken& t) override {
    Stmt s(db_,
           "INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, scopes, created, expires) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, t.tenant_id).Bind(2, t.user_id).Bind(3, t.name).Bind(4, t.token_hash).Bind(5, t.scopes);
    s.Bind(6, t.created).Bind(7, t.expires);
    if (s.Step() != SQLITE_DONE) return Error();
    return sqlite3_last_insert_rowid(db_);
  }

  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override {
    Stmt s(db_, (std::string("SELECT ") + kApiTokenColumns + " FROM api_tokens WHERE token_hash = ?").c_str());
    s.Bind(1, token_hash);
    TS_ASSIGN_OR_RETURN(std::vector<ApiToken> all, All<ApiToken>(s, ReadApiToken));
    if (all.empty()) return std::optional<ApiToken>();
    return std::optional<ApiToken>(all.front());
  }

  Result<std::vector<ApiToken>> ListApiTokens(std::int64_t tenant_id) override {
    Stmt s(db_, (std::string("SELECT ") + kApiTokenColumns + " FROM api_tokens WHERE tenant_id = ? ORDER BY id").c_str());
    s.Bind(1, tenant_id);
    return All<ApiToken>(s, ReadApiToken);
  }

  Status RevokeApiToken(std::int64_t tenant_id, std::int64_t id, std::int64_t now) override {
    Stmt s(db_, "UPDATE api_tokens SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at = 0");
    s.Bind(1, now).Bind(2, tenant_id).Bind(3, id);
    if (s.Step() != SQLITE_DONE) return Error();
    if (sqlite3_changes(db_) == 0) return NotFound("API token " + std::to_string(id) + " not found");
    return Status();
  }

  // ---- audit log ----

  static AuditRow ReadAudit(const Stmt& r) {
    return AuditRow{r.Int(0),  r.Text(1), r.Int(2),  r.Text(3), r.Text(4),
                    r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
  }
  static constexpr const char* kAuditColumns = "seq, time, tenant_id, actor, source, action, target, result, prev_hash, hash";

  Status AppendAudit(AuditRow row, const std::function<void(const AuditRow*, AuditRow*)>& fill) override {
    return Transaction([&]() -> Status {
      Stmt last(db_, (std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq DESC LIMIT 1").c_str());
      TS_ASSIGN_OR_RETURN(std::vector<AuditRow> rows, All<AuditRow>(last, ReadAudit));
      std::optional<AuditRow> prev;
      if (!rows.empty()) {
        prev = rows.front();
      } else {
        // After pruning everything, the chain continues from the anchor.
        TS_ASSIGN_OR_RETURN(std::optional<std::string> anchor, GetState("audit.anchor"));
        if (anchor) {
          json a = json::parse(*anchor, nullptr, false);
          if (a.is_object()) {
            prev = AuditRow{};
            prev->seq = a.value("seq", std::int64_t{0});
            prev->hash = a.value("hash", "");
          }
        }
      }
      fill(prev ? &*prev : nullptr, &row);
      Stmt s(db_,
             "INSERT INTO audit_log (seq, time, tenant_id, actor, source, action, target, result, prev_hash, hash) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      s.Bind(1, row.seq).Bind(2, row.time).Bind(3, row.tenant).Bind(4, row.actor).Bind(5, row.source);
      s.Bind(6, row.action).Bind(7, row.target).Bind(8, row.result).Bind(9, row.prev_hash).Bind(10, row.hash);
      return s.Step() == SQLITE_DONE ? Status() : Error();
    });
  }

  Result<std::vector<AuditRow>> QueryAudit(const AuditQuery& q) override {
    std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE seq > ?";
    if (q.tenant) sql += " AND tenant_id = ?";
    if (!q.action_prefix.empty()) sql += " AND (action = ? OR substr(action, 1, length(?) + 1) = ? || '.')";
    if (!q.actor.empty()) sql += " AND actor = ?";
    if (!q.since.empty()) sql += " AND time >= ?";
    if (!q.until.empty()) sql += " AND time < ?";
    sql += " ORDER BY seq LIMIT ?";
    Stmt s(db_, sql.c_str());
    int i = 1;
    s.Bind(i++, q.after_seq);
    if (q.tenant) s.Bind(i++, *q.tenant);
    if (!q.action_prefix.empty()) {
      for (int k = 0; k < 3; ++k) s.Bind(i++, q.action_prefix);
    }
    if (!q.actor.empty()) s.Bind(i++, q.actor);
    if (!q.since.empty()) s.Bind(i++, q.since);
    if (!q.until.empty()) s.Bind(i++, q.until);
    s.Bind(i, std::int64_t{q.limit});
    return All<AuditRow>(s, ReadAudit);
  }

  Status ScanAudit(std::string* anchor_hash, const std::function<Status(const AuditRow&)>& visit) override {
    anchor_hash->clear();
    TS_ASSIGN_OR_RETURN(std::optional<std::string> anchor, GetState("audit.anchor"));
    if (anchor) {
      json a = json::parse(*anchor, nullptr, false);
      if (a.is_object()) *anchor_hash = a.value("hash", "");
    }
    Stmt s(db_, (std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq").c_str());
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) TS_RETURN_IF_ERROR(visit(ReadAudit(s)));
    return rc == SQLITE_DONE ? Status() : Error();
  }

  Result<std::int64_t> PruneAudit(std::string_view before) override {
    std::int64_t dropped = 0;
    TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Stmt last(db_, (std::string("SELECT ") + kAuditColumns +
                      " FROM audit_log WHERE time < ? ORDER BY seq DESC LIMIT 1").c_str());
      last.Bind(1, before);
      TS_ASSIGN_OR_RETURN(std::vector<AuditRow> rows, All<AuditRow>(last, ReadAudit));
      if (rows.empty()) return Status();
      // Records go oldest first, up to the newest old one: the log keeps no holes.
      Stmt d(db_, "DELETE FROM audit_log WHERE seq <= ?");
      d.Bind(1, rows.front().seq);
      if (d.Step() != SQLITE_DONE) return Error();
      dropped = sqlite3_changes(db_);
      return SetState("audit.anchor", json{{"seq", rows.front().seq}, {"hash", rows.front().hash}}.dump());
    }));
    return dropped;
  }

  Result<std::int64_t> PruneExpired(std::int64_t now, std::int64_t max_idle, std::int64_t max_age) override {
    const std::pair<const char*, std::int64_t> deletes[] = {
        {"DELETE FROM sessions WHERE last_seen < ?", now - max_idle},
        {"DELETE FROM sessions WHERE created < ?", now - max_age},
        {"DELETE FROM invitations WHERE expires <= ?", now},
        {"DELETE FROM server_state WHERE key LIKE 'reset:%' AND json_extract(value, '$.expires') <= ?", now},
    };
    std::int64_t pruned = 0;
    TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
      for (const auto& [sql, cutoff] : deletes) {
        Stmt d(db_, sql);
        d.Bind(1, cutoff);
        if (d.Step() != SQLITE_DONE) return Error();
        pruned += sqlite3_changes(db_);
      }
      return Status();
    }));
    return pruned;
  }

  // ---- keys, files, state ----

  Result<std::optional<std::string>> WrappedKey(std::int64_t tenant_id) override {
    Stmt s(db_, "SELECT wrapped FROM tenant_keys WHERE tenant_id = ?");
    s.Bind(1, tenant_id);
    return First<std::string>(s, [](const Stmt& r) { return r.Blob(0); });
  }

  Status PutWrappedKey(std::int64_t tenant_id, std::string_view wrapped) override {
    Stmt s(db_,
           "INSERT INTO tenant_keys (tenant_id, wrapped, created_at) VALUES (?, ?, ?) "
           "ON CONFLICT (tenant_id) DO UPDATE SET wrapped = excluded.wrapped");
    s.Bind(1, tenant_id).BindBlob(2, wrapped).Bind(3, NowUtc());
    return s.Step() == SQLITE_DONE ? Status() : Error();
  }

  Result<std::vector<std::pair<std::int64_t, std::string>>> AllWrappedKeys() override {
    Stmt s(db_, "SELECT tenant_id, wrapped FROM tenant_keys ORDER BY tenant_id");
    return All<std::pair<std::int64_t, std::string>>(s, [](const Stmt& r) { return std::make_pair(r.Int(0), r.Blob(1)); });
  }

  Result<std::int64_t> PutFile(std::int64_t tenant_id, std::string_view name, std::string_view content,
                               std::int64_t uploaded_by) override {
    std::int64_t id = 0;
    TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Stmt s(db_,
             "INSERT INTO files (tenant_id, name, content, created_at, size, uploaded_by) VALUES (?, ?, x'', ?, ?, ?)");
      s.Bind(1, tenant_id).Bind(2, name).Bind(3, NowUtc()).Bind(4, static_cast<std::int64_t>(content.size()));
      if (uploaded_by != 0) {
        s.Bind(5, uploaded_by);
      } else {
        s.BindNull(5);
      }
      if (s.Step() != SQLITE_DONE) return Error();
      id = sqlite3_last_insert_rowid(db_);
      Stmt u(db_, "UPDATE files SET content = ? WHERE id = ?");
      if (cipher_ == nullptr) {
        u.BindBlob(1, content);  // files are bytes; without a cipher they stay as they came
      } else {
        TS_ASSIGN_OR_RETURN(std::string sealed, cipher_->Seal(tenant_id, kFileField, id, content));
        u.BindBlob(1, sealed);
      }
      u.Bind(2, id);
      return u.Step() == SQLITE_DONE ? Status() : Error();
    }));
    return id;
  }

  Result<std::optional<StoredFile>> GetFile(std::int64_t tenant_id, std::int64_t id) override {
    Stmt s(db_, "SELECT id, tenant_id, name, content, created_at FROM files WHERE tenant_id = ? AND id = ?");
    s.Bind(1, tenant_id).Bind(2, id);
    return First<StoredFile>(s, [&](const Stmt& r) -> Result<StoredFile> {
      StoredFile f{r.Int(0), r.Int(1), r.Text(2), r.Blob(3), r.Text(4)};
      if (cipher_ != nullptr) {
        Result<std::string> plain = cipher_->Open(tenant_id, kFileField, id, f.content);
        if (!plain.ok()) return plain.status().WithPrefix(path_ + ": file " + std::to_string(id));
        f.content = std::move(plain).value();
      }
      return f;
    });
  }

  // Whether `table` has row `id` of the tenant, reading no other column.
  Result<bool> TenantRowExists(const char* table, std::int64_t tenant_id, std::int64_t id) {
    Stmt s(db_, (std::string("SELECT 1 FROM ") + table + " WHERE tenant_id = ? AND id = ?").c_str());
    s.Bind(1, tenant_id).Bind(2, id);
    TS_ASSIGN_OR_RETURN(std::optional<int> found, First<int>(s, [](const Stmt&) { return 1; }));
    return found.has_value();
  }

  Result<bool> HasFile(std::int64_t tenant_id, std::int64_t id) override {
    return TenantRowExists("files", tenant_id, id);
  }

  Result<FilePage> PageFiles(std::int64_t tenant_id, std::int64_t offset, std::int64_t limit) override {
    FilePage page;
    Stmt count(db_, "SELECT COUNT(*) FROM files WHERE tenant_id = ?");
    count.Bind(1, tenant_id);
    if (count.Step() != SQLITE_ROW) return Error();
    page.total = count.Int(0);
    // The content is selected only where the size was not kept (files stored before schema 3).
    Stmt s(db_,
           "SELECT id, name, size, created_at, COALESCE(uploaded_by, 0), CASE WHEN size IS NULL THEN content END "
           "FROM files WHERE tenant_id = ? ORDER BY id DESC LIMIT ? OFFSET ?");
    s.Bind(1, tenant_id).Bind(2, limit).Bind(3, offset);
    TS_ASSIGN_OR_RETURN(page.files, All<FileInfo>(s, [&](const Stmt& r) -> Result<FileInfo> {
      FileInfo f{r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4)};
      if (r.IsBlob(5)) {
        std::string content = r.Blob(5);
        if (cipher_ != nullptr) {
          Result<std::string> plain = cipher_->Open(tenant_id, kFileField, f.id, content);
          if (!plain.ok()) return plain.status().WithPrefix(path_ + ": file " + std::to_string(f.id));
          content = std::move(plain).value();
        }
        f.size = static_cast<std::int64_t>(content.size());
      }
      return f;
    }));
    return page;
  }

  // ---- questionnaires ----

  static constexpr const char* kQuestionnaireColumns =
      "id, tenant_id, service_id, file_id, customer, title, format, due_date, status, COALESCE(owner_id, 0), "
      "COALESCE(created_by, 0), created_at, updated_at, drafted_at, library_revision, file_name";

  // The kQuestionnaireColumns starting at column `at`.
  static Questionnaire ReadQuestionnaire(const Stmt& r, int at = 0) {
    Questionnaire q;
    q.id = r.Int(at + 0);
    q.tenant_id = r.Int(at + 1);
    q.service_id = r.Int(at + 2);
    q.file_id = r.Int(at + 3);
    q.customer = r.Text(at + 4);
    q.title = r.Text(at + 5);
    q.format = r.Text(at + 6);
    q.due_date = r.Text(at + 7);
    q.status = r.Text(at + 8);
    q.owner_id = r.Int(at + 9);
    q.created_by = r.Int(at + 10);
    q.created_at = r.Text(at + 11);
    q.updated_at = r.Text(at + 12);
    q.drafted_at = r.Text(at + 13);
    q.library_revision = r.Text(at + 14);
    q.file_name = r.Text(at + 15);
    return q;
  }

  // Binds `id` or NULL for 0 (optional references).
  static void BindId(Stmt& s, int i, std::int64_t id) {
    if (id == 0) {
      s.BindNull(i);
    } else {
      s.Bind(i, id);
    }
  }

  // Writes a sealed column of a row that exists (sealing binds the row id, known after insert).
  Status UpdateSealed(const char* sql, std::int64_t tenant, std::string_view field, std::int64_t id,
                      std::string_view plaintext) {
    Stmt u(db_, sql);
    TS_RETURN_IF_ERROR(BindField(u, 1, tenant, field, id, plaintext));
    u.Bind(2, id);
    return u.Step() == SQLITE_DONE ? Status() : Error();
  }

  Result<std::int64_t> InsertQuestionnaire(const Questionnaire& q, const std::vector<QuestionnaireItem>& items) override {
    std::int64_t id = 0;
    TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
      TS_RETURN_IF_ERROR(RequireService(TenantId{q.tenant_id}, q.service_id));
      const std::string now = NowUtc();
      Stmt s(db_,
             "INSERT INTO questionnaires (tenant_id, service_id, file_id, customer, title, format, due_date, status, "
             "owner_id, created_by, created_at, updated_at, drafted_at, library_revision, file_name, sheet) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, x'')");
      s.Bind(1, q.tenant_id).Bind(2, q.service_id).Bind(3, q.file_id).Bind(4, q.customer).Bind(5, q.title);
      s.Bind(6, q.format).Bind(7, q.due_date).Bind(8, q.status);
      BindId(s, 9, q.owner_id);
      BindId(s, 10, q.created_by);
      s.Bind(11, now).Bind(12, now).Bind(13, q.drafted_at.empty() ? now : q.drafted_at).Bind(14, q.library_revision);
      s.Bind(15, q.file_name);
      if (s.Step() != SQLITE_DONE) return Error();
      id = sqlite3_last_insert_rowid(db_);
      TS_RETURN_IF_ERROR(UpdateSealed("UPDATE questionnaires SET sheet = ? WHERE id = ?", q.tenant_id,
                                      kQuestionnaireSheetField, id, q.sheet_json));
      for (const QuestionnaireItem& it : items) {
        Stmt i(db_,
               "INSERT INTO questionnaire_items (tenant_id, questionnaire_id, position, item_key, confidence, draft, "
               "state, answer, decided_by, decided_at, assignee_id, version, proposal_entry) "
               "VALUES (?, ?, ?, ?, ?, x'', ?, x'', ?, ?, ?, 1, ?)");
        i.Bind(1, q.tenant_id).Bind(2, id).Bind(3, std::int64_t{it.position}).Bind(4, it.item_key);
        i.Bind(5, it.confidence).Bind(6, it.state);
        BindId(i, 7, it.decided_by);
        i.Bind(8, it.decided_at);
        BindId(i, 9, it.assignee_id);
        BindId(i, 10, it.proposal_entry);
        if (i.Step() != SQLITE_DONE) return Error();
        const std::int64_t item_id = sqlite3_last_insert_rowid(db_);
        TS_RETURN_IF_ERROR(SealItem(q.tenant_id, item_id, it));
      }
      return Status();
    }));
    return id;
  }

  Status SealItem(std::int64_t tenant, std::int64_t item_id, const QuestionnaireItem& it) {
    Stmt u(db_, "UPDATE questionnaire_items SET draft = ?, answer = ? WHERE id = ?");
    TS_RETURN_IF_ERROR(BindField(u, 1, tenant, kItemDraftField, item_id, it.draft_json));
    TS_RETURN_IF_ERROR(BindField(u, 2, tenant, kItemAnswerField, item_id, it.answer_json));
    u.Bind(3, item_id);
    return u.Step() == SQLITE_DONE ? Status() : Error();
  }

  Result<std::optional<Questionnaire>> GetQuestionnaire(std::int64_t tenant_id, std::int64_t id, bool with_sheet) override {
    Stmt s(db_, (std::string("SELECT ") + kQuestionnaireColumns + (with_sheet ? ", sheet" : ", NULL") +
                 " FROM questionnaires WHERE tenant_id = ? AND id = ?")
                    .c_str());
    s.Bind(1, tenant_id).Bind(2, id);
    return First<Questionnaire>(s, [&](const Stmt& r) -> Result<Questionnaire> {
      Questionnaire q = ReadQuestionnaire(r);
      if (with_sheet) {
        TS_ASSIGN_OR_RETURN(q.sheet_json, OpenField(r, 16, tenant_id, kQuestionnaireSheetField, q.id));
      }
      return q;
    });
  }

  Result<bool> HasQuestionnaire(std::int64_t tenant_id, std::int64_t id) override {
    return TenantRowExists("questionnaires", tenant_id, id);
  }

  Result<QuestionnairePage> PageQuestionnaires(std::int64_t tenant_id, const QuestionnaireFilter& f) override {
    // One WHERE for the count and the page; empty filters match everything.
    const std::string where =
        " FROM questionnaires WHERE tenant_id = ?1 AND (?2 = '' OR status = ?2) AND (?3 = 0 OR service_id = ?3) "
        "AND (?4 = 0 OR owner_id = ?4) AND (?5 = '' OR instr(customer, ?5) > 0 OR instr(title, ?5) > 0)";
    auto bind = [&](Stmt& s) {
      s.Bind(1, tenant_id).Bind(2, f.status).Bind(3, f.service_id).Bind(4, f.owner_id).Bind(5, f.text);
    };
    QuestionnairePage page;
    Stmt count(db_, ("SELECT COUNT(*)" + where).c_str());
    bind(count);
    if (count.Step() != SQLITE_ROW) return Error();
    page.total = count.Int(0);
    Stmt s(db_, (std::string("SELECT ") + kQuestionnaireColumns + where + " ORDER BY id DESC LIMIT ?6 OFFSET ?7").c_str());
    bind(s);
    s.Bind(6, f.limit).Bind(7, f.offset);
    TS_ASSIGN_OR_RETURN(page.questionnaires, All<Questionnaire>(s, [](const Stmt& r) { return ReadQuestionnaire(r); }));
    return page;
  }

  Status UpdateQuestionnaire(std::int64_t tenant_id, const Questionnaire& q) override {
    Stmt s(db_,
           "UPDATE questionnaires SET customer = ?, title = ?, due_date = ?, status = ?, owner_id = ?, drafted_at = ?, "
           "library_revision = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
    s.Bind(1, q.customer).Bind(2, q.title).Bind(3, q.due_date).Bind(4, q.status);
    BindId(s, 5, q.owner_id);
    s.Bind(6, q.drafted_at).Bind(7, q.library_revision).Bind(8, NowUtc()).Bind(9, tenant_id).Bind(10, q.id);
    if (s.Step() != SQLITE_DONE) return Error();
    if (sqlite3_changes(db_) == 0) return NotFound("questionnaire " + std::to_string(q.id) + " not found");
    return Status();
  }

  Status DeleteQuestionnaire(std::int64_t tenant_id, std::int64_t id) override {
    return Transaction([&]() -> Status {
      TS_ASSIGN_OR_RETURN(bool has, HasQuestionnaire(tenant_id, id));
      if (!has) return NotFound("questionnaire " + std::to_string(id) + " not found");
      for (const char* sql :
           {"DELETE FROM item_comments WHERE tenant_id = ?1 AND item_id IN "
            "(SELECT id FROM questionnaire_items WHERE questionnaire_id = ?2)",
            "DELETE FROM questionnaire_items WHERE tenant_id = ?1 AND questionnaire_id = ?2",
            "DELETE FROM questionnaires WHERE tenant_id = ?1 AND id = ?2"}) {
        Stmt d(db_, sql);
        d.Bind(1, tenant_id).Bind(2, id);
        if (d.Step() != SQLITE_DONE) return Error();
      }
      return Status();
    });
  }

  Result<std::map<std::int64_t, ItemCounts>> CountItems(std::int64_t tenant_id,
                                                        const std::vector<std::int64_t>& questionnaire_ids) override {
    std::map<std::int64_t, ItemCounts> out;
    Stmt s(db_,
           "SELECT state, confidence, COUNT(*) FROM questionnaire_items WHERE tenant_id = ? AND questionnaire_id = ? "
           "GROUP BY state, confidence");
    for (std::int64_t id : questionnaire_ids) {
      ItemCounts& c = out[id];
      s.Reset();
      s.Bind(1, tenant_id).Bind(2, id);
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        const std::int64_t n = s.Int(2);
        c.by_state[s.Text(0)] += n;
        c.by_confidence[s.Text(1)] += n;
        c.total += n;
      }
      if (rc != SQLITE_DONE) return Error();
    }
    return out;
  }

  static constexpr const char* kItemColumns =
      "i.id, i.questionnaire_id, i.position, i.item_key, i.confidence, i.draft, i.state, i.answer, "
      "COALESCE(i.decided_by, 0), i.decided_at, COALESCE(i.assignee_id, 0), i.version, COALESCE(i.proposal_entry, 0), "
      "(SELECT COUNT(*) FROM item_comments c WHERE c.item_id = i.id)";

  Result<QuestionnaireItem> ReadItem(std::int64_t tenant, const Stmt& r) {
    QuestionnaireItem it;
    it.id = r.Int(0);
    it.questionnaire_id = r.Int(1);
    it.position = static_cast<int>(r.Int(2));
    it.item_key = r.Text(3);
    it.confidence = r.Text(4);
    TS_ASSIGN_OR_RETURN(it.draft_json, OpenField(r, 5, tenant, kItemDraftField, it.id));
    it.state = r.Text(6);
    TS_ASSIGN_OR_RETURN(it.answer_json, OpenField(r, 7, tenant, kItemAnswerField, it.id));
    it.decided_by = r.Int(8);
    it.decided_at = r.Text(9);
    it.assignee_id = r.Int(10);
    it.version = static_cast<int>(r.Int(11));
    it.proposal_entry = r.Int(12);
    it.comments = static_cast<int>(r.Int(13));
    return it;
  }

  Result<std::vector<QuestionnaireItem>> ListItems(std::int64_t tenant_id, std::int64_t questionnaire_id) override {
    Stmt s(db_, (std::string("SELECT ") + kItemColumns +
                 " FROM questionnaire_items i WHERE i.tenant_id = ? AND i.questionnaire_id = ? ORDER BY i.position")
                    .c_str());
    s.Bind(1, tenant_id).Bind(2, questionnaire_id);
    return All<QuestionnaireItem>(s, [&](const Stmt& r) { return ReadItem(tenant_id, r); });
  }

  Result<std::optional<QuestionnaireItem>> GetItem(std::int64_t tenant_id, std::int64_t item_id) override {
    Stmt s(db_, (std::string("SELECT ") + kItemColumns + " FROM questionnaire_items i WHERE i.tenant_id = ? AND i.id = ?")
                    .c_str());
    s.Bind(1, tenant_id).Bind(2, item_id);
    return First<QuestionnaireItem>(s, [&](const Stmt& r) { return ReadItem(tenant_id, r); });
  }

  Result<bool> HasItem(std::int64_t tenant_id, std::int64_t item_id) override {
    return TenantRowExists("questionnaire_items", tenant_id, item_id);
  }

  Status UpdateItem(std::int64_t tenant_id, const QuestionnaireItem& it) override {
    return Transaction([&]() -> Status {
      Stmt s(db_,
             "UPDATE questionnaire_items SET confidence = ?, state = ?, decided_by = ?, decided_at = ?, assignee_id = ?, "
             "proposal_entry = ?, version = version + 1 WHERE tenant_id = ? AND id = ? AND version = ?");
      s.Bind(1, it.confidence).Bind(2, it.state);
      BindId(s, 3, it.decided_by);
      s.Bind(4, it.decided_at);
      BindId(s, 5, it.assignee_id);
      BindId(s, 6, it.proposal_entry);
      s.Bind(7, tenant_id).Bind(8, it.id).Bind(9, std::int64_t{it.version});
      if (s.Step() != SQLITE_DONE) return Error();
      if (sqlite3_changes(db_) == 0) {
        TS_ASSIGN_OR_RETURN(bool has, HasItem(tenant_id, it.id));
        if (!has) return NotFound("item " + std::to_string(it.id) + " not found");
        return Status(ErrorCode::kConflict, "item " + std::to_string(it.id) +
                                                " was changed by someone else since version " +
                                                std::to_string(it.version) + "; reload it");
      }
      return SealItem(tenant_id, it.id, it);
    });
  }

  Result<std::vector<Assignment>> AssignedItems(std::int64_t tenant_id, std::int64_t user_id, std::int64_t offset,
                                                std::int64_t limit) override {
    std::string sql = std::string("SELECT ") + kItemColumns +
                      ", q.id, q.tenant_id, q.service_id, q.file_id, q.customer, q.title, q.format, q.due_date, "
                      "q.status, COALESCE(q.owner_id, 0), COALESCE(q.created_by, 0), q.created_at, q.updated_at, "
                      "q.drafted_at, q.library_revision, q.file_name";
    sql +=
        " FROM questionnaire_items i JOIN questionnaires q ON q.id = i.questionnaire_id "
        "WHERE i.tenant_id = ? AND q.tenant_id = i.tenant_id AND i.assignee_id = ? AND i.state NOT IN "
        "('accepted', 'edited') ORDER BY q.due_date = '', q.due_date, q.id, i.position LIMIT ? OFFSET ?";
    Stmt s(db_, sql.c_str());
    s.Bind(1, tenant_id).Bind(2, user_id).Bind(3, limit).Bind(4, offset);
    return All<Assignment>(s, [&](const Stmt& r) -> Result<Assignment> {
      Assignment a;
      TS_ASSIGN_OR_RETURN(a.item, ReadItem(tenant_id, r));
      a.questionnaire = ReadQuestionnaire(r, 14);
      return a;
    });
  }

  Result<std::int64_t> AddComment(std::int64_t tenant_id, const ItemComment& c) override {
    std::int64_t id = 0;
    TS_RETURN_IF_ERROR(Transaction([&]() -> Status {
      TS_ASSIGN_OR_RETURN(bool has, HasItem(tenant_id, c.item_id));
      if (!has) return NotFound("item " + std::to_string(c.item_id) + " not found");
      Stmt s(db_, "INSERT INTO item_comments (tenant_id, item_id, user_id, body, created_at) VALUES (?, ?, ?, x'', ?)");
      s.Bind(1, tenant_id).Bind(2, c.item_id).Bind(3, c.user_id).Bind(4, NowUtc());
      if (s.Step() != SQLITE_DONE) return Error();
      id = sqlite3_last_insert_rowid(db_);
      return UpdateSealed("UPDATE item_comments SET body = ? WHERE id = ?", tenant_id, kCommentField, id, c.body);
    }));
    return id;
  }

  Result<std::vector<ItemComment>> ListComments(std::int64_t tenant_id, std::int64_t item_id) override {
    Stmt s(db_, "SELECT id, item_id, user_id, body, created_at FROM item_comments WHERE tenant_id = ? AND item_id = ? "
                "ORDER BY id");
    s.Bind(1, tenant_id).Bind(2, item_id);
    return All<ItemComment>(s, [&](const Stmt& r) -> Result<ItemComment> {
      ItemComment c{r.Int(0), r.Int(1), r.Int(2), "", r.Text(4)};
      TS_ASSIGN_OR_RETURN(c.body, OpenField(r, 3, tenant_id, kCommentField, c.id));
      return c;
    });
  }

  Result<std::optional<std::string>> GetState(std::string_view key) override {
    Stmt s(db_, "SELECT value FROM server_state WHERE key = ?");
    s.Bind(1, key);
    return First<std::string>(s, [](const Stmt& r) { return r.Text(0); });
  }

  Status SetState(std::string_view key, std::string_view value) override {
    Stmt s(db_, value.empty() ? "DELETE FROM server_state WHERE key = ?"
                              : "INSERT INTO server_state (key, value) VALUES (?, ?) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s.Bind(1, key);
    if (!value.empty()) s.Bind(2, value);
    return s.Step() == SQLITE_DONE ? Status() : Error();
  }

 private:
  // Every row of `s`, read with `read`; a database error instead of a partial list.
  template <typename T, typename Read>
  Result<std::vector<T>> All(Stmt& s, Read read) {
    std::vector<T> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      if constexpr (std::is_same_v<std::invoke_result_t<Read, const Stmt&>, Result<T>>) {
        TS_ASSIGN_OR_RETURN(T v, read(s));
        out.push_back(std::move(v));
      } else {
        out.push_back(read(s));
      }
    }
    if (rc != SQLITE_DONE) return Error();
    return out;
  }

  // The first row of `s`, read with `read`; nullopt when there is none.
  template <typename T, typename Read>
  Result<std::optional<T>> First(Stmt& s, Read read) {
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<T>();
    if (rc != SQLITE_ROW) return Error();
    if constexpr (std::is_same_v<std::invoke_result_t<Read, const Stmt&>, Result<T>>) {
      TS_ASSIGN_OR_RETURN(T v, read(s));
      return std::optional<T>(std::move(v));
    } else {
      return std::optional<T>(read(s));
    }
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
    // With a cipher, the sealed columns are written by WriteSealedEntryFields once the id is known.
    s.Bind(8, sheet::MarkName(e.mark));
    s.Bind(9, cipher_ != nullptr ? std::string_view("") : e.answer_text);
    s.Bind(10, cipher_ != nullptr ? std::string_view("") : e.remarks);
    s.Bind(11, json(e.controls).dump());
    s.Bind(12, EntryStatusName(e.status)).Bind(13, e.owner).Bind(14, e.review_date);
  }

  Status AddHistory(TenantId t, const Entry& e, std::string_view actor, std::string_view action) {
    Stmt h(db_,
           "INSERT INTO entry_history (tenant_id, entry_id, version, changed_at, actor, action, snapshot) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)");
    h.Bind(1, t.value).Bind(2, e.id).Bind(3, std::int64_t{e.version}).Bind(4, e.updated_at).Bind(5, actor);
    h.Bind(6, action);
    TS_RETURN_IF_ERROR(BindField(h, 7, t.value, HistoryField(e.version), e.id, EntryJson(e).dump()));
    if (h.Step() != SQLITE_DONE) return Error();
    return Status();
  }

  Status WriteSealedEntryFields(TenantId t, const Entry& e) {
    if (cipher_ == nullptr) return Status();
    Stmt u(db_, "UPDATE entries SET answer_text = ?, remarks = ? WHERE id = ? AND tenant_id = ?");
    TS_RETURN_IF_ERROR(BindField(u, 1, t.value, kAnswerField, e.id, e.answer_text));
    TS_RETURN_IF_ERROR(BindField(u, 2, t.value, kRemarksField, e.id, e.remarks));
    u.Bind(3, e.id).Bind(4, t.value);
    if (u.Step() != SQLITE_DONE) return Error();
    return Status();
  }

  Result<Entry> ReadEntry(TenantId t, const Stmt& s) {
    Entry e = ReadEntryPlain(s);
    TS_ASSIGN_OR_RETURN(e.answer_text, OpenField(s, 8, t.value, kAnswerField, e.id));
    TS_ASSIGN_OR_RETURN(e.remarks, OpenField(s, 9, t.value, kRemarksField, e.id));
    return e;
  }

  // A sensitive value: sealed (a BLOB) when a cipher is set, else TEXT.
  Status BindField(Stmt& s, int i, std::int64_t tenant, std::string_view field, std::int64_t record,
                   std::string_view plaintext) {
    if (cipher_ == nullptr) {
      s.Bind(i, plaintext);
      return Status();
    }
    TS_ASSIGN_OR_RETURN(std::string sealed, cipher_->Seal(tenant, field, record, plaintext));
    s.BindBlob(i, sealed);
    return Status();
  }

  // The value of a sensitive column: BLOBs are sealed, TEXT is a value stored in the clear.
  Result<std::string> OpenField(const Stmt& s, int col, std::int64_t tenant, std::string_view field,
                                std::int64_t record) {
    if (!s.IsBlob(col)) return s.Text(col);
    if (cipher_ == nullptr) {
      return Status(ErrorCode::kUnauthenticated,
                    path_ + ": " + std::string(field) + " " + std::to_string(record) +
                        " is encrypted; open this database with its master key (trustsheet serve --master-key-file)");
    }
    Result<std::string> plain = cipher_->Open(tenant, field, record, s.Blob(col));
    if (!plain.ok()) return plain.status().WithPrefix(path_ + ": " + std::string(field) + " " + std::to_string(record));
    return plain;
  }

  Result<std::optional<Entry>> One(TenantId t, Stmt& s) {
    return First<Entry>(s, [&](const Stmt& r) { return ReadEntry(t, r); });
  }

  sqlite3* db_;
  std::string path_;
  int depth_ = 0;
  std::shared_ptr<std::mutex> writer_gate_;  // shared by the connections of one pool, or null
  FieldCipher* cipher_ = nullptr;
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

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, std::shared_ptr<std::mutex> writer_gate) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Unavailable(path + ": cannot open database: " + m);
  }
  auto store = std::make_unique<SqliteStore>(db, path, std::move(writer_gate));
  Status s = store->Migrate();
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

namespace {

// Runs integrity_check on an open connection; the first problem names `path`.
Status IntegrityCheck(sqlite3* db, const std::string& path) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, nullptr) != SQLITE_OK) {
    return Status(ErrorCode::kCorruption, path + ": not a database (" + sqlite3_errmsg(db) + ")");
  }
  const int rc = sqlite3_step(st);
  std::string result = rc == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : sqlite3_errmsg(db);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW || result != "ok") return Status(ErrorCode::kCorruption, path + ": database is damaged: " + result);
  return Status();
}

}  // namespace

Status CheckSqliteDatabase(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) return NotFound(path + ": no such file");
  sqlite3* db = nullptr;
  // immutable=1: read the file as it is, write nothing beside it (no -wal or -shm).
  const std::string uri = "file:" + path + "?immutable=1";
  if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
    std::string m = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status(ErrorCode::kCorruption, path + ": cannot open as a database: " + m);
  }
  Status s = IntegrityCheck(db, path);
  sqlite3_close_v2(db);
  return s;
}

Status BackupSqliteDatabase(const std::string& from, const std::string& to) {
  if (std::filesystem::exists(to)) return Status(ErrorCode::kAlreadyExists, to + ": exists; give a new file name");
  if (!std::filesystem::is_regular_file(from)) return NotFound(from + ": no such database");
  const std::string partial = to + ".partial";
  std::filesystem::remove(partial);
  TS_RETURN_IF_ERROR(CreatePrivateFile(partial));  // private before SQLite writes into it
  auto fail = [&](Status s) {
    std::filesystem::remove(partial);
    return s;
  };
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close_both = [&] {
    sqlite3_close_v2(src);
    sqlite3_close_v2(dst);
  };
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(partial.c_str(), &dst, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string m = src != nullptr ? sqlite3_errmsg(src) : "out of memory";
    close_both();
    return fail(Unavailable(from + ": cannot open for backup: " + m));
  }
  sqlite3_busy_timeout(src, 5000);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) {
    std::string m = sqlite3_errmsg(dst);
    close_both();
    return fail(Unavailable(to + ": cannot start backup: " + m));
  }
  int rc;
  int busy_rounds = 0;
  // In steps, so a writer is never blocked for long; a step that finds the source busy waits.
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    if (rc != SQLITE_OK && ++busy_rounds > 500) break;
    if (rc != SQLITE_OK) sqlite3_sleep(20);
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    std::string m = sqlite3_errstr(rc);
    close_both();
    return fail(Unavailable(from + ": backup did not finish: " + m));
  }
  Status checked = IntegrityCheck(dst, to);
  // The copy is a plain rollback-journal file: nothing to carry beside it.
  if (checked.ok() && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    checked = Unavailable(to + ": " + sqlite3_errmsg(dst));
  }
  close_both();
  if (!checked.ok()) return fail(checked);
  if (const int fd = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  std::filesystem::rename(partial, to, ec);
  if (ec) return fail(Unavailable(to + ": cannot move the finished backup into place: " + ec.message()));
  return Status();
}

}  // namespace ts::store
