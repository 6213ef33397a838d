// The server's insides, shared by its .cc files only: the application state (store pool,
// keyring, sign-in guard), the route table, and the per-request Call that handlers
// receive after the middleware has authenticated and authorized it. Never include from outside
// src/server.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "security/envelope.h"
#include "security/session.h"
#include "server/internal/drafter_pool.h"
#include "server/internal/store_pool.h"
#include "server/keyring.h"
#include "server/mailer.h"
#include "server/permissions.h"
#include "server/server.h"
#include "server/settings.h"
#include "service/questionnaire.h"
#include "store/store.h"

namespace ts::server {

using json = nlohmann::json;

// The content type of every JSON reply. Not the bare "application/json": cpp-httplib compresses
// replies of exactly that type with Brotli at its slowest setting when the client accepts br
// (every browser does): 3 s for the 675 KB of a 300-item questionnaire's items, against 0.2 s
// for gzip and less for none on a LAN. Behind a proxy, let the proxy compress.
inline constexpr const char* kJsonType = "application/json; charset=utf-8";

enum class Access { kPublic, kSession, kMember };

struct Call;
using Handler = std::function<Status(Call&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kMember;
  Permission permission = Permission::kSignedIn;
  bool api_token = false;  // API tokens may call it (scope read for GET, write otherwise)
  bool during_mfa = false;  // allowed before MFA is done (enrolment and verification)
  bool during_password_change = false;  // allowed while a password change is required
  // A change (not GET) runs in one store transaction unless it does slow work (password
  // hashing, parsing, drafting, mail), which must not hold the database's one writer: such a
  // handler writes in short transactions of its own and re-checks what it read in them.
  bool own_transactions = false;
  Handler handler;
  std::regex re;
  std::vector<std::string> params;  // placeholder names in order
};

class DataDirLock;  // server.cc

// The server's state, shared by all request threads. No lock is held across a request: each
// request has a store connection of its own (StorePool); the few shared structures below guard
// themselves, and what is set at start is only read afterwards.
struct Server::Impl {
  ~Impl();
  ServerConfig config;
  std::unique_ptr<DataDirLock> data_lock;  // released last (declared first)
  std::string db_path;
  std::unique_ptr<Keyring> keyring;  // before the pool: its connections' ciphers point into it
  std::unique_ptr<StorePool> stores;
  // Built drafters, with their own lock; `drafter_returned` signals a drafter given back.
  std::mutex drafters_mu;
  DrafterPool drafters{2, 32};  // two drafters per service (one per core), 32 services
  std::condition_variable drafter_returned;
  std::unique_ptr<security::LoginGuard> guard;  // thread-safe
  std::string csrf_secret;
  std::string dummy_hash;  // verified against for unknown accounts: same work, same timing
  // Made at start when there is no user yet; `setup_pending` turns false when setup is done.
  std::string setup_token;
  std::string setup_link;
  std::atomic<bool> setup_pending{false};
  std::vector<Route> routes;
  std::unique_ptr<httplib::Server> http;
  bool tls = false;
  int port = 0;
  // Listen/Stop hand-over (see Server::Stop).
  std::mutex run_mu;
  bool stop_requested = false;
  bool listening = false;
  std::atomic<bool> listen_returned{false};

  std::unique_ptr<Mailer> smtp;  // built from config.smtp_relay
  Mailer* mailer = nullptr;      // config.mailer, smtp, or nullptr (no mail)

  std::atomic<std::int64_t> last_prune{0};  // when PruneExpired last ran

  std::int64_t Now() const { return config.now(); }
  // Deletes dead sessions, invitations and reset links through `db` when kPruneEverySeconds
  // have passed (one request at a time does it).
  Status PruneIfDue(store::Store& db);
  std::string BaseUrl() const;
  // Where links in mail and replies point: config.public_url or BaseUrl().
  std::string PublicUrl() const { return config.public_url.empty() ? BaseUrl() : config.public_url; }
  // Appends to the hash-chained audit log through `db`; a failure to audit is logged to stderr
  // and fails the request that caused it (nothing happens unaudited).
  Status Audit(store::AccountStore& db, std::int64_t tenant, std::string_view actor, std::string_view source,
               std::string_view action, std::string_view target, std::string_view result);
};

// One request after the middleware, with its own store connection. Handlers may take as long
// as they need (password hashing, drafting): no other request waits for them, except for the
// database's one writer while a transaction is open, so keep transactions short and do the
// computing before or after them.
struct Call {
  Call(const httplib::Request& r, httplib::Response& s, Server::Impl& a, StorePool::Lease l, std::string addr)
      : req(r), res(s), app(a), store(std::move(l)), address(std::move(addr)) {}
  const httplib::Request& req;
  httplib::Response& res;
  Server::Impl& app;
  StorePool::Lease store;
  std::string address;
  std::map<std::string, std::int64_t> ids;  // path placeholders, already checked to be the tenant's
  // Set for Access::kSession and kMember routes.
  std::optional<store::User> user;
  std::int64_t tenant = 0;
  Role role = Role::kViewer;
  std::string session_token;  // raw token (cookie) when signed in with a session
  std::optional<store::SessionRow> session;
  std::optional<store::ApiToken> api_token;

  store::Store& db() { return *store; }
  std::string Actor() const { return user ? "user:" + std::to_string(user->id) : "anonymous"; }
  // The request body as a JSON object; InvalidArgument when it is not one.
  Result<json> Body() const;
  // Sends `body` (json, or ordered_json where field order matters) as the reply, written once.
  template <class J = json>
  void Json(int status, const J& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, J::error_handler_t::replace), kJsonType);
  }
  Status Audit(std::string_view action, std::string_view target, std::string_view result = "ok") {
    return app.Audit(db(), tenant, Actor(), address, action, target, result);
  }
  // An audit record in another tenant's log or under another actor (sign-in before a session).
  Status AuditAs(std::int64_t t, std::string_view actor, std::string_view action, std::string_view target,
                 std::string_view result) {
    return app.Audit(db(), t, actor, address, action, target, result);
  }
  Result<TenantSettings> Settings(std::int64_t t);
  // Query parameter as an integer within [lo, hi], or `fallback` when absent.
  Result<std::int64_t> IntParam(const char* name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
};

// Appends a member route needing `p`; returns it so the caller can set access and flags.
Route& AddRoute(std::vector<Route>* routes, const char* method, const char* pattern, Permission p, Handler h);

// Route tables of the handler files; server.cc collects them.
void AddAuthRoutes(std::vector<Route>* routes);
void AddAdminRoutes(std::vector<Route>* routes);
void AddLibraryRoutes(std::vector<Route>* routes);
void AddQuestionnaireRoutes(std::vector<Route>* routes);

// Shared helpers.
// A drafter for a service, from the pool or newly built from its library; given back with
// ReturnDrafter. Waits for a busy drafter (bounded) rather than build another.
struct DrafterLease {
  std::unique_ptr<match::Drafter> drafter;
  std::string revision;  // the library revision it was built from
};
Result<DrafterLease> TakeDrafter(Call& c, const store::Service& s);
void ReturnDrafter(Call& c, std::int64_t service_id, DrafterLease lease);
// The use cases' context for this call: its store, tenant, user, and the audit log.
service::Context ServiceContext(Call& c);
// The "name" query parameter of an upload: a plain file name (no path), at most 255 bytes.
Result<std::string> FileName(const Call& c);
// Sends `bytes` as a download named `name` (RFC 6266/5987 for Japanese names), typed by extension.
void SendFile(Call& c, const std::string& name, std::string bytes);
// The "email" field of a request body, trimmed and lower-cased; InvalidArgument when missing
// or not an address.
Result<std::string> EmailFrom(const json& b);
// Body field `key` as a string of at most `max_bytes`; "" when absent and not required.
// InvalidArgument names the key: missing, not a string, too long.
Result<std::string> StringField(const json& b, const char* key, std::size_t max_bytes, bool required = true);
// Body field `key` as an integer in [lo, hi], or `fallback` when absent.
Result<std::int64_t> IntField(const json& b, const char* key, std::int64_t fallback, std::int64_t lo, std::int64_t hi);
// Mails `body` (which holds `link`) to `to` when mail is configured and audits the attempt.
// Sets reply["delivery"] to "email", or to "shown" and adds "token" and "link" for the
// administrator to pass on (no mail configured, or it failed).
void DeliverLink(Call& c, const std::string& to, const std::string& subject, const std::string& body,
                 const std::string& what, const std::string& token, const std::string& link, json* reply);
std::string SessionCookie(const std::string& token, bool clear = false);
// Makes a session for (user, tenant) and sets its cookie; returns the CSRF token.
Result<std::string> StartSession(Call& c, const store::User& u, std::int64_t tenant, bool mfa_done);
Status CheckIpAllowed(const TenantSettings& s, Role role, const std::string& address);
int HttpStatus(ErrorCode code);
void SendError(httplib::Response& res, int status, std::string_view code, std::string_view message);
std::string IsoTime(std::int64_t unix_seconds);

}  // namespace ts::server
