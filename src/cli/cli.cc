#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

#include "base/status.h"
#include "cli/commands.h"
#include "cli/table_print.h"
#include "ingest/import.h"
#include "sheet/sheet_json.h"

namespace ts::cli {
namespace {

int RunImport(const std::string& file, const std::string& format_name, bool json) {
  ingest::ImportOptions opts;
  auto format = ingest::FormatFromName(format_name);
  if (!format) {
    std::cerr << "trustsheet import: unknown --format '" << format_name << "' (auto, text, pdf, xlsx, docx, csv)\n";
    return kExitUsage;
  }
  opts.format = *format;
  if (json) {
    // Each item is written as it is read: a sheet of any size is never held whole. Nothing is
    // written before the first item, so a file that fails leaves no half document behind.
    sheet::Checksheet doc;
    sheet::JsonWriter writer(&std::cout, /*pretty=*/true, &doc);
    Status s = ingest::ImportFileTo(file, opts, &writer, &doc);
    if (s.ok()) s = writer.End();
    return s.ok() ? kExitOk : Fail("import", s);
  }
  Result<sheet::Checksheet> r = ingest::ImportFile(file, opts);
  if (!r.ok()) return Fail("import", r.status());
  std::cout << RenderTable(*r);
  return kExitOk;
}

int RunArgs(std::vector<std::string> args);

int RunDemo(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::cerr << "trustsheet demo: " << dir << ": no such directory\n";
    return kExitFailure;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::cout << "trustsheet demo: importing the bundled sample checksheets from " << dir << "\n\n";
  std::cout << FitToWidth("file", 34) << " " << FitToWidth("format", 6) << " " << FitToWidth("parts", 5) << " "
            << FitToWidth("items", 5) << " answers\n";
  int failures = 0;
  for (const fs::path& f : files) {
    Result<sheet::Checksheet> r = ingest::ImportFile(f.string());
    if (!r.ok()) {
      std::cout << FitToWidth(f.filename().string(), 34) << " error: " << r.status().message() << "\n";
      ++failures;
      continue;
    }
    std::cout << FitToWidth(f.filename().string(), 34) << " " << FitToWidth(r->format, 6) << " "
              << FitToWidth(std::to_string(r->parts.size()), 5) << " " << FitToWidth(std::to_string(r->ItemCount()), 5)
              << " " << SummarizeMarks(*r) << "\n";
  }
  std::cout << "\nSee one in full:  scripts/run import " << dir << "/<file> [--json]\n";
  if (failures != 0) return kExitFailure;
  // The vendor workflow on the same samples: a library from the answered sheets, then drafts
  // for the blank customer sheets beside them.
  const fs::path blank_dir = fs::path(dir).parent_path() / "blank";
  if (!fs::is_directory(blank_dir, ec)) return kExitOk;
  const fs::path tmp = fs::temp_directory_path() / ("trustsheet_demo_" + std::to_string(::getpid()));
  fs::create_directories(tmp, ec);
  const std::string db = (tmp / "library.db").string();
  std::cout << "\nAnswer library (demo, in " << db << "):\n";
  std::vector<std::string> args_add;
  int rc = kExitOk;
  for (const fs::path& f : files) {
    std::vector<std::string> argv_s = {"trustsheet", "library", "add", f.string(), "--db", db, "--service", "デモサービス"};
    rc = RunArgs(argv_s);
    if (rc != kExitOk) break;
  }
  std::vector<fs::path> blanks;
  for (const auto& e : fs::directory_iterator(blank_dir, ec)) {
    if (e.is_regular_file()) blanks.push_back(e.path());
  }
  std::sort(blanks.begin(), blanks.end());
  for (const fs::path& b : blanks) {
    if (rc != kExitOk) break;
    std::cout << "\nDrafts for the blank customer sheet " << b.filename().string() << ":\n";
    rc = RunArgs({"trustsheet", "answer", b.string(), "--db", db, "--service", "デモサービス"});
  }
  fs::remove_all(tmp, ec);
  std::cout << "\nTry it on your own sheet:  scripts/run answer SHEET.xlsx --db lib.db --service NAME -o answered.xlsx\n";
  return rc;
}

// The command words of `argv` name subcommands that exist: "trustsheet frobnicate" is an
// unknown command (exit 2 with the list of commands), not CLI11's "A subcommand is required".
// Options end the walk; CLI11 judges them.
int CheckCommandWords(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  std::string path = "trustsheet";
  for (int i = 1; level->get_require_subcommand_min() > 0; ++i) {
    const std::string word = i < argc ? argv[i] : "";
    if (!word.empty() && word[0] == '-') break;
    const CLI::App* next = nullptr;
    std::string names;
    for (const CLI::App* sub : level->get_subcommands([](const CLI::App*) { return true; })) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
      if (!word.empty() && sub->check_name(word)) next = sub;
    }
    if (next == nullptr) {
      std::cerr << path << ": " << (word.empty() ? "missing command" : "unknown command '" + word + "'")
                << "\ncommands: " << names << "\n";
      return kExitUsage;
    }
    level = next;
    path += " " + next->get_name();
  }
  return kExitOk;
}

// Runs the command line `args` (args[0] is the program name) through Run.
int RunArgs(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return Run(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

int Fail(std::string_view command, const Status& s) {
  std::cerr << "trustsheet " << command << ": " << s.message() << "\n";
  return s.code() == ErrorCode::kInvalidArgument && s.message().rfind("usage:", 0) == 0 ? kExitUsage : kExitFailure;
}

int Run(int argc, char** argv) {
  CLI::App app{"trustsheet: security checksheets (セキュリティチェックシート) for vendors and customers"};
  app.set_version_flag("--version", std::string("trustsheet ") + TS_VERSION);
  app.require_subcommand(1);

  std::string import_file, import_format = "auto";
  bool import_json = false;
  CLI::App* import = app.add_subcommand("import", "Read a checksheet (text, PDF, XLSX, CSV) and print its items");
  import->add_option("FILE", import_file, "the checksheet file")->required();
  import->add_option("--format", import_format, "auto (default), text, pdf, xlsx, docx or csv");
  import->add_flag("--json", import_json, "print the model as JSON (see docs/checksheet-json.md)");

  std::string demo_dir = "tests/data/samples";
  CLI::App* demo = app.add_subcommand("demo", "Import the bundled sample checksheets and print a summary");
  demo->add_option("--data", demo_dir, "folder of sample checksheets");

  std::vector<Command> commands;
  AddLibraryCommands(app, &commands);
  AddAnswerCommand(app, &commands);
  AddServerCommands(app, &commands);
  AddAssessCommand(app, &commands);

  if (int rc = CheckCommandWords(app, argc, argv); rc != kExitOk) return rc;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and usage hint to stderr
    return kExitUsage;
  }
  try {
    if (*import) return RunImport(import_file, import_format, import_json);
    if (*demo) return RunDemo(demo_dir);
    for (const Command& c : commands) {
      if (c.app->parsed()) return c.run();
    }
  } catch (const std::exception& e) {
    std::cerr << "trustsheet: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitUsage;
}

}  // namespace ts::cli
