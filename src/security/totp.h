// Time-based one-time passwords (RFC 6238, HMAC-SHA1, 30 s, 6 digits) for MFA, their otpauth
// enrolment URI, and single-use recovery codes. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ts::security {

// RFC 4648 base32 without padding (what authenticator apps expect); decoding ignores case,
// spaces and '=' and fails on anything else.
std::string Base32Encode(std::string_view bytes);
Result<std::string> Base32Decode(std::string_view text);

// A new 160-bit secret, base32.
std::string NewTotpSecret();

// The code for `unix_time` (RFC 6238 with T0 = 0). `digits` 6..8.
Result<std::string> TotpCode(std::string_view secret_base32, std::int64_t unix_time, int digits = 6,
                             int step_seconds = 30);

// Accepts a code from the time step before, at or after `unix_time` (clock drift), but never a
// step at or before `last_used_step` (a code works once). Returns the step that matched.
std::optional<std::int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code, std::int64_t unix_time,
                                       std::int64_t last_used_step, int digits = 6, int step_seconds = 30);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string OtpAuthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32);

// `count` recovery codes ("xxxx-xxxx-xxxx", lower-case base32) and, for storage, their SHA-256
// hashes (hex); a code is checked by hashing what the user typed (case and dashes ignored).
struct RecoveryCodes {
  std::vector<std::string> codes;
  std::vector<std::string> hashes;
};
RecoveryCodes NewRecoveryCodes(int count = 10);
std::string RecoveryCodeHash(std::string_view typed);

}  // namespace ts::security
