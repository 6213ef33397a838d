// Sign-in and the signed-in user's own account: first-admin setup, sign-in with lockout and
// throttling, MFA verification and enrolment, sign-out (here and everywhere), password
// change and reset, accepting invitations, creating organizations.
#include <algorithm>

#include "security/digest.h"
#include "security/password.h"
#include "security/qr_svg.h"
#include "security/totp.h"
#include "server/internal/app.h"
#include "text/utf8.h"

namespace ts::server {

Result<std::string> EmailFrom(const json& b) {
  if (!b.contains("email") || !b["email"].is_string()) return InvalidArgument("email is required");
  std::string e = text::AsciiLower(b["email"].get<std::string>());
  e.erase(0, e.find_first_not_of(' '));
  e.erase(e.find_last_not_of(' ') + 1);
  const std::size_t at = e.find('@');
  if (e.size() < 3 || e.size() > 254 || at == std::string::npos || at == 0 || at + 1 == e.size() ||
      e.find_first_of(" \t\r\n<>\"") != std::string::npos) {
    return InvalidArgument("email is not an e-mail address");
  }
  return e;
}

Result<std::string> StringField(const json& b, const char* key, std::size_t max_bytes, bool required) {
  if (!b.contains(key)) {
    if (required) return InvalidArgument(std::string(key) + " is required");
    return std::string();
  }
  if (!b[key].is_string()) return InvalidArgument(std::string(key) + " must be a string");
  std::string v = b[key].get<std::string>();
  if (v.size() > max_bytes) return InvalidArgument(std::string(key) + " is too long (at most " + std::to_string(max_bytes) + " bytes)");
  if (required && v.empty()) return InvalidArgument(std::string(key) + " is required");
  return v;
}

Result<std::int64_t> IntField(const json& b, const char* key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
  if (!b.contains(key)) return fallback;
  if (!b[key].is_number_integer() || b[key].get<std::int64_t>() < lo || b[key].get<std::int64_t>() > hi) {
    return InvalidArgument(std::string(key) + " must be a whole number between " + std::to_string(lo) + " and " +
                           std::to_string(hi));
  }
  return b[key].get<std::int64_t>();
}

namespace {

constexpr std::size_t kMaxPasswordBytes = 1024;  // policy allows 128 characters; bounds hashing input

json UserJson(const store::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"mfa_enrolled", u.totp_confirmed},
          {"disabled", u.disabled},
          {"language", u.language}};
}

// Checks `password` against the tenant's policy and the user's recent passwords.
Status CheckNewPassword(Call& c, const security::PasswordPolicy& policy, const std::string& password,
                        const std::string& email, const std::string& name, const std::string& organization,
                        std::int64_t user_id) {
  std::vector<std::string> recent;
  if (user_id != 0 && policy.history > 0) {
    TS_ASSIGN_OR_RETURN(recent, c.db().RecentPasswords(user_id, policy.history));
  }
  std::vector<std::string> context = {email.substr(0, email.find('@')), name, organization};
  std::vector<std::string> problems = security::CheckPassword(policy, password, context, recent);
  if (problems.empty()) return Status();
  std::string m = "password does not meet the policy: ";
  for (std::size_t i = 0; i < problems.size(); ++i) m += (i ? "; " : "") + problems[i];
  return InvalidArgument(m);
}

// Hashes a new password. Argon2id takes a while: never inside a store transaction, which would
// hold the database's one writer (and every other request's writes) that long.
Result<std::string> HashNewPassword(const std::string& password) { return security::HashPassword(password); }

// Writes a hash from HashNewPassword as the user's password, with history, ending their sessions.
Status StorePassword(Call& c, store::User* u, const std::string& hash) {
  u->password_hash = hash;
  u->password_changed_at = c.app.Now();
  u->must_change_password = false;
  TS_RETURN_IF_ERROR(c.db().UpdateUser(*u));
  TS_RETURN_IF_ERROR(c.db().AddPasswordHistory(u->id, hash));
  return c.db().DeleteUserSessions(u->id);
}

// Sets a new password: hash, history, and every other session of the user ends.
Status SetPassword(Call& c, store::User* u, const std::string& password) {
  TS_ASSIGN_OR_RETURN(std::string hash, HashNewPassword(password));
  return StorePassword(c, u, hash);
}

json SignedInJson(Call& c, const store::User& u, const store::Tenant& t, Role role, const std::string& csrf,
                  const TenantSettings& settings) {
  std::string mfa = "ok";
  if (u.totp_confirmed) {
    mfa = "verify";
  } else if (settings.mfa_required) {
    mfa = "enrol";
  }
  const bool change = u.must_change_password ||
                      security::PasswordExpired(settings.password, (c.app.Now() - u.password_changed_at) / 86400);
  return {{"user", UserJson(u)},
          {"organization", {{"id", t.id}, {"name", t.name}}},
          {"role", RoleName(role)},
          {"csrf_token", csrf},
          {"mfa", mfa},
          {"password_change_required", change}};
}

Status Setup(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string token, StringField(b, "token", 256));
  TS_ASSIGN_OR_RETURN(std::optional<std::string> want, c.db().GetState("setup.token_hash"));
  TS_ASSIGN_OR_RETURN(std::int64_t users, c.db().CountUsers());
  if (!want || users != 0 || *want != security::TokenHash(token)) {
    (void)c.Audit("setup", "", "denied");
    return Status(ErrorCode::kPermissionDenied, "setup link is invalid or was used already");
  }
  TS_ASSIGN_OR_RETURN(std::string email, EmailFrom(b));
  TS_ASSIGN_OR_RETURN(std::string name, StringField(b, "name", 200, false));
  TS_ASSIGN_OR_RETURN(std::string org, StringField(b, "organization", 200));
  TS_ASSIGN_OR_RETURN(std::string password, StringField(b, "password", kMaxPasswordBytes));
  TenantSettings defaults;
  TS_RETURN_IF_ERROR(CheckNewPassword(c, defaults.password, password, email, name, org, 0));
  std::string csrf;
  store::User u;
  store::Tenant t;
  TS_ASSIGN_OR_RETURN(std::string hash, HashNewPassword(password));
  TS_RETURN_IF_ERROR(c.db().Transaction([&]() -> Status {
    // Again, now in the transaction: another setup may have run while the password was hashed.
    TS_ASSIGN_OR_RETURN(std::optional<std::string> still, c.db().GetState("setup.token_hash"));
    TS_ASSIGN_OR_RETURN(std::int64_t now_users, c.db().CountUsers());
    if (!still || now_users != 0 || *still != security::TokenHash(token)) {
      return Status(ErrorCode::kPermissionDenied, "setup link is invalid or was used already");
    }
    TS_ASSIGN_OR_RETURN(t, c.db().CreateTenant(org));
    TS_RETURN_IF_ERROR(c.db().SetTenantSettings(t.id, TenantSettingsToJson(defaults)));
    u.email = email;
    u.name = name;
    TS_ASSIGN_OR_RETURN(u.id, c.db().CreateUser(u));
    TS_RETURN_IF_ERROR(StorePassword(c, &u, hash));
    TS_RETURN_IF_ERROR(c.db().SetMembership({t.id, u.id, "owner"}));
    // With demo data loaded, the first admin owns the demo organization too.
    TS_ASSIGN_OR_RETURN(std::optional<std::string> demo, c.db().GetState("demo.tenant"));
    if (demo) TS_RETURN_IF_ERROR(c.db().SetMembership({std::stoll(*demo), u.id, "owner"}));
    return c.db().SetState("setup.token_hash", "");
  }));
  c.app.setup_pending = false;
  c.tenant = t.id;
  c.user = u;
  TS_RETURN_IF_ERROR(c.Audit("setup", "user:" + std::to_string(u.id)));
  TS_ASSIGN_OR_RETURN(csrf, StartSession(c, u, t.id, true));
  c.Json(201, SignedInJson(c, u, t, Role::kOwner, csrf, defaults));
  return Status();
}

Status SignIn(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string email, EmailFrom(b));
  TS_ASSIGN_OR_RETURN(std::string password, StringField(b, "password", kMaxPasswordBytes));
  const std::int64_t wanted_org = b.contains("organization") && b["organization"].is_number_integer()
                                      ? b["organization"].get<std::int64_t>()
                                      : 0;
  const std::int64_t now = c.app.Now();
  const std::string actor = "email:" + email;
  if (c.app.guard->AddressThrottled(c.address, now)) {
    (void)c.AuditAs(0, actor, "sign-in.throttled", "", "denied");
    return Status(ErrorCode::kUnavailable, "too many failed sign-ins from this address; try again later");
  }
  if (c.app.guard->AccountLocked(email, now)) {
    (void)c.AuditAs(0, actor, "sign-in.locked", "", "denied");
    c.Json(429, {{"error", {{"code", "locked"}, {"message", "too many failed sign-ins; try again later"}}}});
    return Status();
  }
  TS_ASSIGN_OR_RETURN(std::optional<store::User> user, c.db().FindUserByEmail(email));
  // Unknown, disabled and password-less accounts verify against a dummy hash: same work, same
  // answer, so responses do not tell which accounts exist.
  const bool usable = user && !user->disabled && !user->password_hash.empty();
  const std::string hash = usable ? user->password_hash : c.app.dummy_hash;
  bool ok = security::VerifyPassword(hash, password) && usable;
  std::optional<store::Membership> member;
  if (ok) {
    TS_ASSIGN_OR_RETURN(std::vector<store::Membership> ms, c.db().UserMemberships(user->id));
    // The organization asked for; else the one signed in to last; else the first.
    for (const store::Membership& m : ms) {
      if (m.tenant_id == (wanted_org != 0 ? wanted_org : user->last_tenant)) member = m;
    }
    if (!member && wanted_org == 0 && !ms.empty()) member = ms.front();
    ok = member.has_value();
  }
  if (!ok) {
    const bool locked_now = c.app.guard->RecordFailure(email, c.address, now);
    // Failures against a real account go to the log of every organization it belongs to, so
    // each one's admins see attacks on their members; unknown accounts go to the service log.
    std::vector<std::int64_t> tenants;
    if (user && !user->deleted) {
      TS_ASSIGN_OR_RETURN(std::vector<store::Membership> ms, c.db().UserMemberships(user->id));
      for (const store::Membership& m : ms) tenants.push_back(m.tenant_id);
    }
    if (tenants.empty()) tenants.push_back(0);
    for (std::int64_t tenant : tenants) {
      (void)c.AuditAs(tenant, actor, "sign-in.failed", "", "denied");
      if (locked_now) (void)c.AuditAs(tenant, actor, "sign-in.lockout", "", "locked");
    }
    return Status(ErrorCode::kUnauthenticated, "e-mail or password is wrong");
  }
  c.app.guard->RecordSuccess(email);
  c.tenant = member->tenant_id;
  c.user = *user;
  const Role role = RoleFromName(member->role).value_or(Role::kViewer);
  TS_ASSIGN_OR_RETURN(TenantSettings settings, c.Settings(c.tenant));
  if (Status ip = CheckIpAllowed(settings, role, c.address); !ip.ok()) {
    (void)c.Audit("sign-in", "", "ip not allowed");
    c.Json(403, {{"error", {{"code", "ip_not_allowed"}, {"message", ip.message()}}}});
    return Status();
  }
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(c.tenant));
  const bool mfa_done = !user->totp_confirmed && !settings.mfa_required;
  TS_ASSIGN_OR_RETURN(std::string csrf, StartSession(c, *user, c.tenant, mfa_done));
  TS_RETURN_IF_ERROR(c.Audit("sign-in", "", mfa_done ? "ok" : "ok, mfa pending"));
  c.Json(200, SignedInJson(c, *user, t, role, csrf, settings));
  return Status();
}

// Replaces the session by a new one (new id) after a change of privilege (MFA done).
Result<std::string> RenewSession(Call& c, bool mfa_done) {
  if (c.session) TS_RETURN_IF_ERROR(c.db().DeleteSession(c.session->token_hash));
  return StartSession(c, *c.user, c.tenant, mfa_done);
}

Status VerifyMfa(Call& c) {
  if (!c.session) return Status(ErrorCode::kPermissionDenied, "MFA is verified in a browser session");
  if (c.session->mfa_done) return Status(ErrorCode::kConflict, "MFA is done for this session");
  if (!c.user->totp_confirmed) return Status(ErrorCode::kPermissionDenied, "enrol an authenticator first (POST /api/v1/me/mfa/enrol)");
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string code, StringField(b, "code", 16, false));
  TS_ASSIGN_OR_RETURN(std::string recovery, StringField(b, "recovery_code", 64, false));
  const std::int64_t now = c.app.Now();
  store::User u = *c.user;
  bool ok = false;
  std::string how = "totp";
  if (!code.empty()) {
    if (auto step = security::VerifyTotp(u.totp_secret, code, now, u.totp_last_step)) {
      u.totp_last_step = *step;
      ok = true;
    }
  } else if (!recovery.empty()) {
    how = "recovery code";
    json hashes = json::parse(u.recovery_hashes, nullptr, false);
    const std::string h = security::RecoveryCodeHash(recovery);
    if (hashes.is_array()) {
      for (auto it = hashes.begin(); it != hashes.end(); ++it) {
        if (it->is_string() && it->get<std::string>() == h) {
          hashes.erase(it);
          u.recovery_hashes = hashes.dump();
          ok = true;
          break;
        }
      }
    }
  } else {
    return InvalidArgument("give code or recovery_code");
  }
  if (!ok) {
    // One-time codes are guessable in 10^6 tries: failures count toward the account's lockout.
    if (c.app.guard->RecordFailure(u.email, c.address, now)) {
      TS_RETURN_IF_ERROR(c.db().DeleteSession(c.session->token_hash));
      (void)c.Audit("sign-in.lockout", "", "locked after MFA failures");
    }
    (void)c.Audit("mfa.verify", how, "denied");
    return Status(ErrorCode::kUnauthenticated, "code is wrong or was used already");
  }
  c.app.guard->RecordSuccess(u.email);
  TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
  TS_ASSIGN_OR_RETURN(std::string csrf, RenewSession(c, true));
  TS_RETURN_IF_ERROR(c.Audit("mfa.verify", how));
  c.Json(200, {{"csrf_token", csrf}, {"mfa", "ok"}});
  return Status();
}

Status Me(Call& c) {
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(c.tenant));
  TS_ASSIGN_OR_RETURN(TenantSettings settings, c.Settings(c.tenant));
  TS_ASSIGN_OR_RETURN(std::vector<store::Membership> ms, c.db().UserMemberships(c.user->id));
  json orgs = json::array();
  for (const store::Membership& m : ms) {
    TS_ASSIGN_OR_RETURN(store::Tenant o, c.db().GetTenant(m.tenant_id));
    orgs.push_back({{"id", o.id}, {"name", o.name}, {"role", m.role}});
  }
  json perms = json::array();
  for (Permission p : {Permission::kRead, Permission::kEdit, Permission::kReview, Permission::kApprove, Permission::kManageUsers,
                       Permission::kManageSettings, Permission::kViewAudit, Permission::kDeleteOrganization}) {
    if (RoleAllows(c.role, p)) perms.push_back(PermissionName(p));
  }
  json out = SignedInJson(c, *c.user, t, c.role, c.session ? security::CsrfToken(c.app.csrf_secret, c.session_token) : "",
                          settings);
  if (c.session && c.session->mfa_done) out["mfa"] = "ok";
  out["permissions"] = perms;
  out["organizations"] = orgs;
  out["mfa_required"] = settings.mfa_required;
  c.Json(200, out);
  return Status();
}

// The signed-in user's own preferences: display name and the web pages' language.
Status UpdateMe(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  store::User u = *c.user;
  std::string what;
  if (b.contains("language")) {
    TS_ASSIGN_OR_RETURN(u.language, StringField(b, "language", 8, false));
    if (u.language != "ja" && u.language != "en" && !u.language.empty()) {
      return InvalidArgument("language must be ja, en or \"\" (the browser's)");
    }
    what += " language=" + u.language;
  }
  if (b.contains("name")) {
    TS_ASSIGN_OR_RETURN(u.name, StringField(b, "name", 200));
    what += " name";
  }
  if (what.empty()) return InvalidArgument("nothing to change: give language or name");
  TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
  TS_RETURN_IF_ERROR(c.Audit("account.update", "user:" + std::to_string(u.id), "ok" + what));
  c.user = u;
  return Me(c);
}

Status SignOut(Call& c) {
  if (c.session) TS_RETURN_IF_ERROR(c.db().DeleteSession(c.session->token_hash));
  c.res.set_header("Set-Cookie", SessionCookie("", true));
  TS_RETURN_IF_ERROR(c.Audit("sign-out", ""));
  c.Json(200, {{"signed_out", true}});
  return Status();
}

Status SignOutEverywhere(Call& c) {
  TS_RETURN_IF_ERROR(c.db().DeleteUserSessions(c.user->id));
  c.res.set_header("Set-Cookie", SessionCookie("", true));
  TS_RETURN_IF_ERROR(c.Audit("sign-out.everywhere", "user:" + std::to_string(c.user->id)));
  c.Json(200, {{"signed_out", true}});
  return Status();
}

Status ChangePassword(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string current, StringField(b, "current_password", kMaxPasswordBytes));
  TS_ASSIGN_OR_RETURN(std::string fresh, StringField(b, "new_password", kMaxPasswordBytes));
  store::User u = *c.user;
  const bool ok = security::VerifyPassword(u.password_hash, current);
  if (!ok) {
    (void)c.Audit("password.change", "user:" + std::to_string(u.id), "denied: current password wrong");
    return Status(ErrorCode::kPermissionDenied, "current password is wrong");
  }
  TS_ASSIGN_OR_RETURN(TenantSettings settings, c.Settings(c.tenant));
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(c.tenant));
  const std::int64_t age_days = (c.app.Now() - u.password_changed_at) / 86400;
  if (!u.must_change_password && security::PasswordTooNewToChange(settings.password, age_days)) {
    return InvalidArgument("password was changed less than " + std::to_string(settings.password.min_age_days) +
                           " days ago");
  }
  TS_RETURN_IF_ERROR(CheckNewPassword(c, settings.password, fresh, u.email, u.name, t.name, u.id));
  TS_RETURN_IF_ERROR(SetPassword(c, &u, fresh));
  c.user = u;
  TS_ASSIGN_OR_RETURN(std::string csrf, StartSession(c, u, c.tenant, c.session ? c.session->mfa_done : true));
  TS_RETURN_IF_ERROR(c.Audit("password.change", "user:" + std::to_string(u.id)));
  c.Json(200, {{"csrf_token", csrf}});
  return Status();
}

Status EnrolMfa(Call& c) {
  if (c.user->totp_confirmed) return Status(ErrorCode::kConflict, "MFA is enrolled already; disable it first");
  store::User u = *c.user;
  u.totp_secret = security::NewTotpSecret();
  u.totp_last_step = 0;
  TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
  const std::string uri = security::OtpAuthUri("trustsheet", u.email, u.totp_secret);
  TS_ASSIGN_OR_RETURN(std::string svg, security::QrSvg(uri));
  TS_RETURN_IF_ERROR(c.Audit("mfa.enrol", "user:" + std::to_string(u.id), "started"));
  c.Json(200, {{"secret", u.totp_secret}, {"otpauth_uri", uri}, {"qr_svg", svg}});
  return Status();
}

Status ConfirmMfa(Call& c) {
  store::User u = *c.user;
  if (u.totp_confirmed) return Status(ErrorCode::kConflict, "MFA is enrolled already");
  if (u.totp_secret.empty()) return Status(ErrorCode::kConflict, "start with POST /api/v1/me/mfa/enrol");
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string code, StringField(b, "code", 16));
  auto step = security::VerifyTotp(u.totp_secret, code, c.app.Now(), u.totp_last_step);
  if (!step) {
    (void)c.Audit("mfa.enable", "user:" + std::to_string(u.id), "denied: wrong code");
    return InvalidArgument("code is wrong; check the authenticator's clock");
  }
  security::RecoveryCodes rc = security::NewRecoveryCodes();
  u.totp_confirmed = true;
  u.totp_last_step = *step;
  u.recovery_hashes = json(rc.hashes).dump();
  TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
  c.user = u;
  json out = {{"recovery_codes", rc.codes}};
  if (c.session && !c.session->mfa_done) {
    TS_ASSIGN_OR_RETURN(std::string csrf, RenewSession(c, true));
    out["csrf_token"] = csrf;
  }
  TS_RETURN_IF_ERROR(c.Audit("mfa.enable", "user:" + std::to_string(u.id)));
  c.Json(200, out);
  return Status();
}

Status DisableMfa(Call& c) {
  TS_ASSIGN_OR_RETURN(TenantSettings settings, c.Settings(c.tenant));
  if (settings.mfa_required) return Status(ErrorCode::kPermissionDenied, "this organization requires MFA");
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string password, StringField(b, "password", kMaxPasswordBytes));
  store::User u = *c.user;
  const bool ok = security::VerifyPassword(u.password_hash, password);
  if (!ok) return Status(ErrorCode::kPermissionDenied, "password is wrong");
  u.totp_secret.clear();
  u.totp_confirmed = false;
  u.recovery_hashes = "[]";
  TS_RETURN_IF_ERROR(c.db().UpdateUser(u));
  TS_RETURN_IF_ERROR(c.Audit("mfa.disable", "user:" + std::to_string(u.id)));
  c.Json(200, {{"mfa_enrolled", false}});
  return Status();
}

Status AcceptInvitation(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string token, StringField(b, "token", 256));
  TS_ASSIGN_OR_RETURN(std::optional<store::Invitation> inv, c.db().FindInvitation(security::TokenHash(token)));
  if (!inv || inv->used_at != 0 || inv->expires <= c.app.Now()) {
    (void)c.Audit("invitation.accept", "", "denied");
    return NotFound("invitation link is invalid, expired or used");
  }
  c.tenant = inv->tenant_id;
  TS_ASSIGN_OR_RETURN(TenantSettings settings, c.Settings(inv->tenant_id));
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(inv->tenant_id));
  TS_ASSIGN_OR_RETURN(std::string password, StringField(b, "password", kMaxPasswordBytes));
  TS_ASSIGN_OR_RETURN(std::optional<store::User> existing, c.db().FindUserByEmail(inv->email));
  store::User u;
  if (existing) {
    // An existing account proves itself with its password; its password is not changed.
    const bool ok = security::VerifyPassword(existing->password_hash, password);
    if (!ok || existing->disabled) return Status(ErrorCode::kPermissionDenied, "password of the existing account is wrong");
    u = *existing;
  } else {
    TS_ASSIGN_OR_RETURN(u.name, StringField(b, "name", 200, false));
    u.email = inv->email;
    TS_RETURN_IF_ERROR(CheckNewPassword(c, settings.password, password, u.email, u.name, t.name, 0));
  }
  std::string hash;
  if (!existing) {
    TS_ASSIGN_OR_RETURN(hash, HashNewPassword(password));
  }
  TS_RETURN_IF_ERROR(c.db().Transaction([&]() -> Status {
    TS_RETURN_IF_ERROR(c.db().UseInvitation(inv->id, c.app.Now()));
    if (!existing) {
      TS_ASSIGN_OR_RETURN(u.id, c.db().CreateUser(u));
      TS_RETURN_IF_ERROR(StorePassword(c, &u, hash));
    }
    return c.db().SetMembership({inv->tenant_id, u.id, inv->role});
  }));
  c.user = u;
  TS_RETURN_IF_ERROR(c.Audit("invitation.accept", "user:" + std::to_string(u.id), "role " + inv->role));
  c.Json(201, {{"user", UserJson(u)}, {"organization", {{"id", t.id}, {"name", t.name}}}, {"role", inv->role}});
  return Status();
}

Status ResetPassword(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string token, StringField(b, "token", 256));
  TS_ASSIGN_OR_RETURN(std::string password, StringField(b, "password", kMaxPasswordBytes));
  const std::string key = "reset:" + security::TokenHash(token);
  TS_ASSIGN_OR_RETURN(std::optional<std::string> state, c.db().GetState(key));
  json r = state ? json::parse(*state, nullptr, false) : json();
  if (!r.is_object() || r.value("expires", std::int64_t{0}) <= c.app.Now()) {
    (void)c.Audit("password.reset", "", "denied");
    return NotFound("reset link is invalid, expired or used");
  }
  c.tenant = r.value("tenant", std::int64_t{0});
  TS_ASSIGN_OR_RETURN(std::optional<store::User> u, c.db().GetUser(r.value("user", std::int64_t{0})));
  if (!u || u->deleted) return NotFound("reset link is invalid, expired or used");
  TS_ASSIGN_OR_RETURN(TenantSettings settings, c.Settings(c.tenant));
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(c.tenant));
  TS_RETURN_IF_ERROR(CheckNewPassword(c, settings.password, password, u->email, u->name, t.name, u->id));
  TS_ASSIGN_OR_RETURN(std::string hash, HashNewPassword(password));
  TS_RETURN_IF_ERROR(c.db().Transaction([&]() -> Status {
    // Single use, checked again in the transaction: the link may have been used while hashing.
    TS_ASSIGN_OR_RETURN(std::optional<std::string> still, c.db().GetState(key));
    if (!still) return NotFound("reset link is invalid, expired or used");
    TS_RETURN_IF_ERROR(StorePassword(c, &*u, hash));
    return c.db().SetState(key, "");
  }));
  c.user = *u;
  TS_RETURN_IF_ERROR(c.Audit("password.reset", "user:" + std::to_string(u->id)));
  c.Json(200, {{"password_set", true}});
  return Status();
}

// Moves the signed-in user to another of their organizations: a new session there (new id),
// under that organization's IP allow-lists and MFA policy; the old session ends.
Status SwitchOrganization(Call& c) {
  if (!c.session) return Status(ErrorCode::kPermissionDenied, "switching organization needs a signed-in session");
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  if (!b.contains("organization") || !b["organization"].is_number_integer()) {
    return InvalidArgument("organization (an id from GET /api/v1/me) is required");
  }
  const std::int64_t target = b["organization"].get<std::int64_t>();
  TS_ASSIGN_OR_RETURN(std::optional<store::Membership> m, c.db().GetMembership(target, c.user->id));
  if (!m) return NotFound("organization " + std::to_string(target) + " not found");
  const Role role = RoleFromName(m->role).value_or(Role::kViewer);
  TS_ASSIGN_OR_RETURN(TenantSettings settings, c.Settings(target));
  if (Status ip = CheckIpAllowed(settings, role, c.address); !ip.ok()) {
    (void)c.AuditAs(target, c.Actor(), "organization.switch", "", "ip not allowed");
    c.Json(403, {{"error", {{"code", "ip_not_allowed"}, {"message", ip.message()}}}});
    return Status();
  }
  // MFA verified in this session counts; an organization that requires MFA from someone not
  // enrolled sends them to enrolment.
  const bool mfa_done = c.user->totp_confirmed || !settings.mfa_required;
  const std::int64_t from = c.tenant;
  TS_RETURN_IF_ERROR(c.db().DeleteSession(c.session->token_hash));
  c.tenant = target;
  TS_ASSIGN_OR_RETURN(std::string csrf, StartSession(c, *c.user, target, mfa_done));
  TS_RETURN_IF_ERROR(c.Audit("organization.switch", "organization:" + std::to_string(from) + " -> " + std::to_string(target)));
  TS_ASSIGN_OR_RETURN(store::Tenant t, c.db().GetTenant(target));
  json out = SignedInJson(c, *c.user, t, role, csrf, settings);
  if (mfa_done) out["mfa"] = "ok";
  c.Json(200, out);
  return Status();
}

Status CreateOrganization(Call& c) {
  TS_ASSIGN_OR_RETURN(json b, c.Body());
  TS_ASSIGN_OR_RETURN(std::string name, StringField(b, "name", 200));
  store::Tenant t;
  TS_RETURN_IF_ERROR(c.db().Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(t, c.db().CreateTenant(name));
    TS_RETURN_IF_ERROR(c.db().SetTenantSettings(t.id, TenantSettingsToJson(TenantSettings{})));
    return c.db().SetMembership({t.id, c.user->id, "owner"});
  }));
  TS_RETURN_IF_ERROR(c.AuditAs(t.id, c.Actor(), "organization.create", "organization:" + std::to_string(t.id), "ok"));
  c.Json(201, {{"id", t.id}, {"name", t.name}, {"role", "owner"}});
  return Status();
}

Status Health(Call& c) {
  c.Json(200, {{"status", "ok"}, {"setup_required", c.app.setup_pending.load()}});
  return Status();
}

}  // namespace

void AddAuthRoutes(std::vector<Route>* routes) {
  auto pub = [&](const char* method, const char* pattern, Handler h) -> Route& {
    Route& r = AddRoute(routes, method, pattern, Permission::kSignedIn, std::move(h));
    r.access = Access::kPublic;
    return r;
  };
  // The signed-in user's own routes, some reachable before MFA or a due password change.
  auto own = [&](const char* method, const char* pattern, Handler h, bool during_mfa, bool during_password) -> Route& {
    Route& r = AddRoute(routes, method, pattern, Permission::kSignedIn, std::move(h));
    r.during_mfa = during_mfa;
    r.during_password_change = during_password;
    return r;
  };
  pub("GET", "/api/v1/health", Health);
  pub("POST", "/api/v1/setup", Setup).own_transactions = true;  // these hash passwords
  pub("POST", "/api/v1/sign-in", SignIn).own_transactions = true;
  pub("POST", "/api/v1/invitations/accept", AcceptInvitation).own_transactions = true;
  pub("POST", "/api/v1/password-reset", ResetPassword).own_transactions = true;
  own("POST", "/api/v1/sign-in/mfa", VerifyMfa, true, true);
  own("GET", "/api/v1/me", Me, true, true);
  own("PATCH", "/api/v1/me", UpdateMe, false, true);
  own("POST", "/api/v1/sign-out", SignOut, true, true);
  own("POST", "/api/v1/sign-out-everywhere", SignOutEverywhere, false, true);
  own("POST", "/api/v1/me/password", ChangePassword, false, true).own_transactions = true;
  own("POST", "/api/v1/me/mfa/enrol", EnrolMfa, true, false);
  own("POST", "/api/v1/me/mfa/confirm", ConfirmMfa, true, false).own_transactions = true;
  own("POST", "/api/v1/me/mfa/disable", DisableMfa, false, false);
  own("POST", "/api/v1/organizations", CreateOrganization, false, false);
  own("POST", "/api/v1/me/organization", SwitchOrganization, false, false);
}

}  // namespace ts::server
