#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace
}  // namespace ts::store
