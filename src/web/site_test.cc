#include "web/site.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

namespace ts::web {
namespace {

using json = nlohmann::json;

std::string Text(std::string_view path) {
  std::optional<Asset> a = FindAsset(path);
  EXPECT_TRUE(a.has_value()) << path;
  return a ? std::string(a->bytes) : std::string();
}

// "app/pages/../dom.js" -> "app/dom.js".
std::string Resolve(const std::string& from, const std::string& rel) {
  std::vector<std::string> parts;
  std::string dir = from.substr(0, from.rfind('/'));
  for (std::size_t s = 0; s <= dir.size();) {
    std::size_t e = dir.find('/', s);
    if (e == std::string::npos) e = dir.size();
    parts.push_back(dir.substr(s, e - s));
    s = e + 1;
  }
  for (std::size_t s = 0; s <= rel.size();) {
    std::size_t e = rel.find('/', s);
    if (e == std::string::npos) e = rel.size();
    const std::string part = rel.substr(s, e - s);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (part != "." && !part.empty()) {
      parts.push_back(part);
    }
    s = e + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

TEST(WebAssets, ContentTypesFollowTheExtension) {
  EXPECT_EQ(ContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentType("app/main.js"), "application/javascript; charset=utf-8");
  EXPECT_EQ(ContentType("styles/app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentType("pages.json"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentType("favicon.svg"), "image/svg+xml");
  EXPECT_EQ(ContentType("x.bin"), "application/octet-stream");
  ASSERT_TRUE(FindAsset("app/main.js").has_value());
  EXPECT_EQ(FindAsset("app/main.js")->content_type, "application/javascript; charset=utf-8");
  EXPECT_FALSE(FindAsset("app/nothing.js").has_value());
  EXPECT_FALSE(FindAsset("README.md").has_value());  // docs are not served
}

TEST(WebAssets, EveryAssetTheShellReferencesExists) {
  const std::string shell = Text("index.html");  // the template: assets under {{assets}}, the build's path
  static const std::regex kRef(R"re((?:src|href)="\{\{assets\}\}/([^"]+)")re");
  int refs = 0;
  for (auto it = std::sregex_iterator(shell.begin(), shell.end(), kRef); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(FindAsset((*it)[1].str()).has_value()) << (*it)[1].str();
    ++refs;
  }
  EXPECT_GE(refs, 2);
}

TEST(WebAssets, EveryModuleImportResolvesToAnAsset) {
  static const std::regex kImport(R"re((?:from|import)\s*\(?\s*'(\.{1,2}/[^'$]+)')re");
  for (const Asset& a : Assets()) {
    if (a.path.substr(a.path.size() - 3) != ".js") continue;
    const std::string text(a.bytes);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kImport); it != std::sregex_iterator(); ++it) {
      const std::string target = Resolve(std::string(a.path), (*it)[1].str());
      EXPECT_TRUE(FindAsset(target).has_value()) << a.path << " imports " << (*it)[1].str();
    }
  }
}

// The CSP allows no inline script or style: the UI must not need any.
TEST(WebAssets, NoInlineScriptStyleOrHandlers) {
  static const std::regex kInlineScript(R"re(<script(?![^>]*\ssrc=)[^>]*>)re");
  static const std::regex kHtmlBad(R"re(\sstyle=|\son[a-z]+=|<style)re", std::regex::icase);
  static const std::regex kJsBad(
      R"re(\.(?:inner|outer)HTML\s*[+]?=|insertAdjacentHTML\(|document\.write\(|\beval\(|new Function\(|['"]javascript:|\.style\.[a-zA-Z]+\s*=|setAttribute\(\s*'(?:style|on[a-z]+)')re");
  for (const Asset& a : Assets()) {
    const std::string text(a.bytes);
    if (a.path.ends_with(".html")) {
      EXPECT_FALSE(std::regex_search(text, kInlineScript)) << a.path;
      EXPECT_FALSE(std::regex_search(text, kHtmlBad)) << a.path;
    }
    if (a.path.ends_with(".js")) {
      EXPECT_FALSE(std::regex_search(text, kJsBad)) << a.path;
    }
  }
}

std::set<std::string> Keys(const json& j) {
  std::set<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.insert(it.key());
  return out;
}

TEST(WebMessages, EveryFileParsesAndJapaneseAndEnglishHaveTheSameKeys) {
  int files = 0;
  for (const Asset& a : Assets()) {
    if (a.path.substr(0, 8) != "i18n/ja/") continue;
    ++files;
    const std::string en_path = "i18n/en/" + std::string(a.path.substr(8));
    json ja = json::parse(a.bytes, nullptr, false);
    ASSERT_TRUE(ja.is_object()) << a.path << " is not a JSON object";
    json en = json::parse(Text(en_path), nullptr, false);
    ASSERT_TRUE(en.is_object()) << en_path << " is missing or not a JSON object";
    EXPECT_EQ(Keys(ja), Keys(en)) << a.path << " and " << en_path << " name different keys";
    for (const json* m : {&ja, &en}) {
      for (auto it = m->begin(); it != m->end(); ++it) EXPECT_TRUE(it->is_string()) << a.path << ": " << it.key();
    }
  }
  for (const Asset& a : Assets()) {
    if (a.path.substr(0, 8) == "i18n/en/") {
      EXPECT_TRUE(FindAsset("i18n/ja/" + std::string(a.path.substr(8)))) << a.path;
    }
  }
  EXPECT_GE(files, 3);
  json merged = json::parse(Text("i18n/ja.json"), nullptr, false);
  ASSERT_TRUE(merged.is_object());
  EXPECT_EQ(merged["common"]["not_found"], "ページが見つかりません");
}

TEST(WebPages, EveryPageHasAModuleAndATitleInBothLanguages) {
  json pages = json::parse(Text("pages.json"), nullptr, false);
  ASSERT_TRUE(pages.is_array());
  json ja = json::parse(Text("i18n/ja.json"));
  json en = json::parse(Text("i18n/en.json"));
  for (const json& p : pages) {
    const std::string page = p.value("page", "");
    EXPECT_TRUE(FindAsset("app/pages/" + page + ".js").has_value()) << page;
    const std::string title = p.value("title", "");
    const std::string file = title.substr(0, title.find('.'));
    const std::string key = title.substr(title.find('.') + 1);
    EXPECT_TRUE(ja[file].contains(key)) << title;
    EXPECT_TRUE(en[file].contains(key)) << title;
    const std::string access = p.value("access", "");
    EXPECT_TRUE(access == "public" || access == "member") << p.dump();
  }
  EXPECT_TRUE(FindAsset("app/pages/not_found.js").has_value());
}

TEST(WebPages, PagePathsMatchTheirPatternsOnly) {
  for (const char* path : {"/", "/sign-in", "/setup", "/invitation", "/password-reset", "/account", "/admin",
                           "/library", "/questionnaires/new", "/questionnaires/12"}) {
    EXPECT_TRUE(IsPagePath(path)) << path;
  }
  for (const char* path : {"", "/nothing", "/sign-in/x", "/questionnaires/abc", "/questionnaires/", "/Admin",
                           "/questionnaires/1234567890123456789"}) {
    EXPECT_FALSE(IsPagePath(path)) << path;
  }
}

TEST(WebPages, LanguageComesFromTheCookieThenAcceptLanguageAndDefaultsToJapanese) {
  EXPECT_EQ(PickLanguage("", ""), "ja");
  EXPECT_EQ(PickLanguage("en-US,en;q=0.9", ""), "en");
  EXPECT_EQ(PickLanguage("en-US,en;q=0.9,ja;q=0.8", ""), "en");
  EXPECT_EQ(PickLanguage("ja,en-US;q=0.9,en;q=0.8", ""), "ja");
  EXPECT_EQ(PickLanguage("fr-FR,fr;q=0.9,en;q=0.5,ja;q=0.7", ""), "ja");
  EXPECT_EQ(PickLanguage("de", ""), "ja");
  EXPECT_EQ(PickLanguage("EN", ""), "en");
  EXPECT_EQ(PickLanguage("en", "a=b; ts_lang=ja"), "ja");
  EXPECT_EQ(PickLanguage("ja", "ts_lang=en"), "en");
  EXPECT_EQ(PickLanguage("ja", "ts_lang=fr"), "ja");
}

TEST(WebPages, ShellCarriesTheLanguageAndNoPlaceholders) {
  const std::string ja = PageShell("ja", true);
  EXPECT_NE(ja.find("<html lang=\"ja\""), std::string::npos);
  EXPECT_NE(ja.find("本文へ移動"), std::string::npos);
  EXPECT_EQ(ja.find("{{"), std::string::npos);
  const std::string en = PageShell("en", false);
  EXPECT_NE(en.find("<html lang=\"en\" data-status=\"not-found\""), std::string::npos);
  EXPECT_NE(en.find("Page not found"), std::string::npos);
  EXPECT_EQ(PageShell("xx", true).find("<html lang=\"ja\""), ja.find("<html lang=\"ja\""));
}

TEST(WebPages, RespondServesAssetsPagesAndHtmlNotFound) {
  Reply js = Respond("GET", "/assets/app/main.js", "", "");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "application/javascript; charset=utf-8");
  Reply page = Respond("GET", "/questionnaires/3", "en", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("lang=\"en\""), std::string::npos);
  Reply missing = Respond("GET", "/no/such/page", "", "");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Respond("GET", "/assets/none.js", "", "").status, 404);
  EXPECT_EQ(Respond("POST", "/", "", "").status, 405);
  EXPECT_EQ(Respond("HEAD", "/", "", "").status, 200);
}

}  // namespace
}  // namespace ts::web
