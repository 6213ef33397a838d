#include "security/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cctype>
#include <cstdio>

#include "security/digest.h"
#include "text/utf8.h"

namespace ts::security {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string RandomBytes(std::size_t n) {
  EnsureSodium();
  std::string b(n, '\0');
  randombytes_buf(b.data(), n);
  return b;
}

std::string UriEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ' || ch == '=' || ch == '-') continue;
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= '2' && c <= '7') v = 26 + (c - '2');
    if (v < 0) return InvalidArgument("base32: unexpected character");
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string NewTotpSecret() { return Base32Encode(RandomBytes(20)); }

Result<std::string> TotpCode(std::string_view secret_base32, std::int64_t unix_time, int digits, int step_seconds) {
  if (digits < 6 || digits > 8 || step_seconds <= 0) return InvalidArgument("totp: digits must be 6-8");
  TS_ASSIGN_OR_RETURN(std::string key, Base32Decode(secret_base32));
  if (key.size() < 10) return InvalidArgument("totp: secret shorter than 80 bits");
  const std::uint64_t counter = static_cast<std::uint64_t>(unix_time < 0 ? 0 : unix_time / step_seconds);
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) msg[7 - i] = static_cast<unsigned char>((counter >> (i * 8)) & 0xFF);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg, sizeof msg, mac, &mac_len) == nullptr) {
    return Internal("totp: HMAC failed");
  }
  const int offset = mac[mac_len - 1] & 0x0F;  // RFC 4226 dynamic truncation
  const std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                            (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                            (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  std::uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string code = std::to_string(bin % mod);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code, std::int64_t unix_time,
                                       std::int64_t last_used_step, int digits, int step_seconds) {
  if (code.size() != static_cast<std::size_t>(digits)) return std::nullopt;
  const std::int64_t step = unix_time / step_seconds;
  for (std::int64_t s = step - 1; s <= step + 1; ++s) {
    if (s <= last_used_step) continue;
    Result<std::string> want = TotpCode(secret_base32, s * step_seconds, digits, step_seconds);
    if (want.ok() && want->size() == code.size() && sodium_memcmp(want->data(), code.data(), code.size()) == 0) {
      return s;
    }
  }
  return std::nullopt;
}

std::string OtpAuthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
  return "otpauth://totp/" + UriEscape(issuer) + ":" + UriEscape(account) + "?secret=" + std::string(secret_base32) +
         "&issuer=" + UriEscape(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::string RecoveryCodeHash(std::string_view typed) {
  std::string canonical;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    canonical += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return Sha256Hex(canonical);
}

RecoveryCodes NewRecoveryCodes(int count) {
  RecoveryCodes out;
  for (int i = 0; i < count; ++i) {
    const std::string raw = text::AsciiLower(Base32Encode(RandomBytes(8)).substr(0, 12));  // 60 bits
    std::string code = raw.substr(0, 4) + "-" + raw.substr(4, 4) + "-" + raw.substr(8, 4);
    out.hashes.push_back(RecoveryCodeHash(code));
    out.codes.push_back(std::move(code));
  }
  return out;
}

}  // namespace ts::security
