// The web UI as the server sees it: the files of web/ compiled into the binary, the page paths
// (web/pages.json), the language of a page, and the answer to every request outside /api/.
// Everything here is immutable after first use (built once, thread-safe); no HTTP library in
// this header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ts::web {

// One file of web/, as compiled in.
struct Asset {
  std::string_view path;  // relative to web/: "app/main.js"
  std::string_view content_type;
  std::string_view bytes;
};

// The asset at `path` (relative to web/), or nullopt. Besides the files themselves,
// "i18n/ja.json" and "i18n/en.json" are every message file of that language merged into one
// object keyed by file name ({"account": {...}, "common": {...}}).
std::optional<Asset> FindAsset(std::string_view path);
// Every file compiled in, sorted by path (the merged message files are not listed).
std::vector<Asset> Assets();
// "text/javascript; charset=utf-8" for "x.js", and so on; application/octet-stream when unknown.
std::string_view ContentType(std::string_view path);

// "ja" or "en": the `ts_lang` cookie (the signed-in user's choice, set by the UI) when present,
// else the preferred of the two in Accept-Language (q-values honoured), else "ja".
std::string PickLanguage(std::string_view accept_language, std::string_view cookie_header);

// Whether `path` is a page of the UI (a pattern of web/pages.json; "{name}" matches a number).
bool IsPagePath(std::string_view path);

// The one HTML page every UI path answers with, in `lang` ("ja" or "en"): web/index.html with
// {{lang}} and {{t:file.key}} filled in. `found` false makes it the not-found page.
std::string PageShell(std::string_view lang, bool found);

// "/assets/v/<build>": where the shell points for this build's assets (they never change there).
const std::string& VersionedAssetBase();

struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// The answer to a request outside /api/: GET/HEAD /assets/PATH gives the asset with an ETag
// (304 and no body when `if_none_match` is it), revalidated on each use; /assets/v/BUILD/PATH
// the same file, kept for a year when BUILD is this build's (VersionedAssetBase); a page path
// the shell (200); anything else the not-found page (404, HTML); other methods 405.
Reply Respond(std::string_view method, std::string_view path, std::string_view accept_language,
              std::string_view cookie_header, std::string_view if_none_match = "");

}  // namespace ts::web
