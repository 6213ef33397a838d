#include "server/internal/store_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

namespace ts::server {
namespace {

// A fresh database file in the test's own directory, migrated once.
class StorePoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ts_store_pool_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    ASSERT_TRUE(store::OpenSqliteStore(path_).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  StorePool::Opener Opener() {
    return [this] {
      ++opened_;
      return store::OpenSqliteStore(path_);
    };
  }

  std::filesystem::path dir_;
  std::string path_;
  std::atomic<int> opened_{0};
  security::Key master_ = security::Key::Random();
  Keyring ring_{master_};
};

// Reads file `id` as a restarted server would: a new keyring (same master key) that knows only
// the keys in the database.
std::string ReadAfterRestart(const std::string& path, const security::Key& master, std::int64_t tenant,
                             std::int64_t id) {
  Keyring ring(master);
  StorePool pool([path] { return store::OpenSqliteStore(path); }, &ring, 1, std::chrono::seconds(1));
  auto db = pool.Take();
  if (!db.ok()) return "no connection";
  auto file = (**db).GetFile(tenant, id);
  if (!file.ok()) return file.status().message();
  return file->has_value() ? (*file)->content : "missing";
}

TEST_F(StorePoolTest, OpensOnlyWhatIsUsedAtOnceAndReusesIt) {
  StorePool pool(Opener(), &ring_, 4, std::chrono::milliseconds(50));
  for (int i = 0; i < 5; ++i) {
    auto a = pool.Take();
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE((**a).CountUsers().ok());
  }
  EXPECT_EQ(opened_, 1);  // one at a time: the same connection every time
  {
    auto a = pool.Take();
    auto b = pool.Take();
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(&**a, &**b);  // two at once: two connections
  }
  EXPECT_EQ(opened_, 2);
  EXPECT_EQ(pool.open_connections(), 2u);
}

TEST_F(StorePoolTest, WaitsForAConnectionWhenAllAreInUseAndGivesUpAfterTheWait) {
  StorePool pool(Opener(), &ring_, 2, std::chrono::milliseconds(100));
  auto a = pool.Take();
  auto b = pool.Take();
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool.Take();  // none comes back
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(c.status().message().find("busy"), std::string::npos) << c.status().message();

  std::thread giver([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    StorePool::Lease gone = std::move(*a);  // released at the end of this scope
  });
  auto d = pool.Take();  // the one given back
  giver.join();
  EXPECT_TRUE(d.ok());
  EXPECT_EQ(opened_, 2);
}

TEST_F(StorePoolTest, AConnectionLeftInATransactionIsClosedAndItsWritesRolledBack) {
  StorePool pool(Opener(), &ring_, 1, std::chrono::milliseconds(50));
  {
    auto a = pool.Take();
    ASSERT_TRUE(a.ok());
    // The body throws half way: the transaction is never ended by Transaction itself.
    EXPECT_THROW((void)(**a).Transaction([&]() -> Status {
      EXPECT_TRUE((**a).SetState("half", "written").ok());
      throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_TRUE((**a).InTransaction());
  }
  EXPECT_EQ(pool.open_connections(), 0u);
  auto b = pool.Take();
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE((**b).InTransaction());
  auto state = (**b).GetState("half");
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->has_value());
  EXPECT_EQ(opened_, 2);
}

TEST_F(StorePoolTest, ConnectionsOfOneKeyringMakeOneKeyPerTenantAndReadEachOthersSeals) {
  StorePool pool(Opener(), &ring_, 8, std::chrono::seconds(5));
  auto t = [&] {
    auto db = pool.Take();
    return (**db).CreateTenant("Acme");
  }();
  ASSERT_TRUE(t.ok());
  // Eight connections seal for the new tenant at once: the first makes its key, the rest find it.
  std::vector<std::string> sealed(8);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  {
    std::vector<StorePool::Lease> leases;
    for (int i = 0; i < 8; ++i) leases.push_back(std::move(pool.Take()).value());
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        auto s = (*leases[i]).PutFile(t->id, "f" + std::to_string(i) + ".csv", "secret " + std::to_string(i), 0);
        if (!s.ok()) ++failures;
      });
    }
    for (auto& th : threads) th.join();
  }
  EXPECT_EQ(failures, 0);
  auto db = pool.Take();
  ASSERT_TRUE(db.ok());
  auto keys = (**db).AllWrappedKeys();
  ASSERT_TRUE(keys.ok());
  int for_tenant = 0;
  for (const auto& [tenant, wrapped] : *keys) for_tenant += tenant == t->id;
  EXPECT_EQ(for_tenant, 1);
  // Every one opens with the one stored key, whichever connection sealed it.
  auto files = (**db).PageFiles(t->id, 0, 100);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->files.size(), 8u);
  for (const auto& f : files->files) {
    EXPECT_EQ(ReadAfterRestart(path_, master_, t->id, f.id).rfind("secret ", 0), 0u) << f.name;
  }
}

TEST_F(StorePoolTest, AKeyMadeInARolledBackTransactionIsNotUsedByOtherConnections) {
  StorePool pool(Opener(), &ring_, 2, std::chrono::seconds(5));
  auto a = pool.Take();
  ASSERT_TRUE(a.ok());
  auto t = (**a).CreateTenant("Acme");
  ASSERT_TRUE(t.ok());
  Status rolled = (**a).Transaction([&]() -> Status {
    EXPECT_TRUE((**a).PutFile(t->id, "gone.csv", "never stored", 0).ok());  // makes the key
    return InvalidArgument("changed my mind");
  });
  EXPECT_FALSE(rolled.ok());
  auto b = pool.Take();
  ASSERT_TRUE(b.ok());
  auto id = (**b).PutFile(t->id, "kept.csv", "stored", 0);  // makes the tenant's real key
  ASSERT_TRUE(id.ok());
  *a = StorePool::Lease();  // a's connection goes back; handed out again it forgets its keys
  auto c = pool.Take();
  ASSERT_TRUE(c.ok());
  auto file = (**c).GetFile(t->id, *id);
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_TRUE(file->has_value());
  EXPECT_EQ((*file)->content, "stored");
  EXPECT_EQ(ReadAfterRestart(path_, master_, t->id, *id), "stored");  // sealed with the key that was kept
}

}  // namespace
}  // namespace ts::server
