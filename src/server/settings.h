// A tenant's security settings (password policy, lockout, session timeouts, MFA requirement, IP
// allow-lists), kept as a JSON object on the tenant. Parsing validates every value against
// bounds so an admin cannot configure a weaker service than the floor. Values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "security/password.h"
#include "security/session.h"

namespace ts::server {

struct TenantSettings {
  security::PasswordPolicy password;
  security::SessionPolicy session;
  bool mfa_required = false;
  std::vector<std::string> ip_allow;        // everyone (empty: no restriction)
  std::vector<std::string> admin_ip_allow;  // owners and admins, in addition to ip_allow
};

// Missing keys take the defaults. Errors (InvalidArgument) name the key and the bound:
// "settings: password.min_length must be between 8 and 128".
Result<TenantSettings> ParseTenantSettings(std::string_view json);
std::string TenantSettingsToJson(const TenantSettings& s);

}  // namespace ts::server
