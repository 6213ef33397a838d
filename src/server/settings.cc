#include "server/settings.h"

#include <nlohmann/json.hpp>

#include "security/ip_allowlist.h"

namespace ts::server {
namespace {

using json = nlohmann::json;

// Reads an integer within [lo, hi] at obj[key] into *out (missing: unchanged).
Status ReadInt(const json& obj, const char* section, const char* key, int lo, int hi, int* out) {
  if (!obj.contains(key)) return Status();
  const json& v = obj[key];
  const std::string name = std::string(section) + "." + key;
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi) {
    return InvalidArgument("settings: " + name + " must be a whole number between " + std::to_string(lo) + " and " +
                           std::to_string(hi));
  }
  *out = v.get<int>();
  return Status();
}

Status ReadList(const json& obj, const char* key, std::vector<std::string>* out) {
  if (!obj.contains(key)) return Status();
  const json& v = obj[key];
  if (!v.is_array() || v.size() > 256) return InvalidArgument(std::string("settings: ") + key + " must be a list of at most 256 CIDR ranges");
  out->clear();
  for (const json& e : v) {
    if (!e.is_string()) return InvalidArgument(std::string("settings: ") + key + " must be a list of strings");
    out->push_back(e.get<std::string>());
  }
  Result<security::IpAllowList> parsed = security::IpAllowList::Parse(*out);
  if (!parsed.ok()) return parsed.status().WithPrefix(std::string("settings: ") + key);
  return Status();
}

}  // namespace

Result<TenantSettings> ParseTenantSettings(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return InvalidArgument("settings: not a JSON object");
  TenantSettings s;
  if (j.contains("password")) {
    const json& p = j["password"];
    if (!p.is_object()) return InvalidArgument("settings: password must be an object");
    TS_RETURN_IF_ERROR(ReadInt(p, "password", "min_length", 8, 128, &s.password.min_length));
    TS_RETURN_IF_ERROR(ReadInt(p, "password", "min_classes", 1, 4, &s.password.min_classes));
    TS_RETURN_IF_ERROR(ReadInt(p, "password", "history", 0, 24, &s.password.history));
    TS_RETURN_IF_ERROR(ReadInt(p, "password", "max_age_days", 0, 3650, &s.password.max_age_days));
    TS_RETURN_IF_ERROR(ReadInt(p, "password", "min_age_days", 0, 365, &s.password.min_age_days));
  }
  if (j.contains("session")) {
    const json& p = j["session"];
    if (!p.is_object()) return InvalidArgument("settings: session must be an object");
    TS_RETURN_IF_ERROR(ReadInt(p, "session", "idle_minutes", 1, 24 * 60, &s.session.idle_minutes));
    TS_RETURN_IF_ERROR(ReadInt(p, "session", "absolute_hours", 1, 24 * 7, &s.session.absolute_hours));
  }
  if (j.contains("mfa_required")) {
    if (!j["mfa_required"].is_boolean()) return InvalidArgument("settings: mfa_required must be true or false");
    s.mfa_required = j["mfa_required"].get<bool>();
  }
  TS_RETURN_IF_ERROR(ReadList(j, "ip_allow", &s.ip_allow));
  TS_RETURN_IF_ERROR(ReadList(j, "admin_ip_allow", &s.admin_ip_allow));
  return s;
}

std::string TenantSettingsToJson(const TenantSettings& s) {
  return json{{"password",
               {{"min_length", s.password.min_length},
                {"min_classes", s.password.min_classes},
                {"history", s.password.history},
                {"max_age_days", s.password.max_age_days},
                {"min_age_days", s.password.min_age_days}}},
              {"session", {{"idle_minutes", s.session.idle_minutes}, {"absolute_hours", s.session.absolute_hours}}},
              {"mfa_required", s.mfa_required},
              {"ip_allow", s.ip_allow},
              {"admin_ip_allow", s.admin_ip_allow}}
      .dump();
}

}  // namespace ts::server
