#include "server/permissions.h"

#include <array>

namespace ts::server {
namespace {

constexpr std::array<Role, 5> kRoles = {Role::kOwner, Role::kAdmin, Role::kEditor, Role::kReviewer, Role::kViewer};

}  // namespace

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kOwner: return "owner";
    case Role::kAdmin: return "admin";
    case Role::kEditor: return "editor";
    case Role::kReviewer: return "reviewer";
    case Role::kViewer: break;
  }
  return "viewer";
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (Role r : kRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kSignedIn: return "signed-in";
    case Permission::kRead: return "read";
    case Permission::kEdit: return "edit";
    case Permission::kReview: return "review";
    case Permission::kApprove: return "approve";
    case Permission::kManageUsers: return "manage-users";
    case Permission::kManageSettings: return "manage-settings";
    case Permission::kViewAudit: return "view-audit";
    case Permission::kDeleteOrganization: break;
  }
  return "delete-organization";
}

// The table. Reviewers approve but do not edit, so no one approves their own edit by role
// alone; admins manage everything but cannot delete the organization.
bool RoleAllows(Role r, Permission p) {
  switch (p) {
    case Permission::kSignedIn:
    case Permission::kRead: return true;
    case Permission::kEdit: return r == Role::kOwner || r == Role::kAdmin || r == Role::kEditor;
    case Permission::kReview: return r != Role::kViewer;
    case Permission::kApprove: return r == Role::kOwner || r == Role::kAdmin || r == Role::kReviewer;
    case Permission::kManageUsers:
    case Permission::kManageSettings:
    case Permission::kViewAudit: return r == Role::kOwner || r == Role::kAdmin;
    case Permission::kDeleteOrganization: return r == Role::kOwner;
  }
  return false;
}

}  // namespace ts::server
