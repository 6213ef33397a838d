// The server core: start-up (data directory, master key, store, first-admin link), the router
// with its middleware (client address, security headers, authentication, IP allow-lists, MFA
// and password-change states, CSRF, the permission table, tenant ownership of every id in the
// path), the audit log writer and the operator tools.
#include "server/server.h"

#include <openssl/ssl.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "base/file_io.h"
#include "security/audit_chain.h"
#include "security/digest.h"
#include "security/ip_allowlist.h"
#include "security/password.h"
#include "server/internal/app.h"
#include "server/request_parts.h"
#include "web/site.h"

namespace ts::server {
namespace {

constexpr const char* kCookieName = "ts_session";
constexpr std::int64_t kTouchEverySeconds = 5;  // how stale last_seen may get (bounds writes)

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string ErrorCodeSnake(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kPermissionDenied: return "forbidden";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kResourceExhausted: return "too_large";
    case ErrorCode::kCorruption: return "corruption";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kUnimplemented: return "not_implemented";
    case ErrorCode::kOk:
    case ErrorCode::kInternal: break;
  }
  return "internal";
}

void SetSecurityHeaders(httplib::Response& res, bool tls) {
  // No inline script or style anywhere: the web UI loads its assets from the same origin.
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                 "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
  res.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (tls) res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

}  // namespace

Route& AddRoute(std::vector<Route>* routes, const char* method, const char* pattern, Permission p, Handler h) {
  Route& r = routes->emplace_back();
  r.method = method;
  r.pattern = pattern;
  r.permission = p;
  r.handler = std::move(h);
  return r;
}

namespace {

std::vector<Route> BuildRoutes() {
  std::vector<Route> routes;
  AddAuthRoutes(&routes);
  AddAdminRoutes(&routes);
  AddLibraryRoutes(&routes);
  AddQuestionnaireRoutes(&routes);
  static const std::regex kPlaceholder(R"(\{([a-z]+)\})");
  for (Route& r : routes) {
    std::string re;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(r.pattern.begin(), r.pattern.end(), kPlaceholder); it != std::sregex_iterator();
         ++it) {
      re += r.pattern.substr(last, static_cast<std::size_t>(it->position()) - last);
      re += "([0-9]{1,18})";
      r.params.push_back((*it)[1].str());
      last = static_cast<std::size_t>(it->position() + it->length());
    }
    re += r.pattern.substr(last);
    r.re = std::regex(re);
  }
  return routes;
}

// Whether resource `kind` `id` belongs to `tenant`: the one place that makes other tenants'
// ids answer 404 on every route.
Result<bool> Owns(store::Store& db, std::int64_t tenant, const std::string& kind, std::int64_t id) {
  const store::TenantId t{tenant};
  if (kind == "service") {
    TS_ASSIGN_OR_RETURN(auto s, db.GetService(t, id));
    return s.has_value();
  }
  if (kind == "entry") {
    TS_ASSIGN_OR_RETURN(auto e, db.GetEntry(t, id));
    return e.has_value();
  }
  // Ownership checks open no sealed column (the handler reads what it needs, once).
  if (kind == "file") return db.HasFile(tenant, id);
  if (kind == "questionnaire") return db.HasQuestionnaire(tenant, id);
  if (kind == "item") return db.HasItem(tenant, id);
  if (kind == "user") {
    TS_ASSIGN_OR_RETURN(auto m, db.GetMembership(tenant, id));
    return m.has_value();
  }
  if (kind == "token") {
    TS_ASSIGN_OR_RETURN(auto all, db.ListApiTokens(tenant));
    for (const auto& tok : all) {
      if (tok.id == id) return true;
    }
    return false;
  }
  return Internal("route placeholder {" + kind + "} has no owner check");
}

}  // namespace

// ---------------------------------------------------------------- helpers shared by handlers

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kResourceExhausted: return 413;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kUnimplemented: return 501;
    case ErrorCode::kCorruption:
    case ErrorCode::kInternal: break;
  }
  return 500;
}

void SendError(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  res.status = status;
  // Messages may quote input; invalid UTF-8 in them becomes U+FFFD rather than an exception.
  res.set_content(json{{"error", {{"code", code}, {"message", message}}}}.dump(-1, ' ', false, json::error_handler_t::replace),
                  kJsonType);
}

std::string IsoTime(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string SessionCookie(const std::string& token, bool clear) {
  // Secure even on loopback HTTP: browsers treat localhost as a secure context.
  return std::string(kCookieName) + "=" + (clear ? "" : token) + "; Path=/; HttpOnly; Secure; SameSite=Strict" +
         (clear ? "; Max-Age=0" : "");
}

Result<std::string> StartSession(Call& c, const store::User& u, std::int64_t tenant, bool mfa_done) {
  security::NewToken tok = security::NewOpaqueToken();
  const std::int64_t now = c.app.Now();
  TS_RETURN_IF_ERROR(c.db().InsertSession(store::SessionRow{tok.hash, u.id, tenant, now, now, mfa_done, c.address}));
  if (mfa_done && u.last_tenant != tenant) {  // the next full sign-in comes back here
    TS_ASSIGN_OR_RETURN(std::optional<store::User> fresh, c.db().GetUser(u.id));
    if (fresh) {
      fresh->last_tenant = tenant;
      TS_RETURN_IF_ERROR(c.db().UpdateUser(*fresh));
    }
  }
  c.res.set_header("Set-Cookie", SessionCookie(tok.token));
  c.session_token = tok.token;
  return security::CsrfToken(c.app.csrf_secret, tok.token);
}

Status CheckIpAllowed(const TenantSettings& s, Role role, const std::string& address) {
  TS_ASSIGN_OR_RETURN(security::IpAllowList all, security::IpAllowList::Parse(s.ip_allow));
  if (!all.empty() && !all.Allows(address)) {
    return Status(ErrorCode::kPermissionDenied, "access from " + address + " is not allowed for this organization");
  }
  if (role == Role::kOwner || role == Role::kAdmin) {
    TS_ASSIGN_OR_RETURN(security::IpAllowList admins, security::IpAllowList::Parse(s.admin_ip_allow));
    if (!admins.empty() && !admins.Allows(address)) {
      return Status(ErrorCode::kPermissionDenied, "administration from " + address + " is not allowed for this organization");
    }
  }
  return Status();
}

void DeliverLink(Call& c, const std::string& to, const std::string& subject, const std::string& body,
                 const std::string& what, const std::string& token, const std::string& link, json* reply) {
  if (Mailer* mailer = c.app.mailer; mailer != nullptr) {
    Status sent = mailer->Send(Mail{to, subject, body});
    (void)c.Audit("mail." + what, to, sent.ok() ? "ok" : "error: " + sent.message());
    if (sent.ok()) {
      (*reply)["delivery"] = "email";  // only the person has the link now
      return;
    }
    std::cerr << "trustsheet serve: " << sent.message() << "\n";
  }
  (*reply)["delivery"] = "shown";
  (*reply)["token"] = token;
  (*reply)["link"] = link;
}

Result<json> Call::Body() const {
  if (req.body.size() > kMaxJsonBytes) return ResourceExhausted("request body is larger than 1 MiB");
  json j = json::parse(req.body, nullptr, false);
  if (!j.is_object()) return InvalidArgument("request body must be a JSON object");
  return j;
}

Result<std::int64_t> Call::IntParam(const char* name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  std::int64_t n = 0;
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument(std::string("query parameter '") + name + "' must be a whole number");
  }
  n = std::stoll(v);
  if (n < lo || n > hi) {
    return InvalidArgument(std::string("query parameter '") + name + "' must be between " + std::to_string(lo) +
                           " and " + std::to_string(hi));
  }
  return n;
}

std::string Server::Impl::BaseUrl() const {
  const std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  return std::string(tls ? "https" : "http") + "://" + host + ":" + std::to_string(port);
}

namespace {

// Appends one record to the hash-chained audit log of `db`, stamped `now`.
Status AppendChainedAudit(store::AccountStore& db, std::int64_t now, std::int64_t tenant, std::string_view actor,
                          std::string_view source, std::string_view action, std::string_view target,
                          std::string_view result) {
  store::AuditRow row;
  row.time = IsoTime(now);
  row.tenant = tenant;
  row.actor = std::string(actor.substr(0, 200));
  row.source = std::string(source);
  row.action = std::string(action);
  row.target = std::string(target.substr(0, 200));
  row.result = std::string(result.substr(0, 200));
  return db.AppendAudit(row, [](const store::AuditRow* last, store::AuditRow* next) {
    auto to_record = [](const store::AuditRow& r) {
      return security::AuditRecord{r.seq,    r.time,   r.tenant, r.actor,     r.source,
                                   r.action, r.target, r.result, r.prev_hash, r.hash};
    };
    security::AuditRecord rec = to_record(*next);
    std::optional<security::AuditRecord> prev;
    if (last != nullptr) prev = to_record(*last);
    security::ChainAfter(prev ? &*prev : nullptr, &rec);
    next->seq = rec.seq;
    next->prev_hash = rec.prev_hash;
    next->hash = rec.hash;
  });
}

}  // namespace

Status Server::Impl::Audit(store::AccountStore& db, std::int64_t tenant, std::string_view actor,
                           std::string_view source, std::string_view action, std::string_view target,
                           std::string_view result) {
  Status s = AppendChainedAudit(db, Now(), tenant, actor, source, action, target, result);
  if (!s.ok()) std::cerr << "trustsheet serve: audit log: " << s.message() << "\n";
  return s;
}

Status Server::Impl::PruneIfDue(store::Store& db) {
  const std::int64_t now = Now();
  std::int64_t last = last_prune.load();
  if (last != 0 && now - last < kPruneEverySeconds) return Status();
  if (!last_prune.compare_exchange_strong(last, now)) return Status();  // another request does it
  TS_RETURN_IF_ERROR(db.PruneExpired(now, kMaxSessionIdleSeconds, kMaxSessionAgeSeconds).status());
  if (config.audit_retention_days > 0) {
    const std::int64_t cutoff = now - std::int64_t{config.audit_retention_days} * 86400;
    TS_ASSIGN_OR_RETURN(std::int64_t pruned, db.PruneAudit(IsoTime(cutoff)));
    if (pruned > 0 && config.log != nullptr) {
      *config.log << "audit log: " << pruned << " records older than " << config.audit_retention_days
                  << " days removed (the chain stays verifiable from its anchor)\n";
    }
  }
  return Status();
}

Result<TenantSettings> Call::Settings(std::int64_t t) {
  TS_ASSIGN_OR_RETURN(store::Tenant tenant_row, db().GetTenant(t));
  return ParseTenantSettings(tenant_row.settings);
}

// ---------------------------------------------------------------- the router and middleware

namespace {

// Authenticates the call (session cookie or API token) and applies every per-request control.
// On failure the response is written and false returned.
bool Authenticate(Call& c, const Route& route) {
  Server::Impl& app = c.app;
  auto deny = [&](int status, std::string_view code, std::string_view message) {
    SendError(c.res, status, code, message);
    return false;
  };
  auto internal = [&](const Status& s) { return deny(HttpStatus(s.code()), ErrorCodeSnake(s.code()), s.message()); };
  const std::int64_t now = app.Now();
  std::string auth = c.req.get_header_value("Authorization");
  std::int64_t user_id = 0;
  if (auth.rfind("Bearer ", 0) == 0) {
    if (!route.api_token) return deny(403, "token_not_allowed", "this endpoint needs a signed-in session");
    auto tok = c.db().FindApiToken(security::TokenHash(auth.substr(7)));
    if (!tok.ok()) return internal(tok.status());
    if (!tok->has_value() || (*tok)->revoked_at != 0 || (*tok)->expires <= now) {
      return deny(401, "unauthenticated", "API token is unknown, expired or revoked");
    }
    const bool read_only = c.req.method == "GET" || c.req.method == "HEAD";
    const std::string& scopes = (*tok)->scopes;
    if (scopes.find(read_only ? "read" : "write") == std::string::npos && scopes.find("write") == std::string::npos) {
      return deny(403, "forbidden", "API token lacks the scope for this request");
    }
    c.api_token = **tok;
    c.tenant = (*tok)->tenant_id;
    user_id = (*tok)->user_id;
  } else {
    c.session_token = CookieValue(c.req.get_header_value("Cookie"), kCookieName);
    if (c.session_token.empty()) return deny(401, "unauthenticated", "sign in first");
    const std::string hash = security::TokenHash(c.session_token);
    auto sess = c.db().GetSession(hash);
    if (!sess.ok()) return internal(sess.status());
    if (!sess->has_value()) return deny(401, "unauthenticated", "session is unknown or signed out");
    c.session = **sess;
    c.tenant = c.session->tenant_id;
    user_id = c.session->user_id;
    auto settings = c.Settings(c.tenant);
    if (!settings.ok()) return deny(401, "unauthenticated", "organization no longer exists");
    security::SessionState state = security::CheckSession(settings->session, c.session->created, c.session->last_seen, now);
    if (state != security::SessionState::kValid) {
      (void)c.db().DeleteSession(hash);
      (void)c.AuditAs(c.tenant, "user:" + std::to_string(user_id), "session.expired", "",
                      state == security::SessionState::kIdleExpired ? "idle" : "absolute");
      c.res.set_header("Set-Cookie", SessionCookie("", true));
      return deny(401, "session_expired",
                  state == security::SessionState::kIdleExpired ? "session ended after inactivity; sign in again"
                                                                : "session reached its maximum length; sign in again");
    }
  }
  auto user = c.db().GetUser(user_id);
  if (!user.ok()) return internal(user.status());
  if (!user->has_value() || (*user)->disabled || (*user)->deleted) {
    if (c.session) (void)c.db().DeleteSession(c.session->token_hash);
    return deny(401, "unauthenticated", "account is disabled");
  }
  c.user = **user;
  auto member = c.db().GetMembership(c.tenant, user_id);
  if (!member.ok()) return internal(member.status());
  if (!member->has_value()) return deny(401, "unauthenticated", "no longer a member of this organization");
  c.role = RoleFromName((*member)->role).value_or(Role::kViewer);
  auto settings = c.Settings(c.tenant);
  if (!settings.ok()) return internal(settings.status());
  if (Status ip = CheckIpAllowed(*settings, c.role, c.address); !ip.ok()) {
    (void)c.Audit("access.denied", c.req.method + " " + c.req.path, "ip not allowed");
    return deny(403, "ip_not_allowed", ip.message());
  }
  if (c.session) {
    if (!c.session->mfa_done && !route.during_mfa) {
      return deny(403, "mfa_required", "finish multi-factor authentication first");
    }
    const std::int64_t age_days = (now - c.user->password_changed_at) / 86400;
    if ((c.user->must_change_password || security::PasswordExpired(settings->password, age_days)) &&
        !route.during_password_change) {
      return deny(403, "password_change_required", "change your password first");
    }
    if (c.req.method != "GET" && c.req.method != "HEAD" &&
        !security::CheckCsrf(app.csrf_secret, c.session_token, c.req.get_header_value("X-CSRF-Token"))) {
      (void)c.Audit("access.denied", c.req.method + " " + c.req.path, "csrf token missing or wrong");
      return deny(403, "csrf_failed", "missing or wrong X-CSRF-Token header");
    }
    if (now - c.session->last_seen >= kTouchEverySeconds) {
      Status s = c.db().TouchSession(c.session->token_hash, now, c.session->mfa_done);
      if (!s.ok()) return internal(s);
    }
  }
  if (!RoleAllows(c.role, route.permission)) {
    (void)c.Audit("access.denied", c.req.method + " " + c.req.path, "role " + std::string(RoleName(c.role)));
    return deny(403, "forbidden",
                "role " + std::string(RoleName(c.role)) + " may not " + std::string(PermissionName(route.permission)));
  }
  return true;
}

// The route for the request, with the path's placeholders in `m`; nullptr with a 404 or 405
// error written when there is none.
const Route* FindRoute(const Server::Impl& app, const httplib::Request& req, httplib::Response& res, std::smatch* m) {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  bool path_known = false;
  for (const Route& r : app.routes) {
    if (std::regex_match(req.path, *m, r.re)) {
      path_known = true;
      if (r.method == method) return &r;
    }
  }
  if (path_known) {
    SendError(res, 405, "method_not_allowed", req.method + " is not allowed on " + req.path);
  } else {
    SendError(res, 404, "not_found", "no such endpoint: " + req.path);
  }
  return nullptr;
}

void Dispatch(Server::Impl& app, const httplib::Request& req, httplib::Response& res) {
  SetSecurityHeaders(res, app.tls);
  if (req.path != "/api" && req.path.rfind("/api/", 0) != 0) {  // the web UI's pages and assets
    web::Reply page = web::Respond(req.method, req.path, req.get_header_value("Accept-Language"),
                                   req.get_header_value("Cookie"), req.get_header_value("If-None-Match"));
    for (const auto& [name, value] : page.headers) {
      res.headers.erase(name);  // replaces the default (Cache-Control: no-store for assets)
      res.set_header(name, value);
    }
    res.status = page.status;
    res.set_content(std::move(page.body), page.content_type);
    return;
  }
  std::smatch m;
  const Route* route = FindRoute(app, req, res, &m);
  if (route == nullptr) return;
  Result<StorePool::Lease> lease = app.stores->Take();
  if (!lease.ok()) {
    res.set_header("Retry-After", "1");
    SendError(res, 503, "unavailable", lease.status().message());
    return;
  }
  if (Status pruned = app.PruneIfDue(**lease); !pruned.ok()) {
    std::cerr << "trustsheet serve: pruning: " << pruned.message() << "\n";
  }
  Call c{req, res, app, std::move(lease).value(),
         ClientAddress(req.remote_addr, req.has_header("X-Forwarded-For") ? req.get_header_value("X-Forwarded-For") : "",
                       app.config.behind_proxy, app.config.trusted_proxies)};
  auto run = [&] {
    if (route->access != Access::kPublic && !Authenticate(c, *route)) return;
    for (std::size_t i = 0; i < route->params.size(); ++i) {
      const std::int64_t id = std::stoll(m[static_cast<int>(i) + 1].str());
      Result<bool> owned = Owns(c.db(), c.tenant, route->params[i], id);
      if (!owned.ok()) {
        SendError(res, 500, "internal", owned.status().message());
        return;
      }
      if (!*owned) {
        SendError(res, 404, "not_found", route->params[i] + " " + std::to_string(id) + " not found");
        return;
      }
      c.ids[route->params[i]] = id;
    }
    Status s = route->handler(c);
    if (!s.ok()) SendError(res, HttpStatus(s.code()), ErrorCodeSnake(s.code()), s.message());
  };
  if (req.method == "GET" || req.method == "HEAD" || route->own_transactions) {
    run();
    return;
  }
  // A change runs in one transaction, so what it reads is what it changes (no other request
  // writes in between). Whatever it wrote is committed, also when it answers an error: its
  // audit records of refusals stay, and its use cases roll back their own failed steps.
  Status committed = c.db().Transaction([&] {
    run();
    return Status();
  });
  if (!committed.ok()) {
    res.headers.erase("Set-Cookie");
    SendError(res, HttpStatus(committed.code()), ErrorCodeSnake(committed.code()), committed.message());
  }
}

}  // namespace

std::vector<RouteInfo> Routes() {
  std::vector<RouteInfo> out;
  for (const Route& r : BuildRoutes()) {
    out.push_back(RouteInfo{r.method, r.pattern, r.access == Access::kPublic ? "public" : "member",
                            std::string(PermissionName(r.permission)), r.api_token});
  }
  return out;
}

// ---------------------------------------------------------------- start, listen, stop

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

const std::string& Server::setup_link() const { return impl_->setup_link; }
const std::string& Server::setup_token() const { return impl_->setup_token; }

// An exclusive lock on DATA_DIR/serve.lock for as long as it lives: one server or operator
// tool (restore, key rotation) at a time on a data directory.
class DataDirLock {
 public:
  static Result<std::unique_ptr<DataDirLock>> Take(const std::string& data_dir) {
    const std::string path = (std::filesystem::path(data_dir) / "serve.lock").string();
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return Unavailable(path + ": cannot open: " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return Status(ErrorCode::kConflict, data_dir + ": in use by a running trustsheet serve or another operator tool; "
                                                     "stop it first");
    }
    return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
  }
  ~DataDirLock() { ::close(fd_); }
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

Server::Impl::~Impl() = default;

namespace {

struct Opened {
  std::unique_ptr<DataDirLock> lock;
  std::string db_path;
  std::unique_ptr<Keyring> keyring;
  StorePool::Connection db;  // migrated to the current schema
  security::Key master;
};

Result<Opened> OpenData(const std::string& data_dir, std::string master_key_file, bool create) {
  std::error_code ec;
  if (create) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return Unavailable(data_dir + ": cannot create data directory: " + ec.message());
    ::chmod(data_dir.c_str(), 0700);
  } else if (!std::filesystem::is_directory(data_dir)) {
    return NotFound(data_dir + ": no such data directory");
  }
  Opened o;
  TS_ASSIGN_OR_RETURN(o.lock, DataDirLock::Take(data_dir));
  if (master_key_file.empty()) master_key_file = (std::filesystem::path(data_dir) / "master.key").string();
  TS_ASSIGN_OR_RETURN(o.master, security::LoadMasterKey(master_key_file, create));
  o.db_path = (std::filesystem::path(data_dir) / "trustsheet.db").string();
  if (!create && !std::filesystem::exists(o.db_path)) return NotFound(o.db_path + ": no database here");
  if (create && !std::filesystem::exists(o.db_path)) {
    // Made here, private, before SQLite opens it: SQLite would create it 0644, and its -wal and
    // -shm files take the database file's mode.
    TS_RETURN_IF_ERROR(CreatePrivateFile(o.db_path));
  }
  ::chmod(o.db_path.c_str(), 0600);  // databases made before this rule
  TS_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db, store::OpenSqliteStore(o.db_path));
  o.keyring = std::make_unique<Keyring>(o.master);
  o.db = StorePool::Bind(o.keyring.get(), std::move(db));
  return o;
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config) {
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return InvalidArgument("--tls-cert and --tls-key go together");
  }
  if (config.tls_cert.empty() && !security::IsLoopbackHost(config.host) && !config.behind_proxy) {
    return InvalidArgument("plain HTTP is only served on a loopback address; give --tls-cert and --tls-key, "
                           "or --behind-proxy when a TLS proxy is in front");
  }
  if (!config.now) config.now = SystemNow;
  if (config.lockout.max_failures < 1 || config.lockout.max_failures > 100 || config.lockout.lock_minutes < 1 ||
      config.lockout.lock_minutes > 24 * 60) {
    return InvalidArgument("--lockout-failures must be 1..100 and --lockout-minutes 1..1440");
  }
  auto impl = std::make_unique<Impl>();
  TS_ASSIGN_OR_RETURN(Opened o, OpenData(config.data_dir, config.master_key_file, true));
  impl->db_path = o.db_path;
  impl->data_lock = std::move(o.lock);
  o.db.store.reset();  // requests open their own connections (the schema is migrated)
  impl->keyring = std::move(o.keyring);
  const std::size_t connections = static_cast<std::size_t>(std::max(2, config.threads));
  impl->stores = std::make_unique<StorePool>([path = o.db_path, gate = std::make_shared<std::mutex>()] {
                                               return store::OpenSqliteStore(path, gate);
                                             },
                                             impl->keyring.get(), connections, std::chrono::seconds(10));
  impl->csrf_secret = security::Sha256Hex("trustsheet csrf v1:" + std::string(reinterpret_cast<const char*>(o.master.data()),
                                                                               security::kKeyBytes));
  security::NewToken dummy = security::NewOpaqueToken();
  TS_ASSIGN_OR_RETURN(impl->dummy_hash, security::HashPassword(dummy.token));
  impl->tls = !config.tls_cert.empty();
  impl->port = config.port;
  impl->config = std::move(config);
  impl->guard = std::make_unique<security::LoginGuard>(impl->config.lockout);
  impl->routes = BuildRoutes();
  if (impl->config.mailer != nullptr) {
    impl->mailer = impl->config.mailer;
  } else if (!impl->config.smtp_relay.empty()) {
    TS_ASSIGN_OR_RETURN(impl->smtp, MakeSmtpMailer(impl->config.smtp_relay, impl->config.smtp_from));
    impl->mailer = impl->smtp.get();
  }
  if (!impl->config.public_url.empty() && impl->config.public_url.rfind("https://", 0) != 0 &&
      impl->config.public_url.rfind("http://", 0) != 0) {
    return InvalidArgument("--public-url must start with https:// (or http://)");
  }
  while (!impl->config.public_url.empty() && impl->config.public_url.back() == '/') impl->config.public_url.pop_back();
  if (impl->config.audit_retention_days < 0) return InvalidArgument("--audit-retention-days must be 0 or more");
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  Impl& app = *impl_;
  if (app.tls) {
    const std::string cert = app.config.tls_cert;
    const std::string key = app.config.tls_key;
    auto srv = std::make_unique<httplib::SSLServer>([cert, key](SSL_CTX& ctx) {
      // TLS 1.2 at least, forward-secret AEAD suites only, no compression or renegotiation.
      SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
      SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
      if (SSL_CTX_set_cipher_list(&ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) return false;
      return SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) == 1 &&
             SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) == 1 && SSL_CTX_check_private_key(&ctx) == 1;
    });
    if (!srv->is_valid()) {
      return InvalidArgument("cannot use TLS certificate " + cert + " with key " + key +
                             " (unreadable, not PEM, or they do not match)");
    }
    app.http = std::move(srv);
  } else {
    app.http = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *app.http;
  const int threads = std::max(2, app.config.threads);
  // httplib owns the queue it is given (its API takes a raw pointer).
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  // httplib reads and discards (never stores) a body over this limit before answering 413, so
  // the connection stays in step. Bodies are read before routing: memory per request is
  // bounded by this limit, JSON routes then refuse more than kMaxJsonBytes.
  http.set_payload_max_length(kMaxUploadBytes);
  http.set_read_timeout(30, 0);
  http.set_write_timeout(30, 0);
  http.set_idle_interval(0, 100000);
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(2);  // an idle kept-alive connection holds a worker thread (see ServerConfig::threads)
  // Responses go out in more than one write (headers, body): with Nagle's algorithm the second
  // waits for the client's delayed ACK, some 40 ms on every keep-alive request.
  http.set_tcp_nodelay(true);
  auto dispatch = [&app](const httplib::Request& req, httplib::Response& res) { Dispatch(app, req, res); };
  http.Get(".*", dispatch);
  http.Post(".*", dispatch);
  http.Put(".*", dispatch);
  http.Delete(".*", dispatch);
  http.Patch(".*", dispatch);
  // Errors httplib answers by itself (malformed request, body over the limit, URI too long)
  // get the same JSON form and headers as ours.
  http.set_error_handler(httplib::Server::HandlerWithResponse([&app](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    SetSecurityHeaders(res, app.tls);
    SendError(res, res.status, res.status == 413 ? "too_large" : "bad_request",
              res.status == 413 ? "request body is too large" : "request could not be read (HTTP " + std::to_string(res.status) + ")");
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([&app](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unexpected error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::cerr << "trustsheet serve: " << what << "\n";
    SetSecurityHeaders(res, app.tls);
    SendError(res, 500, "internal", "internal error");
  });
  int port = app.config.port;
  if (port == 0) {
    port = http.bind_to_any_port(app.config.host);
    if (port <= 0) return Unavailable("cannot listen on " + app.config.host);
  } else if (!http.bind_to_port(app.config.host, port)) {
    return Unavailable("cannot listen on " + app.config.host + ":" + std::to_string(port) +
                       " (in use, or not an address of this machine)");
  }
  app.port = port;
  TS_ASSIGN_OR_RETURN(StorePool::Lease db, app.stores->Take());
  TS_RETURN_IF_ERROR(app.PruneIfDue(*db));
  TS_ASSIGN_OR_RETURN(std::int64_t users, db->CountUsers());
  if (users == 0) {
    // No default password: the first admin comes through a one-time token, printed only here.
    security::NewToken tok = security::NewOpaqueToken();
    TS_RETURN_IF_ERROR(db->SetState("setup.token_hash", tok.hash));
    app.setup_token = tok.token;
    app.setup_pending = true;
    app.setup_link = app.PublicUrl() + "/setup#token=" + tok.token;
    if (app.config.log != nullptr) {
      *app.config.log << "First start: no administrator yet. Open this one-time link in a browser to create the first "
                         "one (valid until used or until the server restarts):\n"
                      << "  " << app.setup_link << "\n"
                      << "or, with the JSON API:\n"
                      << "  curl -X POST " << app.BaseUrl() << "/api/v1/setup -H 'Content-Type: application/json' \\\n"
                      << "    -d '{\"token\": \"" << tok.token
                      << "\", \"email\": \"you@example.com\", \"password\": \"<12+ characters>\", "
                         "\"organization\": \"<your company>\"}'\n"
                      << std::flush;
    }
  }
  TS_RETURN_IF_ERROR(app.Audit(*db, 0, "system", "", "server.start", app.BaseUrl(), "ok"));
  return port;
}

Status Server::Listen() {
  if (!impl_->http) TS_RETURN_IF_ERROR(Bind().status());
  {
    std::lock_guard<std::mutex> run(impl_->run_mu);
    if (impl_->stop_requested) return Status();
    impl_->listening = true;
  }
  if (impl_->config.log != nullptr) *impl_->config.log << "trustsheet serving on " << impl_->BaseUrl() << "\n" << std::flush;
  impl_->http->listen_after_bind();
  impl_->listen_returned = true;
  if (Result<StorePool::Lease> db = impl_->stores->Take(); db.ok()) {
    (void)impl_->Audit(**db, 0, "system", "", "server.stop", impl_->BaseUrl(), "ok");
  }
  return Status();
}

void Server::Stop() {
  if (!impl_ || !impl_->http) return;
  {
    std::lock_guard<std::mutex> run(impl_->run_mu);
    impl_->stop_requested = true;
    if (!impl_->listening) return;  // Listen will not start
  }
  // httplib's stop() does nothing until its accept loop has started: wait for that (it is
  // the next thing Listen does), so a Stop right after Listen began is never lost.
  while (!impl_->http->is_running() && !impl_->listen_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->http->stop();
}

// ---------------------------------------------------------------- operator tools

namespace {

// Checks the audit chain of an open database (`db_path` names it in errors), in batches so the
// whole log never sits in memory; each batch is anchored on the hash of the record before it.
Status VerifyAuditOf(store::AccountStore& db, const std::string& db_path, std::int64_t* records) {
  std::string anchor;
  std::vector<security::AuditRecord> batch;
  *records = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status();
    TS_RETURN_IF_ERROR(security::VerifyAuditChain(batch, anchor).WithPrefix(db_path + ": audit log"));
    anchor = batch.back().hash;
    *records += static_cast<std::int64_t>(batch.size());
    batch.clear();
    return Status();
  };
  std::int64_t expected_seq = 0;
  TS_RETURN_IF_ERROR(db.ScanAudit(&anchor, [&](const store::AuditRow& r) -> Status {
    if (expected_seq != 0 && batch.empty() && r.seq != expected_seq) {
      return Corruption(db_path + ": audit log: record " + std::to_string(expected_seq) + " is missing");
    }
    batch.push_back({r.seq, r.time, r.tenant, r.actor, r.source, r.action, r.target, r.result, r.prev_hash, r.hash});
    expected_seq = r.seq + 1;
    if (batch.size() >= 4096) return flush();
    return Status();
  }));
  return flush();
}

}  // namespace

Status VerifyAudit(const std::string& data_dir, std::int64_t* records) {
  // The audit log holds no sealed values; the master key is not needed to verify it.
  const std::string db_path = (std::filesystem::path(data_dir) / "trustsheet.db").string();
  if (!std::filesystem::exists(db_path)) return NotFound(db_path + ": no database here");
  TS_ASSIGN_OR_RETURN(auto db, store::OpenSqliteStore(db_path));
  return VerifyAuditOf(*db, db_path, records);
}

Result<BackupReport> BackupData(const std::string& data_dir, const std::string& out) {
  const std::string db_path = (std::filesystem::path(data_dir) / "trustsheet.db").string();
  if (!std::filesystem::exists(db_path)) return NotFound(db_path + ": no database here");
  TS_RETURN_IF_ERROR(store::BackupSqliteDatabase(db_path, out));
  BackupReport report;
  report.bytes = static_cast<std::int64_t>(std::filesystem::file_size(out));
  {
    // The copy is checked like a restore would: it opens and its audit chain verifies.
    TS_ASSIGN_OR_RETURN(auto copy, store::OpenSqliteStore(out));
    TS_RETURN_IF_ERROR(VerifyAuditOf(*copy, out, &report.audit_records));
    TS_ASSIGN_OR_RETURN(auto keys, copy->AllWrappedKeys());
    report.organizations = static_cast<std::int64_t>(keys.size());
  }
  TS_ASSIGN_OR_RETURN(auto live, store::OpenSqliteStore(db_path));
  TS_RETURN_IF_ERROR(AppendChainedAudit(*live, SystemNow(), 0, "operator", "", "backup", out,
                                        "ok " + std::to_string(report.bytes) + " bytes"));
  return report;
}

Result<RestoreReport> RestoreData(const std::string& data_dir, const std::string& master_key_file,
                                  const std::string& from) {
  namespace fs = std::filesystem;
  TS_ASSIGN_OR_RETURN(Opened current, OpenData(data_dir, master_key_file, false));
  TS_RETURN_IF_ERROR(store::CheckSqliteDatabase(from));
  const std::string staged = current.db_path + ".restoring";
  fs::remove(staged);
  TS_RETURN_IF_ERROR(store::BackupSqliteDatabase(from, staged));
  RestoreReport report;
  Status checked = [&]() -> Status {
    TS_ASSIGN_OR_RETURN(auto copy, store::OpenSqliteStore(staged));  // migrates an older schema
    TS_ASSIGN_OR_RETURN(auto keys, copy->AllWrappedKeys());
    for (const auto& [tenant, wrapped] : keys) {
      if (!security::UnwrapKey(current.master, tenant, wrapped).ok()) {
        return InvalidArgument(from + ": organization " + std::to_string(tenant) +
                               "'s key does not open with this master key; restore with the master key in use "
                               "when the backup was made (--master-key-file)");
      }
    }
    report.organizations = static_cast<std::int64_t>(keys.size());
    TS_RETURN_IF_ERROR(VerifyAuditOf(*copy, from, &report.audit_records));
    return AppendChainedAudit(*copy, SystemNow(), 0, "operator", "", "restore", from, "ok");
  }();
  if (!checked.ok()) {
    fs::remove(staged);
    return checked;
  }
  // Closing the live store merges its WAL into the file; the file is then kept beside.
  current.db.store.reset();
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  report.previous = current.db_path + ".before-restore-" + stamp;
  std::error_code ec;
  fs::rename(current.db_path, report.previous, ec);
  if (ec) {
    fs::remove(staged);
    return Unavailable(current.db_path + ": cannot move aside: " + ec.message());
  }
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(current.db_path + suffix);
  fs::rename(staged, current.db_path, ec);
  if (ec) {
    fs::rename(report.previous, current.db_path);  // put the old one back
    return Unavailable(current.db_path + ": cannot move the restored database into place: " + ec.message());
  }
  return report;
}

Result<int> RotateMasterKey(const std::string& data_dir, const std::string& master_key_file,
                            const std::string& new_key_file) {
  if (std::filesystem::exists(new_key_file)) {
    return Status(ErrorCode::kAlreadyExists, new_key_file + ": exists; give a new file for the new master key");
  }
  TS_ASSIGN_OR_RETURN(Opened o, OpenData(data_dir, master_key_file, false));
  TS_ASSIGN_OR_RETURN(security::Key fresh, security::LoadMasterKey(new_key_file, true));
  int n = 0;
  TS_RETURN_IF_ERROR(o.db.store->Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(n, o.keyring->RotateMaster(*o.db.store, fresh));
    return Status();
  }));
  return n;
}

}  // namespace ts::server
