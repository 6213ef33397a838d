// The vendor workflow through the real binary: build a library from answered sheets, draft a
// customer's blank sheet (JSON and filled copy), remember a reviewer's decision, and leave the
// input untouched; the tables and messages a new user reads; scripts/run from another folder.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code;
  std::string out, err;
};

class CliAnswer : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ts_cli_answer_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "lib.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  CliRun Run(const std::string& args) {
    const std::string bin = std::string(TS_BINARY_DIR) + "/apps/trustsheet/trustsheet";
    const fs::path out = dir_ / "out.txt", err = dir_ / "err.txt";
    std::string cmd = "timeout 120 " + bin + " " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
    int st = std::system(cmd.c_str());
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, Slurp(out), Slurp(err)};
  }
  static std::string Data(const std::string& rel) { return std::string(TS_SOURCE_DIR) + "/tests/data/" + rel; }
  void AddLibrary() {
    for (const char* f : {"samples/layout1_title_rows.xlsx", "samples/layout3_section_rows.xlsx"}) {
      CliRun r = Run("library add '" + Data(f) + "' --db '" + db_ + "' --service svc");
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  fs::path dir_;
  std::string db_;
};

TEST_F(CliAnswer, DraftsJsonAndWritesACopyLeavingTheInputAlone) {
  AddLibrary();
  const std::string input = Data("blank/blank_layout3_header_vocabulary.xlsx");
  const std::string before = Slurp(input);
  CliRun j = Run("answer '" + input + "' --db '" + db_ + "' --service svc --json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  nlohmann::json doc = nlohmann::json::parse(j.out);
  const auto& items = doc["parts"][0]["items"];
  ASSERT_EQ(items.size(), 7u);
  EXPECT_EQ(items[0]["draft"]["text"], "有");  // the sheet's own vocabulary (header 回答(有/無/対象外))
  EXPECT_EQ(items[0]["draft"]["confidence"], "high");
  EXPECT_FALSE(items[0]["draft"]["source"]["entry"].get<std::string>().empty());
  EXPECT_EQ(items[0]["draft"]["source"]["document"], "layout3_section_rows");
  EXPECT_FALSE(items[0]["draft"]["why"].empty());
  EXPECT_EQ(doc["drafts"]["high"].get<int>() + doc["drafts"]["medium"].get<int>() + doc["drafts"]["low"].get<int>() +
                doc["drafts"]["none"].get<int>(),
            7);
  const std::string out = (dir_ / "answered.xlsx").string();
  CliRun o = Run("answer '" + input + "' --db '" + db_ + "' --service svc -o '" + out + "'");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("wrote"), std::string::npos);
  EXPECT_EQ(Slurp(input), before);  // the input is never modified
  CliRun back = Run("import --json '" + out + "'");
  ASSERT_EQ(back.exit_code, 0) << back.err;
  nlohmann::json filled = nlohmann::json::parse(back.out);
  EXPECT_EQ(filled["parts"][0]["items"][0]["answer"]["text"], "有");
  EXPECT_EQ(filled["parts"][0]["items"][3]["answer"]["text"], "無");
}

TEST_F(CliAnswer, UnknownServiceAndSameOutputAreClearErrors) {
  AddLibrary();
  const std::string input = Data("blank/blank_layout3_header_vocabulary.xlsx");
  CliRun r = Run("answer '" + input + "' --db '" + db_ + "' --service nosuch");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("service 'nosuch'"), std::string::npos) << r.err;
  CliRun same = Run("answer '" + input + "' --db '" + db_ + "' --service svc -o '" + input + "'");
  EXPECT_EQ(same.exit_code, 2);
  CliRun level = Run("answer '" + input + "' --db '" + db_ + "' --service svc --min-confidence sure");
  EXPECT_EQ(level.exit_code, 2);
}

TEST_F(CliAnswer, ReviewerDecisionIsRememberedWithHighConfidence) {
  AddLibrary();
  // A customer question in words the library does not use.
  std::ofstream(dir_ / "q.csv") << "No,質問,回答\n1,監査証跡の保存期間を教えてください,\n";
  const std::string sheet = (dir_ / "q.csv").string();
  CliRun first = Run("answer '" + sheet + "' --db '" + db_ + "' --service svc --json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  nlohmann::json d1 = nlohmann::json::parse(first.out);
  const nlohmann::json& draft1 = d1["parts"][0]["items"][0]["draft"];
  const std::string matcher_pick = draft1["source"].value("entry", "");
  // The reviewer picks another entry than the matcher did: the log-retention entry (layout3's
  // 2.2) unless the matcher already chose it, then any other.
  CliRun list = Run("library export --db '" + db_ + "' --service svc");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::string entry, other;
  const nlohmann::json exported = nlohmann::json::parse(list.out);
  for (const auto& e : exported["entries"]) {
    const std::string id = std::to_string(e["id"].get<int>());
    if (e["question"].get<std::string>().find("アクセスログ") != std::string::npos) entry = id;
    if (other.empty() && id != matcher_pick && e["question"].get<std::string>().find("アクセスログ") == std::string::npos) {
      other = id;
    }
  }
  ASSERT_FALSE(entry.empty());
  if (entry == matcher_pick) entry = other;
  ASSERT_NE(entry, matcher_pick);
  std::ofstream(dir_ / "decisions.json") << R"([{"item": "p1/1", "entry": )" << entry << R"(, "accepted": true}])";
  CliRun second = Run("answer '" + sheet + "' --db '" + db_ + "' --service svc --json --decisions '" +
                      (dir_ / "decisions.json").string() + "'");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  nlohmann::json d2 = nlohmann::json::parse(second.out);
  EXPECT_EQ(d2["parts"][0]["items"][0]["draft"]["confidence"], "high");
  EXPECT_EQ(d2["parts"][0]["items"][0]["draft"]["source"]["entry"], entry);
  // And again without the file: the decision is in the library now.
  CliRun third = Run("answer '" + sheet + "' --db '" + db_ + "' --service svc --json");
  EXPECT_EQ(nlohmann::json::parse(third.out)["parts"][0]["items"][0]["draft"]["confidence"], "high");
}

TEST_F(CliAnswer, ConflictsAreMarksThatDisagreeAndShowBothRemarks) {
  // 有 and ◯ are one answer: not a conflict. 有 and 無 are.
  std::ofstream(dir_ / "a.csv") << "No,質問,回答,備考\n1,保存データを暗号化していますか,有,AES-256で暗号化\n";
  std::ofstream(dir_ / "b.csv") << "No,質問,回答,備考\n1,保存データを暗号化していますか,◯,全データを暗号化\n";
  std::ofstream(dir_ / "c.csv") << "No,質問,回答,備考\n1,保存データを暗号化していますか,無,対応予定なし\n";
  for (const char* f : {"a.csv", "b.csv"}) {
    ASSERT_EQ(Run("library add '" + (dir_ / f).string() + "' --db '" + db_ + "' --service svc").exit_code, 0);
  }
  nlohmann::json two = nlohmann::json::parse(Run("library conflicts --json --db '" + db_ + "' --service svc").out);
  ASSERT_EQ(two.size(), 1u);
  EXPECT_EQ(two[0]["kind"], "duplicate");
  ASSERT_EQ(Run("library add '" + (dir_ / "c.csv").string() + "' --db '" + db_ + "' --service svc").exit_code, 0);
  CliRun three = Run("library conflicts --db '" + db_ + "' --service svc");
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_NE(three.out.find("1 duplicates, 2 conflicts in 3 entries"), std::string::npos) << three.out;
  EXPECT_TRUE(three.out.starts_with("conflict")) << three.out;  // conflicts first
  EXPECT_NE(three.out.find(" remarks: 対応予定なし\n"), std::string::npos) << three.out;
  EXPECT_NE(three.out.find(" remarks: AES-256で暗号化\n"), std::string::npos) << three.out;
}

TEST_F(CliAnswer, LibraryExportCsvAndShowHistory) {
  AddLibrary();
  CliRun again = Run("library add '" + Data("samples/layout1_title_rows.xlsx") + "' --db '" + db_ + "' --service svc");
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("(version 2): 0 added, 0 updated, 8 unchanged"), std::string::npos) << again.out;
  CliRun csv = Run("library export --db '" + db_ + "' --service svc --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_TRUE(csv.out.starts_with("\xEF\xBB\xBFid,service,"));
  CliRun show = Run("library show 1 --db '" + db_ + "'");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out)["history"].size(), 1u);
}

// Lines of `text`, without their newlines.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The table used the sheet's own numbers, Japanese words for a Japanese sheet and the sheet's
// marks (it printed "No. Answer Question" and "yes ○" for every sheet).
TEST_F(CliAnswer, ImportTableOfAJapaneseSheetIsInJapaneseWithTheSheetsMarks) {
  CliRun r = Run("import '" + Data("samples/sample_cp932.csv") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, Data("samples/sample_cp932.csv") + " (csv): 1 パート, 4 項目; 回答: ○ 3, × (予定) 1\n"
                   "\n"
                   "== p1  (4 項目)\n"
                   "番号 回答     質問                                                         備考\n"
                   "1    ○        個人情報の取扱いに関する規程がありますか。\n"
                   "2    × (予定) 委託先の選定基準を定めていますか。                           次年度に策定予定です。\n"
                   "3    ○        情報漏えい時の対応手順がありますか。                         手順書を整備し、年1回訓練しています。\n"
                   "4    ○        ウェブサイトはHTTPSのみで提供していますか。                  HTTP, \"リダイレクト\"あり\n");
}

TEST_F(CliAnswer, ImportTableOfAnEnglishSheetIsInEnglish) {
  CliRun r = Run("import '" + Data("samples/layout5_english.xlsx") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], Data("samples/layout5_english.xlsx") + " (xlsx): 1 part, 6 items; answers: Yes 4, No 1, N/A 1");
  EXPECT_EQ(lines[3], "No.    Answer Question                                                     Remarks");
  EXPECT_EQ(lines[5],
            "IAM-01 Yes    Do you support single sign-on with SAML 2.0?                 Okta and Entra ID are tested.");
}

TEST_F(CliAnswer, AnswerTableShowsTheSheetsNumbersInItsLanguageAndEndsWithASummary) {
  AddLibrary();
  const std::string sheet = Data("blank/blank_layout3_header_vocabulary.xlsx");
  CliRun r = Run("answer '" + sheet + "' --db '" + db_ + "' --service svc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 9u) << r.out;  // header, 7 items, summary
  EXPECT_TRUE(std::regex_match(lines[0], std::regex("番号 +信頼度 +回答 +質問 +出典"))) << lines[0];
  const char* numbers[] = {"1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2"};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(lines[1 + i].substr(0, 5), std::string(numbers[i]) + "  ") << lines[1 + i];
  EXPECT_TRUE(std::regex_match(lines[1], std::regex("1\\.1 +高 +有 +情報セキュリティの責任者を任命していますか。 +#[0-9]+ "
                                                    "layout3_section_rows")))
      << lines[1];
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[8], m, std::regex("7 項目: 高 ([0-9]+) / 中 ([0-9]+) / 低 ([0-9]+) / なし ([0-9]+)")))
      << lines[8];
  EXPECT_EQ(std::stoi(m[1]) + std::stoi(m[2]) + std::stoi(m[3]) + std::stoi(m[4]), 7);
}

TEST_F(CliAnswer, AnswerTableOfAnEnglishSheetIsInEnglish) {
  CliRun add = Run("library add '" + Data("samples/layout5_english.xlsx") + "' --db '" + db_ + "' --service svc");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  std::ofstream(dir_ / "q.csv") << "No,Question,Answer\nQ-7,Are audit logs retained for at least one year?,\n";
  CliRun r = Run("answer '" + (dir_ / "q.csv").string() + "' --db '" + db_ + "' --service svc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_TRUE(std::regex_match(lines[0], std::regex("No\\. +Confidence +Answer +Question +Source"))) << lines[0];
  EXPECT_TRUE(std::regex_match(lines[1], std::regex("Q-7 +[a-z]+ +.*Are audit logs retained for at least one year.*")))
      << lines[1];
  EXPECT_TRUE(std::regex_match(lines[2], std::regex("1 item: high [01], medium [01], low [01], none [01]")))
      << lines[2];
}

// `answer -o` printed a line per held-back item on stderr: thousands for a large sheet.
TEST_F(CliAnswer, OutputIsReportedInOneLineAndHeldBackItemsOnlyWithVerbose) {
  AddLibrary();
  std::ofstream(dir_ / "q.csv") << "No,質問,回答\n"
                                   "1,情報セキュリティの責任者を任命していますか。,\n"
                                   "2,社員食堂の営業時間を教えてください。,\n"
                                   "3,駐車場の台数は何台ですか。,\n";
  const std::string sheet = (dir_ / "q.csv").string(), out = (dir_ / "answered.csv").string();
  const std::string args =
      "answer '" + sheet + "' --db '" + db_ + "' --service svc --min-confidence high -o '" + out + "'";
  CliRun r = Run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "wrote " + out +
                       ": 1 answer, 0 remarks; 2 items held back below --min-confidence high (left blank); "
                       "--verbose lists them\n");
  CliRun v = Run(args + " --verbose");
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const std::vector<std::string> lines = Lines(v.err);
  ASSERT_EQ(lines.size(), 3u) << v.err;
  EXPECT_EQ(lines[0],
            "wrote " + out + ": 1 answer, 0 remarks; 2 items held back below --min-confidence high (left blank)");
  EXPECT_TRUE(std::regex_match(lines[1], std::regex("  held back: 2 \\((low|medium|none)\\) 社員食堂の営業時間を教えてください。")))
      << lines[1];
  EXPECT_TRUE(std::regex_match(lines[2], std::regex("  held back: 3 \\((low|medium|none)\\) 駐車場の台数は何台ですか。")))
      << lines[2];
}

// A mistyped --db made a new empty database and answered "service has no library yet".
TEST_F(CliAnswer, ReadingCommandsRefuseADatabaseThatDoesNotExist) {
  const std::string missing = (dir_ / "nosuch.db").string();
  const std::string sheet = Data("blank/blank_layout3_header_vocabulary.xlsx");
  const std::pair<std::string, std::string> commands[] = {
      {"library list", "library list"},
      {"library show 1", "library show"},
      {"library export --service svc", "library export"},
      {"library conflicts --service svc", "library conflicts"},
      {"library decide --service svc --question q --entry 1 --accept", "library decide"},
      {"answer '" + sheet + "' --service svc", "answer"},
  };
  for (const auto& [args, name] : commands) {
    CliRun r = Run(args + " --db '" + missing + "'");
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(r.err, "trustsheet " + name + ": no library database at '" + missing +
                         "' (create one with 'trustsheet library add')\n");
    EXPECT_FALSE(fs::exists(missing)) << args << " created " << missing;
  }
  const std::string answered = Data("samples/layout1_title_rows.xlsx");
  CliRun add = Run("library add '" + answered + "' --db '" + missing + "' --service svc");
  EXPECT_EQ(add.exit_code, 0) << add.err;
  EXPECT_TRUE(fs::exists(missing));
}

TEST_F(CliAnswer, UnknownServiceListsTheServicesThereAre) {
  for (const auto& [file, service] : {std::pair{"samples/layout1_title_rows.xlsx", "経費クラウド"},
                                      std::pair{"samples/layout3_section_rows.xlsx", "勤怠クラウド"}}) {
    ASSERT_EQ(Run("library add '" + Data(file) + "' --db '" + db_ + "' --service " + service).exit_code, 0);
  }
  CliRun r = Run("answer '" + Data("blank/blank_layout3_header_vocabulary.xlsx") + "' --db '" + db_ + "' --service X");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "trustsheet answer: no service 'X' in " + db_ + "; services: 勤怠クラウド, 経費クラウド\n");
  CliRun list = Run("library list --db '" + db_ + "' --service X");
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_EQ(list.err, "trustsheet library list: no service 'X' in " + db_ + "; services: 勤怠クラウド, 経費クラウド\n");
}

// scripts/run cd'ed into the repository to build and ran trustsheet there, so a relative path
// given from any other folder ("scripts/run import mysheet.csv") was not found.
TEST(ScriptsRun, RelativePathsAreTheCallersAfterTheBuild) {
  const fs::path source(TS_SOURCE_DIR), build(TS_BINARY_DIR);
  // scripts/run builds build/$TS_PRESET; run it only for a build folder of that shape.
  if (build.parent_path() != source / "build") GTEST_SKIP() << build << " is not build/<preset>";
  const fs::path dir = fs::temp_directory_path() / ("ts_scripts_run_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  fs::copy_file(source / "tests/data/samples/sample_cp932.csv", dir / "mysheet.csv");
  auto run = [&](const fs::path& cwd, const std::string& args) {
    const std::string cmd = "cd '" + cwd.string() + "' && TS_PRESET='" + build.filename().string() + "' timeout 600 '" +
                            (source / "scripts/run").string() + "' " + args + " >'" + (dir / "out.txt").string() +
                            "' 2>'" + (dir / "err.txt").string() + "'";
    const int st = std::system(cmd.c_str());
    std::ifstream out(dir / "out.txt"), err(dir / "err.txt");
    return CliRun{WIFEXITED(st) ? WEXITSTATUS(st) : -1, std::string(std::istreambuf_iterator<char>(out), {}),
                  std::string(std::istreambuf_iterator<char>(err), {})};
  };
  CliRun here = run(dir, "import mysheet.csv");
  EXPECT_EQ(here.exit_code, 0) << here.err;
  EXPECT_EQ(here.out.rfind("mysheet.csv (csv): ", 0), 0u) << here.out;
  CliRun up = run(dir / "sub", "library add ../mysheet.csv --db lib.db --service s");
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_TRUE(fs::exists(dir / "sub" / "lib.db"));  // written where the caller stands
  fs::remove_all(dir);
}

}  // namespace
