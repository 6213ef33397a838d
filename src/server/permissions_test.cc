#include "server/permissions.h"

#include <gtest/gtest.h>

#include <string>

namespace ts::server {
namespace {

// The whole table, row by row: R read, E edit, V review questionnaire items, A approve, U manage
// users, S manage settings, L view the audit log, D delete the organization.
TEST(Permissions, TableIsAsDocumented) {
  const struct {
    Role role;
    const char* allowed;
  } rows[] = {
      {Role::kOwner, "REVAUSLD"}, {Role::kAdmin, "REVAUSL"}, {Role::kEditor, "REV"}, {Role::kReviewer, "RVA"},
      {Role::kViewer, "R"},
  };
  const struct {
    char letter;
    Permission permission;
  } columns[] = {{'R', Permission::kRead},          {'E', Permission::kEdit},          {'V', Permission::kReview}, {'A', Permission::kApprove},
                 {'U', Permission::kManageUsers},   {'S', Permission::kManageSettings}, {'L', Permission::kViewAudit},
                 {'D', Permission::kDeleteOrganization}};
  for (const auto& row : rows) {
    EXPECT_TRUE(RoleAllows(row.role, Permission::kSignedIn));
    for (const auto& col : columns) {
      EXPECT_EQ(RoleAllows(row.role, col.permission), std::string(row.allowed).find(col.letter) != std::string::npos)
          << RoleName(row.role) << " / " << PermissionName(col.permission);
    }
  }
}

TEST(Permissions, RoleNamesRoundTripAndUnknownNamesAreRefused) {
  for (Role r : {Role::kOwner, Role::kAdmin, Role::kEditor, Role::kReviewer, Role::kViewer}) {
    EXPECT_EQ(RoleFromName(RoleName(r)), r);
  }
  EXPECT_EQ(RoleFromName("Owner"), std::nullopt);
  EXPECT_EQ(RoleFromName("root"), std::nullopt);
  EXPECT_EQ(RoleFromName(""), std::nullopt);
}

}  // namespace
}  // namespace ts::server
