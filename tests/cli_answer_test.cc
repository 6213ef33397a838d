// The vendor workflow through the real binary: build a library from answered sheets, draft a
// customer's blank sheet (JSON and filled copy), remember a reviewer's decision, and leave the
// input untouched.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

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
  EXPECT_NE(d1["parts"][0]["items"][0]["draft"]["confidence"], "high");
  // The reviewer picks the log-retention entry (layout3's 2.2).
  CliRun list = Run("library export --db '" + db_ + "' --service svc");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::string entry;
  const nlohmann::json exported = nlohmann::json::parse(list.out);
  for (const auto& e : exported["entries"]) {
    if (e["question"].get<std::string>().find("アクセスログ") != std::string::npos) entry = std::to_string(e["id"].get<int>());
  }
  ASSERT_FALSE(entry.empty());
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

}  // namespace
