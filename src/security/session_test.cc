#include "security/session.h"

#include <gtest/gtest.h>

#include <set>

namespace ts::security {
namespace {

TEST(Session, TokensAreRandomAndOnlyTheirHashIsKept) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    NewToken t = NewOpaqueToken();
    EXPECT_EQ(t.token.size(), 43u);  // 256 bits, base64url without padding
    EXPECT_EQ(t.hash, TokenHash(t.token));
    EXPECT_EQ(t.hash.size(), 64u);
    EXPECT_TRUE(seen.insert(t.token).second);
  }
}

TEST(Session, IdleAndAbsoluteTimeouts) {
  SessionPolicy p;  // 30 min idle, 12 h absolute
  const UnixSeconds t0 = 1'800'000'000;
  EXPECT_EQ(CheckSession(p, t0, t0, t0 + 29 * 60), SessionState::kValid);
  EXPECT_EQ(CheckSession(p, t0, t0, t0 + 30 * 60), SessionState::kIdleExpired);
  // Kept busy, the session still ends at 12 hours.
  EXPECT_EQ(CheckSession(p, t0, t0 + 12 * 3600 - 60, t0 + 12 * 3600 - 1), SessionState::kValid);
  EXPECT_EQ(CheckSession(p, t0, t0 + 12 * 3600 - 60, t0 + 12 * 3600), SessionState::kAbsoluteExpired);
  p.idle_minutes = 5;
  EXPECT_EQ(CheckSession(p, t0, t0, t0 + 5 * 60), SessionState::kIdleExpired);
}

TEST(Session, CsrfTokenIsBoundToSessionAndSecret) {
  const std::string secret = "server-secret-from-key-file";
  NewToken a = NewOpaqueToken(), b = NewOpaqueToken();
  const std::string ca = CsrfToken(secret, a.token);
  EXPECT_TRUE(CheckCsrf(secret, a.token, ca));
  EXPECT_FALSE(CheckCsrf(secret, b.token, ca));
  EXPECT_FALSE(CheckCsrf("other-secret", a.token, ca));
  EXPECT_FALSE(CheckCsrf(secret, a.token, ""));
}

TEST(LoginGuard, LocksAfterFiveFailuresForFifteenMinutes) {
  LoginGuard g(LockoutPolicy{});
  const UnixSeconds t = 1'800'000'000;
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(g.RecordFailure("alice", "192.0.2.1", t + i));
  EXPECT_FALSE(g.AccountLocked("alice", t + 4));
  EXPECT_TRUE(g.RecordFailure("alice", "192.0.2.1", t + 4));
  EXPECT_TRUE(g.AccountLocked("alice", t + 5));
  EXPECT_TRUE(g.AccountLocked("alice", t + 4 + 15 * 60 - 1));
  EXPECT_FALSE(g.AccountLocked("alice", t + 4 + 15 * 60));
  // Unknown accounts are treated the same way.
  for (int i = 0; i < 5; ++i) g.RecordFailure("nobody@example.jp", "192.0.2.2", t);
  EXPECT_TRUE(g.AccountLocked("nobody@example.jp", t + 1));
}

TEST(LoginGuard, SuccessResetsTheCountAndAddressesAreThrottled) {
  LockoutPolicy p;
  p.address_failures = 10;
  LoginGuard g(p);
  const UnixSeconds t = 1'800'000'000;
  for (int i = 0; i < 4; ++i) g.RecordFailure("bob", "198.51.100.7", t);
  g.RecordSuccess("bob");
  for (int i = 0; i < 4; ++i) g.RecordFailure("bob", "198.51.100.7", t);
  EXPECT_FALSE(g.AccountLocked("bob", t));
  // One address spraying many accounts is throttled even though no account locks.
  for (int i = 0; i < 2; ++i) g.RecordFailure("user" + std::to_string(i), "198.51.100.7", t);
  EXPECT_TRUE(g.AddressThrottled("198.51.100.7", t + 1));
  EXPECT_FALSE(g.AddressThrottled("198.51.100.8", t + 1));
  EXPECT_FALSE(g.AddressThrottled("198.51.100.7", t + 15 * 60));
}

TEST(LoginGuard, TracksABoundedNumberOfNamesAndKeepsLockedAccounts) {
  LoginGuard guard(LockoutPolicy{}, 1000);
  const UnixSeconds t0 = 1'790'000'000;
  for (int i = 0; i < 5; ++i) guard.RecordFailure("victim@example.com", "198.51.100.1", t0);
  ASSERT_TRUE(guard.AccountLocked("victim@example.com", t0 + 1));
  // A spray of made-up names from many addresses, within the lock.
  for (int i = 0; i < 20'000; ++i) {
    guard.RecordFailure("nobody" + std::to_string(i) + "@example.com", "203.0.113." + std::to_string(i % 250),
                        t0 + 1 + i / 100);
  }
  EXPECT_LE(guard.tracked(), 2000u);
  EXPECT_TRUE(guard.AccountLocked("victim@example.com", t0 + 200));
}

}  // namespace
}  // namespace ts::security
