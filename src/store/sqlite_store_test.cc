#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>

#include "store/store.h"

namespace ts::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ts_store_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = OpenSqliteStore((dir_ / "t.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Entry Sample(std::int64_t service) {
    Entry e;
    e.service_id = service;
    e.question = "パスワードの最低文字数を定めているか。";
    e.mark = sheet::Mark::kYes;
    e.answer_text = "◯";
    e.remarks = "12文字以上";
    e.controls = {"IAM-07"};
    e.status = EntryStatus::kApproved;
    return e;
  }
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, EntriesKeepEveryVersion) {
  auto svc = store_->EnsureService(kLocalTenant, "会計クラウド");
  ASSERT_TRUE(svc.ok());
  auto id = store_->InsertEntry(kLocalTenant, Sample(svc->id), "tester");
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto e = store_->GetEntry(kLocalTenant, *id);
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->version, 1);
  EXPECT_EQ((*e)->controls, std::vector<std::string>{"IAM-07"});
  Entry changed = **e;
  changed.remarks = "14文字以上";
  ASSERT_TRUE(store_->UpdateEntry(kLocalTenant, changed, "tester", "updated").ok());
  auto h = store_->History(kLocalTenant, *id);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].snapshot.remarks, "12文字以上");
  EXPECT_EQ((*h)[1].snapshot.remarks, "14文字以上");
  EXPECT_EQ((*h)[1].action, "updated");
  EXPECT_EQ((*h)[1].version, 2);
}

TEST_F(SqliteStoreTest, OtherTenantsSeeNothing) {
  auto svc = store_->EnsureService(kLocalTenant, "svc");
  ASSERT_TRUE(svc.ok());
  auto id = store_->InsertEntry(kLocalTenant, Sample(svc->id), "tester");
  ASSERT_TRUE(id.ok());
  const TenantId other{2};
  auto e = store_->GetEntry(other, *id);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->has_value());
  auto list = store_->ListEntries(other, svc->id);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_EQ(store_->InsertEntry(other, Sample(svc->id), "x").status().code(), ErrorCode::kNotFound);
  Entry steal = Sample(svc->id);
  steal.id = *id;
  EXPECT_EQ(store_->UpdateEntry(other, steal, "x", "updated").code(), ErrorCode::kNotFound);
}

TEST_F(SqliteStoreTest, PagesEntriesByStatusWithTheirTotal) {
  auto svc = store_->EnsureService(kLocalTenant, "svc");
  ASSERT_TRUE(svc.ok());
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 7; ++i) {
    Entry e = Sample(svc->id);
    e.question += std::to_string(i);
    e.status = i % 3 == 0 ? EntryStatus::kDraft : EntryStatus::kApproved;
    ids.push_back(*store_->InsertEntry(kLocalTenant, e, "tester"));
  }
  auto page = store_->PageEntries(kLocalTenant, svc->id, std::nullopt, 2, 3);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->total, 7);
  ASSERT_EQ(page->entries.size(), 3u);
  EXPECT_EQ(page->entries[0].id, ids[2]);
  EXPECT_EQ(page->entries[0].remarks, "12文字以上");
  auto drafts = store_->PageEntries(kLocalTenant, svc->id, EntryStatus::kDraft, 0, 100);
  ASSERT_TRUE(drafts.ok());
  EXPECT_EQ(drafts->total, 3);  // items 0, 3 and 6
  ASSERT_EQ(drafts->entries.size(), 3u);
  EXPECT_EQ(drafts->entries[2].id, ids[6]);
  auto past_end = store_->PageEntries(kLocalTenant, svc->id, std::nullopt, 50, 10);
  ASSERT_TRUE(past_end.ok());
  EXPECT_TRUE(past_end->entries.empty());
  EXPECT_EQ(past_end->total, 7);
  auto other = store_->PageEntries(TenantId{2}, svc->id, std::nullopt, 0, 10);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->total, 0);
}

TEST_F(SqliteStoreTest, LibraryRevisionChangesWithEveryEdit) {
  auto svc = store_->EnsureService(kLocalTenant, "svc");
  auto other_svc = store_->EnsureService(kLocalTenant, "other");
  ASSERT_TRUE(svc.ok() && other_svc.ok());
  std::set<std::string> seen;
  auto revision = [&] { return *store_->LibraryRevision(kLocalTenant, svc->id); };
  seen.insert(revision());
  Entry e = Sample(svc->id);
  e.id = *store_->InsertEntry(kLocalTenant, e, "tester");
  EXPECT_TRUE(seen.insert(revision()).second) << "insert";
  e.remarks = "14文字以上";
  ASSERT_TRUE(store_->UpdateEntry(kLocalTenant, e, "tester", "updated").ok());
  EXPECT_TRUE(seen.insert(revision()).second) << "update";
  e.status = EntryStatus::kRetired;
  ASSERT_TRUE(store_->UpdateEntry(kLocalTenant, e, "tester", "retired").ok());
  EXPECT_TRUE(seen.insert(revision()).second) << "retire";
  ASSERT_TRUE(store_->AddDecision(kLocalTenant, svc->id, DecisionRecord{"key", "question", e.id, true, "tester", ""}).ok());
  EXPECT_TRUE(seen.insert(revision()).second) << "decision";
  const std::string before = revision();
  ASSERT_TRUE(store_->InsertEntry(kLocalTenant, Sample(other_svc->id), "tester").ok());
  EXPECT_EQ(revision(), before) << "another service's change";
}

TEST_F(SqliteStoreTest, FailedTransactionLeavesNothing) {
  auto svc = store_->EnsureService(kLocalTenant, "svc");
  ASSERT_TRUE(svc.ok());
  Status s = store_->Transaction([&]() -> Status {
    auto id = store_->InsertEntry(kLocalTenant, Sample(svc->id), "tester");
    if (!id.ok()) return id.status();
    return InvalidArgument("stop half way");
  });
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  auto list = store_->ListEntries(kLocalTenant, svc->id);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_F(SqliteStoreTest, AFailedNestedTransactionTakesBackOnlyItsOwnWrites) {
  auto svc = store_->EnsureService(kLocalTenant, "svc");
  ASSERT_TRUE(svc.ok());
  Status outer = store_->Transaction([&]() -> Status {
    auto kept = store_->InsertEntry(kLocalTenant, Sample(svc->id), "tester");
    if (!kept.ok()) return kept.status();
    Status inner = store_->Transaction([&]() -> Status {
      auto gone = store_->InsertEntry(kLocalTenant, Sample(svc->id), "tester");
      if (!gone.ok()) return gone.status();
      return InvalidArgument("stop half way");
    });
    EXPECT_EQ(inner.code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(store_->InTransaction());
    return Status();  // the outer one goes on and commits
  });
  ASSERT_TRUE(outer.ok()) << outer.message();
  EXPECT_FALSE(store_->InTransaction());
  auto list = store_->ListEntries(kLocalTenant, svc->id);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

TEST_F(SqliteStoreTest, ReopenKeepsDataAndDocumentsCountVersions) {
  auto svc = store_->EnsureService(kLocalTenant, "svc");
  ASSERT_TRUE(svc.ok());
  ASSERT_TRUE(store_->RecordImport(kLocalTenant, svc->id, "sheet", "a.xlsx", "xlsx").ok());
  auto again = store_->RecordImport(kLocalTenant, svc->id, "sheet", "a_v2.xlsx", "xlsx");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 2);
  store_.reset();
  auto reopened = OpenSqliteStore((dir_ / "t.db").string());
  ASSERT_TRUE(reopened.ok());
  auto docs = (*reopened)->ListDocuments(kLocalTenant, svc->id);
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].source_file, "a_v2.xlsx");
}

TEST(SqliteStore, NotADatabaseIsAClearError) {
  auto path = std::filesystem::temp_directory_path() / "ts_store_not_a_db.db";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not a database, just text long enough to fill a header of a page....", f);
    std::fclose(f);
  }
  auto s = OpenSqliteStore(path.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(path.string()), std::string::npos) << s.status().message();
  std::filesystem::remove(path);
}


// A stand-in for the server's keyring: reversible, bound to tenant/field/record, and it fails
// when any of them differ, like the AEAD would.
class TagCipher : public FieldCipher {
 public:
  Result<std::string> Seal(std::int64_t t, std::string_view kind, std::int64_t record, std::string_view p) override {
    std::string out = Tag(t, kind, record);
    for (char c : p) out.push_back(static_cast<char>(c ^ 0x5a));
    return out;
  }
  Result<std::string> Open(std::int64_t t, std::string_view kind, std::int64_t record, std::string_view s) override {
    const std::string tag = Tag(t, kind, record);
    if (s.substr(0, tag.size()) != tag) return Corruption("wrong tenant, field or record");
    std::string out;
    for (char c : s.substr(tag.size())) out.push_back(static_cast<char>(c ^ 0x5a));
    return out;
  }

 private:
  static std::string Tag(std::int64_t t, std::string_view kind, std::int64_t r) {
    return std::to_string(t) + "|" + std::string(kind) + "|" + std::to_string(r) + "|";
  }
};

TEST_F(SqliteStoreTest, SealsAnswersRemarksAndHistoryWhenACipherIsSet) {
  TagCipher cipher;
  store_->SetCipher(&cipher);
  auto svc = store_->EnsureService(kLocalTenant, "会計クラウド");
  ASSERT_TRUE(svc.ok());
  auto id = store_->InsertEntry(kLocalTenant, Sample(svc->id), "tester");
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto e = store_->GetEntry(kLocalTenant, *id);
  ASSERT_TRUE(e.ok() && e->has_value()) << e.status().message();
  EXPECT_EQ((*e)->remarks, "12文字以上");
  auto h = store_->History(kLocalTenant, *id);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ((*h)[0].snapshot.remarks, "12文字以上");
  auto file = store_->PutFile(kLocalTenant.value, "a.xlsx", "PK\x03\x04 bytes", 0);
  ASSERT_TRUE(file.ok());
  auto back = store_->GetFile(kLocalTenant.value, *file);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->content, "PK\x03\x04 bytes");
  EXPECT_FALSE(store_->GetFile(2, *file)->has_value());  // another tenant's id

  // Without the cipher the sealed values are an error, not ciphertext passed off as text.
  store_->SetCipher(nullptr);
  auto locked = store_->GetEntry(kLocalTenant, *id);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(locked.status().message().find("entry.answer " + std::to_string(*id) + " is encrypted"), std::string::npos)
      << locked.status().message();
}

TEST_F(SqliteStoreTest, PagesFilesNewestFirstWithSizeAndUploaderWithoutOpeningThem) {
  TagCipher cipher;  // sealed content is longer than the file: the size must be the file's
  store_->SetCipher(&cipher);
  User u;
  u.email = "uploader@example.com";
  auto user = store_->CreateUser(u);
  ASSERT_TRUE(user.ok()) << user.status().message();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto id = store_->PutFile(kLocalTenant.value, "sheet" + std::to_string(i) + ".xlsx", std::string(100 + i, 'x'),
                              i == 0 ? 0 : *user);
    ASSERT_TRUE(id.ok()) << id.status().message();
    ids.push_back(*id);
  }
  auto page = store_->PageFiles(kLocalTenant.value, 1, 2);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->files.size(), 2u);
  EXPECT_EQ(page->files[0].id, ids[3]);  // newest first, one skipped
  EXPECT_EQ(page->files[0].name, "sheet3.xlsx");
  EXPECT_EQ(page->files[0].size, 103);
  EXPECT_EQ(page->files[0].uploaded_by, *user);
  EXPECT_FALSE(page->files[0].created_at.empty());
  EXPECT_EQ(page->files[1].id, ids[2]);
  auto oldest = store_->PageFiles(kLocalTenant.value, 4, 10);
  ASSERT_TRUE(oldest.ok());
  ASSERT_EQ(oldest->files.size(), 1u);
  EXPECT_EQ(oldest->files[0].uploaded_by, 0);  // stored without an uploader
  auto other = store_->PageFiles(2, 0, 10);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->total, 0);
  EXPECT_TRUE(other->files.empty());

  // A file stored before sizes were kept (schema 2) is measured by opening it.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "t.db").c_str(), &raw), SQLITE_OK);
  const std::string forget = "UPDATE files SET size = NULL, uploaded_by = NULL WHERE id = " + std::to_string(ids[4]);
  EXPECT_EQ(sqlite3_exec(raw, forget.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto legacy = store_->PageFiles(kLocalTenant.value, 0, 1);
  ASSERT_TRUE(legacy.ok()) << legacy.status().message();
  ASSERT_EQ(legacy->files.size(), 1u);
  EXPECT_EQ(legacy->files[0].size, 104);
  EXPECT_EQ(legacy->files[0].uploaded_by, 0);
}

TEST_F(SqliteStoreTest, DeletedUsersKeepTheirIdAndFreeTheirEmail) {
  User u;
  u.email = "a@example.com";
  auto id = store_->CreateUser(u);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(store_->CreateUser(u).status().code(), ErrorCode::kAlreadyExists);
  u.id = *id;
  u.deleted = true;
  ASSERT_TRUE(store_->UpdateUser(u).ok());
  u.deleted = false;
  auto again = store_->CreateUser(u);
  ASSERT_TRUE(again.ok());
  EXPECT_GT(*again, *id);
}

TEST_F(SqliteStoreTest, PruneExpiredDropsDeadSessionsInvitationsAndResetLinks) {
  User u;
  u.email = "a@example.com";
  auto user = store_->CreateUser(u);
  ASSERT_TRUE(user.ok());
  const std::int64_t now = 1'790'000'000, day = 86400;
  auto session = [&](const char* hash, std::int64_t created, std::int64_t last_seen) {
    ASSERT_TRUE(store_->InsertSession(SessionRow{hash, *user, 1, created, last_seen, true, "127.0.0.1"}).ok());
  };
  session("live", now - 3600, now - 60);
  session("idle", now - 2 * day, now - day - 1);
  session("old", now - 8 * day, now - 60);
  auto invite = [&](const char* hash, std::int64_t expires) {
    Invitation i;
    i.tenant_id = 1;
    i.email = "b@example.com";
    i.role = "viewer";
    i.token_hash = hash;
    i.created_by = *user;
    i.expires = expires;
    ASSERT_TRUE(store_->InsertInvitation(i).ok());
  };
  invite("open", now + day);
  invite("expired", now - 1);
  ASSERT_TRUE(store_->SetState("reset:fresh", "{\"user\": 1, \"expires\": " + std::to_string(now + 60) + "}").ok());
  ASSERT_TRUE(store_->SetState("reset:stale", "{\"user\": 1, \"expires\": " + std::to_string(now - 60) + "}").ok());
  ASSERT_TRUE(store_->SetState("setup.token_hash", "kept").ok());

  auto pruned = store_->PruneExpired(now, day, 7 * day);
  ASSERT_TRUE(pruned.ok()) << pruned.status().message();
  EXPECT_EQ(*pruned, 4);
  EXPECT_TRUE(store_->GetSession("live")->has_value());
  EXPECT_FALSE(store_->GetSession("idle")->has_value());
  EXPECT_FALSE(store_->GetSession("old")->has_value());
  EXPECT_TRUE(store_->FindInvitation("open")->has_value());
  EXPECT_FALSE(store_->FindInvitation("expired")->has_value());
  EXPECT_TRUE(store_->GetState("reset:fresh")->has_value());
  EXPECT_FALSE(store_->GetState("reset:stale")->has_value());
  EXPECT_TRUE(store_->GetState("setup.token_hash")->has_value());
}

TEST_F(SqliteStoreTest, AuditLogIsAppendOnlyAndPrunesWithAnAnchor) {
  for (int i = 0; i < 3; ++i) {
    AuditRow r;
    r.time = "2026-11-2" + std::to_string(i) + "T00:00:00Z";
    r.action = "sign-in";
    ASSERT_TRUE(store_->AppendAudit(r, [](const AuditRow* last, AuditRow* row) {
      row->seq = last == nullptr ? 1 : last->seq + 1;
      row->prev_hash = last == nullptr ? "" : last->hash;
      row->hash = "h" + std::to_string(row->seq);
    }).ok());
  }
  auto pruned = store_->PruneAudit("2026-11-22");
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 2);
  std::string anchor;
  std::vector<std::int64_t> seqs;
  ASSERT_TRUE(store_->ScanAudit(&anchor, [&](const AuditRow& r) {
    seqs.push_back(r.seq);
    return Status();
  }).ok());
  EXPECT_EQ(anchor, "h2");
  EXPECT_EQ(seqs, std::vector<std::int64_t>{3});
}
}  // namespace
}  // namespace ts::store
