// Sign-in state without I/O: opaque session tokens (256 bits, stored only as hashes), idle and
// absolute timeouts, CSRF tokens bound to the session, and lockout after repeated failures
// (per account and per client address) — all against an injectable clock so tests can move
// time. The server keeps these records in the store. Thread-compatible values; LoginGuard is
// not thread-safe (guard it with a mutex, or keep its state in the store).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace ts::security {

// Seconds since the Unix epoch; tests pass their own.
using UnixSeconds = std::int64_t;

// A new random token (base64url, 43 characters, 256 bits) and the hash to store (hex SHA-256).
// Only the hash is kept server-side; a stolen database does not yield usable sessions.
struct NewToken {
  std::string token;
  std::string hash;
};
NewToken NewOpaqueToken();
std::string TokenHash(std::string_view token);

struct SessionPolicy {
  int idle_minutes = 30;
  int absolute_hours = 12;
};

enum class SessionState { kValid, kIdleExpired, kAbsoluteExpired };

// `created` and `last_seen` are when the session began and was last used.
SessionState CheckSession(const SessionPolicy& policy, UnixSeconds created, UnixSeconds last_seen, UnixSeconds now);

// CSRF: a token derived from the session token with a server secret (HMAC-SHA256, hex), sent
// in a header or form field with every state-changing request and compared in constant time.
std::string CsrfToken(std::string_view server_secret, std::string_view session_token);
bool CheckCsrf(std::string_view server_secret, std::string_view session_token, std::string_view presented);

struct LockoutPolicy {
  int max_failures = 5;         // consecutive failures that lock the account
  int lock_minutes = 15;
  int address_failures = 20;    // failures from one address within the window that throttle it
  int address_window_minutes = 15;
};

// How many accounts and addresses LoginGuard tracks at most: names come from the requests, so
// the tables are bounded. Past it, entries whose lock and window have expired go first, then
// unlocked ones (their partial counts are lost); locked accounts are kept.
inline constexpr std::size_t kMaxTrackedSignIns = 100'000;

// Failed-sign-in bookkeeping, in memory (a restart forgets it). Unknown accounts are tracked
// like known ones, so the response (and its timing) does not reveal which accounts exist.
// Thread-safe: every request thread of a server uses the one guard.
class LoginGuard {
 public:
  explicit LoginGuard(LockoutPolicy policy, std::size_t max_tracked = kMaxTrackedSignIns)
      : policy_(policy), max_tracked_(max_tracked) {}
  // Whether a sign-in attempt may be checked at all now.
  bool AccountLocked(std::string_view account, UnixSeconds now) const;
  bool AddressThrottled(std::string_view address, UnixSeconds now) const;
  // Records a failure; returns true when this failure locked the account.
  bool RecordFailure(std::string_view account, std::string_view address, UnixSeconds now);
  void RecordSuccess(std::string_view account);
  std::size_t tracked() const {
    std::lock_guard<std::mutex> lock(mu_);
    return accounts_.size() + addresses_.size();
  }

 private:
  struct Account {
    int consecutive = 0;
    UnixSeconds locked_until = 0;
    UnixSeconds last_failure = 0;
  };
  struct Address {
    int failures = 0;
    UnixSeconds window_start = 0;
  };
  void Prune(UnixSeconds now);  // with mu_ held
  mutable std::mutex mu_;  // guards the tables below
  LockoutPolicy policy_;
  std::size_t max_tracked_;
  std::map<std::string, Account, std::less<>> accounts_;
  std::map<std::string, Address, std::less<>> addresses_;
};

}  // namespace ts::security
