#include "security/ip_allowlist.h"

#include <gtest/gtest.h>

namespace ts::security {
namespace {

TEST(IpAllowList, Ipv4AndIpv6Ranges) {
  auto l = IpAllowList::Parse({"203.0.113.7/24", "198.51.100.10", "2001:db8:abcd::/48"});
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_TRUE(l->Allows("203.0.113.200"));
  EXPECT_FALSE(l->Allows("203.0.114.1"));
  EXPECT_TRUE(l->Allows("198.51.100.10"));
  EXPECT_FALSE(l->Allows("198.51.100.11"));
  EXPECT_TRUE(l->Allows("2001:db8:abcd:12::1"));
  EXPECT_FALSE(l->Allows("2001:db8:abce::1"));
  EXPECT_TRUE(l->Allows("::ffff:203.0.113.9"));  // IPv4-mapped
  EXPECT_FALSE(l->Allows("not-an-address"));
}

TEST(IpAllowList, EmptyAllowsAllAndBadEntriesAreNamed) {
  auto empty = IpAllowList::Parse({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->Allows("192.0.2.1"));
  auto bad = IpAllowList::Parse({"10.0.0.0/33"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "IP allow-list: '10.0.0.0/33' has an invalid prefix length");
  EXPECT_FALSE(IpAllowList::Parse({"10.0.0.300"}).ok());
  auto odd = IpAllowList::Parse({"10.0.0.0/9"});
  ASSERT_TRUE(odd.ok());
  EXPECT_TRUE(odd->Allows("10.127.255.255"));
  EXPECT_FALSE(odd->Allows("10.128.0.0"));
}

TEST(IpAllowList, LoopbackHostsAreRecognisedAndOthersAreNot) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) EXPECT_TRUE(IsLoopbackHost(host)) << host;
  for (const char* host : {"0.0.0.0", "10.0.0.1", "::", "128.0.0.1", "localhost.example.com", "", "12"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace ts::security
