#include "library/library.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_io.h"
#include "ingest/import.h"

namespace ts::library {
namespace {

sheet::Item MakeItem(std::string id, std::string q, sheet::Mark m, std::string text, std::string remarks = "") {
  sheet::Item it;
  it.id = std::move(id);
  it.question = std::move(q);
  it.answer = {m, std::move(text)};
  it.remarks = std::move(remarks);
  return it;
}

sheet::Checksheet Version1() {
  sheet::Checksheet cs;
  cs.source_file = "/tmp/会社A回答.xlsx";
  cs.format = "xlsx";
  sheet::Part p;
  p.id = "p1";
  p.items = {MakeItem("p1/1", "管理者に多要素認証を適用していますか。", sheet::Mark::kYes, "はい"),
             MakeItem("p1/2", "保存データを暗号化していますか。", sheet::Mark::kYes, "はい", "AES-256"),
             MakeItem("p1/3", "ログを1年以上保管していますか。", sheet::Mark::kNo, "いいえ"),
             MakeItem("p1/4", "備考欄のみの行", sheet::Mark::kNone, "")};
  cs.parts.push_back(p);
  return cs;
}

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("ts_library_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    std::filesystem::remove(path_);
    auto s = store::OpenSqliteStore(path_.string());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    auto svc = store_->EnsureService(store::kLocalTenant, "勤怠クラウド");
    ASSERT_TRUE(svc.ok());
    service_ = *svc;
  }
  void TearDown() override {
    store_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + ext);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::Store> store_;
  store::Service service_;
};

TEST_F(LibraryTest, ReAddingANewerVersionUpdatesRetiresAndKeepsHistory) {
  const auto& cat = catalog::Catalog::Builtin();
  auto r1 = AddChecksheet(*store_, store::kLocalTenant, service_, Version1(), {}, cat);
  ASSERT_TRUE(r1.ok()) << r1.status().message();
  EXPECT_EQ(r1->document.name, "会社A回答");
  EXPECT_EQ(r1->added, 3);
  EXPECT_EQ(r1->skipped, 1);
  sheet::Checksheet v2 = Version1();
  v2.parts[0].items[2].answer = {sheet::Mark::kYes, "はい"};  // now they keep logs
  v2.parts[0].items.erase(v2.parts[0].items.begin() + 1);     // the encryption item is gone
  auto r2 = AddChecksheet(*store_, store::kLocalTenant, service_, v2, {}, cat);
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  EXPECT_EQ(r2->document.version, 2);
  EXPECT_EQ(r2->updated, 1);
  EXPECT_EQ(r2->unchanged, 1);
  EXPECT_EQ(r2->retired, 1);
  auto entries = store_->ListEntries(store::kLocalTenant, service_.id);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  const store::Entry& logs = (*entries)[2];
  EXPECT_EQ(logs.mark, sheet::Mark::kYes);
  auto history = store_->History(store::kLocalTenant, logs.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].snapshot.mark, sheet::Mark::kNo);
  EXPECT_EQ((*entries)[1].status, store::EntryStatus::kRetired);
  EXPECT_EQ((*entries)[0].controls, std::vector<std::string>{"IAM-08"});
}

TEST_F(LibraryTest, ConflictsAndDuplicatesAreReported) {
  const auto& cat = catalog::Catalog::Builtin();
  ASSERT_TRUE(AddChecksheet(*store_, store::kLocalTenant, service_, Version1(), {}, cat).ok());
  sheet::Checksheet other;
  other.source_file = "会社B回答.csv";
  sheet::Part p;
  p.items = {MakeItem("p1/9", "保存データを暗号化していますか。", sheet::Mark::kNo, "いいえ"),
             MakeItem("p1/10", "管理者に多要素認証を適用していますか。", sheet::Mark::kYes, "はい")};
  other.parts.push_back(p);
  ASSERT_TRUE(AddChecksheet(*store_, store::kLocalTenant, service_, other, {}, cat).ok());
  auto entries = store_->ListEntries(store::kLocalTenant, service_.id);
  ASSERT_TRUE(entries.ok());
  auto findings = FindDuplicates(*entries, &cat);
  ASSERT_TRUE(findings.ok());
  ASSERT_EQ(findings->size(), 2u);
  EXPECT_EQ((*findings)[0].kind, "conflict");
  EXPECT_EQ((*findings)[0].a.question, "保存データを暗号化していますか。");
  EXPECT_EQ((*findings)[1].kind, "duplicate");
}

TEST_F(LibraryTest, SameMarkInOtherWordsIsNoConflict) {
  // 有 and ◯ are both yes; a different answer text alone is not a conflict.
  const auto& cat = catalog::Catalog::Builtin();
  sheet::Checksheet a, b;
  a.source_file = "会社A回答.xlsx";
  b.source_file = "会社B回答.xlsx";
  sheet::Part pa, pb;
  pa.items = {MakeItem("p1/1", "保存データを暗号化していますか。", sheet::Mark::kYes, "有", "AES-256で暗号化")};
  pb.items = {MakeItem("p1/1", "保存データを暗号化していますか。", sheet::Mark::kYes, "◯", "全データを暗号化")};
  a.parts.push_back(pa);
  b.parts.push_back(pb);
  ASSERT_TRUE(AddChecksheet(*store_, store::kLocalTenant, service_, a, {}, cat).ok());
  ASSERT_TRUE(AddChecksheet(*store_, store::kLocalTenant, service_, b, {}, cat).ok());
  auto entries = store_->ListEntries(store::kLocalTenant, service_.id);
  ASSERT_TRUE(entries.ok());
  auto findings = FindDuplicates(*entries, &cat);
  ASSERT_TRUE(findings.ok());
  ASSERT_EQ(findings->size(), 1u);
  EXPECT_EQ((*findings)[0].kind, "duplicate");
  EXPECT_EQ((*findings)[0].a.remarks, "AES-256で暗号化");
  EXPECT_EQ((*findings)[0].b.remarks, "全データを暗号化");
}

TEST_F(LibraryTest, DrafterUsesApprovedEntriesAndDecisions) {
  const auto& cat = catalog::Catalog::Builtin();
  AddOptions draft_only;
  draft_only.status = store::EntryStatus::kDraft;
  ASSERT_TRUE(AddChecksheet(*store_, store::kLocalTenant, service_, Version1(), draft_only, cat).ok());
  auto d1 = MakeDrafter(*store_, store::kLocalTenant, service_, &cat);
  ASSERT_TRUE(d1.ok());
  sheet::Item q = MakeItem("x", "保存されるデータは暗号化されているか", sheet::Mark::kNone, "");
  EXPECT_EQ((*d1)->DraftFor(q, {}).confidence, match::Confidence::kNone);  // nothing approved yet
  ASSERT_TRUE(AddChecksheet(*store_, store::kLocalTenant, service_, Version1(), {}, cat).ok());
  auto d2 = MakeDrafter(*store_, store::kLocalTenant, service_, &cat);
  ASSERT_TRUE(d2.ok());
  match::Draft d = (*d2)->DraftFor(q, {"◯", "✕"});
  ASSERT_TRUE(d.source.has_value());
  EXPECT_EQ(d.text, "◯");  // the sheet's own word for yes
  EXPECT_EQ(d.remarks, "AES-256");
  // A reviewer accepts the log entry for an odd question: next time it is high.
  auto entries = store_->ListEntries(store::kLocalTenant, service_.id);
  ASSERT_TRUE(entries.ok());
  const std::string odd = "監査証跡はどのくらいの期間残りますか";
  ASSERT_TRUE(store_->AddDecision(store::kLocalTenant, service_.id,
                                  {match::QuestionKey(odd), odd, (*entries)[2].id, true, "reviewer", ""})
                  .ok());
  auto d3 = MakeDrafter(*store_, store::kLocalTenant, service_, &cat);
  ASSERT_TRUE(d3.ok());
  match::Draft remembered = (*d3)->DraftFor(MakeItem("y", odd, sheet::Mark::kNone, ""), {});
  EXPECT_EQ(remembered.confidence, match::Confidence::kHigh);
  ASSERT_TRUE(remembered.source.has_value());
  EXPECT_EQ(remembered.source->entry_id, std::to_string((*entries)[2].id));
}

// The round trip of issue 12: a vendor's answered workbook goes into the library and is then
// used to fill a blank copy of the same workbook; the answer and remarks cells come out as the
// vendor wrote them, character for character (full-width brackets and digits, 〜, line breaks),
// where the library used to keep them NFKC-folded and on one line.
TEST_F(LibraryTest, AnsweredWorkbookFillsABlankCopyWithTheSameCellsCharacterForCharacter) {
  const std::string blank_path = std::string(TS_SOURCE_DIR) + "/tests/data/blank/blank_layout1_answer_column.xlsx";
  auto blank = ReadFileBounded(blank_path, 1u << 20);
  ASSERT_TRUE(blank.ok()) << blank.status().message();
  auto sheet = ingest::ImportBytes(*blank, "blank.xlsx");
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  ASSERT_EQ(sheet->parts.size(), 1u);
  const sheet::Part& part = sheet->parts.front();
  ASSERT_GE(part.items.size(), 5u);

  // The vendor's answers, written into the blank workbook as a vendor would.
  std::map<std::string, std::string> wrote;  // item id -> remarks
  std::vector<exporter::Fill> answers;
  for (std::size_t i = 0; i < part.items.size(); ++i) {
    const sheet::Mark m = i % 3 == 2 ? sheet::Mark::kNo : sheet::Mark::kYes;
    std::string remarks = "規程（第" + std::string(i % 2 ? "１" : "2") + "条）に基づき実施しています。\n年１回、" +
                          "4月〜5月に棚卸しを行います。  担当：情報システム部";
    if (i == 1) remarks += "\n\n（参考）ＩＳＭＳ認証：取得済み";
    wrote[part.items[i].id] = remarks;
    answers.push_back({part.items[i].id, m, match::SheetWord(m, part.answer_vocabulary, std::string(sheet::MarkName(m))),
                       remarks});
  }
  exporter::FillReport r1;
  auto answered = WriteAnswers(*blank, *sheet, answers, &r1);
  ASSERT_TRUE(answered.ok()) << answered.status().message();
  ASSERT_EQ(r1.remarks, static_cast<int>(part.items.size()));

  // Read back, the printed forms are the cells exactly; the normalized ones are for matching.
  auto vendor = ingest::ImportBytes(*answered, "vendor.xlsx");
  ASSERT_TRUE(vendor.ok()) << vendor.status().message();
  for (const sheet::Item& it : vendor->parts.front().items) {
    EXPECT_EQ(sheet::PrintedRemarks(it), wrote[it.id]) << it.id;
    EXPECT_EQ(it.remarks.find('\n'), std::string::npos) << it.id;
  }
  AddOptions opts;
  opts.status = store::EntryStatus::kApproved;
  auto added = AddChecksheet(*store_, store::kLocalTenant, service_, *vendor, opts, catalog::Catalog::Builtin());
  ASSERT_TRUE(added.ok()) << added.status().message();

  // The library fills the blank copy: the same cells as the vendor's file.
  auto drafter = MakeDrafter(*store_, store::kLocalTenant, service_, &catalog::Catalog::Builtin());
  ASSERT_TRUE(drafter.ok()) << drafter.status().message();
  DraftedSheet drafted = DraftSheet(**drafter, *sheet, match::Confidence::kMedium);
  ASSERT_EQ(drafted.fills.size(), part.items.size()) << "every item drafted from its own answer";
  exporter::FillReport r2;
  auto filled = WriteAnswers(*blank, *sheet, drafted.fills, &r2);
  ASSERT_TRUE(filled.ok()) << filled.status().message();
  auto again = ingest::ImportBytes(*filled, "filled.xlsx");
  ASSERT_TRUE(again.ok()) << again.status().message();
  const auto& want = vendor->parts.front().items;
  const auto& got = again->parts.front().items;
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(sheet::PrintedAnswer(got[i]), sheet::PrintedAnswer(want[i])) << got[i].id;
    EXPECT_EQ(sheet::PrintedRemarks(got[i]), sheet::PrintedRemarks(want[i])) << got[i].id;
  }
}

TEST(LibraryExport, CsvQuotesAndHasBom) {
  store::Entry e;
  e.id = 7;
  e.question = "質問, \"引用\"付き";
  e.mark = sheet::Mark::kYes;
  e.answer_text = "◯";
  std::string csv = EntriesToCsv({e}, "svc");
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBFid,service,"));
  EXPECT_NE(csv.find("\"質問, \"\"引用\"\"付き\""), std::string::npos) << csv;
}

TEST(EntryFilter, MatchesTextOwnerControlReviewDateAndStatus) {
  store::Entry e;
  e.question = "管理者アカウントに多要素認証を適用していますか。";
  e.answer_text = "はい";
  e.remarks = "ＶＰＮ接続時もＭＦＡ必須";
  e.owner = "情報システム部";
  e.controls = {"auth.mfa"};
  e.review_date = "2026-03-31";
  e.status = store::EntryStatus::kApproved;
  EXPECT_TRUE(EntryMatches(e, {}));
  EXPECT_TRUE(EntryMatches(e, {std::nullopt, "多要素", "", "", ""}));
  EXPECT_TRUE(EntryMatches(e, {std::nullopt, "vpn", "", "", ""})) << "width and case folded, remarks searched";
  EXPECT_FALSE(EntryMatches(e, {std::nullopt, "暗号化", "", "", ""}));
  EXPECT_TRUE(EntryMatches(e, {store::EntryStatus::kApproved, "", "情報システム部", "auth.mfa", "2026-04-01"}));
  EXPECT_FALSE(EntryMatches(e, {store::EntryStatus::kDraft, "", "", "", ""}));
  EXPECT_FALSE(EntryMatches(e, {std::nullopt, "", "総務部", "", ""}));
  EXPECT_FALSE(EntryMatches(e, {std::nullopt, "", "", "crypto.at_rest", ""}));
  EXPECT_FALSE(EntryMatches(e, {std::nullopt, "", "", "", "2026-03-31"})) << "due before, not on";
  e.review_date.clear();
  EXPECT_FALSE(EntryMatches(e, {std::nullopt, "", "", "", "2030-01-01"})) << "no review date is not due";
}

}  // namespace
}  // namespace ts::library
