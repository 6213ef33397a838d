#include "security/totp.h"

#include <gtest/gtest.h>

#include <set>

namespace ts::security {
namespace {

// RFC 6238 appendix B, SHA-1: secret "12345678901234567890", 8 digits.
TEST(Totp, Rfc6238Vectors) {
  const std::string secret = Base32Encode("12345678901234567890");
  const std::pair<std::int64_t, const char*> vectors[] = {{59, "94287082"},         {1111111109, "07081804"},
                                                          {1111111111, "14050471"}, {1234567890, "89005924"},
                                                          {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [t, code] : vectors) {
    auto got = TotpCode(secret, t, 8);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, code) << t;
  }
}

TEST(Totp, Base32RoundTrip) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");  // RFC 4648 test vector (unpadded)
  auto back = Base32Decode("mzxw 6ytb oi======");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1").ok());
}

TEST(Totp, VerifyAllowsOneStepOfDriftAndNoReplay) {
  const std::string secret = NewTotpSecret();
  const std::int64_t now = 1'800'000'000;
  auto code = TotpCode(secret, now - 30);  // the previous step
  ASSERT_TRUE(code.ok());
  auto step = VerifyTotp(secret, *code, now, 0);
  ASSERT_TRUE(step.has_value());
  EXPECT_FALSE(VerifyTotp(secret, *code, now, *step).has_value());  // used once
  auto old = TotpCode(secret, now - 90);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(VerifyTotp(secret, *old, now, 0).has_value());  // too old
  EXPECT_FALSE(VerifyTotp(secret, "12345", now, 0).has_value());
}

TEST(Totp, EnrolmentUriAndRecoveryCodes) {
  EXPECT_EQ(OtpAuthUri("trustsheet", "山田@example.jp", "ABC"),
            "otpauth://totp/trustsheet:%E5%B1%B1%E7%94%B0%40example.jp?secret=ABC&issuer=trustsheet&algorithm=SHA1&"
            "digits=6&period=30");
  RecoveryCodes rc = NewRecoveryCodes();
  ASSERT_EQ(rc.codes.size(), 10u);
  std::set<std::string> unique(rc.codes.begin(), rc.codes.end());
  EXPECT_EQ(unique.size(), 10u);
  EXPECT_EQ(rc.codes[0].size(), 14u);
  std::string typed = rc.codes[3];
  for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(RecoveryCodeHash(typed), rc.hashes[3]);  // case and dashes do not matter
}

}  // namespace
}  // namespace ts::security

#include "security/qr_svg.h"

namespace ts::security {
namespace {

TEST(QrSvg, EnrolmentUriBecomesAnSvgQrCode) {
  auto svg = QrSvg(OtpAuthUri("trustsheet", "alice@example.jp", NewTotpSecret()));
  ASSERT_TRUE(svg.ok()) << svg.status().message();
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(svg->find("<path d=\"M"), std::string::npos);
  EXPECT_EQ(svg->find("<script"), std::string::npos);
  EXPECT_FALSE(QrSvg(std::string(3000, 'a')).ok());
}

}  // namespace
}  // namespace ts::security
