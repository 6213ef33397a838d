#include "security/ip_allowlist.h"

#include <arpa/inet.h>

#include <cstring>

namespace ts::security {

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host.substr(0, 4) == "127.";
}

namespace {

// Any textual address as 16 bytes (IPv4 as ::ffff:a.b.c.d); false when it is not an address.
bool ToBytes(std::string_view text, std::array<unsigned char, 16>* out) {
  const std::string s(text);
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out->fill(0);
    (*out)[10] = 0xFF;
    (*out)[11] = 0xFF;
    std::memcpy(out->data() + 12, &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out->data(), &v6, 16);
    return true;
  }
  return false;
}

}  // namespace

Result<IpAllowList> IpAllowList::Parse(const std::vector<std::string>& entries) {
  IpAllowList list;
  for (const std::string& e : entries) {
    const std::size_t slash = e.find('/');
    const std::string addr = e.substr(0, slash);
    Range r{};
    if (!ToBytes(addr, &r.net)) return InvalidArgument("IP allow-list: '" + e + "' is not an IP address or range");
    const bool v4 = addr.find(':') == std::string::npos;
    int prefix = v4 ? 32 : 128;
    if (slash != std::string::npos) {
      const std::string p = e.substr(slash + 1);
      if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(p) > prefix) {
        return InvalidArgument("IP allow-list: '" + e + "' has an invalid prefix length");
      }
      prefix = std::stoi(p);
    }
    r.prefix = v4 ? 96 + prefix : prefix;
    // Clear host bits so that 203.0.113.7/24 means 203.0.113.0/24.
    for (int bit = r.prefix; bit < 128; ++bit) r.net[bit / 8] &= static_cast<unsigned char>(~(0x80 >> (bit % 8)));
    list.ranges_.push_back(r);
  }
  return list;
}

bool IpAllowList::Allows(std::string_view address) const {
  if (ranges_.empty()) return true;
  std::array<unsigned char, 16> a{};
  if (!ToBytes(address, &a)) return false;
  for (const Range& r : ranges_) {
    const int full = r.prefix / 8, rest = r.prefix % 8;
    if (std::memcmp(a.data(), r.net.data(), static_cast<std::size_t>(full)) != 0) continue;
    if (rest == 0) return true;
    const unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
    if ((a[static_cast<std::size_t>(full)] & mask) == r.net[static_cast<std::size_t>(full)]) return true;
  }
  return false;
}

}  // namespace ts::security
