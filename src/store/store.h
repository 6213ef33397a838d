// Persistence behind one interface. Every tenant-owned row carries its tenant id and every
// call takes the tenant, so no query can forget it. The SQLite backend (one file, WAL) is the
// default; a PostgreSQL backend will implement the same interface. Implementations are not
// thread-safe: one Store per thread (SQLite serializes writers across connections).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/accounts.h"
#include "store/questionnaires.h"
#include "sheet/answer_mark.h"

namespace ts::store {

struct TenantId {
  std::int64_t value = 0;
};
// The tenant the CLI works in; created by the first migration.
inline constexpr TenantId kLocalTenant{1};

struct Service {
  std::int64_t id = 0;
  std::string name;
};

struct Document {
  std::int64_t id = 0;
  std::int64_t service_id = 0;
  std::string name;         // identity of the document within the service
  std::string source_file;  // last file imported under this name
  std::string format;
  int version = 0;  // how many times it was imported
  std::string imported_at;
};

enum class EntryStatus { kDraft, kApproved, kRetired };
std::string_view EntryStatusName(EntryStatus s);
std::optional<EntryStatus> EntryStatusFromName(std::string_view name);

// One answer in a service's library.
struct Entry {
  std::int64_t id = 0;
  std::int64_t service_id = 0;
  std::int64_t document_id = 0;  // 0: entered by hand
  std::string source_item;       // item id in that document
  std::vector<std::string> section;
  std::string number;
  std::string question;
  sheet::Mark mark = sheet::Mark::kNone;
  std::string answer_text;
  std::string remarks;
  std::vector<std::string> controls;  // catalog control ids
  EntryStatus status = EntryStatus::kDraft;
  std::string owner;
  std::string review_date;  // YYYY-MM-DD or empty
  int version = 0;
  std::string created_at;
  std::string updated_at;
};

struct HistoryRecord {
  int version = 0;
  std::string changed_at;
  std::string actor;
  std::string action;  // created, updated, retired, approved, ...
  Entry snapshot;      // the entry as it was after the change
};

struct DecisionRecord {
  std::string question_key;
  std::string question;
  std::int64_t entry_id = 0;
  bool accepted = false;
  std::string actor;
  std::string decided_at;
};

class Store : public AccountStore, public QuestionnaireStore {
 public:
  ~Store() override = default;

  // Seals answer texts, remarks, their history and files from now on; reads open sealed values
  // with it. Without a cipher, sealed values read as an error (Unauthenticated) and new values
  // are stored in the clear (the local CLI database). Not owned; must outlive the store.
  virtual void SetCipher(FieldCipher* cipher) = 0;

  virtual Result<Service> EnsureService(TenantId t, std::string_view name) = 0;
  virtual Result<std::optional<Service>> FindService(TenantId t, std::string_view name) = 0;
  virtual Result<std::vector<Service>> ListServices(TenantId t) = 0;
  virtual Result<std::optional<Service>> GetService(TenantId t, std::int64_t id) = 0;

  // Creates the document or bumps its version; returns it.
  virtual Result<Document> RecordImport(TenantId t, std::int64_t service_id, std::string_view name,
                                        std::string_view source_file, std::string_view format) = 0;
  virtual Result<std::vector<Document>> ListDocuments(TenantId t, std::int64_t service_id) = 0;

  // Insert: version 1 and a "created" history record. Update: version + 1 and a history
  // record with `action`. Both fail with NotFound for another tenant's ids.
  virtual Result<std::int64_t> InsertEntry(TenantId t, const Entry& e, std::string_view actor) = 0;
  virtual Status UpdateEntry(TenantId t, const Entry& e, std::string_view actor, std::string_view action) = 0;
  virtual Result<std::optional<Entry>> GetEntry(TenantId t, std::int64_t id) = 0;
  virtual Result<std::optional<Entry>> FindEntryBySource(TenantId t, std::int64_t document_id,
                                                         std::string_view source_item) = 0;
  virtual Result<std::vector<Entry>> ListEntries(TenantId t, std::int64_t service_id) = 0;
  // One page of a service's entries in id order (only those with `status` when given), and
  // how many there are in all; only the page is read and decrypted.
  struct EntryPage {
    std::vector<Entry> entries;
    std::int64_t total = 0;
  };
  virtual Result<EntryPage> PageEntries(TenantId t, std::int64_t service_id, std::optional<EntryStatus> status,
                                        std::int64_t offset, std::int64_t limit) = 0;
  // A value that changes whenever anything a drafter is built from changes (an entry added,
  // edited, approved or retired; a decision recorded), for caching drafters.
  virtual Result<std::string> LibraryRevision(TenantId t, std::int64_t service_id) = 0;
  virtual Result<std::vector<HistoryRecord>> History(TenantId t, std::int64_t entry_id) = 0;

  virtual Status AddDecision(TenantId t, std::int64_t service_id, const DecisionRecord& d) = 0;
  virtual Result<std::vector<DecisionRecord>> Decisions(TenantId t, std::int64_t service_id) = 0;
  // Deletes the decisions on (question_key, entry) in the service: a reviewer took them back.
  virtual Status WithdrawDecisions(TenantId t, std::int64_t service_id, std::string_view question_key,
                                   std::int64_t entry_id) = 0;

  // Runs `body` in one transaction: all of its writes land, or none.
  virtual Status Transaction(const std::function<Status()>& body) = 0;
  // Whether a Transaction is running on this store now.
  virtual bool InTransaction() const = 0;
};

// Opens (creating if needed) the SQLite database at `path` and migrates it to the current
// schema. Errors name the file. Connections of one process that share a `writer_gate` wait
// for each other's transactions on it, in turn, instead of polling the database's lock.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               std::shared_ptr<std::mutex> writer_gate = nullptr);

// Copies the SQLite database at `from` into the new file `to` (mode 0600) with SQLite's online
// backup — a consistent snapshot even while a server writes to `from` — and checks the copy's
// integrity. `to` must not exist; on any failure nothing is left there.
Status BackupSqliteDatabase(const std::string& from, const std::string& to);

// Checks that `path` is an intact SQLite database (PRAGMA integrity_check), read-only.
Status CheckSqliteDatabase(const std::string& path);

}  // namespace ts::store
