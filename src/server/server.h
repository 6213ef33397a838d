// `trustsheet serve`: the multi-tenant HTTP(S) service and its JSON API. One Server owns its
// store, keyring and listening socket; Listen blocks until Stop (from any thread, or SIGTERM
// in the CLI), which lets running requests finish. cpp-httplib stays behind this header.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "security/session.h"

namespace ts::server {

class Mailer;  // server/mailer.h

struct ServerConfig {
  std::string data_dir = "data";
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string tls_cert;  // PEM files; both or neither
  std::string tls_key;
  // Plain HTTP on a non-loopback address only behind a proxy; X-Forwarded-For is trusted only
  // from these addresses.
  bool behind_proxy = false;
  std::vector<std::string> trusted_proxies;
  std::string master_key_file;  // default: DATA_DIR/master.key (created 0600 if absent)
  int audit_retention_days = 0;  // 0: keep the audit log for ever
  // Sign-in lockout (per account, for every organization it belongs to) and throttling.
  security::LockoutPolicy lockout;
  // cpp-httplib gives each connection a thread for as long as it is kept alive, and a browser
  // keeps about six open per tab: with 16, three tabs made the others wait (assets answered in
  // 300-700 ms instead of a few). The real fix is an engine that does not pin threads (issue 14).
  int threads = 64;
  // The clock (Unix seconds); tests move it.
  std::function<std::int64_t()> now;
  // Startup messages (the first-admin link); nullptr: silent.
  std::ostream* log = nullptr;
  // The address users reach the service at, for links in mail (default: the listening
  // address). Set it behind a proxy: "https://trust.example.com".
  std::string public_url;
  // Invitations and reset links are e-mailed through this loopback relay ("127.0.0.1:25")
  // from `smtp_from`; without one they are shown to the administrator who made them.
  std::string smtp_relay;
  std::string smtp_from;
  // Overrides smtp_relay (tests); not owned, must outlive the server.
  Mailer* mailer = nullptr;
};

// Limits, as named constants.
inline constexpr std::size_t kMaxUploadBytes = 20u << 20;   // a checksheet file
inline constexpr std::size_t kMaxJsonBytes = 1u << 20;      // a JSON request body
inline constexpr int kMaxPageSize = 500;
inline constexpr int kDefaultPageSize = 100;
inline constexpr int kInvitationDays = 7;
inline constexpr int kResetLinkHours = 24;
inline constexpr int kDrafterWaitSeconds = 30;  // a request waits this long for a busy drafter
// Dead sessions, invitations and reset links, and audit records past the retention, are
// deleted at start and then this often; a session is dead when idle or old beyond any
// organization's allowed settings.
inline constexpr int kPruneEverySeconds = 600;
inline constexpr std::int64_t kMaxSessionIdleSeconds = 24 * 3600;
inline constexpr std::int64_t kMaxSessionAgeSeconds = 7 * 24 * 3600;

// What the router knows about a route, for tests and docs: every route is listed here.
struct RouteInfo {
  std::string method;
  std::string pattern;     // "/api/v1/entries/{entry}"
  std::string access;      // "public", "session" (any signed-in state), "member"
  std::string permission;  // see permissions.h
  bool api_token = false;  // reachable with an API token
};
std::vector<RouteInfo> Routes();

class Server {
 public:
  // Opens (creating) DATA_DIR/trustsheet.db and the master key, migrates, prepares the first-
  // admin setup link when no user exists yet. Errors name the file or flag.
  static Result<std::unique_ptr<Server>> Create(ServerConfig config);
  ~Server();

  // Binds the socket (port 0 picks one); returns the port.
  Result<int> Bind();
  // Serves until Stop; then closes the database (checkpointing the WAL).
  Status Listen();
  void Stop();

  // The one-time link that sets the first admin's password ("" once someone has signed up).
  const std::string& setup_link() const;
  const std::string& setup_token() const;

  // Imports the demo organization "Demo" with a service library from `samples_dir` (idempotent).
  Status LoadDemo(const std::string& samples_dir);

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Operator tools over a data directory (the server need not run).
// Checks the audit log's hash chain; prints the record count or the first broken record.
Status VerifyAudit(const std::string& data_dir, std::int64_t* records);
// A consistent copy of DATA_DIR's database at `out` (0600; `out` must not exist), taken with
// SQLite's online backup, so the server may keep running. Answers, remarks and files stay
// sealed in it; the master key is not in it (keep the key apart from backups). The copy is
// checked (integrity, audit chain) before it counts; the backup is audited.
struct BackupReport {
  std::int64_t bytes = 0;
  std::int64_t organizations = 0;  // organizations with encrypted data
  std::int64_t audit_records = 0;
};
Result<BackupReport> BackupData(const std::string& data_dir, const std::string& out);

// Replaces DATA_DIR's database by the backup `from`, with the server stopped (Conflict while
// it runs). The backup is checked first — an intact SQLite file of a schema this build reads,
// every organization key opens with the master key, the audit chain verifies — and nothing
// changes when a check fails. The replaced database is kept beside as
// trustsheet.db.before-restore-<UTC time> (`previous`).
struct RestoreReport {
  std::int64_t organizations = 0;
  std::int64_t audit_records = 0;
  std::string previous;
};
Result<RestoreReport> RestoreData(const std::string& data_dir, const std::string& master_key_file,
                                  const std::string& from);

// Re-wraps every tenant key under a new master key written to `new_key_file` (0600); the old
// file is kept until the operator removes it.
Result<int> RotateMasterKey(const std::string& data_dir, const std::string& master_key_file,
                            const std::string& new_key_file);

}  // namespace ts::server
