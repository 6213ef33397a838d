#include "server/request_parts.h"

#include <algorithm>

namespace ts::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string CookieValue(std::string_view header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view part = Trim(header.substr(pos, end - pos));
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for, bool behind_proxy,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](std::string_view a) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), a) != trusted_proxies.end();
  };
  if (!behind_proxy || !trusted(peer) || forwarded_for.empty()) return peer;
  std::vector<std::string_view> hops;  // the header is bounded by the HTTP server's header limit
  std::size_t pos = 0;
  while (pos <= forwarded_for.size()) {
    std::size_t comma = forwarded_for.find(',', pos);
    if (comma == std::string_view::npos) comma = forwarded_for.size();
    if (std::string_view hop = Trim(forwarded_for.substr(pos, comma - pos)); !hop.empty()) hops.push_back(hop);
    pos = comma + 1;
  }
  // From the nearest hop back: the first one no trusted proxy vouches for is the client.
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!trusted(*it)) return std::string(*it);
  }
  return peer;
}

}  // namespace ts::server
