#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "text/normalize.h"

namespace ts::catalog {
namespace {

std::set<std::string> Ids(const Catalog& c, std::string_view text) {
  std::set<std::string> out;
  for (const ConceptHit& h : c.FindConcepts(text)) out.insert(c.controls()[h.control].id);
  return out;
}

// A small catalog for the pattern rules, independent of the bundled data.
const Catalog& PatternCatalog() {
  static const Catalog cat = [] {
    auto r = Catalog::Parse(
        "TIME\t時刻同期\tClock "
        "sync\td\t時刻同期|時刻+同期;合わせ|clock;time+synchroni;sync\t\tA.8.17\n"
        "REST\t保存データの暗号化\tEncryption at "
        "rest\td\t暗号化;暗号;encrypt+保存;保管;格納;rest;stored\t\tA.8.24\n"
        "MFA\t多要素認証\tMFA\td\t多要素認証\t\tA.8.5\n"
        "AUTH\t認証\tAuthentication\td\t認証\t\tA.8.5\n",
        "p.tsv");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *std::move(r) : Catalog();
  }();
  return cat;
}

TEST(CatalogPattern, FiresWhenEveryElementIsInOneClause) {
  const Catalog& c = PatternCatalog();
  EXPECT_EQ(Ids(c, "正確な時刻源と同期させること。"), (std::set<std::string>{"TIME"}));
  const std::vector<ConceptHit> hits =
      c.FindConcepts("サーバの時刻は外部の時刻源と同期していますか");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].term, "時刻+同期;合わせ");  // the pattern as written
  // Elements in any order, with 、 and commas between them.
  EXPECT_TRUE(Ids(c, "同期の方法、および時刻の精度").contains("TIME"));
}

TEST(CatalogPattern, DoesNotReachAcrossClauses) {
  const Catalog& c = PatternCatalog();
  for (const char* q : {"時刻を記録する。同期は行わない", "時刻を記録する．同期は行わない",
                        "時刻は?同期は?", "時刻を記録する\n同期は行わない",
                        "時刻を記録する；同期は行わない", "Record the time. Sync later"}) {
    EXPECT_FALSE(Ids(c, q).contains("TIME")) << q;
  }
  EXPECT_TRUE(Ids(c, "時刻を記録し、同期する").contains("TIME"));  // 、 does not end a clause
  EXPECT_TRUE(
      Ids(c, "Time is taken from TLS1.2 servers and synced").contains("TIME"));  // nor "1.2"
}

TEST(CatalogPattern, AlternativesOfAnElement) {
  const Catalog& c = PatternCatalog();
  for (const char* q : {"保存データを暗号化していますか", "格納時に暗号で保護",
                        "保管する際の暗号化", "時刻を合わせる"}) {
    EXPECT_FALSE(Ids(c, q).empty()) << q;
  }
  EXPECT_TRUE(Ids(c, "データを保管していますか").empty());  // one element is not enough
}

TEST(CatalogPattern, AsciiAlternativesStartAWord) {
  const Catalog& c = PatternCatalog();
  EXPECT_TRUE(
      Ids(c, "Is data encrypted at rest?").contains("REST"));  // "encrypt" begins "encrypted"
  EXPECT_TRUE(Ids(c, "Is customer data stored ENCRYPTED?").contains("REST"));
  EXPECT_FALSE(Ids(c, "We encrypt the interest rate table")
                   .contains("REST"));  // no "rest" inside "interest"
  EXPECT_FALSE(Ids(c, "Data is preencrypted when restored").contains("REST"));
  EXPECT_TRUE(Ids(c, "ＥＮＣＲＹＰＴＩＯＮ　ＡＴ　ＲＥＳＴ").contains("REST"));  // NFKC, lower case
}

TEST(CatalogPattern, EnglishQuestions) {
  const Catalog& c = PatternCatalog();
  EXPECT_TRUE(
      Ids(c, "Are system clocks synchronized to an authoritative time source?").contains("TIME"));
  EXPECT_TRUE(Ids(c, "Do you sync the clock of every server?").contains("TIME"));
  EXPECT_FALSE(Ids(c, "Do you keep a clock? Async jobs run nightly.").contains("TIME"));
}

TEST(CatalogPattern, PlainTermsStillLongestWins) {
  const Catalog& c = PatternCatalog();
  EXPECT_EQ(Ids(c, "多要素認証を必須にしていますか"), (std::set<std::string>{"MFA"}));
  EXPECT_EQ(Ids(c, "認証方式"), (std::set<std::string>{"AUTH"}));
  // A plain term and a pattern of the same control give one hit, the plain term's.
  const std::vector<ConceptHit> hits = c.FindConcepts("時刻同期を行い、時刻を同期する");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].term, "時刻同期");
}

TEST(CatalogPattern, NormalizedEntryPointAgreesWithPlainEntryPoint) {
  const Catalog& c = Catalog::Builtin();
  const std::string q =
      "クラウドの時刻は正確な時刻源と同期させていますか。保存データは暗号化していますか。";
  std::set<std::string> a, b;
  for (const ConceptHit& h : c.FindConcepts(q)) a.insert(h.term);
  for (const ConceptHit& h : c.FindConceptsInNormalized(text::NormalizeText(q))) b.insert(h.term);
  EXPECT_EQ(a, b);
}

TEST(CatalogPattern, BadPatternsNameTheLineAndThePattern) {
  auto empty = Catalog::Parse("X\tja\ten\td\t時刻++同期\t\tA.5.1\n", "c.tsv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(),
            "c.tsv:1: control X: pattern '時刻++同期': element 2 has an empty alternative");
  auto alt = Catalog::Parse("X\tja\ten\td\t時刻+同期;\t\tA.5.1\n", "c.tsv");
  ASSERT_FALSE(alt.ok());
  EXPECT_EQ(alt.status().message(),
            "c.tsv:1: control X: pattern '時刻+同期;': element 2 has an empty alternative");
  auto brk = Catalog::Parse("X\tja\ten\td\t時刻+同期。\t\tA.5.1\n", "c.tsv");
  ASSERT_FALSE(brk.ok());
  EXPECT_EQ(brk.status().message(),
            "c.tsv:1: control X: pattern '時刻+同期。': element 2 contains a clause break");
  auto many = Catalog::Parse("X\tja\ten\td\ta+b+c+d+e+f+g+h+i\t\tA.5.1\n", "c.tsv");
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(
      many.status().message(),
      "c.tsv:1: control X: pattern 'a+b+c+d+e+f+g+h+i': a pattern has 2 to 8 elements, found 9");
}

TEST(CatalogPattern, PatternKeyKeepsWordSpacesOnly) {
  EXPECT_EQ(PatternKey("  Encryption   AT\tRest "), U"encryption at rest");
  EXPECT_EQ(PatternKey("時刻 同期 NTP サーバ"), U"時刻同期 ntp サーバ");
}

TEST(Catalog, BuiltinHasEnoughControlsWithReferences) {
  const Catalog& c = Catalog::Builtin();
  ASSERT_GE(c.controls().size(), 150u);
  std::size_t with_meti = 0;
  for (const Control& k : c.controls()) {
    EXPECT_FALSE(k.iso27001.empty()) << k.id;
    for (const std::string& iso : k.iso27001)
      EXPECT_TRUE(iso.starts_with("A.")) << k.id << " " << iso;
    with_meti += k.meti2013.empty() ? 0 : 1;
  }
  EXPECT_GE(with_meti, 100u);
}

TEST(Catalog, SynonymsMapToOneControl) {
  const Catalog& c = Catalog::Builtin();
  for (const char* q : {"多要素認証を利用できますか", "二段階認証に対応",
                        "ワンタイムパスワードの利用", "MFAを必須にできる", "２要素認証"}) {
    EXPECT_TRUE(Ids(c, q).contains("IAM-08")) << q;
  }
}

TEST(Catalog, LongestTermWinsAndLatinTermsStandAlone) {
  const Catalog& c = Catalog::Builtin();
  EXPECT_FALSE(Ids(c, "rapid development").contains("SLA-18"));  // "api" inside a word
  EXPECT_TRUE(Ids(c, "API連携").contains("SLA-18"));
}

// Customers' own words for common questions (written for this test, not taken from any
// reference sheet): each must find the control it is about.
TEST(Catalog, JapaneseCustomerWordingFindsTheControl) {
  const Catalog& c = Catalog::Builtin();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"サーバの時刻はNTPサーバと同期していますか。", "OPS-11"},
      {"各システムの時計を標準時刻に合わせる仕組みはありますか", "OPS-11"},
      {"パスワードの文字数や複雑さの要件を設定できますか", "IAM-07"},
      {"パスワードは最低何桁以上にする必要がありますか", "IAM-07"},
      {"お客様の保存データは暗号化されていますか", "CRY-02"},
      {"データベースに格納する情報を暗号化していますか", "CRY-02"},
      {"バックアップは何世代まで保持していますか", "OPS-08"},
      {"ログの保存期間を教えてください", "LOG-02"},
      {"操作ログは何年間保管されますか", "LOG-02"},
      {"管理画面へのログインに二段階認証を使えますか", "IAM-08"},
      {"ワンタイムパスワードでのログインに対応していますか", "IAM-08"},
      {"ログイン時に2段階の認証を求められますか", "IAM-08"},
      {"業務の一部を再委託していますか", "SUP-05"},
      {"預けたデータの保管国はどこですか", "DATA-01"},
      {"データはどの国のデータセンターに保存されますか", "DATA-01"},
      {"解約時にデータは確実に削除されますか", "DATA-03"},
      {"契約終了後にデータを返却してもらえますか", "DATA-02"},
      {"定期的に脆弱性診断を受けていますか", "VUL-03"},
      {"過去一年の稼働率の実績を教えてください", "SLA-05"},
      {"障害が起きたときはどのように通知されますか", "SLA-11"},
  };
  for (const auto& [question, control] : cases)
    EXPECT_TRUE(Ids(c, question).contains(control)) << question;
}

TEST(Catalog, EnglishTermsStandAloneInSentences) {
  const Catalog& c = Catalog::Builtin();
  EXPECT_TRUE(Ids(c, "Do you keep audit logs of administrator actions?").contains("LOG-01"));
  EXPECT_TRUE(Ids(c, "Are software firewalls enabled on laptops?").contains("NET-04"));  // plural
  EXPECT_TRUE(Ids(c, "Do you run an IDS on the perimeter?").contains("NET-06"));
  EXPECT_FALSE(
      Ids(c, "Are user IDs unique to one person?").contains("NET-06"));  // "IDs" is not "IDS"
  EXPECT_FALSE(Ids(c, "We support rapid development").contains("SLA-18"));
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
