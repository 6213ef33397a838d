// The service's own records behind the store interface: tenants and their settings, users,
// memberships, sessions, invitations, password history, API tokens, the audit log, wrapped
// tenant keys and uploaded files. Plain values; the rules (who may do what, when a session
// expires) live in the security and server modules. Times are Unix seconds (UTC).
// Thread-safety: as Store (one per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ts::store {

struct Tenant {
  std::int64_t id = 0;
  std::string name;
  std::string settings;  // JSON object; the server owns its shape
  std::string created_at;
};

// Users are global (one sign-in, several tenants). Deleted users keep their row as a tombstone
// so their id is never given to anyone else; their e-mail and secrets are erased.
struct User {
  std::int64_t id = 0;
  std::string email;  // lower case; unique among users that are not deleted
  std::string name;
  std::string password_hash;  // Argon2id, encoded
  std::int64_t password_changed_at = 0;
  bool must_change_password = false;
  bool disabled = false;
  bool deleted = false;
  std::string totp_secret;  // base32; empty: MFA not enrolled (sealed at rest)
  bool totp_confirmed = false;
  std::int64_t totp_last_step = 0;
  std::string recovery_hashes;  // JSON array of hashes of unused recovery codes
  std::string created_at;
  std::string language;  // web pages: "ja", "en", or "" (not chosen: the browser's)
  std::int64_t last_tenant = 0;  // the organization of the latest session (0: none yet)
};

struct Membership {
  std::int64_t tenant_id = 0;
  std::int64_t user_id = 0;
  std::string role;  // owner, admin, editor, reviewer, viewer
};

struct SessionRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::int64_t tenant_id = 0;
  std::int64_t created = 0;
  std::int64_t last_seen = 0;
  bool mfa_done = false;  // false: only MFA enrolment/verification is allowed
  std::string address;
};

struct Invitation {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::string email;
  std::string role;
  std::string token_hash;
  std::int64_t created_by = 0;
  std::int64_t expires = 0;
  std::int64_t used_at = 0;  // 0: not used
};

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string token_hash;
  std::string scopes;  // space-separated: "read", "write"
  std::int64_t created = 0;
  std::int64_t expires = 0;
  std::int64_t revoked_at = 0;  // 0: live
};

// One audit record as stored; the hash chain over these fields is security::AuditRecord's.
struct AuditRow {
  std::int64_t seq = 0;
  std::string time;
  std::int64_t tenant = 0;
  std::string actor;
  std::string source;
  std::string action;
  std::string target;
  std::string result;
  std::string prev_hash;
  std::string hash;
};

struct AuditQuery {
  std::optional<std::int64_t> tenant;  // nullopt: every tenant (operator tools only)
  std::string action_prefix;           // "sign-in" matches sign-in and sign-in.failed
  std::string actor;
  std::string since;  // inclusive, ISO time prefix compare
  std::string until;  // exclusive
  std::int64_t after_seq = 0;
  int limit = 100;
};

struct StoredFile {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::string name;
  std::string content;  // plaintext when read back (sealed at rest)
  std::string created_at;
};

// What a list of files shows: everything but the content.
struct FileInfo {
  std::int64_t id = 0;
  std::string name;
  std::int64_t size = 0;  // bytes as uploaded
  std::string created_at;
  std::int64_t uploaded_by = 0;  // user id; 0 when not known (files stored before it was kept)
};

struct FilePage {
  std::vector<FileInfo> files;
  std::int64_t total = 0;  // the tenant's files in all
};

// A tenant-scoped and service-wide persistence interface for the server.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  virtual Result<Tenant> CreateTenant(std::string_view name) = 0;
  // NotFound for unknown or deleted tenants.
  virtual Result<Tenant> GetTenant(std::int64_t id) = 0;
  virtual Status SetTenantSettings(std::int64_t id, std::string_view settings_json) = 0;
  // Erases every row the tenant owns and its wrapped key; keeps a tombstone so the id is not
  // reused.
  virtual Status DeleteTenant(std::int64_t id) = 0;

  virtual Result<std::int64_t> CreateUser(const User& u) = 0;  // AlreadyExists for a taken e-mail
  virtual Result<std::optional<User>> GetUser(std::int64_t id) = 0;
  virtual Result<std::optional<User>> FindUserByEmail(std::string_view email) = 0;
  virtual Status UpdateUser(const User& u) = 0;
  virtual Result<std::int64_t> CountUsers() = 0;
  virtual Status AddPasswordHistory(std::int64_t user_id, std::string_view hash) = 0;
  virtual Result<std::vector<std::string>> RecentPasswords(std::int64_t user_id, int n) = 0;  // newest first

  virtual Status SetMembership(const Membership& m) = 0;  // insert or change the role
  virtual Status RemoveMembership(std::int64_t tenant_id, std::int64_t user_id) = 0;
  virtual Result<std::optional<Membership>> GetMembership(std::int64_t tenant_id, std::int64_t user_id) = 0;
  virtual Result<std::vector<Membership>> TenantMembers(std::int64_t tenant_id) = 0;
  virtual Result<std::vector<Membership>> UserMemberships(std::int64_t user_id) = 0;

  virtual Status InsertSession(const SessionRow& s) = 0;
  virtual Result<std::optional<SessionRow>> GetSession(std::string_view token_hash) = 0;
  virtual Status TouchSession(std::string_view token_hash, std::int64_t now, bool mfa_done) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status DeleteUserSessions(std::int64_t user_id) = 0;
  // Deletes what can no longer be used at `now`: sessions idle since before
  // `now - max_idle` or created before `now - max_age` (seconds), expired invitations and
  // expired reset links. Returns how many rows went.
  virtual Result<std::int64_t> PruneExpired(std::int64_t now, std::int64_t max_idle, std::int64_t max_age) = 0;

  virtual Result<std::int64_t> InsertInvitation(const Invitation& i) = 0;
  virtual Result<std::optional<Invitation>> FindInvitation(std::string_view token_hash) = 0;
  // Conflict when it was used already (single use even under concurrent accepts).
  virtual Status UseInvitation(std::int64_t id, std::int64_t now) = 0;

  virtual Result<std::int64_t> InsertApiToken(const ApiToken& t) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens(std::int64_t tenant_id) = 0;
  virtual Status RevokeApiToken(std::int64_t tenant_id, std::int64_t id, std::int64_t now) = 0;  // NotFound

  // The audit log: appended in one transaction with the read of the last record, so the chain
  // has no forks. `fill` receives the last record (nullopt for the first) and completes `row`.
  virtual Status AppendAudit(AuditRow row, const std::function<void(const AuditRow* last, AuditRow* row)>& fill) = 0;
  virtual Result<std::vector<AuditRow>> QueryAudit(const AuditQuery& q) = 0;
  // Every record in order, with the hash of the record before the first (the retention anchor).
  virtual Status ScanAudit(std::string* anchor_hash, const std::function<Status(const AuditRow&)>& visit) = 0;
  // Drops records older than `before` (ISO time), remembering the last dropped hash as anchor.
  virtual Result<std::int64_t> PruneAudit(std::string_view before) = 0;

  virtual Result<std::optional<std::string>> WrappedKey(std::int64_t tenant_id) = 0;
  virtual Status PutWrappedKey(std::int64_t tenant_id, std::string_view wrapped) = 0;
  virtual Result<std::vector<std::pair<std::int64_t, std::string>>> AllWrappedKeys() = 0;

  // Stores `content` (sealed when a cipher is set) with its size and uploader (user id, 0 if none).
  virtual Result<std::int64_t> PutFile(std::int64_t tenant_id, std::string_view name, std::string_view content,
                                       std::int64_t uploaded_by) = 0;
  virtual Result<std::optional<StoredFile>> GetFile(std::int64_t tenant_id, std::int64_t id) = 0;
  // Whether the tenant has the file, without opening it (ownership checks).
  virtual Result<bool> HasFile(std::int64_t tenant_id, std::int64_t id) = 0;
  // One page of the tenant's files, newest first, and how many there are in all. Contents are
  // not read, but for files stored before sizes were kept (schema 2), opened to measure them.
  virtual Result<FilePage> PageFiles(std::int64_t tenant_id, std::int64_t offset, std::int64_t limit) = 0;

  // Small service-wide state (the first-start setup token, ...).
  virtual Result<std::optional<std::string>> GetState(std::string_view key) = 0;
  virtual Status SetState(std::string_view key, std::string_view value) = 0;  // empty value: erase
};

// Encryption of sensitive fields at rest, provided by the caller (the server's keyring). `kind`
// names the field ("entry.answer"), `record` its row; both are bound to the ciphertext.
class FieldCipher {
 public:
  virtual ~FieldCipher() = default;
  virtual Result<std::string> Seal(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                                   std::string_view plaintext) = 0;
  virtual Result<std::string> Open(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                                   std::string_view sealed) = 0;
};

}  // namespace ts::store
