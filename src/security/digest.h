// Small shared pieces of the security module: lower-case hex and SHA-256 as hex. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ts::security {

std::string Hex(const unsigned char* bytes, std::size_t n);
std::string Sha256Hex(std::string_view data);

}  // namespace ts::security
