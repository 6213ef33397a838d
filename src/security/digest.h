// Small shared pieces of the security module: libsodium start-up, lower-case hex and SHA-256
// as hex. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ts::security {

// Initializes libsodium once (safe to call from any thread, any number of times). Aborts when
// the system has no secure randomness: nothing in this module could be safe without it.
void EnsureSodium();

std::string Hex(const unsigned char* bytes, std::size_t n);
std::string Sha256Hex(std::string_view data);

}  // namespace ts::security
