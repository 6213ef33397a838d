#include "server/internal/drafter_pool.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"

namespace ts::server {
namespace {

std::unique_ptr<match::Drafter> NewDrafter() {
  auto d = match::Drafter::Build({}, {}, &catalog::Catalog::Builtin());
  EXPECT_TRUE(d.ok());
  return std::move(d).value();
}

// What a request does: take one, or build one when told to, and give it back.
void TakeBuildGive(DrafterPool& pool, std::int64_t tenant, std::int64_t service, const std::string& revision) {
  bool busy = false;
  std::unique_ptr<match::Drafter> d = pool.Take(tenant, service, revision, &busy);
  ASSERT_FALSE(busy);
  if (!d) d = NewDrafter();
  pool.Give(tenant, service, revision, std::move(d));
}

TEST(DrafterPool, HandsBackADrafterOnlyForTheSameRevision) {
  DrafterPool pool(2, 8);
  bool busy = true;
  EXPECT_EQ(pool.Take(1, 10, "r1", &busy), nullptr);
  EXPECT_FALSE(busy);  // build one
  auto d = NewDrafter();
  match::Drafter* raw = d.get();
  pool.Give(1, 10, "r1", std::move(d));
  EXPECT_EQ(pool.Take(1, 11, "r1", &busy), nullptr);  // another service
  EXPECT_EQ(pool.Take(2, 10, "r1", &busy), nullptr);  // another tenant
  auto again = pool.Take(1, 10, "r1", &busy);
  EXPECT_EQ(again.get(), raw);
  pool.Give(1, 10, "r1", std::move(again));
  EXPECT_EQ(pool.Take(1, 10, "r2", &busy), nullptr);  // the library changed: the old one is dropped
  EXPECT_FALSE(busy);
  EXPECT_EQ(pool.idle(), 0u);
}

TEST(DrafterPool, DropsADrafterTakenBeforeAnEdit) {
  DrafterPool pool(2, 8);
  TakeBuildGive(pool, 1, 10, "r1");
  bool busy = false;
  auto in_use = pool.Take(1, 10, "r1", &busy);
  ASSERT_NE(in_use, nullptr);
  EXPECT_EQ(pool.Take(1, 10, "r2", &busy), nullptr);  // an edit while it was in use
  pool.Give(1, 10, "r2", NewDrafter());
  pool.Give(1, 10, "r1", std::move(in_use));  // stale: not kept
  EXPECT_EQ(pool.idle(), 1u);
  EXPECT_NE(pool.Take(1, 10, "r2", &busy), nullptr);
}

TEST(DrafterPool, AsksToWaitRatherThanBuildMoreThanPerService) {
  DrafterPool pool(2, 8);
  bool busy = false;
  EXPECT_EQ(pool.Take(1, 10, "r", &busy), nullptr);
  EXPECT_FALSE(busy);
  EXPECT_EQ(pool.Take(1, 10, "r", &busy), nullptr);
  EXPECT_FALSE(busy);
  EXPECT_EQ(pool.Take(1, 10, "r", &busy), nullptr);
  EXPECT_TRUE(busy);  // two are being built: wait for one
  pool.Give(1, 10, "r", NewDrafter());
  EXPECT_NE(pool.Take(1, 10, "r", &busy), nullptr);
  EXPECT_FALSE(busy);
  pool.Give(1, 10, "r", nullptr);  // a failed build frees its place
  EXPECT_EQ(pool.Take(1, 10, "r", &busy), nullptr);
  EXPECT_FALSE(busy);
}

TEST(DrafterPool, BoundsIdleDraftersPerServiceAndServices) {
  DrafterPool pool(1, 2);
  TakeBuildGive(pool, 1, 10, "r");
  TakeBuildGive(pool, 1, 11, "r");
  EXPECT_EQ(pool.idle(), 2u);
  TakeBuildGive(pool, 1, 12, "r");  // a third service: the least recently used (10) goes
  EXPECT_EQ(pool.idle(), 2u);
  bool busy = false;
  EXPECT_EQ(pool.Take(1, 10, "r", &busy), nullptr);
  EXPECT_NE(pool.Take(1, 12, "r", &busy), nullptr);
}

TEST(DrafterPool, ForgetsADeletedTenant) {
  DrafterPool pool(2, 8);
  TakeBuildGive(pool, 1, 10, "r");
  TakeBuildGive(pool, 2, 20, "r");
  pool.ForgetTenant(1);
  EXPECT_EQ(pool.idle(), 1u);
  bool busy = false;
  EXPECT_EQ(pool.Take(1, 10, "r", &busy), nullptr);
  EXPECT_NE(pool.Take(2, 20, "r", &busy), nullptr);
}

}  // namespace
}  // namespace ts::server
