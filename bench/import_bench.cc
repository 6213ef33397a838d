// Import benchmark: time and peak memory of `trustsheet import` on a generated 2,000-row
// workbook and on the corpus seeds and PDFs (when ../shared/corpus is present), beside the time
// and memory xlsx2csv (Debian) takes to merely convert the same workbook. The workbook is read
// two ways: streamed as `import --json` writes it (each item written as it is read, to
// /dev/null), and whole into the model as the service keeps it. Every figure comes from this
// one run. Each input is measured in its own child process so peak RSS belongs to that input.
//
//   import_bench [--rows N] [--repeat N] [--corpus DIR]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bench/workbook_gen.h"
#include "ingest/import.h"
#include "sheet/sheet_json.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Figures {
  bool ok = false;
  std::string error;
  std::size_t items = 0;
  std::vector<double> ms;  // one per repetition
  long peak_kb = 0;        // child's peak resident set
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Runs `work` in a child process; it writes its figures back through a pipe.
template <typename Work>
Figures InChild(Work work) {
  int fds[2];
  if (pipe(fds) != 0) return {false, "pipe failed", 0, {}, 0};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Figures f = work();
    std::string out = (f.ok ? "ok " : "err ") + std::to_string(f.items);
    for (double m : f.ms) out += " " + std::to_string(m);
    out += "\n" + f.error;
    ssize_t n = write(fds[1], out.data(), out.size());
    _exit(n == static_cast<ssize_t>(out.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string in;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) in.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Figures f;
  f.peak_kb = ru.ru_maxrss;
  std::size_t nl = in.find('\n');
  std::string head = in.substr(0, nl);
  f.error = nl == std::string::npos ? "child failed" : in.substr(nl + 1);
  f.ok = head.rfind("ok ", 0) == 0;
  std::size_t pos = head.find(' ');
  if (pos != std::string::npos) {
    std::size_t next = head.find(' ', pos + 1);
    f.items = std::stoul(head.substr(pos + 1, next - pos - 1));
    while (next != std::string::npos) {
      pos = next;
      next = head.find(' ', pos + 1);
      f.ms.push_back(std::stod(head.substr(pos + 1, next - pos - 1)));
    }
  }
  return f;
}

// `trustsheet import --json FILE > /dev/null`: the items stream through the JSON writer.
Figures MeasureStreamed(const std::string& path, int repeat) {
  return InChild([&] {
    Figures f;
    std::ofstream null("/dev/null");
    for (int i = 0; i < repeat; ++i) {
      auto t0 = Clock::now();
      ts::sheet::Checksheet doc;
      ts::sheet::JsonWriter writer(&null, /*pretty=*/true, &doc);
      ts::Status s = ts::ingest::ImportFileTo(path, {}, &writer, &doc);
      if (s.ok()) s = writer.End();
      f.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (!s.ok()) {
        f.error = s.message();
        return f;
      }
      f.items = writer.items();
    }
    f.ok = true;
    return f;
  });
}

Figures MeasureImport(const std::string& path, int repeat) {
  return InChild([&] {
    Figures f;
    for (int i = 0; i < repeat; ++i) {
      auto t0 = Clock::now();
      auto cs = ts::ingest::ImportFile(path);
      f.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (!cs.ok()) {
        f.error = cs.status().message();
        return f;
      }
      f.items = cs->ItemCount();
    }
    f.ok = true;
    return f;
  });
}

// Wall time of running a command to completion and its peak RSS in KB (of the command and
// what it runs), or a negative time if it cannot run.
double RunMs(const std::vector<std::string>& argv, long* peak_kb) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  auto t0 = Clock::now();
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  *peak_kb = std::max(*peak_kb, ru.ru_maxrss);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

void Row(const std::string& name, const Figures& f, long baseline_kb) {
  if (!f.ok) {
    std::printf("%-44s  FAILED: %s\n", name.c_str(), f.error.c_str());
    return;
  }
  double mn = *std::min_element(f.ms.begin(), f.ms.end());
  std::printf("%-44s %6zu %9.2f %9.2f %9.1f %9.1f\n", name.c_str(), f.items, Median(f.ms), mn,
              static_cast<double>(f.peak_kb) / 1024.0, static_cast<double>(f.peak_kb - baseline_kb) / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 2000, repeat = 20;
  fs::path corpus = fs::path(TS_SOURCE_DIR) / ".." / "shared" / "corpus";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) {
      rows = std::stoi(argv[++i]);
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::stoi(argv[++i]));
    } else if (a == "--corpus" && i + 1 < argc) {
      corpus = argv[++i];
    } else {
      std::cerr << "usage: import_bench [--rows N] [--repeat N] [--corpus DIR]\n";
      return 2;
    }
  }
  const fs::path dir = fs::temp_directory_path() / ("ts_bench_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path book = dir / ("checksheet_" + std::to_string(rows) + ".xlsx");
  if (ts::Status s = ts::bench::WriteChecksheetWorkbook(book.string(), rows, 2026); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  const long baseline = InChild([] { return Figures{true, "", 0, {0.0}, 0}; }).peak_kb;
  std::printf("import benchmark: %d repetitions per input (median and best), peak RSS of a child process\n"
              "(and above an idle child's %.1f MB)\n\n",
              repeat, static_cast<double>(baseline) / 1024.0);
  std::printf("%-44s %6s %9s %9s %9s %9s\n", "input", "items", "med ms", "best ms", "peak MB", "+MB");
  std::printf("generated workbook, %d rows (%ju KB):\n", rows, static_cast<std::uintmax_t>(fs::file_size(book) / 1024));
  Figures wb = MeasureStreamed(book.string(), repeat);
  Row("  import --json, streamed to /dev/null", wb, baseline);
  Figures held = MeasureImport(book.string(), repeat);
  Row("  import into the model, held whole", held, baseline);
  for (const Figures* f : {&wb, &held}) {
    if (f->ok && f->items != static_cast<std::size_t>(rows)) {
      std::printf("  WARNING: expected %d items, imported %zu\n", rows, f->items);
    }
  }
  const char* corpus_files[] = {"seeds/002_ade5a688148bdfbd.txt", "seeds/003_294ac525af549ce9.txt",
                                "seeds/004_7ccdf125775a5fc3.txt", "pdf/meti_system_safety_standard_1997.pdf",
                                "pdf/meti_cloudsec2013_guideline.pdf"};
  if (fs::exists(corpus)) {
    for (const char* f : corpus_files) {
      fs::path p = corpus / f;
      if (fs::exists(p)) Row(f, MeasureImport(p.string(), std::max(1, repeat / 4)), baseline);
    }
  } else {
    std::printf("(corpus not found at %s: seeds skipped)\n", corpus.string().c_str());
  }
  std::vector<double> x2c;
  long x2c_kb = 0;
  for (int i = 0; i < 3; ++i) {
    double ms = RunMs({"xlsx2csv", book.string(), (dir / "out.csv").string()}, &x2c_kb);
    if (ms < 0) break;
    x2c.push_back(ms);
  }
  std::printf("\n");
  if (x2c.empty()) {
    std::printf("xlsx2csv: not installed or failed (apt-get install xlsx2csv)\n");
  } else {
    std::printf("xlsx2csv on the same workbook (conversion only, Python start-up included): median %.1f ms, "
                "peak %.1f MB\n", Median(x2c), static_cast<double>(x2c_kb) / 1024.0);
  }
  if (wb.ok && rows >= 100000) {
    const double mb = static_cast<double>(wb.peak_kb) / 1024.0;
    std::printf("target: streamed import of %d rows peaks under 60 MB: %s (%.1f MB)\n", rows,
                mb < 60.0 ? "met" : "NOT met", mb);
  } else if (wb.ok) {
    std::printf("target: import of %d rows under 100 ms: %s (median %.2f ms)\n", rows,
                Median(wb.ms) < 100.0 ? "met" : "NOT met", Median(wb.ms));
  }
  if (!std::getenv("TS_BENCH_KEEP")) fs::remove_all(dir);
  return wb.ok ? 0 : 1;
}
