#include "security/digest.h"

#include <sodium.h>

#include <cstdlib>

namespace ts::security {

void EnsureSodium() {
  // sodium_init is itself thread-safe and idempotent; a function-local static makes the
  // check happen once.
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    s += kHex[bytes[i] >> 4];
    s += kHex[bytes[i] & 15];
  }
  return s;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return Hex(digest, sizeof digest);
}

}  // namespace ts::security
