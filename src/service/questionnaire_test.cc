#include "service/questionnaire.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "catalog/catalog.h"
#include "ingest/import.h"
#include "library/library.h"
#include "zip_entries.h"

namespace ts::service {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const fs::path kData = fs::path(TS_SOURCE_DIR) / "tests/data";

class QuestionnaireTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("ts_service_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    Remove();
    auto s = store::OpenSqliteStore(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    db_ = std::move(*s);
    // Two people of the local tenant and a service whose library is an answered sample sheet.
    for (const char* email : {"sato@example.com", "suzuki@example.com"}) {
      store::User u;
      u.email = email;
      u.name = email;
      auto id = db_->CreateUser(u);
      ASSERT_TRUE(id.ok()) << id.status().message();
      ASSERT_TRUE(db_->SetMembership({store::kLocalTenant.value, *id, "editor"}).ok());
      users_.push_back(*id);
    }
    auto svc = db_->EnsureService(store::kLocalTenant, "勤怠クラウド");
    ASSERT_TRUE(svc.ok());
    service_ = *svc;
    auto answered = ingest::ImportFile((kData / "samples/layout1_title_rows.xlsx").string());
    ASSERT_TRUE(answered.ok()) << answered.status().message();
    ASSERT_TRUE(library::AddChecksheet(*db_, store::kLocalTenant, service_, *answered, {}, catalog::Catalog::Builtin()).ok());
  }
  void TearDown() override {
    db_.reset();
    Remove();
  }
  void Remove() {
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path_.string() + ext);
  }

  Context As(int person, store::TenantId tenant = store::kLocalTenant) {
    return Context{*db_, tenant, users_[static_cast<std::size_t>(person)],
                   "user:" + std::to_string(users_[static_cast<std::size_t>(person)]),
                   [this](std::string_view action, std::string_view target, std::string_view result) {
                     audit_.push_back(std::string(action) + " " + std::string(target) + " " + std::string(result));
                     return Status();
                   }};
  }

  std::unique_ptr<match::Drafter> Drafter() {
    auto d = library::MakeDrafter(*db_, store::kLocalTenant, service_, &catalog::Catalog::Builtin());
    EXPECT_TRUE(d.ok()) << d.status().message();
    return std::move(*d);
  }

  // Opens the blank sample as a questionnaire of person 0.
  store::Questionnaire Open(const std::string& blank = "blank/blank_layout1_answer_column.xlsx") {
    file_ = ReadBytes(kData / blank);
    const std::string name = fs::path(blank).filename().string();
    auto sheet = ParseUpload(file_, name);
    EXPECT_TRUE(sheet.ok()) << sheet.status().message();
    auto drafter = Drafter();
    Context c = As(0);
    auto q = SaveQuestionnaire(c, {service_.id, name, "株式会社サンプル商事", "", "2026-12-24", "rev1"}, file_, *sheet,
                               DraftItems(*drafter, *sheet));
    EXPECT_TRUE(q.ok()) << q.status().message();
    return *q;
  }

  std::vector<ItemView> Items(std::int64_t q, const ItemFilter& f = {}) {
    Context c = As(0);
    auto items = ListItems(c, q, f);
    EXPECT_TRUE(items.ok()) << items.status().message();
    return *items;
  }

  // The first item in state draft with a drafted answer at `band`, or nullptr.
  const ItemView* FirstAt(const std::vector<ItemView>& items, const std::string& band) {
    for (const ItemView& v : items) {
      if (v.record.confidence == band && v.record.state == "draft") return &v;
    }
    return nullptr;
  }

  // Every part of an XLSX archive, uncompressed, one after the other: where a test looks for
  // text exactly as written (the importer normalizes what it reads).
  static std::string ArchiveText(const std::string& bytes) {
    auto entries = ts::testing::ZipEntries(bytes);
    if (!entries) ADD_FAILURE() << "not a zip";
    std::string out;
    for (const auto& [name, data] : entries.value_or(std::map<std::string, std::string>())) out += data;
    return out;
  }

  // The filled file read back: item key -> (answer text, remarks).
  std::map<std::string, std::pair<std::string, std::string>> ReadBack(const std::string& bytes) {
    auto sheet = ingest::ImportBytes(bytes, "answered.xlsx");
    EXPECT_TRUE(sheet.ok()) << sheet.status().message();
    std::map<std::string, std::pair<std::string, std::string>> out;
    for (const sheet::Part& p : sheet->parts) {
      for (const sheet::Item& it : p.items) out[it.id] = {it.answer.text, it.remarks};
    }
    return out;
  }

  fs::path path_;
  std::unique_ptr<store::Store> db_;
  std::vector<std::int64_t> users_;
  store::Service service_;
  std::string file_;
  std::vector<std::string> audit_;
};

TEST_F(QuestionnaireTest, OpeningStoresEveryItemInTheFilesOrderWithItsDraft) {
  store::Questionnaire q = Open();
  EXPECT_EQ(q.customer, "株式会社サンプル商事");
  EXPECT_EQ(q.title, "blank_layout1_answer_column.xlsx");
  EXPECT_EQ(q.status, "not_started");
  EXPECT_EQ(q.due_date, "2026-12-24");
  EXPECT_EQ(q.owner_id, users_[0]);
  auto sheet = ingest::ImportBytes(file_, "blank_layout1_answer_column.xlsx");
  ASSERT_TRUE(sheet.ok());
  const std::vector<ItemView> items = Items(q.id);
  ASSERT_EQ(items.size(), sheet->ItemCount());
  std::size_t i = 0;
  for (const sheet::Part& p : sheet->parts) {
    for (const sheet::Item& it : p.items) {
      EXPECT_EQ(items[i].record.position, static_cast<int>(i));
      EXPECT_EQ(items[i].record.item_key, it.id);
      EXPECT_EQ(items[i].item.question, it.question);
      EXPECT_EQ(items[i].item.number, it.number);
      EXPECT_EQ(items[i].record.state, "draft");
      ++i;
    }
  }
  Context c = As(0);
  auto view = GetQuestionnaire(c, q.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->counts.total, static_cast<std::int64_t>(items.size()));
  EXPECT_EQ(view->counts.by_state["draft"], static_cast<std::int64_t>(items.size()));
  EXPECT_GT(view->counts.by_confidence["high"], 0) << "the blank sample asks what the library answers";
  ASSERT_EQ(audit_.size(), 1u);
  EXPECT_EQ(audit_[0].rfind("questionnaire.create questionnaire:" + std::to_string(q.id), 0), 0u) << audit_[0];
}

TEST_F(QuestionnaireTest, RefusesAFileWithoutQuestionsAndAMissingCustomerOrBadDate) {
  auto empty = ParseUpload("", "空.xlsx");
  EXPECT_EQ(empty.status().message(), "空.xlsx: the file is empty");
  auto none = ParseUpload("a,b\n1,2\n", "numbers.csv");
  EXPECT_FALSE(none.ok());
  // A questionnaire is for people: more than 5,000 questions is refused before drafting.
  std::string huge = "番号,質問,回答\n";
  for (int i = 1; i <= 5001; ++i) huge += std::to_string(i) + ",管理策" + std::to_string(i) + "を実施していますか。,\n";
  auto too_many = ParseUpload(huge, "huge.csv");
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().message(), "huge.csv: 5001 questions; a questionnaire takes at most 5000 (split the file)");
  file_ = ReadBytes(kData / "blank/blank_layout1_answer_column.xlsx");
  auto sheet = ParseUpload(file_, "blank.xlsx");
  ASSERT_TRUE(sheet.ok());
  Context c = As(0);
  auto no_customer = SaveQuestionnaire(c, {service_.id, "blank.xlsx", "", "", "", ""}, file_, *sheet, {});
  EXPECT_EQ(no_customer.status().message(), "customer is required (the customer's name, 取引先名)");
  auto bad_date = SaveQuestionnaire(c, {service_.id, "blank.xlsx", "顧客", "", "2026/12/24", ""}, file_, *sheet, {});
  EXPECT_EQ(bad_date.status().message(), "due_date must be a date as YYYY-MM-DD, not '2026/12/24'");
  auto page = db_->PageQuestionnaires(store::kLocalTenant.value, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0) << "nothing half written";
}

TEST_F(QuestionnaireTest, ReviewActionsSetStateAndAnswerAndTeachTheDrafter) {
  store::Questionnaire q = Open();
  std::vector<ItemView> items = Items(q.id);
  const ItemView* high = FirstAt(items, "high");
  ASSERT_NE(high, nullptr);
  const json draft = json::parse(high->record.draft_json);
  Context c = As(0);
  auto accepted = ReviewItem(c, q.id, high->record.id, {"accept", high->record.version, {}, {}, {}, {}});
  ASSERT_TRUE(accepted.ok()) << accepted.status().message();
  EXPECT_EQ(accepted->record.state, "accepted");
  EXPECT_EQ(accepted->record.decided_by, users_[0]);
  const json answer = json::parse(accepted->record.answer_json);
  EXPECT_EQ(answer["text"], draft["text"]);
  EXPECT_EQ(answer["remarks"], draft["remarks"]);
  EXPECT_EQ(accepted->record.version, high->record.version + 1);
  // Accepting recorded a decision for the question and the draft's entry.
  auto decisions = db_->Decisions(store::kLocalTenant, service_.id);
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_TRUE((*decisions)[0].accepted);
  EXPECT_EQ((*decisions)[0].entry_id, draft["source"]["entry"].get<std::int64_t>());
  EXPECT_EQ((*decisions)[0].question, high->item.question);
  // The questionnaire started.
  auto view = GetQuestionnaire(c, q.id);
  EXPECT_EQ(view->q.status, "in_progress");

  // A stale version is refused, naming what happened.
  auto stale = ReviewItem(c, q.id, high->record.id, {"reject", high->record.version, {}, {}, {}, {}});
  EXPECT_EQ(stale.status().code(), ErrorCode::kConflict);
  // An edit keeps exactly what was typed: characters and line breaks.
  const std::string remarks = "ISMS 認証（ISO/IEC 27001）取得済み。\r\n詳細は別紙  参照 ";
  auto edited = ReviewItem(c, q.id, high->record.id, {"edit", {}, {}, std::string("no"), {}, remarks});
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  EXPECT_EQ(edited->record.state, "edited");
  const json e = json::parse(edited->record.answer_json);
  EXPECT_EQ(e["mark"], "no");
  EXPECT_EQ(e["remarks"], remarks);
  EXPECT_FALSE(e["text"].get<std::string>().empty()) << "the sheet's word for no";
  auto bad = ReviewItem(c, q.id, high->record.id, {"approve", {}, {}, {}, {}, {}});
  EXPECT_EQ(bad.status().message(), "action must be accept, edit, reject, needs_info or reset, not 'approve'");
  auto bad_mark = ReviewItem(c, q.id, high->record.id, {"edit", {}, {}, std::string("maybe"), {}, {}});
  EXPECT_EQ(bad_mark.status().code(), ErrorCode::kInvalidArgument);
  auto reset = ReviewItem(c, q.id, high->record.id, {"reset", {}, {}, {}, {}, {}});
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(reset->record.state, "draft");
  EXPECT_EQ(reset->record.answer_json, "");
  // The reset took the acceptance back; rejecting records a rejection, and accepting again
  // replaces it (one verdict per question and entry).
  decisions = db_->Decisions(store::kLocalTenant, service_.id);
  EXPECT_EQ(decisions->size(), 0u) << "edit and reset withdrew the accepted decision";
  ASSERT_TRUE(ReviewItem(c, q.id, high->record.id, {"reject", {}, {}, {}, {}, {}}).ok());
  decisions = db_->Decisions(store::kLocalTenant, service_.id);
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_FALSE((*decisions)[0].accepted);
  ASSERT_TRUE(ReviewItem(c, q.id, high->record.id, {"accept", {}, {}, {}, {}, {}}).ok());
  ASSERT_TRUE(ReviewItem(c, q.id, high->record.id, {"accept", {}, {}, {}, {}, {}}).ok());
  decisions = db_->Decisions(store::kLocalTenant, service_.id);
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_TRUE((*decisions)[0].accepted);
  ASSERT_TRUE(ReviewItem(c, q.id, high->record.id, {"reject", {}, {}, {}, {}, {}}).ok());
  // An alternative can be accepted instead of the draft.
  const std::vector<ItemView> now = Items(q.id);
  const ItemView* other = FirstAt(now, "high");
  ASSERT_NE(other, nullptr);
  const json alts = json::parse(other->record.draft_json)["alternatives"];
  ASSERT_FALSE(alts.empty());
  auto alt = ReviewItem(c, q.id, other->record.id, {"accept", {}, 0, {}, {}, {}});
  ASSERT_TRUE(alt.ok()) << alt.status().message();
  EXPECT_EQ(json::parse(alt->record.answer_json)["remarks"], alts[0]["remarks"]);
  auto no_alt = ReviewItem(c, q.id, other->record.id, {"accept", {}, 7, {}, {}, {}});
  EXPECT_EQ(no_alt.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(QuestionnaireTest, TheFilledFileHoldsExactlyTheReviewedAnswers) {
  store::Questionnaire q = Open();
  std::vector<ItemView> items = Items(q.id);
  std::vector<const ItemView*> drafted;
  for (const ItemView& v : items) {
    if (v.record.confidence != "none") drafted.push_back(&v);
  }
  ASSERT_GE(drafted.size(), 4u);
  Context c = As(1);
  const ItemView& accept = *drafted[0];
  const ItemView& edit = *drafted[1];
  const ItemView& reject = *drafted[2];
  ASSERT_TRUE(ReviewItem(c, q.id, accept.record.id, {"accept", {}, {}, {}, {}, {}}).ok());
  const std::string text = "はい（一部）";
  const std::string remarks = "年1回、外部監査を受けています。\n報告書は NDA 締結後に開示します。";
  ASSERT_TRUE(ReviewItem(c, q.id, edit.record.id, {"edit", {}, {}, std::string("partial"), text, remarks}).ok());
  ASSERT_TRUE(ReviewItem(c, q.id, reject.record.id, {"reject", {}, {}, {}, {}, {}}).ok());

  auto filled = BuildFilledFile(c, q.id, false);
  ASSERT_TRUE(filled.ok()) << filled.status().message();
  EXPECT_EQ(filled->name, "answered_blank_layout1_answer_column.xlsx");
  EXPECT_EQ(filled->answers, 2);
  EXPECT_EQ(filled->unreviewed, 0);
  auto back = ReadBack(filled->bytes);
  const json accepted_draft = json::parse(accept.record.draft_json);
  EXPECT_EQ(back[accept.record.item_key].first, accepted_draft["text"]);
  EXPECT_FALSE(back[edit.record.item_key].first.empty());
  // Exactly as typed, full-width brackets and the line break included.
  const std::string raw = ArchiveText(filled->bytes);
  EXPECT_NE(raw.find(">" + text + "<"), std::string::npos) << "the edited answer is not in the workbook as typed";
  EXPECT_NE(raw.find(">" + remarks + "<"), std::string::npos) << "the edited remarks are not in the workbook as typed";
  int answered = 0;
  for (const auto& [key, value] : back) answered += value.first.empty() ? 0 : 1;
  EXPECT_EQ(answered, 2) << "rejected and unreviewed items stay as the customer sent them";
  EXPECT_EQ(back[reject.record.item_key].first, "");

  // With unreviewed high drafts: those come too, and are counted.
  auto with_drafts = BuildFilledFile(c, q.id, true);
  ASSERT_TRUE(with_drafts.ok());
  int high_left = 0;
  for (const ItemView& v : Items(q.id)) high_left += (v.record.state == "draft" && v.record.confidence == "high");
  EXPECT_EQ(with_drafts->unreviewed, high_left);
  EXPECT_EQ(with_drafts->answers, 2 + high_left);
}

TEST_F(QuestionnaireTest, BulkAcceptTakesOnlyUnreviewedDraftsAtTheBand) {
  store::Questionnaire q = Open();
  std::vector<ItemView> items = Items(q.id);
  const ItemView* high = FirstAt(items, "high");
  ASSERT_NE(high, nullptr);
  Context c = As(0);
  ASSERT_TRUE(ReviewItem(c, q.id, high->record.id, {"reject", {}, {}, {}, {}, {}}).ok());
  int highs = 0;
  for (const ItemView& v : items) highs += v.record.confidence == "high";
  auto n = BulkAccept(c, q.id, match::Confidence::kHigh);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, highs - 1) << "the rejected one stays rejected";
  for (const ItemView& v : Items(q.id)) {
    if (v.record.id == high->record.id) {
      EXPECT_EQ(v.record.state, "rejected");
    } else if (v.record.confidence == "high") {
      EXPECT_EQ(v.record.state, "accepted");
    } else {
      EXPECT_EQ(v.record.state, "draft");
    }
  }
}

TEST_F(QuestionnaireTest, RedraftingKeepsEveryReviewedItem) {
  store::Questionnaire q = Open();
  std::vector<ItemView> before = Items(q.id);
  Context c = As(0);
  const ItemView* high = FirstAt(before, "high");
  ASSERT_NE(high, nullptr);
  ASSERT_TRUE(ReviewItem(c, q.id, high->record.id, {"edit", {}, {}, std::string("yes"), {}, std::string("確認済み")}).ok());
  ASSERT_TRUE(AssignItem(c, q.id, before.back().record.id, users_[1]).ok());
  ASSERT_TRUE(ReviewItem(c, q.id, before.back().record.id, {"needs_info", {}, {}, {}, {}, {}}).ok());
  ASSERT_TRUE(AddComment(c, q.id, before.back().record.id, "営業に確認します").ok());
  // The library loses every entry: a re-draft finds nothing for the items still in draft.
  auto entries = db_->ListEntries(store::kLocalTenant, service_.id);
  for (store::Entry e : *entries) {
    e.status = store::EntryStatus::kRetired;
    ASSERT_TRUE(db_->UpdateEntry(store::kLocalTenant, e, "test", "retired").ok());
  }
  auto r = LoadForRedraft(c, q.id);
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto drafter = Drafter();
  auto fresh = DraftItems(*drafter, r->sheet);
  auto report = ApplyRedraft(c, std::move(*r), std::move(fresh), "rev2");
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->kept, 2);
  EXPECT_EQ(report->redrafted, static_cast<int>(before.size()) - 2);
  for (const ItemView& v : Items(q.id)) {
    if (v.record.id == high->record.id) {
      EXPECT_EQ(v.record.state, "edited");
      EXPECT_EQ(v.record.draft_json, high->record.draft_json);
      EXPECT_EQ(json::parse(v.record.answer_json)["remarks"], "確認済み");
    } else if (v.record.id == before.back().record.id) {
      EXPECT_EQ(v.record.state, "needs_info");
      EXPECT_EQ(v.record.assignee_id, users_[1]);
      EXPECT_EQ(v.record.comments, 1);
    } else {
      EXPECT_EQ(v.record.confidence, "none");
    }
  }
  EXPECT_EQ(GetQuestionnaire(c, q.id)->q.library_revision, "rev2");
}

TEST_F(QuestionnaireTest, AnEditedAnswerIsProposedAndAnotherPersonApprovesIt) {
  store::Questionnaire q = Open();
  const ItemView item = Items(q.id).front();
  Context proposer = As(0);
  auto early = ProposeToLibrary(proposer, q.id, item.record.id);
  EXPECT_EQ(early.status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(ReviewItem(proposer, q.id, item.record.id, {"edit", {}, {}, std::string("yes"), std::string("対応済"),
                                                          std::string("2026年度から全社で実施")})
                  .ok());
  auto entry = ProposeToLibrary(proposer, q.id, item.record.id);
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  EXPECT_EQ(entry->status, store::EntryStatus::kDraft);
  EXPECT_EQ(entry->question, item.item.question);
  EXPECT_EQ(entry->answer_text, "対応済");
  EXPECT_EQ(entry->remarks, "2026年度から全社で実施");
  EXPECT_EQ(ProposeToLibrary(proposer, q.id, item.record.id).status().code(), ErrorCode::kConflict);
  auto self = ApproveEntry(proposer, entry->id);
  EXPECT_EQ(self.status().message(), "entry " + std::to_string(entry->id) +
                                         " was proposed or changed by you; another person must approve it (four eyes)");
  // Someone who rewords the proposal may not approve their own wording either.
  Context reviewer = As(1);
  store::Entry reworded = *entry;
  reworded.remarks = "2026年度から全社で実施（監査済み）";
  ASSERT_TRUE(db_->UpdateEntry(store::kLocalTenant, reworded, reviewer.actor, "updated").ok());
  EXPECT_EQ(ApproveEntry(reviewer, entry->id).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(ApproveEntry(proposer, entry->id).status().code(), ErrorCode::kConflict);
  store::User third;
  third.email = "takahashi@example.com";
  auto third_id = db_->CreateUser(third);
  ASSERT_TRUE(third_id.ok());
  ASSERT_TRUE(db_->SetMembership({store::kLocalTenant.value, *third_id, "reviewer"}).ok());
  users_.push_back(*third_id);
  Context third_person = As(2);
  auto approved = ApproveEntry(third_person, entry->id);
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  EXPECT_EQ(approved->status, store::EntryStatus::kApproved);
}

TEST_F(QuestionnaireTest, AssigningTakesMembersAndListsMyOpenItems) {
  store::Questionnaire q = Open();
  std::vector<ItemView> items = Items(q.id);
  Context c = As(0);
  auto outsider = AssignItem(c, q.id, items[0].record.id, 9999);
  EXPECT_EQ(outsider.status().message(), "user 9999 is not a member of this organization");
  ASSERT_TRUE(AssignItem(c, q.id, items[0].record.id, users_[1]).ok());
  ASSERT_TRUE(AssignItem(c, q.id, items[1].record.id, users_[1]).ok());
  Context suzuki = As(1);
  auto mine = MyAssignments(suzuki, 0, 100);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].questionnaire.customer, "株式会社サンプル商事");
  ASSERT_TRUE(ReviewItem(suzuki, q.id, items[0].record.id, {"edit", {}, {}, std::string("yes"), {}, {}}).ok());
  EXPECT_EQ(MyAssignments(suzuki, 0, 100)->size(), 1u) << "answered items leave the list";
  ItemFilter f;
  f.assignee = users_[1];
  EXPECT_EQ(Items(q.id, f).size(), 2u);
}

TEST_F(QuestionnaireTest, ADamagedCellIsStoredWithReplacementCharactersNotAnException) {
  sheet::Checksheet sheet;
  sheet.format = "csv";
  sheet::Part p;
  p.id = "p1";
  sheet::Item it;
  it.id = "p1/1";
  it.question = std::string("管理者に多要素認証を") + "\xff\xfe" + "適用していますか。";
  p.items.push_back(it);
  sheet.parts.push_back(p);
  auto drafter = Drafter();
  std::vector<store::QuestionnaireItem> items = DraftItems(*drafter, sheet);
  ASSERT_EQ(items.size(), 1u);
  const json d = json::parse(items[0].draft_json);
  EXPECT_NE(d["item"]["question"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
}

TEST_F(QuestionnaireTest, AnotherTenantFindsNothing) {
  store::Questionnaire q = Open();
  auto other = db_->CreateTenant("他社");
  ASSERT_TRUE(other.ok());
  const std::int64_t item = Items(q.id).front().record.id;
  Context c = As(0, store::TenantId{other->id});
  EXPECT_EQ(GetQuestionnaire(c, q.id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ListItems(c, q.id, {}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ReviewItem(c, q.id, item, {"reject", {}, {}, {}, {}, {}}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(BuildFilledFile(c, q.id, false).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ListQuestionnaires(c, {})->total, 0);
  // An item of the questionnaire is not found under another questionnaire id of the tenant.
  Context mine = As(0);
  EXPECT_EQ(GetItem(mine, q.id + 1, item).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ts::service
