#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <set>

namespace ts::catalog {
namespace {

std::set<std::string> Ids(const Catalog& c, std::string_view text) {
  std::set<std::string> out;
  for (const ConceptHit& h : c.FindConcepts(text)) out.insert(c.controls()[h.control].id);
  return out;
}

TEST(Catalog, BuiltinHasEnoughControlsWithReferences) {
  const Catalog& c = Catalog::Builtin();
  ASSERT_GE(c.controls().size(), 150u);
  std::size_t with_meti = 0;
  for (const Control& k : c.controls()) {
    EXPECT_FALSE(k.iso27001.empty()) << k.id;
    for (const std::string& iso : k.iso27001) EXPECT_TRUE(iso.starts_with("A.")) << k.id << " " << iso;
    with_meti += k.meti2013.empty() ? 0 : 1;
  }
  EXPECT_GE(with_meti, 100u);
}

TEST(Catalog, SynonymsMapToOneControl) {
  const Catalog& c = Catalog::Builtin();
  for (const char* q : {"多要素認証を利用できますか", "二段階認証に対応", "ワンタイムパスワードの利用", "MFAを必須にできる",
                        "２要素認証"}) {
    EXPECT_TRUE(Ids(c, q).contains("IAM-08")) << q;
  }
}

TEST(Catalog, LongestTermWinsAndLatinTermsStandAlone) {
  const Catalog& c = Catalog::Builtin();
  EXPECT_FALSE(Ids(c, "rapid development").contains("SLA-18"));  // "api" inside a word
  EXPECT_TRUE(Ids(c, "API連携").contains("SLA-18"));
}

TEST(Catalog, ParseErrorsNameTheLine) {
  auto r = Catalog::Parse("# comment\nX-1\tname\n", "c.tsv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "c.tsv:2: expected 7 tab-separated fields, found 2");
  auto dup = Catalog::Parse("A\tja\ten\td\tt\t\tA.5.1\nA\tja\ten\td\tt\t\tA.5.1\n", "c.tsv");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "c.tsv:2: duplicate control id A");
}

}  // namespace
}  // namespace ts::catalog
