#include "security/password.h"

#include <gtest/gtest.h>

namespace ts::security {
namespace {

bool Mentions(const std::vector<std::string>& why, std::string_view part) {
  for (const std::string& w : why) {
    if (w.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(Password, HashesAreArgon2idSaltedAndVerify) {
  auto a = HashPassword("Kumo-no-ue 2026!");
  auto b = HashPassword("Kumo-no-ue 2026!");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->starts_with("$argon2id$"));
  EXPECT_NE(*a, *b);  // salted
  EXPECT_TRUE(VerifyPassword(*a, "Kumo-no-ue 2026!"));
  EXPECT_FALSE(VerifyPassword(*a, "kumo-no-ue 2026!"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_FALSE(NeedsRehash(*a));
}

TEST(PasswordPolicy, DefaultsRejectShortSimpleCommonAndPersonal) {
  PasswordPolicy p;
  EXPECT_TRUE(Mentions(CheckPassword(p, "Ab1!", {}, {}), "at least 12"));
  EXPECT_TRUE(Mentions(CheckPassword(p, "onlylowercaseletters", {}, {}), "mix at least 3"));
  EXPECT_TRUE(Mentions(CheckPassword(p, "Password2024!", {}, {}), "commonly used"));
  EXPECT_TRUE(Mentions(CheckPassword(p, "Yamada-Taro-2026", {"yamada"}, {}), "your name"));
  EXPECT_TRUE(CheckPassword(p, "Kumo-no-ue 2026!", {"yamada"}, {}).empty());
}

TEST(PasswordPolicy, HistoryForbidsReuse) {
  PasswordPolicy p;
  p.history = 2;
  auto old1 = HashPassword("First-Secret-77");
  auto old2 = HashPassword("Second-Secret-88");
  auto old3 = HashPassword("Third-Secret-99");
  ASSERT_TRUE(old1.ok() && old2.ok() && old3.ok());
  const std::vector<std::string> recent = {*old3, *old2, *old1};  // newest first
  EXPECT_TRUE(Mentions(CheckPassword(p, "Second-Secret-88", {}, recent), "reuse"));
  EXPECT_FALSE(Mentions(CheckPassword(p, "First-Secret-77", {}, recent), "reuse"));  // older than N
}

TEST(PasswordPolicy, AgeRules) {
  PasswordPolicy p;
  EXPECT_FALSE(PasswordExpired(p, 10000));
  p.max_age_days = 90;
  p.min_age_days = 1;
  EXPECT_TRUE(PasswordExpired(p, 90));
  EXPECT_FALSE(PasswordExpired(p, 89));
  EXPECT_TRUE(PasswordTooNewToChange(p, 0));
  EXPECT_FALSE(PasswordTooNewToChange(p, 1));
}

}  // namespace
}  // namespace ts::security
