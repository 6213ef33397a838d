// libFuzzer target: the request parts the server reads from untrusted clients before anything
// else — the Cookie header, X-Forwarded-For, an organization's settings JSON (PUT
// /api/v1/settings) and IP allow-list entries — must accept or reject, never crash; accepted
// settings must serialize back stably. The input is split on NUL bytes into those four parts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "security/ip_allowlist.h"
#include "server/request_parts.h"
#include "server/settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  for (std::size_t pos = 0; parts.size() < 4;) {
    const std::size_t nul = in.find('\0', pos);
    parts.push_back(in.substr(pos, nul == std::string_view::npos ? std::string_view::npos : nul - pos));
    if (nul == std::string_view::npos) break;
    pos = nul + 1;
  }
  parts.resize(4);
  const std::string cookie = ts::server::CookieValue(parts[0], "ts_session");
  ts::fuzz::Check(cookie.size() <= parts[0].size(), "a cookie value comes from the header");
  const std::vector<std::string> proxies = {"127.0.0.1"};
  const std::string client = ts::server::ClientAddress("127.0.0.1", parts[1], true, proxies);
  ts::fuzz::Check(client == "127.0.0.1" || parts[1].find(client) != std::string_view::npos,
                  "the client address is the peer or one of the forwarded hops");
  ts::Result<ts::server::TenantSettings> settings = ts::server::ParseTenantSettings(parts[2]);
  if (settings.ok()) {
    const std::string once = ts::server::TenantSettingsToJson(*settings);
    ts::Result<ts::server::TenantSettings> again = ts::server::ParseTenantSettings(once);
    ts::fuzz::Check(again.ok(), "settings written back parse again");
    ts::fuzz::Check(ts::server::TenantSettingsToJson(*again) == once, "settings round trip is stable");
  }
  std::vector<std::string> ranges;
  std::size_t pos = 0;
  while (pos < parts[3].size() && ranges.size() < 64) {
    std::size_t nl = parts[3].find('\n', pos);
    if (nl == std::string_view::npos) nl = parts[3].size();
    ranges.emplace_back(parts[3].substr(pos, nl - pos));
    pos = nl + 1;
  }
  ts::Result<ts::security::IpAllowList> list = ts::security::IpAllowList::Parse(ranges);
  if (list.ok()) (void)list->Allows(client);
  return 0;
}
