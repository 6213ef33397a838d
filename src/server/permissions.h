// Roles and what they may do: the one permission table the server enforces (in its router, for
// every route). Pure values; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace ts::server {

enum class Role { kOwner, kAdmin, kEditor, kReviewer, kViewer };
enum class Permission {
  kSignedIn,        // any member
  kRead,            // library, files, drafts
  kEdit,            // import, add and edit entries, upload sheets, open questionnaires
  kReview,          // review questionnaire items: accept, edit, reject, assign, comment
  kApprove,         // approve entries
  kManageUsers,     // invite, change roles, disable, delete, reset passwords and MFA
  kManageSettings,  // password/session/MFA policy, IP allow-lists, API tokens
  kViewAudit,       // search and export the audit log
  kDeleteOrganization,
};

std::string_view RoleName(Role r);
std::optional<Role> RoleFromName(std::string_view name);
std::string_view PermissionName(Permission p);
bool RoleAllows(Role r, Permission p);

}  // namespace ts::server
