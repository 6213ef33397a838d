#include "web/site.h"

#include <cstdint>
#include <cstdio>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "formats/xml.h"
#include "web/internal/asset_table.h"

namespace ts::web {
namespace {

using json = nlohmann::json;

constexpr std::string_view kAssetPrefix = "/assets/";
constexpr std::string_view kLanguages[] = {"ja", "en"};

std::string_view Bytes(const internal::EmbeddedFile& f) {
  return {reinterpret_cast<const char*>(f.bytes), f.size};
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Every message file of each language merged, keyed by file name: built once.
struct Messages {
  std::map<std::string, std::string> merged_text;  // "ja" -> the JSON text served
  std::map<std::string, json> merged;
};

const Messages& AllMessages() {
  static const Messages kMessages = [] {
    Messages m;
    for (std::string_view lang : kLanguages) {
      json merged = json::object();
      const std::string prefix = "i18n/" + std::string(lang) + "/";
      for (const internal::EmbeddedFile* f = internal::kEmbeddedFiles; f->path != nullptr; ++f) {
        std::string_view path = f->path;
        if (path.substr(0, prefix.size()) != prefix || !EndsWith(path, ".json")) continue;
        std::string_view name = path.substr(prefix.size());
        name.remove_suffix(5);
        // A broken file is left out (web_test fails on it); the rest still load.
        json content = json::parse(Bytes(*f), nullptr, false);
        if (content.is_object()) merged[std::string(name)] = std::move(content);
      }
      m.merged_text[std::string(lang)] = merged.dump();
      m.merged[std::string(lang)] = std::move(merged);
    }
    return m;
  }();
  return kMessages;
}

// "common.product" in `lang`, or the key itself when missing.
std::string Message(std::string_view lang, std::string_view key) {
  const json& all = AllMessages().merged.at(std::string(lang));
  const std::size_t dot = key.find('.');
  if (dot == std::string_view::npos) return std::string(key);
  auto file = all.find(std::string(key.substr(0, dot)));
  if (file == all.end() || !file->is_object()) return std::string(key);
  auto msg = file->find(std::string(key.substr(dot + 1)));
  if (msg == file->end() || !msg->is_string()) return std::string(key);
  return msg->get<std::string>();
}

// The page patterns of web/pages.json, split into segments.
const std::vector<std::vector<std::string>>& PagePatterns() {
  static const std::vector<std::vector<std::string>> kPatterns = [] {
    std::vector<std::vector<std::string>> out;
    std::optional<Asset> file = FindAsset("pages.json");
    if (!file) return out;
    json pages = json::parse(file->bytes, nullptr, false);
    if (!pages.is_array()) return out;
    for (const json& p : pages) {
      if (!p.is_object() || !p.contains("path") || !p["path"].is_string()) continue;
      const std::string path = p["path"].get<std::string>();
      std::vector<std::string> segments;
      std::size_t start = 1;
      while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        segments.push_back(path.substr(start, end - start));
        start = end + 1;
      }
      out.push_back(std::move(segments));
    }
    return out;
  }();
  return kPatterns;
}

bool IsNumber(std::string_view s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

std::string_view ContentType(std::string_view path) {
  // Scripts as application/javascript (a valid JavaScript type for modules): cpp-httplib
  // compresses every text/* reply with Brotli at its slowest setting when the browser accepts
  // br, 90 ms for the review page's 38 KB script; it leaves this type alone.
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(path, ext)) return type;
  }
  return "application/octet-stream";
}

std::optional<Asset> FindAsset(std::string_view path) {
  for (std::string_view lang : kLanguages) {
    if (path == "i18n/" + std::string(lang) + ".json") {
      const std::string& text = AllMessages().merged_text.at(std::string(lang));
      return Asset{path, ContentType(path), text};
    }
  }
  // The table is small (tens of files) and sorted: a binary search.
  const internal::EmbeddedFile* begin = internal::kEmbeddedFiles;
  const internal::EmbeddedFile* end = begin;
  while (end->path != nullptr) ++end;
  const internal::EmbeddedFile* it = std::lower_bound(
      begin, end, path, [](const internal::EmbeddedFile& f, std::string_view p) { return std::string_view(f.path) < p; });
  if (it == end || std::string_view(it->path) != path) return std::nullopt;
  return Asset{it->path, ContentType(it->path), Bytes(*it)};
}

std::vector<Asset> Assets() {
  std::vector<Asset> out;
  for (const internal::EmbeddedFile* f = internal::kEmbeddedFiles; f->path != nullptr; ++f) {
    out.push_back(Asset{f->path, ContentType(f->path), Bytes(*f)});
  }
  return out;
}

std::string PickLanguage(std::string_view accept_language, std::string_view cookie_header) {
  // The cookie: "a=b; ts_lang=en; c=d".
  std::size_t pos = 0;
  while (pos < cookie_header.size()) {
    std::size_t end = cookie_header.find(';', pos);
    if (end == std::string_view::npos) end = cookie_header.size();
    const std::string part = Trim(cookie_header.substr(pos, end - pos));
    if (part == "ts_lang=ja") return "ja";
    if (part == "ts_lang=en") return "en";
    pos = end + 1;
  }
  // Accept-Language: "en-US,en;q=0.9,ja;q=0.8". The first of the highest q among ja and en.
  std::string best = "ja";
  double best_q = 0;
  pos = 0;
  while (pos < accept_language.size()) {
    std::size_t end = accept_language.find(',', pos);
    if (end == std::string_view::npos) end = accept_language.size();
    std::string item = Trim(accept_language.substr(pos, end - pos));
    pos = end + 1;
    double q = 1;
    if (std::size_t semi = item.find(';'); semi != std::string::npos) {
      std::string param = Trim(std::string_view(item).substr(semi + 1));
      item = Trim(std::string_view(item).substr(0, semi));
      if (param.rfind("q=", 0) == 0) q = std::strtod(param.c_str() + 2, nullptr);
    }
    const std::string tag = AsciiLower(item.substr(0, item.find('-')));
    if ((tag == "ja" || tag == "en") && q > best_q) {
      best = tag;
      best_q = q;
    }
  }
  return best;
}

bool IsPagePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  std::vector<std::string_view> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  for (const std::vector<std::string>& pattern : PagePatterns()) {
    if (pattern.size() != segments.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < pattern.size() && match; ++i) {
      const std::string& p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        match = IsNumber(segments[i]);
      } else {
        match = p == segments[i];
      }
    }
    if (match) return true;
  }
  return false;
}

// FNV-1a, 64 bits, in hex: an asset's validator (not a security property).
std::string ContentHash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// The path every asset of this build is served under with long-lived caching:
// /assets/v/<hash of all assets>. A new build has a new path, so browsers never use old files.
const std::string& VersionedAssetBase() {
  static const std::string base = [] {
    std::string all;
    for (const Asset& a : Assets()) all += std::string(a.path) + '\0' + ContentHash(a.bytes) + '\0';
    return "/assets/v/" + ContentHash(all);
  }();
  return base;
}

std::string PageShell(std::string_view lang, bool found) {
  const std::string language = lang == "en" ? "en" : "ja";
  std::optional<Asset> shell = FindAsset("index.html");
  if (!shell) return "<!doctype html><title>trustsheet</title>";
  std::string_view in = shell->bytes;
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = in.find("{{", pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = in.find("}}", open);
    if (close == std::string_view::npos) break;
    out += in.substr(pos, open - pos);
    const std::string_view name = in.substr(open + 2, close - open - 2);
    if (name == "lang") {
      out += language;
    } else if (name == "status") {
      out += found ? "ok" : "not-found";
    } else if (name == "assets") {
      out += VersionedAssetBase();
    } else if (name == "preload") {
      // The core modules at once, instead of one import level per round trip.
      for (const Asset& a : Assets()) {
        if (a.path.substr(0, 4) == "app/" && a.path.substr(0, 10) != "app/pages/" && a.path != "app/main.js" &&
            a.path.size() > 3 && a.path.substr(a.path.size() - 3) == ".js") {
          out += "<link rel=\"modulepreload\" href=\"" + VersionedAssetBase() + "/" + std::string(a.path) + "\">\n";
        }
      }
    } else if (name.substr(0, 2) == "t:") {
      std::string key(name.substr(2));
      // The not-found page says so where the shell says "loading".
      if (!found && key == "common.loading") key = "common.not_found";
      out += formats::EscapeXml(Message(language, key));  // XML's escapes serve HTML too
    }
    pos = close + 2;
  }
  out += in.substr(pos);
  return out;
}

Reply Respond(std::string_view method, std::string_view path, std::string_view accept_language,
              std::string_view cookie_header, std::string_view if_none_match) {
  Reply r;
  const std::string lang = PickLanguage(accept_language, cookie_header);
  if (method != "GET" && method != "HEAD") {
    r.status = 405;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::string(method) + " is not allowed on " + std::string(path) + "\n";
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (path.substr(0, kAssetPrefix.size()) == kAssetPrefix) {
    std::string_view name = path.substr(kAssetPrefix.size());
    // /assets/v/<build>/PATH: this build's files may be kept for good (the shell names them so).
    // Another build's path (a page opened before an upgrade) gets today's file, revalidated.
    bool immutable = false;
    if (name.substr(0, 2) == "v/") {
      const std::size_t slash = name.find('/', 2);
      if (slash != std::string_view::npos) {
        immutable = path.substr(0, kAssetPrefix.size() + slash) == VersionedAssetBase();
        name = name.substr(slash + 1);
      }
    }
    if (std::optional<Asset> a = FindAsset(name)) {
      // Unversioned: kept by the browser and revalidated on each use (unchanged costs a 304).
      const std::string etag = "\"" + ContentHash(a->bytes) + "\"";
      r.headers.emplace_back("ETag", etag);
      r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      if (if_none_match == etag) {
        r.status = 304;
        return r;
      }
      r.content_type = std::string(a->content_type);
      r.body = std::string(a->bytes);
      return r;
    }
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "no such asset: " + std::string(path) + "\n";
    return r;
  }
  const bool found = IsPagePath(path);
  r.status = found ? 200 : 404;
  r.content_type = "text/html; charset=utf-8";
  r.body = PageShell(lang, found);
  r.headers.emplace_back("Vary", "Accept-Language, Cookie");
  return r;
}

}  // namespace ts::web
