// The web UI as served by `trustsheet serve` on 127.0.0.1: page paths answer the HTML shell in
// the visitor's language, assets their bytes and content type, unknown paths an HTML 404, and
// /api/ stays JSON; every response keeps the strict security headers.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "server/server.h"
#include "web/site.h"

namespace ts::server {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

class WebPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ts_web_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    ServerConfig cfg;
    cfg.data_dir = (dir_ / "data").string();
    cfg.host = "127.0.0.1";
    cfg.port = 0;
    cfg.threads = 4;
    auto s = Server::Create(cfg);
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = std::move(*s);
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Listen(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    fs::remove_all(dir_);
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client http("127.0.0.1", port_);
    return http.Get(path, headers);
  }

  fs::path dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(WebPagesTest, PagePathsAnswerTheShellWithTheStrictHeaders) {
  for (const char* path : {"/", "/sign-in", "/setup", "/invitation", "/password-reset", "/account", "/admin",
                           "/library", "/questionnaires/new", "/questionnaires/42"}) {
    httplib::Result r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(r->get_header_value("Content-Security-Policy"), kCsp) << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << path;
    EXPECT_NE(r->body.find("<html lang=\"ja\""), std::string::npos) << path;
    EXPECT_NE(r->body.find("<script type=\"module\" src=\"" + ts::web::VersionedAssetBase() + "/app/main.js\"></script>"),
              std::string::npos);
  }
}

TEST_F(WebPagesTest, TheShellIsInTheLanguageTheBrowserPrefers) {
  httplib::Result en = Get("/sign-in", {{"Accept-Language", "en-US,en;q=0.9,ja;q=0.5"}});
  ASSERT_TRUE(en);
  EXPECT_NE(en->body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(en->body.find("Skip to main content"), std::string::npos);
  httplib::Result ja = Get("/sign-in", {{"Accept-Language", "ja,en;q=0.8"}});
  ASSERT_TRUE(ja);
  EXPECT_NE(ja->body.find("<html lang=\"ja\""), std::string::npos);
  EXPECT_NE(ja->body.find("本文へ移動"), std::string::npos);
  // The signed-in user's choice, kept by the UI in a cookie, wins.
  httplib::Result chosen = Get("/sign-in", {{"Accept-Language", "ja"}, {"Cookie", "ts_lang=en"}});
  ASSERT_TRUE(chosen);
  EXPECT_NE(chosen->body.find("<html lang=\"en\""), std::string::npos);
}

TEST_F(WebPagesTest, AssetsHaveTheirContentTypesAndEveryAssetTheShellNamesExists) {
  httplib::Result shell = Get("/");
  ASSERT_TRUE(shell);
  static const std::regex kRef(R"re((?:src|href)="(/assets/[^"]+)")re");
  int refs = 0;
  for (auto it = std::sregex_iterator(shell->body.begin(), shell->body.end(), kRef); it != std::sregex_iterator(); ++it) {
    httplib::Result a = Get((*it)[1].str());
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, 200) << (*it)[1].str();
    EXPECT_EQ(a->get_header_value("Content-Security-Policy"), kCsp);
    ++refs;
  }
  EXPECT_GE(refs, 3);
  const std::pair<const char*, const char*> kTypes[] = {
      {"/assets/app/main.js", "application/javascript; charset=utf-8"},
      {"/assets/styles/app.css", "text/css; charset=utf-8"},
      {"/assets/i18n/ja.json", "application/json; charset=utf-8"},
      {"/assets/pages.json", "application/json; charset=utf-8"},
      {"/assets/favicon.svg", "image/svg+xml"},
  };
  for (const auto& [path, type] : kTypes) {
    httplib::Result a = Get(path);
    ASSERT_TRUE(a) << path;
    EXPECT_EQ(a->status, 200) << path;
    EXPECT_EQ(a->get_header_value("Content-Type"), type) << path;
  }
  httplib::Result missing = Get("/assets/app/none.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  // Assets (public code and styles, no data) are kept and revalidated: the same ETag gets a 304
  // without a body; pages and the API stay no-store.
  httplib::Result js = Get("/assets/app/main.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(js->get_header_value_count("Cache-Control"), 1u);
  const std::string etag = js->get_header_value("ETag");
  ASSERT_EQ(etag.size(), 18u) << etag;
  httplib::Result again = Get("/assets/app/main.js", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  httplib::Result other = Get("/assets/app/main.js", {{"If-None-Match", "\"0000000000000000\""}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  EXPECT_EQ(Get("/")->get_header_value("Cache-Control"), "no-store");
  // The shell preloads the core modules, which exist.
  EXPECT_NE(shell->body.find("<link rel=\"modulepreload\" href=\"" + ts::web::VersionedAssetBase() + "/app/api.js\">"),
            std::string::npos);
}

// What the shell names is this build's versioned path: kept by the browser for good, never asked
// for again on the next page. Another build's path (a tab opened before an upgrade) still gets
// the file, but revalidated; an unknown file there is still a 404.
TEST_F(WebPagesTest, TheShellNamesThisBuildsAssetsWhichMayBeKeptForGood) {
  const std::string base = ts::web::VersionedAssetBase();
  ASSERT_EQ(base.rfind("/assets/v/", 0), 0u) << base;
  httplib::Result shell = Get("/questionnaires/42");
  ASSERT_TRUE(shell);
  EXPECT_NE(shell->body.find("data-assets=\"" + base + "\""), std::string::npos);
  httplib::Result kept = Get(base + "/app/main.js");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200);
  EXPECT_EQ(kept->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(kept->get_header_value("Content-Type"), "application/javascript; charset=utf-8");
  httplib::Result plain = Get("/assets/app/main.js");
  ASSERT_TRUE(plain);
  EXPECT_EQ(kept->body, plain->body);
  httplib::Result old = Get("/assets/v/0123456789abcdef/app/main.js");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 200);
  EXPECT_EQ(old->get_header_value("Cache-Control"), "no-cache");
  httplib::Result missing = Get(base + "/app/none.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(WebPagesTest, UnknownPathsGetAnHtmlNotFoundPageAndTheApiStaysJson) {
  httplib::Result page = Get("/no-such-page", {{"Accept-Language", "ja"}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("ページが見つかりません"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Content-Security-Policy"), kCsp);
  httplib::Result api = Get("/api/v1/no-such-endpoint");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(api->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_NE(api->body.find("\"not_found\""), std::string::npos);
  httplib::Result health = Get("/api/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  httplib::Client http("127.0.0.1", port_);
  httplib::Result post = http.Post("/sign-in", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
}

}  // namespace
}  // namespace ts::server
