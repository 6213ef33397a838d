// Tenant administration: members and roles, invitations, disabling and deleting users,
// forced password and MFA resets, the security settings, API tokens, the audit log (search
// and export) and deleting the organization.
#include <sstream>

#include "security/digest.h"
#include "server/internal/app.h"

namespace ts::server {
namespace {

json MemberJson(const store::User& u, const std::string& role) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"role", role},
          {"disabled", u.disabled},
          {"mfa_enrolled", u.totp_confirmed},
          {"created_at", u.created_at}};
}

Result<Role> RoleField(const json& b) {
  if (!b.contains("role") || !b["role"].is_string()) return InvalidArgument("role is required");
  auto r = RoleFromName(b["role"].get<std::string>());
  if (!r) return InvalidArgument("role must be owner, admin, editor, reviewer or viewer");
  return *r;
}

// Only owners hand out or take away ownership.
Status MayAssign(const Call& c, Role from, Role to) {
  if ((from == Role::kOwner || to == Role::kOwner) && c.role != Role::kOwner) {
    return Status(ErrorCode::kPermissionDenied, "only an owner may grant or remove the owner role");
  }
  return Status();
}

Result<int> CountOwners(Call& c) {
  TS_ASSIGN_OR_RETURN(std::vector<store::Membership> ms, c.db().TenantMembers(c.tenant));
  int n = 0;
  for (const auto& m : ms) n += m.role == "owner" ? 1 : 0;
  return n;
}

Result<std::pair<store::User, Role>> Member(Call& c) {
  const std::int64_t id = c.ids.at("user");
  TS_ASSIGN_OR_RETURN(std::optional<store::User> u, c.db().GetUser(id));
  TS_ASSIGN_OR_RETURN(std::optional<store::Membership> m, c.db().GetMembership(c.tenant, id));
  if (!u || !m) return NotFound("user " + std::to_string(id) + " not found");
  return std::make_pair(*u, RoleFromName(m->role).value_or(Role::kViewer));
}

Status ListUsers(Call& c) {
  TS_ASSIGN_OR_RETURN(std::vector<store::Membership> ms, c.db().TenantMembers(c.tenant));
  json items = json::array();
  for (const store::Membership& m : ms) {
    TS_ASSIGN_OR_RETURN(std::optional<store::User> u, c.db().GetUser(m.user_id));
    if (u) items.push_back(MemberJson(*u, m.role));
  }
  c.Json(200, {{"items", items}, {"total", items.size()}});
  return Status();
}

Status GetUser(Call& c) {
  TS_ASSIGN_OR_RETURN(auto m, Member(c));
  c.Json(200, MemberJson(m.first, std::string(RoleName(m.second))));
  return Status();
}

Status Invite(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string email, EmailFrom(b));
  TS_ASSIGN_OR_RETURN(Role role, RoleField(b));
  TS_RETURN_IF_ERROR(MayAssign(c, Role::kViewer, role));
  security::NewToken tok = security::NewOpaqueToken();
  store::Invitation inv;
  inv.tenant_id = c.tenant;
  inv.email = email;
  inv.role = std::string(RoleName(role));
  inv.token_hash = tok.hash;
  inv.created_by = c.user->id;
  inv.expires = c.app.Now() + std::int64_t{kInvitationDays} * 86400;
  TS_ASSIGN_OR_RETURN(std::int64_t id, c.db().InsertInvitation(inv));
  TS_RETURN_IF_ERROR(c.Audit("invitation.create", "invitation:" + std::to_string(id), "ok " + email + " as " + inv.role));
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(c.tenant));
  const std::string link = c.app.PublicUrl() + "/invite#token=" + tok.token;
  json out = {{"id", id}, {"email", email}, {"role", inv.role}, {"expires_at", IsoTime(inv.expires)}};
  DeliverLink(
      c, email, "trustsheet: " + t.name + " への招待 / invitation to " + t.name,
      t.name + " の trustsheet に " + inv.role + " として招待されました。次のリンクから " +
          std::to_string(kInvitationDays) + " 日以内にパスワードを設定してください（一度だけ使えます）。\n" +
          "You have been invited to " + t.name + " on trustsheet as " + inv.role + ". Set your password within " +
          std::to_string(kInvitationDays) + " days at this single-use link:\n\n" + link + "\n",
      "invitation", tok.token, link, &out);
  c.Json(201, out);
  return Status();
}

Status ChangeRole(Call& c) {
  TS_ASSIGN_OR_RETURN(auto m, Member(c));
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(Role role, RoleField(b));
  TS_RETURN_IF_ERROR(MayAssign(c, m.second, role));
  if (m.second == Role::kOwner && role != Role::kOwner) {
    TS_ASSIGN_OR_RETURN(int owners, CountOwners(c));
    if (owners <= 1) return Status(ErrorCode::kConflict, "the organization needs at least one owner");
  }
  TS_RETURN_IF_ERROR(c.db().SetMembership({c.tenant, m.first.id, std::string(RoleName(role))}));
  TS_RETURN_IF_ERROR(c.Audit("permission.change", "user:" + std::to_string(m.first.id),
                             "ok " + std::string(RoleName(m.second)) + " -> " + std::string(RoleName(role))));
  c.Json(200, MemberJson(m.first, std::string(RoleName(role))));
  return Status();
}

Status SetDisabled(Call& c, bool disabled) {
  TS_ASSIGN_OR_RETURN(auto m, Member(c));
  if (m.first.id == c.user->id) return Status(ErrorCode::kConflict, "you cannot disable yourself");
  TS_RETURN_IF_ERROR(MayAssign(c, m.second, m.second));
  store::User u = m.first;
  u.disabled = disabled;
  TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
  if (disabled) TS_RETURN_IF_ERROR(c.db().DeleteUserSessions(u.id));
  TS_RETURN_IF_ERROR(c.Audit(disabled ? "user.disable" : "user.enable", "user:" + std::to_string(u.id)));
  c.Json(200, MemberJson(u, std::string(RoleName(m.second))));
  return Status();
}

Status DeleteUser(Call& c) {
  TS_ASSIGN_OR_RETURN(auto m, Member(c));
  if (m.first.id == c.user->id) return Status(ErrorCode::kConflict, "you cannot delete yourself");
  TS_RETURN_IF_ERROR(MayAssign(c, m.second, m.second));
  store::User u = m.first;
  bool erased = false;
  TS_RETURN_IF_ERROR(c.db().Transaction([&]() -> Status {
    TS_RETURN_IF_ERROR(c.db().RemoveMembership(c.tenant, u.id));
    TS_RETURN_IF_ERROR(c.db().DeleteUserSessions(u.id));
    TS_ASSIGN_OR_RETURN(std::vector<store::Membership> rest, c.db().UserMemberships(u.id));
    if (!rest.empty()) return Status();
    // Member of nothing any more: erase the person, keep the id as a tombstone.
    u.deleted = true;
    u.disabled = true;
    u.email.clear();
    u.name.clear();
    u.password_hash.clear();
    u.totp_secret.clear();
    u.totp_confirmed = false;
    u.recovery_hashes = "[]";
    erased = true;
    return c.db().UpdateUser(u);
  }));
  TS_RETURN_IF_ERROR(c.Audit("user.delete", "user:" + std::to_string(u.id), erased ? "ok, account erased" : "ok, removed"));
  c.Json(200, {{"deleted", true}, {"account_erased", erased}});
  return Status();
}

Status ForcePasswordReset(Call& c) {
  TS_ASSIGN_OR_RETURN(auto m, Member(c));
  TS_RETURN_IF_ERROR(MayAssign(c, m.second, m.second));
  store::User u = m.first;
  security::NewToken tok = security::NewOpaqueToken();
  const std::int64_t expires = c.app.Now() + std::int64_t{kResetLinkHours} * 3600;
  TS_RETURN_IF_ERROR(c.db().Transaction([&]() -> Status {
    u.password_hash.clear();  // the old password stops working at once
    u.must_change_password = true;
    TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
    TS_RETURN_IF_ERROR(c.db().DeleteUserSessions(u.id));
    return c.db().SetState("reset:" + tok.hash, json{{"user", u.id}, {"tenant", c.tenant}, {"expires", expires}}.dump());
  }));
  TS_RETURN_IF_ERROR(c.Audit("password.force-reset", "user:" + std::to_string(u.id)));
  const std::string link = c.app.PublicUrl() + "/reset#token=" + tok.token;
  json out = {{"expires_at", IsoTime(expires)}};
  DeliverLink(
      c, u.email, "trustsheet: パスワードの再設定 / password reset",
      "管理者があなたの trustsheet のパスワードをリセットしました。次のリンクから " + std::to_string(kResetLinkHours) +
          " 時間以内に新しいパスワードを設定してください（一度だけ使えます）。\n" +
          "An administrator reset your trustsheet password. Set a new one within " + std::to_string(kResetLinkHours) +
          " hours at this single-use link:\n\n" + link + "\n",
      "password-reset", tok.token, link, &out);
  c.Json(200, out);
  return Status();
}

Status ResetMfa(Call& c) {
  TS_ASSIGN_OR_RETURN(auto m, Member(c));
  TS_RETURN_IF_ERROR(MayAssign(c, m.second, m.second));
  store::User u = m.first;
  u.totp_secret.clear();
  u.totp_confirmed = false;
  u.recovery_hashes = "[]";
  TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
  TS_RETURN_IF_ERROR(c.db().DeleteUserSessions(u.id));
  TS_RETURN_IF_ERROR(c.Audit("mfa.reset", "user:" + std::to_string(u.id)));
  c.Json(200, MemberJson(u, std::string(RoleName(m.second))));
  return Status();
}

Status GetSettings(Call& c) {
  TS_ASSIGN_OR_RETURN(TenantSettings s, c.Settings(c.tenant));
  c.Json(200, json::parse(TenantSettingsToJson(s)));
  return Status();
}

// PUT replaces the settings (absent keys take their defaults); PATCH merges the body into the
// current settings (RFC 7396: absent keys keep their values), so changing one setting cannot
// silently reset another (an IP allow-list, say).
Status PutSettings(Call& c, bool merge) {
  if (c.req.body.size() > kMaxJsonBytes) return ResourceExhausted("request body is larger than 1 MiB");
  std::string body = c.req.body;
  if (merge) {
    TS_ASSIGN_OR_RETURN(TenantSettings current, c.Settings(c.tenant));
    json patch = json::parse(c.req.body, nullptr, false);
    if (!patch.is_object()) return InvalidArgument("settings: not a JSON object");
    json merged = json::parse(TenantSettingsToJson(current));
    merged.merge_patch(patch);
    body = merged.dump();
  }
  TS_ASSIGN_OR_RETURN(TenantSettings s, ParseTenantSettings(body));
  // An allow-list that shuts out the admin saving it is almost surely a mistake.
  if (Status self = CheckIpAllowed(s, c.role, c.address); !self.ok()) {
    return InvalidArgument("settings: the allow-lists would block your own address " + c.address);
  }
  TS_RETURN_IF_ERROR(c.db().SetTenantSettings(c.tenant, TenantSettingsToJson(s)));
  TS_RETURN_IF_ERROR(c.Audit("settings.update", "organization:" + std::to_string(c.tenant)));
  c.Json(200, json::parse(TenantSettingsToJson(s)));
  return Status();
}

json TokenJson(const store::ApiToken& t) {
  json scopes = json::array();
  std::istringstream in(t.scopes);
  for (std::string s; in >> s;) scopes.push_back(s);
  return {{"id", t.id},
          {"name", t.name},
          {"user", t.user_id},
          {"scopes", scopes},
          {"created_at", IsoTime(t.created)},
          {"expires_at", IsoTime(t.expires)},
          {"revoked", t.revoked_at != 0}};
}

Status ListTokens(Call& c) {
  TS_ASSIGN_OR_RETURN(std::vector<store::ApiToken> all, c.db().ListApiTokens(c.tenant));
  json items = json::array();
  for (const auto& t : all) items.push_back(TokenJson(t));
  c.Json(200, {{"items", items}, {"total", items.size()}});
  return Status();
}

Status CreateToken(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string name, StringField(b, "name", 100));
  std::string scopes;
  if (!b.contains("scopes") || !b["scopes"].is_array() || b["scopes"].empty()) {
    return InvalidArgument("scopes must list \"read\" and/or \"write\"");
  }
  for (const json& s : b["scopes"]) {
    if (!s.is_string() || (s != "read" && s != "write")) return InvalidArgument("scopes must list \"read\" and/or \"write\"");
    scopes += (scopes.empty() ? "" : " ") + s.get<std::string>();
  }
  TS_ASSIGN_OR_RETURN(std::int64_t days, IntField(b, "expires_in_days", 90, 1, 365));
  security::NewToken tok = security::NewOpaqueToken();
  store::ApiToken t;
  t.tenant_id = c.tenant;
  t.user_id = c.user->id;
  t.name = name;
  t.token_hash = tok.hash;
  t.scopes = scopes;
  t.created = c.app.Now();
  t.expires = t.created + days * 86400;
  TS_ASSIGN_OR_RETURN(t.id, c.db().InsertApiToken(t));
  TS_RETURN_IF_ERROR(c.Audit("api-token.create", "token:" + std::to_string(t.id), "ok " + scopes));
  json out = TokenJson(t);
  out["token"] = tok.token;  // shown once; only its hash is kept
  c.Json(201, out);
  return Status();
}

Status RevokeToken(Call& c) {
  const std::int64_t id = c.ids.at("token");
  TS_RETURN_IF_ERROR(c.db().RevokeApiToken(c.tenant, id, c.app.Now()));
  TS_RETURN_IF_ERROR(c.Audit("api-token.revoke", "token:" + std::to_string(id)));
  c.Json(200, {{"revoked", true}});
  return Status();
}

std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

Status QueryAudit(Call& c) {
  store::AuditQuery q;
  q.tenant = c.tenant;
  q.action_prefix = c.req.get_param_value("action");
  q.actor = c.req.get_param_value("actor");
  q.since = c.req.get_param_value("since");
  q.until = c.req.get_param_value("until");
  TS_ASSIGN_OR_RETURN(q.after_seq, c.IntParam("after", 0, 0, INT64_MAX / 2));
  const std::string format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
  if (format != "json" && format != "csv") return InvalidArgument("format must be json or csv");
  TS_ASSIGN_OR_RETURN(std::int64_t limit, c.IntParam("limit", kDefaultPageSize, 1, format == "csv" ? 100000 : kMaxPageSize));
  q.limit = static_cast<int>(limit);
  TS_ASSIGN_OR_RETURN(std::vector<store::AuditRow> rows, c.db().QueryAudit(q));
  TS_RETURN_IF_ERROR(c.Audit("audit.export", format, "ok " + std::to_string(rows.size()) + " records"));
  if (format == "csv") {
    std::string out = "seq,time,actor,source,action,target,result,hash\r\n";
    for (const auto& r : rows) {
      out += std::to_string(r.seq) + "," + r.time + "," + CsvField(r.actor) + "," + CsvField(r.source) + "," +
             CsvField(r.action) + "," + CsvField(r.target) + "," + CsvField(r.result) + "," + r.hash + "\r\n";
    }
    c.res.set_header("Content-Disposition", "attachment; filename=\"audit.csv\"");
    c.res.set_content(out, "text/csv; charset=utf-8");
    return Status();
  }
  json items = json::array();
  for (const auto& r : rows) {
    items.push_back({{"seq", r.seq},
                     {"time", r.time},
                     {"actor", r.actor},
                     {"source", r.source},
                     {"action", r.action},
                     {"target", r.target},
                     {"result", r.result},
                     {"hash", r.hash}});
  }
  json out = {{"items", items}, {"limit", q.limit}};
  if (static_cast<int>(rows.size()) == q.limit) out["next_after"] = rows.back().seq;
  c.Json(200, out);
  return Status();
}

Status GetOrganization(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(c.tenant));
  c.Json(200, {{"id", t.id}, {"name", t.name}, {"created_at", t.created_at}});
  return Status();
}

Status DeleteOrganization(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(c.tenant));
  TS_ASSIGN_OR_RETURN(std::string confirm, StringField(b, "confirm", 200, false));
  if (confirm != t.name) {
    return InvalidArgument("to delete the organization, send {\"confirm\": \"<its name>\"}");
  }
  TS_RETURN_IF_ERROR(c.db().DeleteTenant(c.tenant));
  c.app.keyring->Forget(c.tenant);
  {
    std::lock_guard<std::mutex> lock(c.app.drafters_mu);
    c.app.drafters.ForgetTenant(c.tenant);
  }
  c.res.set_header("Set-Cookie", SessionCookie("", true));
  TS_RETURN_IF_ERROR(c.Audit("organization.delete", "organization:" + std::to_string(t.id), "ok, data and key destroyed"));
  c.Json(200, {{"deleted", true}});
  return Status();
}

}  // namespace

void AddAdminRoutes(std::vector<Route>* routes) {
  auto add = [&](const char* method, const char* pattern, Permission p, Handler h) -> Route& {
    return AddRoute(routes, method, pattern, p, std::move(h));
  };
  add("GET", "/api/v1/users", Permission::kManageUsers, ListUsers);
  add("GET", "/api/v1/users/{user}", Permission::kManageUsers, GetUser);
  add("PUT", "/api/v1/users/{user}/role", Permission::kManageUsers, ChangeRole);
  add("POST", "/api/v1/users/{user}/disable", Permission::kManageUsers, [](Call& c) { return SetDisabled(c, true); });
  add("POST", "/api/v1/users/{user}/enable", Permission::kManageUsers, [](Call& c) { return SetDisabled(c, false); });
  add("POST", "/api/v1/users/{user}/reset-password", Permission::kManageUsers, ForcePasswordReset)
      .own_transactions = true;  // mails the link
  add("POST", "/api/v1/users/{user}/reset-mfa", Permission::kManageUsers, ResetMfa);
  add("DELETE", "/api/v1/users/{user}", Permission::kManageUsers, DeleteUser);
  add("POST", "/api/v1/invitations", Permission::kManageUsers, Invite).own_transactions = true;  // mails the link
  add("GET", "/api/v1/settings", Permission::kManageSettings, GetSettings);
  add("PUT", "/api/v1/settings", Permission::kManageSettings, [](Call& c) { return PutSettings(c, false); });
  add("PATCH", "/api/v1/settings", Permission::kManageSettings, [](Call& c) { return PutSettings(c, true); });
  add("GET", "/api/v1/api-tokens", Permission::kManageSettings, ListTokens);
  add("POST", "/api/v1/api-tokens", Permission::kManageSettings, CreateToken);
  add("DELETE", "/api/v1/api-tokens/{token}", Permission::kManageSettings, RevokeToken);
  add("GET", "/api/v1/audit", Permission::kViewAudit, QueryAudit);
  add("GET", "/api/v1/organization", Permission::kSignedIn, GetOrganization);
  add("DELETE", "/api/v1/organization", Permission::kDeleteOrganization, DeleteOrganization);
}

}  // namespace ts::server
