// IP allow-lists: IPv4 and IPv6 CIDR ranges ("203.0.113.0/24", "2001:db8::/32"), parsed once,
// matched per request. IPv4-mapped IPv6 addresses (::ffff:203.0.113.5) match IPv4 ranges.
// Immutable after parsing; thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ts::security {

// Whether `host` (a listen or relay address as written: "127.0.0.1", "::1", "localhost") names
// this machine's loopback interface.
bool IsLoopbackHost(std::string_view host);

class IpAllowList {
 public:
  // One range per entry; a bare address is a /32 or /128. Errors name the entry.
  static Result<IpAllowList> Parse(const std::vector<std::string>& entries);
  // An empty list allows everyone (no restriction configured).
  bool empty() const { return ranges_.empty(); }
  bool Allows(std::string_view address) const;

 private:
  struct Range {
    std::array<unsigned char, 16> net;  // IPv4 stored as IPv4-mapped IPv6
    int prefix;                         // of 128
  };
  std::vector<Range> ranges_;
};

}  // namespace ts::security
