// Parsers of the untrusted request parts the middleware reads before anything else: the
// Cookie header and X-Forwarded-For. Plain functions over strings (fuzzed in
// fuzz/http_fuzz.cc); thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ts::server {

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "" when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The client's address: `peer`, or — when behind a proxy and `peer` is a trusted one — the
// nearest address in `forwarded_for` (X-Forwarded-For, "" when absent) that is not itself a
// trusted proxy.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for, bool behind_proxy,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace ts::server
