// Load test of `trustsheet serve` on loopback: an in-process server (temporary data directory,
// real store, real encryption, real Argon2id sign-ins) and N concurrent clients, each with its
// own session and keep-alive connection. Two phases, each bounded by a request count and a
// time limit:
//   read:   GET /api/v1/services/{id}/entries?limit=50   (authenticated, decrypts 50 entries)
//   answer: GET /api/v1/services/{id}/files/{file}/drafts (imports and drafts a 100-item sheet
//           against a 2,000-entry library)
//   open:   POST /api/v1/questionnaires with a 300-item customer sheet (parse, draft, store), once
//   screen: what the review screen loads: GET the questionnaire and all its 300 items (view=grid)
//   review: review actions by 10 reviewers at once (accept, edit with remarks, reject, in turn),
//           each on items of its own
// The read phase is the baseline of the same run: an authenticated read of 50 sealed entries.
// Prints requests per second, p50/p90/p99/max latency and the error count of each phase;
// exits 1 when any request failed. It asserts nothing about speed.
//
//   load_bench [--clients 32] [--read-requests 4000] [--answer-requests 320]
//              [--library-rows 2000] [--sheet-rows 100] [--seconds 120]
//              [--review-clients 10] [--review-requests 2000] [--screen-requests 100] [--review-rows 300]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "base/file_io.h"
#include "bench/workbook_gen.h"
#include "server/server.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "Sakura-fubuki-77!";

struct Options {
  int clients = 32;
  int read_requests = 4000;
  int answer_requests = 320;
  int library_rows = 2000;
  int sheet_rows = 100;
  int seconds = 120;  // per phase
  int review_clients = 10;
  int review_requests = 2000;
  int screen_requests = 100;
  int review_rows = 300;
};

struct Session {
  std::string cookie;
  std::string csrf;
};

struct PhaseResult {
  std::vector<double> ms;
  int errors = 0;
  std::string first_error;
  double wall_s = 0;
  bool timed_out = false;
};

bool ParseInt(const char* text, int lo, int hi, int* out) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < lo || v > hi) return false;
  *out = static_cast<int>(v);
  return true;
}

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    int* target = a == "--clients"           ? &o->clients
                  : a == "--read-requests"   ? &o->read_requests
                  : a == "--answer-requests" ? &o->answer_requests
                  : a == "--library-rows"    ? &o->library_rows
                  : a == "--sheet-rows"      ? &o->sheet_rows
                  : a == "--seconds"         ? &o->seconds
                  : a == "--review-clients"  ? &o->review_clients
                  : a == "--review-requests" ? &o->review_requests
                  : a == "--screen-requests" ? &o->screen_requests
                  : a == "--review-rows"     ? &o->review_rows
                                             : nullptr;
    if (target == nullptr || i + 1 >= argc || !ParseInt(argv[++i], 1, 1'000'000, target)) {
      std::cerr << "load_bench: bad argument '" << a << "'\nusage: load_bench [--clients N] [--read-requests N] "
                   "[--answer-requests N] [--library-rows N] [--sheet-rows N] [--seconds N] [--review-clients N] "
                   "[--review-requests N] [--screen-requests N] [--review-rows N]\n";
      return false;
    }
  }
  return true;
}

std::string CookieOf(const httplib::Result& r) {
  const std::string set = r->get_header_value("Set-Cookie");
  return set.substr(0, set.find(';'));
}

// Runs `total` requests spread over the clients (each on its own connection); stops early at
// the deadline. `request(client, headers, client index, its request number)` returns "" on
// success or an error description.
template <typename Request>
PhaseResult RunPhaseIndexed(int port, const std::vector<Session>& sessions, int total, int seconds, Request request) {
  PhaseResult out;
  std::mutex mu;
  std::atomic<int> next{0};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < sessions.size(); ++k) {
    threads.emplace_back([&, k] {
      const Session& s = sessions[k];
      httplib::Client http("127.0.0.1", port);
      http.set_keep_alive(true);
      // As browsers do: without it a POST's body waits for the ACK of its headers, which the
      // server's delayed ACK holds back some 40 ms.
      http.set_tcp_nodelay(true);
      http.set_read_timeout(60, 0);
      const httplib::Headers headers = {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}};
      std::vector<double> mine;
      int errors = 0;
      std::string first;
      for (int n = 0; next.fetch_add(1) < total; ++n) {
        if (Clock::now() >= deadline) {
          std::lock_guard<std::mutex> lock(mu);
          out.timed_out = true;
          break;
        }
        const auto t0 = Clock::now();
        std::string err = request(http, headers, static_cast<int>(k), n);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!err.empty()) {
          ++errors;
          if (first.empty()) first = err;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      out.ms.insert(out.ms.end(), mine.begin(), mine.end());
      out.errors += errors;
      if (out.first_error.empty()) out.first_error = first;
    });
  }
  for (auto& t : threads) t.join();
  out.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  return out;
}
template <typename Request>
PhaseResult RunPhase(int port, const std::vector<Session>& sessions, int total, int seconds, Request request) {
  return RunPhaseIndexed(port, sessions, total, seconds,
                         [&](httplib::Client& c, const httplib::Headers& h, int /*client*/, int /*n*/) { return request(c, h); });
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i];
}

void Report(const std::string& name, PhaseResult r, int clients) {
  std::sort(r.ms.begin(), r.ms.end());
  std::printf("%-7s %6zu requests, %2d clients, %7.2f s: %8.1f req/s  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  "
              "max %7.1f ms  errors %d%s\n",
              name.c_str(), r.ms.size(), clients, r.wall_s, static_cast<double>(r.ms.size()) / r.wall_s,
              Percentile(r.ms, 0.50), Percentile(r.ms, 0.95), Percentile(r.ms, 0.99), r.ms.empty() ? 0 : r.ms.back(),
              r.errors, r.timed_out ? " (stopped at the time limit)" : "");
  if (!r.first_error.empty()) std::printf("        first error: %s\n", r.first_error.c_str());
}

int Fail(const std::string& what) {
  std::cerr << "load_bench: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!ParseArgs(argc, argv, &opt)) return 2;
  const fs::path dir = fs::temp_directory_path() / ("ts_load_bench_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() { fs::remove_all(dir); }
  } cleanup{dir};

  // Inputs: a library workbook and a different 100-item customer sheet from the generator.
  const fs::path library_xlsx = dir / "library.xlsx";
  const fs::path sheet_xlsx = dir / "customer_sheet.xlsx";
  if (auto s = ts::bench::WriteChecksheetWorkbook(library_xlsx.string(), opt.library_rows, 1); !s.ok()) return Fail(s.message());
  if (auto s = ts::bench::WriteChecksheetWorkbook(sheet_xlsx.string(), opt.sheet_rows, 2); !s.ok()) return Fail(s.message());

  ts::server::ServerConfig cfg;
  cfg.data_dir = (dir / "data").string();
  cfg.host = "127.0.0.1";
  cfg.port = 0;
  cfg.threads = opt.clients + 4;
  auto server = ts::server::Server::Create(cfg);
  if (!server.ok()) return Fail(server.status().message());
  auto port_or = (*server)->Bind();
  if (!port_or.ok()) return Fail(port_or.status().message());
  const int port = *port_or;
  std::thread listener([&] { (void)(*server)->Listen(); });
  struct Stopper {
    ts::server::Server* s;
    std::thread* t;
    ~Stopper() {
      s->Stop();
      if (t->joinable()) t->join();
    }
  } stopper{server->get(), &listener};

  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(120, 0);
  const auto setup_start = Clock::now();
  auto setup = http.Post("/api/v1/setup",
                         json{{"token", (*server)->setup_token()},
                              {"email", "owner@load.example"},
                              {"password", kPassword},
                              {"organization", "Load"}}
                             .dump(),
                         "application/json");
  if (!setup || setup->status != 201) return Fail("setup failed: " + (setup ? setup->body : "no reply"));
  Session owner{CookieOf(setup), json::parse(setup->body)["csrf_token"]};
  httplib::Headers owner_h = {{"Cookie", owner.cookie}, {"X-CSRF-Token", owner.csrf}};
  auto svc = http.Post("/api/v1/services", owner_h, json{{"name", "負荷試験サービス"}}.dump(), "application/json");
  if (!svc || svc->status != 201) return Fail("create service failed");
  const std::string service = std::to_string(json::parse(svc->body)["id"].get<long long>());
  auto library_bytes = ts::ReadFileBounded(library_xlsx.string(), ts::server::kMaxUploadBytes);
  auto sheet_bytes = ts::ReadFileBounded(sheet_xlsx.string(), ts::server::kMaxUploadBytes);
  if (!library_bytes.ok()) return Fail(library_bytes.status().message());
  if (!sheet_bytes.ok()) return Fail(sheet_bytes.status().message());
  auto imp = http.Post("/api/v1/services/" + service + "/checksheets?status=approved&name=library.xlsx", owner_h,
                       *library_bytes, "application/octet-stream");
  if (!imp || imp->status != 201) return Fail("library import failed: " + (imp ? imp->body : "no reply"));
  const int library_entries = json::parse(imp->body)["added"].get<int>();
  auto up = http.Post("/api/v1/files?name=customer_sheet.xlsx", owner_h, *sheet_bytes, "application/octet-stream");
  if (!up || up->status != 201) return Fail("sheet upload failed: " + (up ? up->body : "no reply"));
  const json upj = json::parse(up->body);
  const std::string file = std::to_string(upj["id"].get<long long>());
  const int sheet_items = upj["items"].get<int>();

  // One session per client (each sign-in is a real Argon2id verification).
  std::vector<Session> sessions;
  for (int i = 0; i < opt.clients; ++i) {
    auto r = http.Post("/api/v1/sign-in", json{{"email", "owner@load.example"}, {"password", kPassword}}.dump(),
                       "application/json");
    if (!r || r->status != 200) return Fail("sign-in failed: " + (r ? r->body : "no reply"));
    sessions.push_back({CookieOf(r), json::parse(r->body)["csrf_token"]});
  }
  const double setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
  std::printf("load_bench: server on 127.0.0.1:%d, library %d entries, customer sheet %d items, %d sessions "
              "(set-up %.1f s)\n",
              port, library_entries, sheet_items, opt.clients, setup_s);

  const std::string read_path = "/api/v1/services/" + service + "/entries?limit=50";
  PhaseResult read = RunPhase(port, sessions, opt.read_requests, opt.seconds,
                              [&](httplib::Client& c, const httplib::Headers& h) -> std::string {
                                auto r = c.Get(read_path, h);
                                if (!r) return "no reply (" + httplib::to_string(r.error()) + ")";
                                if (r->status != 200) return std::to_string(r->status) + " " + r->body.substr(0, 200);
                                if (r->body.find("\"entries\"") == std::string::npos) return "reply without entries";
                                return "";
                              });
  const std::string drafts_path = "/api/v1/services/" + service + "/files/" + file + "/drafts";
  PhaseResult answer = RunPhase(port, sessions, opt.answer_requests, opt.seconds,
                                [&](httplib::Client& c, const httplib::Headers& h) -> std::string {
                                  auto r = c.Get(drafts_path, h);
                                  if (!r) return "no reply (" + httplib::to_string(r.error()) + ")";
                                  if (r->status != 200) return std::to_string(r->status) + " " + r->body.substr(0, 200);
                                  const json j = json::parse(r->body, nullptr, false);
                                  int drafted = 0;
                                  if (j.is_object() && j.contains("parts")) {
                                    for (const json& part : j["parts"]) {
                                      for (const json& item : part["items"]) drafted += item.contains("draft") ? 1 : 0;
                                    }
                                  }
                                  if (drafted != sheet_items) {
                                    return "reply drafts " + std::to_string(drafted) + " of " +
                                           std::to_string(sheet_items) + " items";
                                  }
                                  return "";
                                });
  Report("read", read, opt.clients);
  Report("answer", answer, opt.clients);

  // Questionnaires: open a review-size sheet, then what the review screen and its reviewers do.
  const fs::path review_xlsx = dir / "review_sheet.xlsx";
  if (auto s = ts::bench::WriteChecksheetWorkbook(review_xlsx.string(), opt.review_rows, 3); !s.ok()) return Fail(s.message());
  auto review_bytes = ts::ReadFileBounded(review_xlsx.string(), ts::server::kMaxUploadBytes);
  if (!review_bytes.ok()) return Fail(review_bytes.status().message());
  const auto open_start = Clock::now();
  auto opened = http.Post("/api/v1/questionnaires?service=" + service + "&customer=bench&name=review_sheet.xlsx", owner_h,
                          *review_bytes, "application/octet-stream");
  const double open_ms = std::chrono::duration<double, std::milli>(Clock::now() - open_start).count();
  if (!opened || opened->status != 201) return Fail("opening a questionnaire failed: " + (opened ? opened->body : "no reply"));
  const std::string q = "/api/v1/questionnaires/" + std::to_string(json::parse(opened->body)["id"].get<long long>());
  auto listed = http.Get(q + "/items", owner_h);
  if (!listed || listed->status != 200) return Fail("listing items failed");
  std::vector<std::pair<long long, bool>> items;  // id, has a drafted answer
  const json listed_json = json::parse(listed->body);
  for (const json& it : listed_json["items"]) {
    items.emplace_back(it["id"].get<long long>(), !it["draft"]["source"].is_null());
  }
  // Reviewers: members with the reviewer role, each signed in (invitation, acceptance, sign-in).
  std::vector<Session> reviewers;
  for (int i = 0; i < opt.review_clients; ++i) {
    const std::string email = "reviewer" + std::to_string(i) + "@load.example";
    auto inv = http.Post("/api/v1/invitations", owner_h, json{{"email", email}, {"role", "reviewer"}}.dump(), "application/json");
    if (!inv || inv->status != 201) return Fail("invitation failed: " + (inv ? inv->body : "no reply"));
    auto acc = http.Post("/api/v1/invitations/accept",
                         json{{"token", json::parse(inv->body)["token"]}, {"password", kPassword}}.dump(), "application/json");
    if (!acc || acc->status != 201) return Fail("accepting the invitation failed: " + (acc ? acc->body : "no reply"));
    auto in = http.Post("/api/v1/sign-in", json{{"email", email}, {"password", kPassword}}.dump(), "application/json");
    if (!in || in->status != 200) return Fail("reviewer sign-in failed: " + (in ? in->body : "no reply"));
    reviewers.push_back({CookieOf(in), json::parse(in->body)["csrf_token"]});
  }
  PhaseResult screen = RunPhase(port, {reviewers.front()}, opt.screen_requests, opt.seconds,
                                [&](httplib::Client& c, const httplib::Headers& h) -> std::string {
                                  auto head = c.Get(q, h);
                                  if (!head || head->status != 200) return "questionnaire: no 200";
                                  auto r = c.Get(q + "/items?view=grid", h);  // as the review screen asks
                                  if (!r) return "no reply (" + httplib::to_string(r.error()) + ")";
                                  if (r->status != 200) return std::to_string(r->status) + " " + r->body.substr(0, 200);
                                  if (json::parse(r->body)["total"] != items.size()) return "not every item";
                                  return "";
                                });
  PhaseResult review = RunPhaseIndexed(
      port, reviewers, opt.review_requests, opt.seconds,
      [&](httplib::Client& c, const httplib::Headers& h, int client, int n) -> std::string {
        // Each reviewer works on its own items: every review_clients-th, from its index.
        const std::size_t mine = (items.size() + static_cast<std::size_t>(opt.review_clients) - 1 -
                                  static_cast<std::size_t>(client)) / static_cast<std::size_t>(opt.review_clients);
        if (mine == 0) return "";
        const std::size_t k = static_cast<std::size_t>(client) +
                              static_cast<std::size_t>(opt.review_clients) * (static_cast<std::size_t>(n) % mine);
        const auto& [id, drafted] = items[k];
        json body;
        switch (n % 3) {
          case 0: body = drafted ? json{{"action", "accept"}} : json{{"action", "needs_info"}}; break;
          case 1: body = {{"action", "edit"}, {"mark", "yes"}, {"remarks", "年1回見直し。\n詳細は別紙。"}}; break;
          default: body = {{"action", "reject"}}; break;
        }
        auto r = c.Post(q + "/items/" + std::to_string(id) + "/review", h, body.dump(), "application/json");
        if (!r) return "no reply (" + httplib::to_string(r.error()) + ")";
        if (r->status != 200) return std::to_string(r->status) + " " + r->body.substr(0, 200);
        return "";
      });
  std::printf("open    1 questionnaire of %zu items (parse, draft against %d entries, store): %.1f ms\n", items.size(),
              library_entries, open_ms);
  Report("screen", screen, 1);
  Report("review", review, opt.review_clients);
  const bool complete = !read.timed_out && !answer.timed_out && !screen.timed_out && !review.timed_out;
  if (read.errors + answer.errors + screen.errors + review.errors > 0) return Fail("some requests failed");
  if (!complete) return Fail("a phase hit its time limit before all requests were sent");
  return 0;
}
