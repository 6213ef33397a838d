// `trustsheet serve` end to end on 127.0.0.1: each security control the service claims in
// docs/security.md, proved over HTTP against a real server with an injected clock. Client
// addresses are simulated with X-Forwarded-For from the trusted loopback proxy.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "security/totp.h"
#include "base/file_io.h"
#include "server/mailer.h"
#include "ingest/import.h"
#include "server/server.h"

namespace ts::server {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kPassword = "Kumo-no-ue-2026!";
constexpr const char* kAdminAddress = "203.0.113.5";
std::atomic<std::int64_t> g_now{1'790'000'000};  // 2026-09-21

// The whole file (test inputs and data files are small).
std::string FileBytes(const fs::path& p) {
  Result<std::string> bytes = ReadFileBounded(p.string(), 256u << 20);
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  return bytes.ok() ? *bytes : std::string();
}

struct Client {
  std::string cookie;
  std::string csrf;
  std::string address = kAdminAddress;
};

struct Reply {
  int status = 0;
  json body;
  std::string raw;
  httplib::Headers headers;
  std::string Code() const { return body.is_object() && body.contains("error") ? body["error"].value("code", "") : ""; }
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ts_server_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    Start({});
  }
  void TearDown() override {
    StopServer();
    fs::remove_all(dir_);
  }

  void Start(ServerConfig cfg) {
    cfg.data_dir = (dir_ / "data").string();
    cfg.host = "127.0.0.1";
    cfg.port = 0;
    cfg.behind_proxy = true;
    cfg.trusted_proxies = {"127.0.0.1"};
    cfg.threads = 8;
    cfg.now = [] { return g_now.load(); };
    auto s = Server::Create(cfg);
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = std::move(*s);
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    setup_token_ = server_->setup_token();
    thread_ = std::thread([this] { (void)server_->Listen(); });
  }
  void StopServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  Reply Send(const std::string& method, const std::string& path, const Client* who, const std::string& body = "",
             const std::string& type = "application/json", const httplib::Headers& extra = {}) {
    httplib::Client http("127.0.0.1", port_);
    http.set_read_timeout(30, 0);
    httplib::Headers h = extra;
    if (who != nullptr) {
      h.emplace("X-Forwarded-For", who->address);
      if (!who->cookie.empty()) h.emplace("Cookie", who->cookie);
      if (!who->csrf.empty()) h.emplace("X-CSRF-Token", who->csrf);
    } else {
      h.emplace("X-Forwarded-For", kAdminAddress);
    }
    httplib::Result r = method == "GET"    ? http.Get(path, h)
                        : method == "POST" ? http.Post(path, h, body, type)
                        : method == "PUT"  ? http.Put(path, h, body, type)
                        : method == "PATCH" ? http.Patch(path, h, body, type)
                                           : http.Delete(path, h, body, type);
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.headers = r->headers;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }
  // Takes the session cookie and CSRF token from a sign-in style reply.
  static void Adopt(Client* c, const Reply& r) {
    auto it = r.headers.find("Set-Cookie");
    if (it != r.headers.end()) c->cookie = it->second.substr(0, it->second.find(';'));
    if (r.body.is_object() && r.body.contains("csrf_token")) c->csrf = r.body["csrf_token"].get<std::string>();
  }

  Client SetUpAdmin(const std::string& org = "Acme") {
    Client admin;
    Reply r = Send("POST", "/api/v1/setup", &admin,
                   json{{"token", setup_token_}, {"email", "admin@example.com"}, {"password", kPassword},
                        {"organization", org}}
                       .dump());
    EXPECT_EQ(r.status, 201) << r.raw;
    Adopt(&admin, r);
    return admin;
  }
  Reply SignIn(Client* c, const std::string& email, const std::string& password, std::int64_t org = 0) {
    json b = {{"email", email}, {"password", password}};
    if (org != 0) b["organization"] = org;
    Reply r = Send("POST", "/api/v1/sign-in", c, b.dump());
    if (r.status == 200) Adopt(c, r);
    return r;
  }
  // Invites `email` as `role` and accepts; returns a signed-in client.
  Client AddMember(Client& admin, const std::string& email, const std::string& role, const std::string& address = kAdminAddress) {
    Reply inv = Send("POST", "/api/v1/invitations", &admin, json{{"email", email}, {"role", role}}.dump());
    EXPECT_EQ(inv.status, 201) << inv.raw;
    Client anon;
    Reply acc = Send("POST", "/api/v1/invitations/accept", &anon,
                     json{{"token", inv.body.value("token", "")}, {"password", kPassword}}.dump());
    EXPECT_EQ(acc.status, 201) << acc.raw;
    Client c;
    c.address = address;
    Reply s = SignIn(&c, email, kPassword, acc.body["organization"].value("id", std::int64_t{0}));
    EXPECT_EQ(s.status, 200) << s.raw;
    return c;
  }
  std::int64_t CreateService(Client& c, const std::string& name) {
    Reply r = Send("POST", "/api/v1/services", &c, json{{"name", name}}.dump());
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", std::int64_t{0});
  }
  Reply Upload(Client& c, const std::string& path, const std::string& file) {
    return Send("POST", path + (path.find('?') == std::string::npos ? "?" : "&") + "name=" + fs::path(file).filename().string(),
                &c, FileBytes(fs::path(TS_SOURCE_DIR) / "tests" / "data" / file), "application/octet-stream");
  }

  fs::path dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string setup_token_;
};

TEST_F(ServerTest, SetupLinkWorksOnceAndThereIsNoDefaultPassword) {
  ASSERT_FALSE(setup_token_.empty());
  Client c;
  EXPECT_EQ(SignIn(&c, "admin@example.com", "admin").status, 401);
  SetUpAdmin();
  Reply again = Send("POST", "/api/v1/setup", &c,
                     json{{"token", setup_token_}, {"email", "x@example.com"}, {"password", kPassword}, {"organization", "X"}}.dump());
  EXPECT_EQ(again.status, 403);
  EXPECT_EQ(again.body["error"]["message"], "setup link is invalid or was used already");
}

// The first-start message names the setup page (which the server serves) first, the JSON API
// second.
TEST_F(ServerTest, FirstStartPrintsTheSetupPageLinkAndTheCommand) {
  std::ostringstream log;
  ServerConfig cfg;
  cfg.data_dir = (dir_ / "fresh").string();
  cfg.host = "127.0.0.1";
  cfg.port = 0;
  cfg.now = [] { return g_now.load(); };
  cfg.log = &log;
  auto fresh = Server::Create(cfg);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  auto port = (*fresh)->Bind();
  ASSERT_TRUE(port.ok()) << port.status().message();
  const std::string token = (*fresh)->setup_token();
  ASSERT_FALSE(token.empty());
  const std::string base = "http://127.0.0.1:" + std::to_string(*port);
  EXPECT_EQ((*fresh)->setup_link(), base + "/setup#token=" + token);
  EXPECT_EQ(log.str(),
            "First start: no administrator yet. Open this one-time link in a browser to create the first one (valid "
            "until used or until the server restarts):\n"
            "  " + base + "/setup#token=" + token + "\n"
            "or, with the JSON API:\n"
            "  curl -X POST " + base + "/api/v1/setup -H 'Content-Type: application/json' \\\n"
            "    -d '{\"token\": \"" + token +
                "\", \"email\": \"you@example.com\", \"password\": \"<12+ characters>\", \"organization\": "
                "\"<your company>\"}'\n");
  // The page the link names exists.
  std::thread serving([&] { (void)(*fresh)->Listen(); });
  httplib::Client http("127.0.0.1", *port);
  httplib::Result page = http.Get("/setup");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  (*fresh)->Stop();
  serving.join();
}

TEST_F(ServerTest, EveryResponseCarriesSecurityHeadersAndErrorsAreJson) {
  Reply r = Send("GET", "/api/v1/nothing-here", nullptr);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Code(), "not_found");
  auto header = [&](const char* name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
  };
  EXPECT_NE(header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(header("Content-Security-Policy").find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header("Referrer-Policy"), "no-referrer");
  Reply unauth = Send("GET", "/api/v1/services", nullptr);
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(unauth.Code(), "unauthenticated");
}

TEST_F(ServerTest, OversizedBodiesAreRefusedWithJsonErrors) {
  Reply json_body = Send("POST", "/api/v1/sign-in", nullptr, std::string(2u << 20, ' '));
  EXPECT_EQ(json_body.status, 413);
  EXPECT_EQ(json_body.Code(), "too_large");
  Client admin = SetUpAdmin();
  Reply upload = Send("POST", "/api/v1/files?name=big.xlsx", &admin, std::string(kMaxUploadBytes + 1, 'x'),
                      "application/octet-stream");
  EXPECT_EQ(upload.status, 413);
  EXPECT_EQ(upload.Code(), "too_large") << upload.raw;
  EXPECT_EQ(upload.headers.count("X-Content-Type-Options"), 1u);
  EXPECT_EQ(upload.headers.count("Content-Security-Policy"), 1u);
  // The connection stays usable and in step.
  EXPECT_EQ(Send("GET", "/api/v1/me", &admin).status, 200);
}

// Regression: a number where a string belongs reached nlohmann's value() and came back as a
// 500 internal error.
TEST_F(ServerTest, WrongTypesInJsonBodiesAreBadRequestsNotServerErrors) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "x");
  const std::string entries = "/api/v1/services/" + std::to_string(svc) + "/entries";
  const std::vector<std::pair<std::string, json>> cases = {
      {"/api/v1/services", json{{"name", 5}}},
      {"/api/v1/api-tokens", json{{"name", json::array()}, {"scopes", {"read"}}}},
      {"/api/v1/api-tokens", json{{"name", "t"}, {"scopes", {"read"}}, {"expires_in_days", "ninety"}}},
      {entries, json{{"question", 1}}},
      {entries, json{{"question", "q"}, {"mark", true}}},
      {entries, json{{"question", "q"}, {"remarks", 3.5}}},
  };
  for (const auto& [path, body] : cases) {
    Reply r = Send("POST", path, &admin, body.dump());
    EXPECT_EQ(r.status, 400) << path << " " << body.dump() << ": " << r.raw;
    EXPECT_EQ(r.Code(), "invalid_argument") << path;
  }
  Reply del = Send("DELETE", "/api/v1/organization", &admin, json{{"confirm", 1}}.dump());
  EXPECT_EQ(del.status, 400) << del.raw;
}

TEST_F(ServerTest, SessionCookieIsHttpOnlySecureSameSiteStrictAndRenewedOnSignIn) {
  Client admin = SetUpAdmin();
  Client again;
  Reply r = SignIn(&again, "admin@example.com", kPassword);
  ASSERT_EQ(r.status, 200);
  const std::string set = r.headers.find("Set-Cookie")->second;
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("Secure"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(again.cookie, admin.cookie);
  // Sign-out ends that session only; sign-out everywhere ends all.
  EXPECT_EQ(Send("POST", "/api/v1/sign-out", &again).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/me", &again).status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/me", &admin).status, 200);
  Client third;
  SignIn(&third, "admin@example.com", kPassword);
  EXPECT_EQ(Send("POST", "/api/v1/sign-out-everywhere", &third).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/me", &admin).status, 401);
}

TEST_F(ServerTest, LocksAnAccountAfterFiveFailuresAndTreatsUnknownAccountsTheSame) {
  SetUpAdmin();
  Client c;
  for (int i = 0; i < 5; ++i) {
    Reply r = SignIn(&c, "admin@example.com", "wrong password 1A!");
    EXPECT_EQ(r.status, 401) << i;
    Reply u = SignIn(&c, "nobody@example.com", "wrong password 1A!");
    EXPECT_EQ(u.status, 401) << i;
    EXPECT_EQ(u.raw, r.raw);  // same answer for unknown accounts
  }
  Reply locked = SignIn(&c, "admin@example.com", kPassword);  // right password, but locked
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.Code(), "locked");
  Reply unknown_locked = SignIn(&c, "nobody@example.com", kPassword);
  EXPECT_EQ(unknown_locked.raw, locked.raw);
  g_now += 16 * 60;
  EXPECT_EQ(SignIn(&c, "admin@example.com", kPassword).status, 200);
}

TEST_F(ServerTest, LockoutThresholdAndDurationAreConfigurable) {
  StopServer();
  ServerConfig cfg;
  cfg.lockout.max_failures = 3;
  cfg.lockout.lock_minutes = 60;
  Start(cfg);
  SetUpAdmin();
  Client c;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(SignIn(&c, "admin@example.com", "wrong password 1A!").status, 401) << i;
  EXPECT_EQ(SignIn(&c, "admin@example.com", kPassword).Code(), "locked");
  g_now += 59 * 60;
  EXPECT_EQ(SignIn(&c, "admin@example.com", kPassword).Code(), "locked");
  g_now += 2 * 60;
  EXPECT_EQ(SignIn(&c, "admin@example.com", kPassword).status, 200);
}

TEST_F(ServerTest, SessionsEndAfterIdleAndAbsoluteTimeouts) {
  Client admin = SetUpAdmin();
  g_now += 29 * 60;
  EXPECT_EQ(Send("GET", "/api/v1/me", &admin).status, 200);
  g_now += 29 * 60;  // 29 minutes after the last request: still alive
  EXPECT_EQ(Send("GET", "/api/v1/me", &admin).status, 200);
  g_now += 31 * 60;
  Reply idle = Send("GET", "/api/v1/me", &admin);
  EXPECT_EQ(idle.status, 401);
  EXPECT_EQ(idle.Code(), "session_expired");

  Client busy;
  ASSERT_EQ(SignIn(&busy, "admin@example.com", kPassword).status, 200);
  for (int i = 0; i < 35; ++i) {  // active every 20 minutes for 11 h 40 min
    g_now += 20 * 60;
    ASSERT_EQ(Send("GET", "/api/v1/me", &busy).status, 200) << i;
  }
  g_now += 21 * 60;  // 12 h 1 min after sign-in
  Reply absolute = Send("GET", "/api/v1/me", &busy);
  EXPECT_EQ(absolute.status, 401);
  EXPECT_EQ(absolute.Code(), "session_expired");
  EXPECT_NE(absolute.body["error"]["message"].get<std::string>().find("maximum length"), std::string::npos);
}

TEST_F(ServerTest, AbandonedSessionsAreDeletedNotJustRefused) {
  Client admin = SetUpAdmin();
  Client abandoned;
  ASSERT_EQ(SignIn(&abandoned, "admin@example.com", kPassword).status, 200);
  auto sessions = [&] {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2((dir_ / "data" / "trustsheet.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sessions", -1, &st, nullptr);
    sqlite3_step(st);
    const int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  };
  EXPECT_EQ(sessions(), 2);
  g_now += 25 * 3600;  // past any organization's idle limit; neither session comes back
  Client fresh;
  ASSERT_EQ(SignIn(&fresh, "admin@example.com", kPassword).status, 200);
  EXPECT_EQ(sessions(), 1);  // only the new one
}

TEST_F(ServerTest, RejectsStateChangesWithoutTheCsrfToken) {
  Client admin = SetUpAdmin();
  Client no_token = admin;
  no_token.csrf.clear();
  Reply r = Send("POST", "/api/v1/services", &no_token, json{{"name", "会計クラウド"}}.dump());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Code(), "csrf_failed");
  Client wrong = admin;
  wrong.csrf = std::string(64, '0');
  EXPECT_EQ(Send("POST", "/api/v1/services", &wrong, json{{"name", "会計クラウド"}}.dump()).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/services", &admin).body["total"], 0);  // nothing was created
  EXPECT_EQ(Send("POST", "/api/v1/services", &admin, json{{"name", "会計クラウド"}}.dump()).status, 201);
}

TEST_F(ServerTest, RequiresMfaWhenThePolicySaysSo) {
  Client admin = SetUpAdmin();
  Reply s = Send("PUT", "/api/v1/settings", &admin, json{{"mfa_required", true}}.dump());
  ASSERT_EQ(s.status, 200) << s.raw;
  Client c;
  Reply in = SignIn(&c, "admin@example.com", kPassword);
  ASSERT_EQ(in.status, 200);
  EXPECT_EQ(in.body["mfa"], "enrol");
  Reply blocked = Send("GET", "/api/v1/services", &c);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.Code(), "mfa_required");
  Reply enrol = Send("POST", "/api/v1/me/mfa/enrol", &c);
  ASSERT_EQ(enrol.status, 200) << enrol.raw;
  EXPECT_EQ(enrol.body["qr_svg"].get<std::string>().rfind("<svg", 0), 0u);
  const std::string secret = enrol.body["secret"];
  EXPECT_EQ(Send("POST", "/api/v1/me/mfa/confirm", &c, json{{"code", "000000"}}.dump()).status, 400);
  Reply ok = Send("POST", "/api/v1/me/mfa/confirm", &c, json{{"code", *security::TotpCode(secret, g_now)}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["recovery_codes"].size(), 10u);
  Adopt(&c, ok);
  EXPECT_EQ(Send("GET", "/api/v1/services", &c).status, 200);

  // Next sign-in: the password alone is not enough; a code is, once.
  g_now += 60;
  Client next;
  ASSERT_EQ(SignIn(&next, "admin@example.com", kPassword).body["mfa"], "verify");
  EXPECT_EQ(Send("GET", "/api/v1/services", &next).Code(), "mfa_required");
  const std::string code = *security::TotpCode(secret, g_now);
  Reply v = Send("POST", "/api/v1/sign-in/mfa", &next, json{{"code", code}}.dump());
  ASSERT_EQ(v.status, 200) << v.raw;
  Client pending_cookie = next;
  Adopt(&next, v);
  EXPECT_NE(next.cookie, pending_cookie.cookie);  // a new session id once MFA is done
  EXPECT_EQ(Send("GET", "/api/v1/services", &next).status, 200);
  Client replay;
  SignIn(&replay, "admin@example.com", kPassword);
  EXPECT_EQ(Send("POST", "/api/v1/sign-in/mfa", &replay, json{{"code", code}}.dump()).status, 401);
  Reply rec = Send("POST", "/api/v1/sign-in/mfa", &replay, json{{"recovery_code", ok.body["recovery_codes"][0]}}.dump());
  EXPECT_EQ(rec.status, 200) << rec.raw;
  // The policy also forbids turning MFA off.
  EXPECT_EQ(Send("POST", "/api/v1/me/mfa/disable", &next, json{{"password", kPassword}}.dump()).status, 403);
}

TEST_F(ServerTest, EnforcesTheIpAllowListsForEveryoneAndForAdmins) {
  Client admin = SetUpAdmin();
  Client editor = AddMember(admin, "editor@example.com", "editor", "203.0.113.9");
  // A list that would shut out the admin saving it is refused.
  Reply self = Send("PUT", "/api/v1/settings", &admin, json{{"ip_allow", {"10.0.0.0/8"}}}.dump());
  EXPECT_EQ(self.status, 400);
  Reply set = Send("PUT", "/api/v1/settings", &admin,
                   json{{"ip_allow", {"203.0.113.0/24", "2001:db8::/32"}}, {"admin_ip_allow", {"203.0.113.5/32"}}}.dump());
  ASSERT_EQ(set.status, 200) << set.raw;
  EXPECT_EQ(Send("GET", "/api/v1/services", &editor).status, 200);
  Client outside = editor;
  outside.address = "198.51.100.7";
  Reply denied = Send("GET", "/api/v1/services", &outside);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Code(), "ip_not_allowed");
  Client v6 = editor;
  v6.address = "2001:db8::42";
  EXPECT_EQ(Send("GET", "/api/v1/services", &v6).status, 200);
  // Admins only from their own list, even inside the general one.
  Client admin_elsewhere = admin;
  admin_elsewhere.address = "203.0.113.9";
  EXPECT_EQ(Send("GET", "/api/v1/users", &admin_elsewhere).Code(), "ip_not_allowed");
  EXPECT_EQ(Send("GET", "/api/v1/users", &admin).status, 200);
  // Sign-in from outside is refused too.
  Client c;
  c.address = "198.51.100.7";
  EXPECT_EQ(SignIn(&c, "editor@example.com", kPassword).status, 403);
}

TEST_F(ServerTest, SettingsPatchKeepsWhatItDoesNotNameAndPutReplaces) {
  Client admin = SetUpAdmin();
  ASSERT_EQ(Send("PUT", "/api/v1/settings", &admin, json{{"ip_allow", {"203.0.113.0/24"}}, {"session", {{"idle_minutes", 15}}}}.dump()).status,
            200);
  Reply patched = Send("PATCH", "/api/v1/settings", &admin, json{{"mfa_required", true}, {"password", {{"history", 10}}}}.dump());
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["ip_allow"], json::array({"203.0.113.0/24"}));
  EXPECT_EQ(patched.body["session"]["idle_minutes"], 15);
  EXPECT_EQ(patched.body["mfa_required"], true);
  EXPECT_EQ(patched.body["password"]["history"], 10);
  EXPECT_EQ(patched.body["password"]["min_length"], 12);
  EXPECT_EQ(Send("PATCH", "/api/v1/settings", &admin, json{{"password", {{"min_length", 4}}}}.dump()).status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/settings", &admin).body["password"]["min_length"], 12);  // the refused patch left nothing
  Reply replaced = Send("PUT", "/api/v1/settings", &admin, json{{"mfa_required", false}}.dump());
  ASSERT_EQ(replaced.status, 200);
  EXPECT_EQ(replaced.body["ip_allow"], json::array());
  EXPECT_EQ(replaced.body["session"]["idle_minutes"], 30);
}

TEST_F(ServerTest, AuditRecordsPastTheRetentionAreDroppedWhileRunningAndTheChainStillVerifies) {
  StopServer();
  ServerConfig cfg;
  cfg.audit_retention_days = 30;
  Start(cfg);
  Client admin = SetUpAdmin();
  CreateService(admin, "古い記録");
  EXPECT_EQ(Send("GET", "/api/v1/audit?action=service.create", &admin).body["items"].size(), 1u);
  g_now += 31 * 86400;  // the session is long gone too
  Client again;
  ASSERT_EQ(SignIn(&again, "admin@example.com", kPassword).status, 200);
  g_now += 601;  // the next pruning round
  Reply log = Send("GET", "/api/v1/audit?action=service.create", &again);
  ASSERT_EQ(log.status, 200);
  EXPECT_TRUE(log.body["items"].empty()) << log.raw;
  EXPECT_EQ(Send("GET", "/api/v1/audit?action=sign-in", &again).body["items"].size(), 1u);  // the recent one stays
  StopServer();
  std::int64_t n = 0;
  Status verified = VerifyAudit((dir_ / "data").string(), &n);
  EXPECT_TRUE(verified.ok()) << verified.message();
  EXPECT_GE(n, 2);
}

TEST_F(ServerTest, AppliesThePasswordPolicyAndHistory) {
  Client admin = SetUpAdmin();
  auto change = [&](const std::string& from, const std::string& to) {
    return Send("POST", "/api/v1/me/password", &admin, json{{"current_password", from}, {"new_password", to}}.dump());
  };
  Reply short_pw = change(kPassword, "Short1!");
  EXPECT_EQ(short_pw.status, 400);
  EXPECT_NE(short_pw.body["error"]["message"].get<std::string>().find("at least 12 characters"), std::string::npos)
      << short_pw.raw;
  EXPECT_EQ(change(kPassword, "password1234").status, 400);  // common, one class
  EXPECT_EQ(change("not my password 1A", "Another-Secret-77").status, 403);
  Reply same = change(kPassword, kPassword);
  EXPECT_EQ(same.status, 400);
  EXPECT_NE(same.body["error"]["message"].get<std::string>().find("last"), std::string::npos) << same.raw;
  Reply ok = change(kPassword, "Another-Secret-77");
  ASSERT_EQ(ok.status, 200) << ok.raw;
  Adopt(&admin, ok);
  Reply back = change("Another-Secret-77", kPassword);  // within the last 5
  EXPECT_EQ(back.status, 400) << back.raw;
  Client c;
  EXPECT_EQ(SignIn(&c, "admin@example.com", kPassword).status, 401);
  EXPECT_EQ(SignIn(&c, "admin@example.com", "Another-Secret-77").status, 200);

  // Maximum age: an expired password allows nothing but changing it.
  ASSERT_EQ(Send("PUT", "/api/v1/settings", &c, json{{"password", {{"max_age_days", 90}}}}.dump()).status, 200);
  g_now += 91 * 86400;
  Client late;
  Reply in = SignIn(&late, "admin@example.com", "Another-Secret-77");
  ASSERT_EQ(in.status, 200);
  EXPECT_TRUE(in.body["password_change_required"].get<bool>());
  EXPECT_EQ(Send("GET", "/api/v1/services", &late).Code(), "password_change_required");
}

TEST_F(ServerTest, RolesFollowThePermissionTable) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "会計クラウド");
  Client editor = AddMember(admin, "editor@example.com", "editor");
  Client viewer = AddMember(admin, "viewer@example.com", "viewer");
  Client reviewer = AddMember(admin, "reviewer@example.com", "reviewer");
  EXPECT_EQ(Send("GET", "/api/v1/users", &editor).Code(), "forbidden");
  EXPECT_EQ(Send("GET", "/api/v1/audit", &editor).status, 403);
  Reply add = Send("POST", "/api/v1/services/" + std::to_string(svc) + "/entries", &editor,
                   json{{"question", "パスワードは12文字以上か"}, {"mark", "yes"}, {"answer_text", "はい"}}.dump());
  ASSERT_EQ(add.status, 201) << add.raw;
  const std::string entry = "/api/v1/entries/" + std::to_string(add.body["id"].get<std::int64_t>());
  EXPECT_EQ(Send("POST", entry + "/approve", &editor).status, 403);  // editors do not approve
  EXPECT_EQ(Send("PUT", entry, &viewer, json{{"remarks", "x"}}.dump()).status, 403);
  EXPECT_EQ(Send("GET", entry, &viewer).status, 200);
  Reply approved = Send("POST", entry + "/approve", &reviewer);
  ASSERT_EQ(approved.status, 200) << approved.raw;
  EXPECT_EQ(approved.body["status"], "approved");
  // Only owners make owners; the last owner stays.
  Reply users = Send("GET", "/api/v1/users", &admin);
  std::int64_t editor_id = 0, admin_id = 0;
  for (const auto& u : users.body["items"]) {
    if (u["email"] == "editor@example.com") editor_id = u["id"];
    if (u["email"] == "admin@example.com") admin_id = u["id"];
  }
  EXPECT_EQ(Send("PUT", "/api/v1/users/" + std::to_string(admin_id) + "/role", &admin, json{{"role", "viewer"}}.dump()).status,
            409);
  EXPECT_EQ(Send("PUT", "/api/v1/users/" + std::to_string(editor_id) + "/role", &admin, json{{"role", "viewer"}}.dump()).status,
            200);
  EXPECT_EQ(Send("POST", "/api/v1/services", &editor, json{{"name", "y"}}.dump()).status, 403);
  // Disabled accounts lose their sessions at once.
  EXPECT_EQ(Send("POST", "/api/v1/users/" + std::to_string(editor_id) + "/disable", &admin).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/services", &editor).status, 401);
}

TEST_F(ServerTest, ApiTokensAreScopedExpiringAndRevocable) {
  Client admin = SetUpAdmin();
  CreateService(admin, "会計クラウド");
  Reply t = Send("POST", "/api/v1/api-tokens", &admin, json{{"name", "ci"}, {"scopes", {"read"}}, {"expires_in_days", 30}}.dump());
  ASSERT_EQ(t.status, 201) << t.raw;
  httplib::Headers bearer = {{"Authorization", "Bearer " + t.body["token"].get<std::string>()}};
  Client anon;
  EXPECT_EQ(Send("GET", "/api/v1/services", &anon, "", "", bearer).status, 200);
  EXPECT_EQ(Send("POST", "/api/v1/services", &anon, json{{"name", "z"}}.dump(), "application/json", bearer).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/users", &anon, "", "", bearer).Code(), "token_not_allowed");
  const std::string revoke = "/api/v1/api-tokens/" + std::to_string(t.body["id"].get<std::int64_t>());
  EXPECT_EQ(Send("DELETE", revoke, &admin).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/services", &anon, "", "", bearer).status, 401);
  Reply t2 = Send("POST", "/api/v1/api-tokens", &admin, json{{"name", "short"}, {"scopes", {"read"}}, {"expires_in_days", 1}}.dump());
  httplib::Headers bearer2 = {{"Authorization", "Bearer " + t2.body["token"].get<std::string>()}};
  EXPECT_EQ(Send("GET", "/api/v1/services", &anon, "", "", bearer2).status, 200);
  g_now += 86400 + 1;
  EXPECT_EQ(Send("GET", "/api/v1/services", &anon, "", "", bearer2).status, 401);
}

// A person in several organizations comes back to the one they last worked in.
TEST_F(ServerTest, SignInGoesToTheOrganizationSignedInToLast) {
  Client a = SetUpAdmin("Tenant A");
  const std::int64_t org_a = Send("GET", "/api/v1/me", &a).body["organization"]["id"];
  Reply org_b = Send("POST", "/api/v1/organizations", &a, json{{"name", "Tenant B"}}.dump());
  ASSERT_EQ(org_b.status, 201) << org_b.raw;
  Client c;
  ASSERT_EQ(SignIn(&c, "admin@example.com", kPassword).body["organization"]["id"], org_a) << "setup signed in to A";
  ASSERT_EQ(SignIn(&c, "admin@example.com", kPassword, org_b.body["id"]).status, 200);
  EXPECT_EQ(SignIn(&c, "admin@example.com", kPassword).body["organization"]["id"], org_b.body["id"]);
  ASSERT_EQ(SignIn(&c, "admin@example.com", kPassword, org_a).status, 200);
  EXPECT_EQ(SignIn(&c, "admin@example.com", kPassword).body["organization"]["id"], org_a);
}

// Every route with an id in its path, from the router itself: tenant A's owner asks for tenant
// B's ids and gets 404, never B's data or a different error.
TEST_F(ServerTest, AnotherTenantsIdsAreNotFoundOnEveryEndpoint) {
  Client a = SetUpAdmin("Tenant A");
  Reply org_b = Send("POST", "/api/v1/organizations", &a, json{{"name", "Tenant B"}}.dump());
  ASSERT_EQ(org_b.status, 201);
  Client b;
  ASSERT_EQ(SignIn(&b, "admin@example.com", kPassword, org_b.body["id"]).status, 200);
  std::map<std::string, std::int64_t> ids;
  ids["service"] = CreateService(b, "B の サービス");
  Reply imp = Upload(b, "/api/v1/services/" + std::to_string(ids["service"]) + "/checksheets", "samples/layout1_title_rows.xlsx");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  ids["file"] = imp.body["file"];
  Reply entries = Send("GET", "/api/v1/services/" + std::to_string(ids["service"]) + "/entries", &b);
  ids["entry"] = entries.body["entries"][0]["id"];
  Reply qb = Upload(b, "/api/v1/questionnaires?service=" + std::to_string(ids["service"]) + "&customer=B-customer",
                    "blank/blank_layout1_answer_column.xlsx");
  ASSERT_EQ(qb.status, 201) << qb.raw;
  ids["questionnaire"] = qb.body["id"];
  Reply items_b = Send("GET", "/api/v1/questionnaires/" + std::to_string(ids["questionnaire"]) + "/items", &b);
  ASSERT_EQ(items_b.status, 200) << items_b.raw;
  ids["item"] = items_b.body["items"][0]["id"];
  Client b_editor = AddMember(b, "b-editor@example.com", "editor");
  Reply users_b = Send("GET", "/api/v1/users", &b);
  for (const auto& u : users_b.body["items"]) {
    if (u["email"] == "b-editor@example.com") ids["user"] = u["id"];
  }
  ASSERT_TRUE(ids.count("user")) << users_b.raw;
  Reply tok = Send("POST", "/api/v1/api-tokens", &b, json{{"name", "b"}, {"scopes", {"read"}}}.dump());
  ids["token"] = tok.body["id"];
  // Tenant A has resources of its own, so a 404 is not just an empty database.
  CreateService(a, "A のサービス");

  int checked = 0;
  const std::regex placeholder(R"(\{([a-z]+)\})");
  for (const RouteInfo& r : Routes()) {
    if (r.pattern.find('{') == std::string::npos) continue;
    std::string path;
    std::string rest = r.pattern;
    std::smatch m;
    while (std::regex_search(rest, m, placeholder)) {
      ASSERT_TRUE(ids.count(m[1].str())) << "no tenant-B id for {" << m[1].str() << "} in " << r.pattern;
      path += m.prefix().str() + std::to_string(ids[m[1].str()]);
      rest = m.suffix().str();
    }
    path += rest;
    Reply reply = Send(r.method, path, &a, "{}");
    EXPECT_EQ(reply.status, 404) << r.method << " " << path << ": " << reply.raw;
    EXPECT_EQ(reply.Code(), "not_found") << r.method << " " << path;
    ++checked;
  }
  EXPECT_GE(checked, 15);
  // The routes without an id list what the organization has: none of B's things in A's lists.
  ASSERT_EQ(Upload(a, "/api/v1/files", "blank/blank_layout1_answer_column.xlsx").status, 201);
  const std::vector<std::string> b_only = {"B の サービス", "layout1_title_rows.xlsx", "b-editor@example.com",
                                           "B-customer"};
  int lists = 0;
  for (const RouteInfo& r : Routes()) {
    if (r.method != "GET" || r.pattern.find('{') != std::string::npos) continue;
    Reply reply = Send("GET", r.pattern, &a);
    EXPECT_EQ(reply.status, 200) << r.pattern << ": " << reply.raw;
    for (const std::string& mark : b_only) {
      EXPECT_EQ(reply.raw.find(mark), std::string::npos)
          << r.pattern << " shows tenant B's " << mark << ": " << reply.raw;
    }
    ++lists;
  }
  EXPECT_GE(lists, 9);
  Reply a_files = Send("GET", "/api/v1/files", &a);
  ASSERT_EQ(a_files.body["items"].size(), 1u) << a_files.raw;  // its own file, so the list is not just empty
  EXPECT_EQ(a_files.body["items"][0]["name"], "blank_layout1_answer_column.xlsx");
  // B still sees its own.
  EXPECT_EQ(Send("GET", "/api/v1/entries/" + std::to_string(ids["entry"]), &b).status, 200);
  const json b_files = Send("GET", "/api/v1/files", &b).body["items"];
  ASSERT_EQ(b_files.size(), 2u) << b_files.dump();  // newest first: the questionnaire's, the library's
  EXPECT_EQ(b_files[0]["name"], "blank_layout1_answer_column.xlsx");
  EXPECT_EQ(b_files[1]["name"], "layout1_title_rows.xlsx");
}

TEST_F(ServerTest, ListsTheOrganizationsFilesNewestFirstByPagesWithSizeAndUploader) {
  Client admin = SetUpAdmin();
  Client editor = AddMember(admin, "editor@example.com", "editor");
  Client viewer = AddMember(admin, "viewer@example.com", "viewer");
  ASSERT_EQ(Upload(admin, "/api/v1/files", "blank/blank_layout1_answer_column.xlsx").status, 201);
  ASSERT_EQ(Upload(admin, "/api/v1/files", "blank/blank_cp932.csv").status, 201);
  Reply up = Upload(editor, "/api/v1/files", "blank/blank_layout3_header_vocabulary.xlsx");
  ASSERT_EQ(up.status, 201) << up.raw;

  Reply page = Send("GET", "/api/v1/files?limit=2", &viewer);
  ASSERT_EQ(page.status, 200) << page.raw;
  EXPECT_EQ(page.body["total"], 3);
  EXPECT_EQ(page.body["offset"], 0);
  EXPECT_EQ(page.body["limit"], 2);
  ASSERT_EQ(page.body["items"].size(), 2u) << page.raw;
  const json& newest = page.body["items"][0];
  EXPECT_EQ(newest["id"], up.body["id"]);
  EXPECT_EQ(newest["name"], "blank_layout3_header_vocabulary.xlsx");
  EXPECT_EQ(newest["size"].get<std::size_t>(),
            FileBytes(fs::path(TS_SOURCE_DIR) / "tests/data/blank/blank_layout3_header_vocabulary.xlsx").size());
  EXPECT_EQ(newest["uploaded_by"]["email"], "editor@example.com");
  EXPECT_EQ(newest["created_at"].get<std::string>().size(), 20u) << newest.dump();  // 2026-09-21T12:00:00Z
  EXPECT_EQ(page.body["items"][1]["name"], "blank_cp932.csv");

  Reply rest = Send("GET", "/api/v1/files?limit=2&offset=2", &viewer);
  ASSERT_EQ(rest.status, 200) << rest.raw;
  ASSERT_EQ(rest.body["items"].size(), 1u) << rest.raw;
  EXPECT_EQ(rest.body["items"][0]["name"], "blank_layout1_answer_column.xlsx");
  EXPECT_EQ(rest.body["items"][0]["uploaded_by"]["email"], "admin@example.com");

  Reply bad = Send("GET", "/api/v1/files?limit=0", &viewer);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["message"], "query parameter 'limit' must be between 1 and 500");
}

TEST_F(ServerTest, ImportsDraftsAndFillsASheetAndStoresNoPlaintextAnswers) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "会計クラウド");
  const std::string base = "/api/v1/services/" + std::to_string(svc);
  Reply imp = Upload(admin, base + "/checksheets?status=approved", "samples/layout1_title_rows.xlsx");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  EXPECT_GT(imp.body["added"].get<int>(), 5);
  EXPECT_EQ(imp.body["status"], "approved");
  Reply list = Send("GET", base + "/entries?limit=2&offset=0", &admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["entries"].size(), 2u);
  EXPECT_GT(list.body["total"].get<int>(), 2);
  // The sample's remarks, as the API returns them: these must not be in the database file.
  std::vector<std::string> secrets;
  Reply all = Send("GET", base + "/entries?limit=500", &admin);
  for (const auto& e : all.body["entries"]) {
    const std::string remarks = e["remarks"];
    if (remarks.size() >= 12) secrets.push_back(remarks);
  }
  ASSERT_GE(secrets.size(), 3u);
  // Search reads the sealed remarks too; every hit holds the words, and names its document.
  std::string words;  // the first four characters of a remark
  for (std::size_t i = 0, chars = 0; i < secrets[0].size() && chars <= 4; ++i) {
    if ((static_cast<unsigned char>(secrets[0][i]) & 0xC0) != 0x80 && ++chars > 4) break;
    words += secrets[0][i];
  }
  Reply found = Send("GET", base + "/entries?q=" + httplib::detail::encode_query_param(words), &admin);
  ASSERT_EQ(found.status, 200) << found.raw;
  ASSERT_GE(found.body["total"].get<int>(), 1) << words;
  for (const auto& e : found.body["entries"]) {
    const std::string fields = e["question"].get<std::string>() + e["remarks"].get<std::string>() +
                               e["answer"]["text"].get<std::string>();
    EXPECT_NE(fields.find(words), std::string::npos) << e.dump();
    EXPECT_EQ(e["document"]["name"], "layout1_title_rows");
  }
  EXPECT_EQ(Send("GET", base + "/entries?q=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84%E8%AA%9E", &admin).body["total"], 0);
  Reply conflicts = Send("GET", base + "/conflicts", &admin);
  ASSERT_EQ(conflicts.status, 200) << conflicts.raw;
  EXPECT_TRUE(conflicts.body["items"].is_array());

  Reply up = Upload(admin, "/api/v1/files", "blank/blank_layout1_answer_column.xlsx");
  ASSERT_EQ(up.status, 201) << up.raw;
  const std::string file = std::to_string(up.body["id"].get<std::int64_t>());
  Reply drafts = Send("GET", base + "/files/" + file + "/drafts", &admin);
  ASSERT_EQ(drafts.status, 200) << drafts.raw.substr(0, 300);
  EXPECT_GT(drafts.body["drafts"]["high"].get<int>(), 0) << drafts.body["drafts"].dump();
  Reply filled = Send("GET", base + "/files/" + file + "/filled", &admin);
  ASSERT_EQ(filled.status, 200);
  EXPECT_EQ(filled.raw.substr(0, 2), "PK");
  EXPECT_GT(std::stoi(filled.headers.find("X-Trustsheet-Answers")->second), 0);
  // A Word questionnaire comes back as the customer's own .docx, answered.
  Reply word = Upload(admin, "/api/v1/files", "blank/blank_docx1_merged_category.docx");
  ASSERT_EQ(word.status, 201) << word.raw;
  Reply word_filled =
      Send("GET", base + "/files/" + std::to_string(word.body["id"].get<std::int64_t>()) + "/filled", &admin);
  ASSERT_EQ(word_filled.status, 200) << word_filled.raw.substr(0, 300);
  EXPECT_EQ(word_filled.headers.find("Content-Type")->second,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_TRUE(word_filled.headers.find("Content-Disposition")->second.ends_with(".docx")) << word_filled.raw.substr(0, 80);
  auto word_back = ingest::ImportBytes(word_filled.raw, "answered.docx");
  ASSERT_TRUE(word_back.ok()) << word_back.status().message();
  EXPECT_EQ(word_back->format, "docx");
  EXPECT_EQ(word_back->ItemCount(), 6u);
  Reply bad = Send("POST", "/api/v1/files?name=notes.xlsx", &admin, "this is not a workbook", "application/octet-stream");
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_NE(bad.body["error"]["message"].get<std::string>().find("notes.xlsx"), std::string::npos) << bad.raw;

  StopServer();  // closes the database (checkpoints the WAL into the file)
  for (const auto& f : fs::directory_iterator(dir_ / "data")) {
    const std::string bytes = FileBytes(f.path());
    for (const std::string& s : secrets) {
      EXPECT_EQ(bytes.find(s), std::string::npos) << f.path() << " holds plaintext: " << s;
    }
  }
}

// The vendor's flow over the JSON API: open a questionnaire from a blank sheet, review items
// (accept, edit, reject, bulk-accept), comment, assign, and download the customer's file holding
// exactly the reviewed answers; viewers read but do not review; the sheet is sealed at rest.
TEST_F(ServerTest, QuestionnaireIsReviewedAndFilledWithExactlyTheReviewedAnswers) {
  Client admin = SetUpAdmin();
  Client viewer = AddMember(admin, "viewer@example.com", "viewer");
  Client reviewer = AddMember(admin, "reviewer@example.com", "reviewer");
  const std::int64_t svc = CreateService(admin, "会計クラウド");
  ASSERT_EQ(Upload(admin, "/api/v1/services/" + std::to_string(svc) + "/checksheets?status=approved",
                   "samples/layout1_title_rows.xlsx")
                .status,
            201);
  const std::string open = "/api/v1/questionnaires?service=" + std::to_string(svc) +
                           "&customer=%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE%E3%83%86%E3%82%B9%E3%83%88&due_date=2026-12-24";
  Reply bad = Send("POST", open + "&name=notes.xlsx", &admin, "not a workbook", "application/octet-stream");
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_NE(bad.body["error"]["message"].get<std::string>().find("notes.xlsx"), std::string::npos) << bad.raw;
  EXPECT_EQ(Upload(viewer, open, "blank/blank_layout1_answer_column.xlsx").status, 403);
  Reply created = Upload(admin, open, "blank/blank_layout1_answer_column.xlsx");
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["customer"], "株式会社テスト");
  EXPECT_EQ(created.body["status"], "not_started");
  EXPECT_EQ(created.body["service"]["name"], "会計クラウド");
  EXPECT_EQ(created.body["owner"]["email"], "admin@example.com");
  const std::string q = "/api/v1/questionnaires/" + std::to_string(created.body["id"].get<std::int64_t>());
  Reply items = Send("GET", q + "/items", &viewer);
  ASSERT_EQ(items.status, 200) << items.raw;
  ASSERT_EQ(items.body["total"], created.body["progress"]["total"]);
  std::vector<json> drafted;
  for (const json& it : items.body["items"]) {
    if (!it["draft"]["source"].is_null()) drafted.push_back(it);
  }
  ASSERT_GE(drafted.size(), 3u);
  auto path = [&](const json& it, const std::string& rest) { return q + "/items/" + std::to_string(it["id"].get<std::int64_t>()) + rest; };

  EXPECT_EQ(Send("POST", path(drafted[0], "/review"), &viewer, json{{"action", "accept"}}.dump()).status, 403);
  Reply accepted = Send("POST", path(drafted[0], "/review"), &reviewer, json{{"action", "accept"}}.dump());
  ASSERT_EQ(accepted.status, 200) << accepted.raw;
  EXPECT_EQ(accepted.body["state"], "accepted");
  EXPECT_EQ(accepted.body["answer"]["text"], drafted[0]["draft"]["text"]);
  EXPECT_EQ(accepted.body["decided_by"]["email"], "reviewer@example.com");
  EXPECT_EQ(accepted.body["questionnaire_summary"]["status"], "in_progress") << "the first action starts the work";
  EXPECT_EQ(accepted.body["questionnaire_summary"]["progress"]["accepted"], 1);
  ASSERT_EQ(accepted.body["vocabulary_marks"].size(), accepted.body["vocabulary"].size());
  const std::string remarks = "第三者認証は未取得です。\n2027年度に取得予定。";
  Reply edited = Send("POST", path(drafted[1], "/review"), &admin,
                      json{{"action", "edit"}, {"mark", "no"}, {"text", "いいえ"}, {"remarks", remarks},
                           {"version", drafted[1]["version"]}}
                          .dump());
  ASSERT_EQ(edited.status, 200) << edited.raw;
  EXPECT_EQ(edited.body["answer"]["remarks"], remarks);
  Reply stale = Send("POST", path(drafted[1], "/review"), &admin,
                     json{{"action", "reject"}, {"version", drafted[1]["version"]}}.dump());
  EXPECT_EQ(stale.status, 409) << stale.raw;
  ASSERT_EQ(Send("POST", path(drafted[2], "/review"), &admin, json{{"action", "reject"}}.dump()).status, 200);
  Reply wrong = Send("POST", path(drafted[2], "/review"), &admin, json{{"action", "approve"}}.dump());
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.body["error"]["message"], "action must be accept, edit, reject, needs_info or reset, not 'approve'");
  // Comments and assignment.
  Reply comment = Send("POST", path(drafted[2], "/comments"), &reviewer, json{{"body", "根拠資料を確認します"}}.dump());
  ASSERT_EQ(comment.status, 201) << comment.raw;
  EXPECT_EQ(comment.body["author"]["email"], "reviewer@example.com");
  Reply thread = Send("GET", path(drafted[2], "/comments"), &viewer);
  ASSERT_EQ(thread.body["items"].size(), 1u);
  EXPECT_EQ(thread.body["items"][0]["body"], "根拠資料を確認します");
  Reply members = Send("GET", "/api/v1/members", &viewer);
  ASSERT_EQ(members.status, 200);
  std::int64_t reviewer_id = 0;
  for (const json& m : members.body["items"]) {
    if (m["email"] == "reviewer@example.com") reviewer_id = m["id"];
  }
  ASSERT_NE(reviewer_id, 0);
  Reply assigned = Send("PUT", path(drafted[2], "/assignee"), &admin, json{{"user", reviewer_id}}.dump());
  ASSERT_EQ(assigned.status, 200) << assigned.raw;
  EXPECT_EQ(Send("GET", "/api/v1/assignments", &reviewer).body["items"].size(), 1u);
  // Bulk-accept the rest of the high drafts; the reviewed items keep their states.
  Reply bulk = Send("POST", q + "/bulk-accept", &reviewer, json{{"confidence", "high"}}.dump());
  ASSERT_EQ(bulk.status, 200) << bulk.raw;
  EXPECT_EQ(bulk.body["questionnaire"]["status"], "in_progress");
  Reply after = Send("GET", q + "/items", &viewer);
  std::map<std::string, json> by_key;
  int expected_answers = 0;
  for (const json& it : after.body["items"]) {
    by_key[it["item_id"]] = it;
    expected_answers += it["state"] == "accepted" || it["state"] == "edited";
  }
  EXPECT_EQ(by_key[drafted[1]["item_id"]]["state"], "edited");
  EXPECT_EQ(by_key[drafted[2]["item_id"]]["state"], "rejected");
  EXPECT_EQ(Send("GET", q + "/items?state=rejected", &viewer).body["total"], 1);

  Reply filled = Send("GET", q + "/filled", &viewer);
  ASSERT_EQ(filled.status, 200) << filled.raw.substr(0, 200);
  EXPECT_EQ(std::stoi(filled.headers.find("X-Trustsheet-Answers")->second), expected_answers);
  auto back = ingest::ImportBytes(filled.raw, "answered.xlsx");
  ASSERT_TRUE(back.ok()) << back.status().message();
  int written = 0;
  for (const sheet::Part& p : back->parts) {
    for (const sheet::Item& it : p.items) {
      const json& reviewed = by_key[it.id];
      if (reviewed["state"] == "accepted" || reviewed["state"] == "edited") {
        EXPECT_EQ(it.answer.text, reviewed["answer"]["text"]) << it.id;
        ++written;
      } else {
        EXPECT_EQ(it.answer.text, "") << it.id << " is " << reviewed["state"];
      }
    }
  }
  EXPECT_EQ(written, expected_answers);
  // (That the edited text goes out byte for byte, line breaks included, is checked on the
  // workbook's XML in QuestionnaireTest.TheFilledFileHoldsExactlyTheReviewedAnswers.)
  // Status by hand; lists filter by it.
  Reply done = Send("PATCH", q, &admin, json{{"status", "awaiting_review"}}.dump());
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(Send("GET", "/api/v1/questionnaires?status=awaiting_review", &viewer).body["total"], 1);
  EXPECT_EQ(Send("GET", "/api/v1/questionnaires?status=done", &viewer).body["total"], 0);
  EXPECT_EQ(Send("GET", "/api/v1/questionnaires?status=finished", &viewer).status, 400);

  StopServer();
  for (const auto& f : fs::directory_iterator(dir_ / "data")) {
    const std::string bytes = FileBytes(f.path());
    EXPECT_EQ(bytes.find(remarks), std::string::npos) << f.path() << " holds the edited remarks in plaintext";
    EXPECT_EQ(bytes.find("根拠資料を確認します"), std::string::npos) << f.path() << " holds a comment in plaintext";
  }
}

// Drafters are cached between requests; an edited and approved answer must show at once.
TEST_F(ServerTest, DraftsFollowLibraryEditsAtOnce) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "会計クラウド");
  const std::string base = "/api/v1/services/" + std::to_string(svc);
  ASSERT_EQ(Upload(admin, base + "/checksheets", "samples/layout1_title_rows.xlsx").status, 201);
  Reply up = Upload(admin, "/api/v1/files", "blank/blank_layout1_answer_column.xlsx");
  ASSERT_EQ(up.status, 201);
  const std::string drafts_path = base + "/files/" + std::to_string(up.body["id"].get<std::int64_t>()) + "/drafts";
  auto first_draft = [&] {
    Reply d = Send("GET", drafts_path, &admin);
    EXPECT_EQ(d.status, 200);
    for (const auto& part : d.body["parts"]) {
      for (const auto& item : part["items"]) {
        if (item["draft"]["source"].contains("entry")) return item["draft"];
      }
    }
    return json();
  };
  const json before = first_draft();
  ASSERT_TRUE(before.is_object()) << "no item was drafted from the library";
  EXPECT_EQ(first_draft(), before);  // the second request is served by the cached drafter
  const std::string entry = "/api/v1/entries/" + before["source"]["entry"].get<std::string>();
  ASSERT_EQ(Send("PUT", entry, &admin, json{{"remarks", "2026年12月に改訂した備考"}}.dump()).status, 200);
  // Edited entries go back to draft: no longer drafted from until approved again.
  EXPECT_NE(first_draft()["source"].value("entry", ""), before["source"]["entry"]);
  ASSERT_EQ(Send("POST", entry + "/approve", &admin).status, 200);
  const json after = first_draft();
  EXPECT_EQ(after["source"]["entry"], before["source"]["entry"]);
  EXPECT_EQ(after["remarks"], "2026年12月に改訂した備考");
}

TEST_F(ServerTest, AuditLogRecordsEventsAndVerifyDetectsAnEditedOrDeletedRecord) {
  Client admin = SetUpAdmin();
  Client c;
  SignIn(&c, "admin@example.com", "wrong password 1A!");
  CreateService(admin, "会計クラウド");
  Reply log = Send("GET", "/api/v1/audit?action=sign-in", &admin);
  ASSERT_EQ(log.status, 200);
  bool saw_failure = false;
  for (const auto& r : log.body["items"]) saw_failure |= r["action"] == "sign-in.failed" && r["source"] == kAdminAddress;
  EXPECT_TRUE(saw_failure) << log.raw;
  Reply csv = Send("GET", "/api/v1/audit?format=csv", &admin);
  EXPECT_EQ(csv.raw.rfind("seq,time,actor,source,action,target,result,hash\r\n", 0), 0u);
  EXPECT_NE(csv.raw.find("service.create"), std::string::npos);
  StopServer();

  const std::string data = (dir_ / "data").string();
  std::int64_t n = 0;
  ASSERT_TRUE(VerifyAudit(data, &n).ok());
  EXPECT_GE(n, 5);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "data" / "trustsheet.db").c_str(), &db), SQLITE_OK);
  // The table refuses updates; someone with the file can drop the trigger, and is caught.
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET result = 'ok' WHERE seq = 3", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER audit_log_append_only; UPDATE audit_log SET source = '10.0.0.1' WHERE seq = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  Status edited = VerifyAudit(data, &n);
  EXPECT_FALSE(edited.ok());
  EXPECT_NE(edited.message().find("record 3"), std::string::npos) << edited.message();
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit_log SET source = (SELECT source FROM audit_log WHERE seq = 2) WHERE seq = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_exec(db, "DELETE FROM audit_log WHERE seq = 4", nullptr, nullptr, nullptr);
  Status deleted = VerifyAudit(data, &n);
  EXPECT_FALSE(deleted.ok());
  sqlite3_close(db);
}

// Requests run side by side, each on its own store connection: writes from many clients at
// once all land, each item's version guards it against a lost update, and the audit chain,
// appended to from every thread, still verifies record by record.
TEST_F(ServerTest, ConcurrentReviewersAndEditorsLoseNoWriteAndKeepTheAuditChain) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "会計クラウド");
  ASSERT_EQ(Upload(admin, "/api/v1/services/" + std::to_string(svc) + "/checksheets?status=approved",
                   "samples/layout1_title_rows.xlsx")
                .status,
            201);
  Reply created = Upload(admin, "/api/v1/questionnaires?service=" + std::to_string(svc) + "&customer=A",
                         "blank/blank_layout1_answer_column.xlsx");
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string q = "/api/v1/questionnaires/" + std::to_string(created.body["id"].get<std::int64_t>());
  Reply items = Send("GET", q + "/items", &admin);
  ASSERT_EQ(items.status, 200) << items.raw;
  ASSERT_GE(items.body["items"].size(), 4u);
  std::vector<Client> members;
  for (int i = 0; i < 4; ++i) members.push_back(AddMember(admin, "m" + std::to_string(i) + "@example.com", "editor"));

  constexpr int kRounds = 12;
  std::atomic<int> unexpected{0};
  std::mutex mu;
  std::vector<std::string> problems;
  auto note = [&](const std::string& what, const Reply& r) {
    ++unexpected;
    std::lock_guard<std::mutex> lock(mu);
    problems.push_back(what + ": " + std::to_string(r.status) + " " + r.raw.substr(0, 200));
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Client& me = members[t];
      const std::string item = q + "/items/" + std::to_string(items.body["items"][t]["id"].get<std::int64_t>());
      for (int i = 0; i < kRounds; ++i) {
        // Each thread edits its own item (version by version), comments, adds a library
        // entry and reads the list, all at once with the others.
        Reply got = Send("GET", item, &me);
        if (got.status != 200) note("get item", got);
        const std::string text = "回答 " + std::to_string(t) + "-" + std::to_string(i);
        Reply edit = Send("POST", item + "/review", &me,
                          json{{"action", "edit"}, {"mark", "yes"}, {"text", text}, {"remarks", text},
                               {"version", got.body.value("version", 0)}}
                              .dump());
        if (edit.status != 200) note("edit", edit);
        Reply comment = Send("POST", item + "/comments", &me, json{{"body", "確認 " + text}}.dump());
        if (comment.status != 201) note("comment", comment);
        Reply entry = Send("POST", "/api/v1/services/" + std::to_string(svc) + "/entries", &me,
                           json{{"question", "質問 " + text}, {"mark", "yes"}}.dump());
        if (entry.status != 201) note("entry", entry);
        Reply list = Send("GET", "/api/v1/services/" + std::to_string(svc) + "/entries?limit=5", &me);
        if (list.status != 200) note("list", list);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(unexpected, 0) << (problems.empty() ? "" : problems.front());

  for (int t = 0; t < 4; ++t) {
    const std::string item = q + "/items/" + std::to_string(items.body["items"][t]["id"].get<std::int64_t>());
    Reply got = Send("GET", item, &admin);
    ASSERT_EQ(got.status, 200) << got.raw;
    EXPECT_EQ(got.body["state"], "edited");
    EXPECT_EQ(got.body["answer"]["text"], "回答 " + std::to_string(t) + "-" + std::to_string(kRounds - 1));
    Reply comments = Send("GET", item + "/comments", &admin);
    ASSERT_EQ(comments.status, 200) << comments.raw;
    EXPECT_EQ(comments.body["items"].size(), static_cast<std::size_t>(kRounds)) << comments.raw.substr(0, 300);
  }
  Reply entries = Send("GET", "/api/v1/services/" + std::to_string(svc) + "/entries?status=draft&limit=1", &admin);
  ASSERT_EQ(entries.status, 200) << entries.raw;
  EXPECT_EQ(entries.body["total"], 4 * kRounds);
  StopServer();
  std::int64_t records = 0;
  Status verified = VerifyAudit((dir_ / "data").string(), &records);
  EXPECT_TRUE(verified.ok()) << verified.message();
  EXPECT_GE(records, 4 * kRounds * 3);  // an edit, a comment and an entry each, at least
}

TEST_F(ServerTest, SwitchingOrganizationStartsANewSessionUnderThatOrganizationsRules) {
  Client admin = SetUpAdmin("A");
  const std::int64_t a = Send("GET", "/api/v1/me", &admin).body["organization"]["id"];
  Reply org_b = Send("POST", "/api/v1/organizations", &admin, json{{"name", "B"}}.dump());
  ASSERT_EQ(org_b.status, 201);
  const std::int64_t b = org_b.body["id"];
  CreateService(admin, "A だけのサービス");
  EXPECT_EQ(Send("POST", "/api/v1/me/organization", &admin, json{{"organization", 999999}}.dump()).Code(), "not_found");
  Client old = admin;
  Reply sw = Send("POST", "/api/v1/me/organization", &admin, json{{"organization", b}}.dump());
  ASSERT_EQ(sw.status, 200) << sw.raw;
  Adopt(&admin, sw);
  EXPECT_NE(admin.cookie, old.cookie);
  EXPECT_EQ(sw.body["organization"]["id"], b);
  EXPECT_EQ(Send("GET", "/api/v1/services", &admin).body["total"], 0);  // B's library, not A's
  EXPECT_EQ(Send("GET", "/api/v1/me", &old).status, 401);               // the old session ended
  // B requires MFA: switching back into B from A lands in enrolment.
  ASSERT_EQ(Send("PATCH", "/api/v1/settings", &admin, json{{"mfa_required", true}}.dump()).status, 200);
  Reply to_a = Send("POST", "/api/v1/me/organization", &admin, json{{"organization", a}}.dump());
  ASSERT_EQ(to_a.status, 200) << to_a.raw;
  Adopt(&admin, to_a);
  EXPECT_EQ(Send("GET", "/api/v1/services", &admin).body["total"], 1);
  Reply to_b = Send("POST", "/api/v1/me/organization", &admin, json{{"organization", b}}.dump());
  ASSERT_EQ(to_b.status, 200) << to_b.raw;
  Adopt(&admin, to_b);
  EXPECT_EQ(to_b.body["mfa"], "enrol");
  EXPECT_EQ(Send("GET", "/api/v1/services", &admin).Code(), "mfa_required");
}

TEST_F(ServerTest, DeletingAnOrganizationDestroysItsDataAndKey) {
  Client admin = SetUpAdmin();
  // The organization that stays has encrypted data (and so a key) of its own.
  const std::int64_t kept = CreateService(admin, "残るサービス");
  ASSERT_EQ(Upload(admin, "/api/v1/services/" + std::to_string(kept) + "/checksheets", "samples/layout2_checkbox_columns.xlsx").status,
            201);
  Reply org = Send("POST", "/api/v1/organizations", &admin, json{{"name", "Short-lived"}}.dump());
  Client c;
  SignIn(&c, "admin@example.com", kPassword, org.body["id"]);
  const std::int64_t svc = CreateService(c, "x");
  ASSERT_EQ(Upload(c, "/api/v1/services/" + std::to_string(svc) + "/checksheets", "samples/layout1_title_rows.xlsx").status, 201);
  // The deleted tenant's wrapped key, read beside the running server, must not survive anywhere
  // in the data directory (no free page or WAL frame keeps it).
  std::string wrapped_key;
  {
    sqlite3* peek = nullptr;
    ASSERT_EQ(sqlite3_open_v2((dir_ / "data" / "trustsheet.db").c_str(), &peek, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT wrapped FROM tenant_keys WHERE tenant_id = " + std::to_string(org.body["id"].get<std::int64_t>());
    ASSERT_EQ(sqlite3_prepare_v2(peek, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    wrapped_key.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)), static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(peek);
  }
  ASSERT_GE(wrapped_key.size(), 32u);
  EXPECT_EQ(Send("DELETE", "/api/v1/organization", &c, json{{"confirm", "wrong"}}.dump()).status, 400);
  ASSERT_EQ(Send("DELETE", "/api/v1/organization", &c, json{{"confirm", "Short-lived"}}.dump()).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/services", &c).status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/services", &admin).status, 200);  // the other organization is untouched
  StopServer();
  for (const auto& f : fs::directory_iterator(dir_ / "data")) {
    EXPECT_EQ(FileBytes(f.path()).find(wrapped_key), std::string::npos) << f.path() << " still holds the deleted tenant's key";
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "data" / "trustsheet.db").c_str(), &db), SQLITE_OK);
  auto count = [&](const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    sqlite3_step(st);
    const int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
  };
  const std::string t = std::to_string(org.body["id"].get<std::int64_t>());
  EXPECT_EQ(count("SELECT COUNT(*) FROM tenant_keys WHERE tenant_id = " + t), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM entries WHERE tenant_id = " + t), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM files WHERE tenant_id = " + t), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tenant_keys"), 1);  // the remaining organization's
  sqlite3_close(db);
}

TEST_F(ServerTest, KeyRotationRewrapsKeysAndTheDataStillOpens) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "x");
  ASSERT_EQ(Upload(admin, "/api/v1/services/" + std::to_string(svc) + "/checksheets", "samples/layout1_title_rows.xlsx").status, 201);
  const std::string before = Send("GET", "/api/v1/services/" + std::to_string(svc) + "/export", &admin).raw;
  StopServer();
  const std::string data = (dir_ / "data").string();
  const std::string fresh = (dir_ / "new.key").string();
  auto n = RotateMasterKey(data, "", fresh);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_GE(*n, 1);
  // The old key no longer opens the data; the new one does.
  Start({});
  Client old;
  ASSERT_EQ(SignIn(&old, "admin@example.com", kPassword).status, 200);
  Reply refused = Send("GET", "/api/v1/services/" + std::to_string(svc) + "/export", &old);
  EXPECT_EQ(refused.status, 500);
  EXPECT_NE(refused.raw.find("does not open with this master key"), std::string::npos) << refused.raw;
  StopServer();
  ServerConfig cfg;
  cfg.master_key_file = fresh;
  Start(cfg);
  Client c;
  ASSERT_EQ(SignIn(&c, "admin@example.com", kPassword).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/services/" + std::to_string(svc) + "/export", &c).raw, before);
}

TEST_F(ServerTest, BackupWhileServingAndRestoreBringBackTheDataAsItWas) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "会計クラウド");
  ASSERT_EQ(Upload(admin, "/api/v1/services/" + std::to_string(svc) + "/checksheets", "samples/layout1_title_rows.xlsx").status, 201);
  const std::string before = Send("GET", "/api/v1/services/" + std::to_string(svc) + "/export", &admin).raw;
  const std::string data = (dir_ / "data").string();
  const std::string backup = (dir_ / "backup.db").string();
  auto made = BackupData(data, backup);  // the server keeps running
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(made->organizations, 1);
  EXPECT_GE(made->audit_records, 3);
  EXPECT_EQ(fs::status(backup).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(BackupData(data, backup).status().code(), ErrorCode::kAlreadyExists);  // never overwrites
  const std::string backup_bytes = FileBytes(backup);
  const json entries = json::parse(before)["entries"];
  ASSERT_FALSE(entries.empty());
  for (const auto& e : entries) {
    const std::string remarks = e.value("remarks", "");
    if (remarks.size() >= 12) {
      EXPECT_EQ(backup_bytes.find(remarks), std::string::npos) << "backup holds plaintext: " << remarks;
    }
  }
  CreateService(admin, "バックアップ後のサービス");
  Status busy = RestoreData(data, "", backup).status();
  EXPECT_EQ(busy.code(), ErrorCode::kConflict);
  EXPECT_EQ(busy.message(), data + ": in use by a running trustsheet serve or another operator tool; stop it first");
  StopServer();
  auto restored = RestoreData(data, "", backup);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_TRUE(fs::exists(restored->previous));
  Start({});
  Client c;
  ASSERT_EQ(SignIn(&c, "admin@example.com", kPassword).status, 200);
  Reply services = Send("GET", "/api/v1/services", &c);
  ASSERT_EQ(services.body["total"], 1) << services.raw;
  EXPECT_EQ(Send("GET", "/api/v1/services/" + std::to_string(svc) + "/export", &c).raw, before);
  Reply log = Send("GET", "/api/v1/audit?action=service.create", &c);
  EXPECT_EQ(log.body["items"].size(), 1u);  // the later service is not in the restored log either
  StopServer();
  std::int64_t n = 0;
  Status verified = VerifyAudit(data, &n);
  EXPECT_TRUE(verified.ok()) << verified.message();
}

TEST_F(ServerTest, RestoreRefusesABadBackupAndChangesNothing) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "会計クラウド");
  ASSERT_EQ(Upload(admin, "/api/v1/services/" + std::to_string(svc) + "/checksheets", "samples/layout1_title_rows.xlsx").status, 201);
  const std::string data = (dir_ / "data").string();
  const std::string backup = (dir_ / "backup.db").string();
  ASSERT_TRUE(BackupData(data, backup).ok());
  StopServer();
  const std::string db = (dir_ / "data" / "trustsheet.db").string();
  // Another master key: the backup's organization keys do not open with it.
  const std::string other_key = (dir_ / "other.key").string();
  ASSERT_TRUE(RotateMasterKey(data, "", other_key).ok());  // the data now opens with other.key only
  const std::string untouched = FileBytes(db);
  Status wrong_key = RestoreData(data, other_key, backup).status();
  EXPECT_EQ(wrong_key.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(wrong_key.message().find("does not open with this master key"), std::string::npos) << wrong_key.message();

  const std::string garbage = (dir_ / "garbage.db").string();
  std::ofstream(garbage) << "this is not a database, only text pretending to be one";
  Status not_db = RestoreData(data, other_key, garbage).status();
  EXPECT_EQ(not_db.code(), ErrorCode::kCorruption) << not_db.message();
  EXPECT_EQ(not_db.message().rfind(garbage + ": ", 0), 0u) << not_db.message();

  // An edited audit log in the backup.
  const std::string edited = (dir_ / "edited.db").string();
  fs::copy_file(backup, edited);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(edited.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "DROP TRIGGER audit_log_append_only; UPDATE audit_log SET actor = 'someone else' WHERE seq = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(h);
  Status tampered = RestoreData(data, "", edited).status();  // the key the backup was made under
  EXPECT_FALSE(tampered.ok());
  EXPECT_NE(tampered.message().find("audit log"), std::string::npos) << "[" << tampered.message() << "]";

  // None of the refusals touched the live database or left files behind.
  int leftovers = 0;
  for (const auto& f : fs::directory_iterator(dir_ / "data")) {
    const std::string name = f.path().filename().string();
    leftovers += name.find("restoring") != std::string::npos || name.find("before-restore") != std::string::npos;
  }
  EXPECT_EQ(leftovers, 0);
  EXPECT_TRUE(FileBytes(db) == untouched) << "a refused restore changed the live database";
  ServerConfig cfg;
  cfg.master_key_file = other_key;
  Start(cfg);
  Client c;
  ASSERT_EQ(SignIn(&c, "admin@example.com", kPassword).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/services/" + std::to_string(svc) + "/export", &c).status, 200);
}

TEST_F(ServerTest, TwoServersCannotShareADataDirectory) {
  ServerConfig cfg;
  cfg.data_dir = (dir_ / "data").string();
  auto second = Server::Create(cfg);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            cfg.data_dir + ": in use by a running trustsheet serve or another operator tool; stop it first");
}

// TLS 1.2 and 1.3 only, checked with openssl s_client (the client is told to allow old
// protocols, so a refusal is the server's).
TEST_F(ServerTest, RefusesTls10And11AndAcceptsTls12And13) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "openssl command not installed";
  StopServer();
  const std::string cert = (dir_ / "cert.pem").string(), key = (dir_ / "key.pem").string();
  const std::string gen = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 -keyout " +
                          key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(gen.c_str()), 0);
  ServerConfig cfg;
  cfg.tls_cert = cert;
  cfg.tls_key = key;
  Start(cfg);
  auto handshake = [&](const std::string& version) {
    const std::string cmd = "openssl s_client -connect 127.0.0.1:" + std::to_string(port_) + " -" + version +
                            " -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
  };
  EXPECT_FALSE(handshake("tls1"));
  EXPECT_FALSE(handshake("tls1_1"));
  EXPECT_TRUE(handshake("tls1_2"));
  EXPECT_TRUE(handshake("tls1_3"));
  httplib::SSLClient https("127.0.0.1", port_);
  https.enable_server_certificate_verification(false);
  auto r = https.Get("/api/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
}

TEST_F(ServerTest, DataDirectoryAndEveryFileInItArePrivate) {
  Client admin = SetUpAdmin();
  const std::int64_t svc = CreateService(admin, "x");
  ASSERT_EQ(Upload(admin, "/api/v1/services/" + std::to_string(svc) + "/checksheets", "samples/layout1_title_rows.xlsx").status, 201);
  auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
  EXPECT_EQ(mode(dir_ / "data"), fs::perms::owner_all);
  int files = 0;
  for (const auto& f : fs::directory_iterator(dir_ / "data")) {
    EXPECT_EQ(mode(f.path()), fs::perms::owner_read | fs::perms::owner_write) << f.path();
    ++files;
  }
  EXPECT_GE(files, 3);  // master.key, trustsheet.db and its WAL at least
}

class RecordingMailer : public Mailer {
 public:
  Status Send(const Mail& mail) override {
    std::lock_guard<std::mutex> lock(mu_);
    sent_.push_back(mail);
    return Status();
  }
  std::vector<Mail> sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<Mail> sent_;
};

TEST_F(ServerTest, InvitationAndResetLinksAreMailedOnlyToThePersonWhenMailIsConfigured) {
  StopServer();
  RecordingMailer mailer;
  ServerConfig cfg;
  cfg.mailer = &mailer;
  cfg.public_url = "https://trust.example.com/";
  Start(cfg);
  Client admin = SetUpAdmin();
  Reply inv = Send("POST", "/api/v1/invitations", &admin, json{{"email", "New.Member@example.com"}, {"role", "editor"}}.dump());
  ASSERT_EQ(inv.status, 201) << inv.raw;
  EXPECT_EQ(inv.body["delivery"], "email");
  EXPECT_FALSE(inv.body.contains("token")) << inv.raw;  // only the invitee gets the link
  EXPECT_FALSE(inv.body.contains("link"));
  ASSERT_EQ(mailer.sent().size(), 1u);
  const Mail invitation = mailer.sent()[0];
  EXPECT_EQ(invitation.to, "new.member@example.com");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(invitation.body, m, std::regex(R"(https://trust\.example\.com/invite#token=([A-Za-z0-9_-]+))")))
      << invitation.body;
  Client anon;
  Reply acc = Send("POST", "/api/v1/invitations/accept", &anon, json{{"token", m[1].str()}, {"password", kPassword}}.dump());
  ASSERT_EQ(acc.status, 201) << acc.raw;
  const std::int64_t user = acc.body["user"]["id"];
  Reply reset = Send("POST", "/api/v1/users/" + std::to_string(user) + "/reset-password", &admin);
  ASSERT_EQ(reset.status, 200) << reset.raw;
  EXPECT_EQ(reset.body["delivery"], "email");
  EXPECT_FALSE(reset.body.contains("token"));
  ASSERT_EQ(mailer.sent().size(), 2u);
  EXPECT_EQ(mailer.sent()[1].to, "new.member@example.com");
  EXPECT_NE(mailer.sent()[1].body.find("https://trust.example.com/reset#token="), std::string::npos);
  Reply log = Send("GET", "/api/v1/audit?action=mail", &admin);
  ASSERT_EQ(log.body["items"].size(), 2u) << log.raw;
  EXPECT_EQ(log.body["items"][0]["result"], "ok");
  StopServer();  // before the mailer goes
}

TEST_F(ServerTest, RefusesPlainHttpOnANonLoopbackAddress) {
  ServerConfig cfg;
  cfg.data_dir = (dir_ / "other").string();
  cfg.host = "0.0.0.0";
  auto s = Server::Create(cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "plain HTTP is only served on a loopback address; give --tls-cert and --tls-key, or --behind-proxy "
            "when a TLS proxy is in front");
}

}  // namespace
}  // namespace ts::server
