#include "server/request_parts.h"

#include <gtest/gtest.h>

namespace ts::server {
namespace {

TEST(RequestParts, CookieValueFindsTheNamedCookieOnly) {
  EXPECT_EQ(CookieValue("ts_session=abc", "ts_session"), "abc");
  EXPECT_EQ(CookieValue("theme=dark;  ts_session=abc ; x=1", "ts_session"), "abc");
  EXPECT_EQ(CookieValue("xts_session=evil; ts_session=good", "ts_session"), "good");
  EXPECT_EQ(CookieValue("ts_session_old=1", "ts_session"), "");
  EXPECT_EQ(CookieValue("", "ts_session"), "");
  EXPECT_EQ(CookieValue(";;;=", "ts_session"), "");
}

TEST(RequestParts, ForwardedForIsTrustedOnlyFromTrustedProxies) {
  const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.2"};
  // Not behind a proxy, or the peer is not a trusted proxy: the header is ignored.
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.5", false, proxies), "127.0.0.1");
  EXPECT_EQ(ClientAddress("198.51.100.9", "203.0.113.5", true, proxies), "198.51.100.9");
  // The nearest hop that is not a trusted proxy; what the client itself wrote further left
  // cannot override it.
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.5", true, proxies), "203.0.113.5");
  EXPECT_EQ(ClientAddress("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", true, proxies), "203.0.113.5");
  EXPECT_EQ(ClientAddress("127.0.0.1", " , ,10.0.0.2", true, proxies), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "", true, proxies), "127.0.0.1");
}

}  // namespace
}  // namespace ts::server
