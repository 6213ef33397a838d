// Passwords: Argon2id hashing (libsodium) and the per-tenant password policy (length,
// character classes, common passwords, reuse of recent passwords, age). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ts::security {

// Argon2id in libsodium's encoded form ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"); the cost
// travels with the hash. Errors: ResourceExhausted when memory for the hash is not available.
Result<std::string> HashPassword(std::string_view password);
// Constant-time check of `password` against an encoded hash; false for malformed hashes.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);
// True when the hash was made with weaker parameters than HashPassword uses now.
bool NeedsRehash(std::string_view encoded_hash);

struct PasswordPolicy {
  int min_length = 12;       // in characters (code points)
  int max_length = 128;      // bounds hashing work per request
  int min_classes = 3;       // of: lower case, upper case, digits, symbols (non-ASCII counts as a symbol)
  bool reject_common = true;  // data/security/common-passwords.txt, also with digits/symbols trimmed
  int history = 5;           // the last N passwords may not be reused (0: no check)
  int max_age_days = 0;      // 0: passwords do not expire
  int min_age_days = 0;      // 0: may be changed at once
};

// Every reason `password` breaks the policy, in words a user can act on; empty when it passes.
// `context` holds words the password must not contain (user name, e-mail local part, tenant).
// `recent_hashes` are the user's last encoded hashes, newest first.
std::vector<std::string> CheckPassword(const PasswordPolicy& policy, std::string_view password,
                                       const std::vector<std::string>& context,
                                       const std::vector<std::string>& recent_hashes);

// Age rules: whether a password set `age_days` ago must be changed, or may not be changed yet.
bool PasswordExpired(const PasswordPolicy& policy, std::int64_t age_days);
bool PasswordTooNewToChange(const PasswordPolicy& policy, std::int64_t age_days);

}  // namespace ts::security
