// The documents that make promises about the code are checked against it: docs/api.yaml lists
// exactly the server's routes (and which take API tokens), and every test that
// docs/security.md cites as proof of a control exists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "server/server.h"

namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

TEST(DocsTest, ApiDescribesEveryRoute) {
  const fs::path path = fs::path(TS_SOURCE_DIR) / "docs" / "api.yaml";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " is missing";
  std::set<std::string> documented, documented_token;
  const std::regex path_line(R"(^  (/api/\S+):\s*$)");
  const std::regex method_line(R"(^    (get|post|put|delete|patch):\s*$)");
  const std::regex token_line(R"(^      x-api-token: true\s*$)");
  std::string current_path, current;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, path_line)) {
      current_path = m[1].str();
      current.clear();
    } else if (!current_path.empty() && std::regex_match(line, m, method_line)) {
      current = Upper(m[1].str()) + " " + current_path;
      EXPECT_TRUE(documented.insert(current).second) << current << " is described twice";
    } else if (!current.empty() && std::regex_match(line, token_line)) {
      documented_token.insert(current);
    } else if (!line.empty() && line[0] != ' ') {
      current_path.clear();  // left the paths section
      current.clear();
    }
  }
  std::set<std::string> routed, routed_token;
  for (const ts::server::RouteInfo& r : ts::server::Routes()) {
    const std::string key = r.method + " " + r.pattern;
    routed.insert(key);
    if (r.api_token) routed_token.insert(key);
  }
  for (const std::string& r : routed) EXPECT_TRUE(documented.count(r)) << r << " is not in docs/api.yaml";
  for (const std::string& d : documented) EXPECT_TRUE(routed.count(d)) << d << " is in docs/api.yaml but not routed";
  EXPECT_EQ(documented_token, routed_token) << "x-api-token marks differ from the routes that accept API tokens";
  EXPECT_GE(routed.size(), 40u);
}

TEST(DocsTest, SecurityTableNamesOnlyExistingTests) {
  const fs::path root(TS_SOURCE_DIR);
  // Every TEST/TEST_F defined in the repository, as Suite.Name, and every suite.
  std::set<std::string> tests, suites;
  const std::regex def(R"(TEST(?:_F|_P)?\(\s*([A-Za-z0-9_]+)\s*,\s*([A-Za-z0-9_]+)\s*\))");
  for (const char* dir : {"src", "tests"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".cc") continue;
      const std::string text = ReadFile(e.path());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), def); it != std::sregex_iterator(); ++it) {
        tests.insert((*it)[1].str() + "." + (*it)[2].str());
        suites.insert((*it)[1].str());
      }
    }
  }
  const std::string doc = ReadFile(root / "docs" / "security.md");
  ASSERT_FALSE(doc.empty());
  const std::regex cited(R"(`([A-Z][A-Za-z0-9]+)\.([A-Z][A-Za-z0-9]+|\*)`)");
  int count = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), cited); it != std::sregex_iterator(); ++it) {
    const std::string suite = (*it)[1].str(), name = (*it)[2].str();
    if (name == "*") {
      EXPECT_TRUE(suites.count(suite)) << "docs/security.md cites suite " << suite << ", which has no tests";
    } else {
      EXPECT_TRUE(tests.count(suite + "." + name)) << "docs/security.md cites " << suite << "." << name
                                                   << ", which does not exist";
    }
    ++count;
  }
  EXPECT_GE(count, 30) << "docs/security.md cites fewer tests than expected: was the table lost?";
}

}  // namespace
