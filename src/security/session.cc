#include "security/session.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "security/digest.h"

namespace ts::security {

NewToken NewOpaqueToken() {
  EnsureSodium();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
  NewToken t{b64, ""};
  t.hash = TokenHash(t.token);
  return t;
}

std::string TokenHash(std::string_view token) { return Sha256Hex(token); }

SessionState CheckSession(const SessionPolicy& policy, UnixSeconds created, UnixSeconds last_seen, UnixSeconds now) {
  if (now - created >= static_cast<UnixSeconds>(policy.absolute_hours) * 3600) return SessionState::kAbsoluteExpired;
  if (now - last_seen >= static_cast<UnixSeconds>(policy.idle_minutes) * 60) return SessionState::kIdleExpired;
  return SessionState::kValid;
}

std::string CsrfToken(std::string_view server_secret, std::string_view session_token) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string msg = "csrf:" + std::string(session_token);
  HMAC(EVP_sha256(), server_secret.data(), static_cast<int>(server_secret.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &len);
  return Hex(mac, len);
}

bool CheckCsrf(std::string_view server_secret, std::string_view session_token, std::string_view presented) {
  const std::string want = CsrfToken(server_secret, session_token);
  return presented.size() == want.size() && sodium_memcmp(want.data(), presented.data(), want.size()) == 0;
}

bool LoginGuard::AccountLocked(std::string_view account, UnixSeconds now) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = accounts_.find(account);
  return it != accounts_.end() && it->second.locked_until > now;
}

bool LoginGuard::AddressThrottled(std::string_view address, UnixSeconds now) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = addresses_.find(address);
  if (it == addresses_.end()) return false;
  const Address& a = it->second;
  return now - a.window_start < static_cast<UnixSeconds>(policy_.address_window_minutes) * 60 &&
         a.failures >= policy_.address_failures;
}

bool LoginGuard::RecordFailure(std::string_view account, std::string_view address, UnixSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  Address& a = addresses_[std::string(address)];
  if (now - a.window_start >= static_cast<UnixSeconds>(policy_.address_window_minutes) * 60) {
    a.window_start = now;
    a.failures = 0;
  }
  ++a.failures;
  Account& acc = accounts_[std::string(account)];
  acc.last_failure = now;
  if (accounts_.size() > max_tracked_ || addresses_.size() > max_tracked_) Prune(now);
  if (acc.locked_until > now) return false;  // already locked
  if (++acc.consecutive >= policy_.max_failures) {
    acc.locked_until = now + static_cast<UnixSeconds>(policy_.lock_minutes) * 60;
    acc.consecutive = 0;
    return true;
  }
  return false;
}

void LoginGuard::Prune(UnixSeconds now) {
  const UnixSeconds lock_span = static_cast<UnixSeconds>(policy_.lock_minutes) * 60;
  const UnixSeconds window = static_cast<UnixSeconds>(policy_.address_window_minutes) * 60;
  // Down to three quarters, so pruning is paid for once per many failures. The entry just
  // recorded has last_failure == now and survives the first pass.
  const std::size_t target = max_tracked_ - max_tracked_ / 4;
  std::erase_if(addresses_, [&](const auto& kv) { return now - kv.second.window_start >= window; });
  std::erase_if(accounts_, [&](const auto& kv) {
    return kv.second.locked_until <= now && now - kv.second.last_failure >= lock_span;
  });
  for (auto it = accounts_.begin(); it != accounts_.end() && accounts_.size() > target;) {
    it = it->second.locked_until <= now && it->second.last_failure != now ? accounts_.erase(it) : std::next(it);
  }
  for (auto it = addresses_.begin(); it != addresses_.end() && addresses_.size() > target;) {
    it = it->second.window_start != now ? addresses_.erase(it) : std::next(it);
  }
}

void LoginGuard::RecordSuccess(std::string_view account) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = accounts_.find(account); it != accounts_.end()) it->second.consecutive = 0;
}

}  // namespace ts::security
