#include "server/keyring.h"

namespace ts::server {

Result<security::Key> Keyring::KeyFor(std::int64_t tenant_id, bool create) {
  if (auto it = keys_.find(tenant_id); it != keys_.end()) return it->second;
  TS_ASSIGN_OR_RETURN(std::optional<std::string> wrapped, store_->WrappedKey(tenant_id));
  if (wrapped) {
    Result<security::Key> key = security::UnwrapKey(master_, tenant_id, *wrapped);
    if (!key.ok()) {
      return key.status().WithPrefix("organization " + std::to_string(tenant_id) +
                                     ": data key does not open with this master key");
    }
    keys_[tenant_id] = *key;
    return key;
  }
  if (!create) {
    return Corruption("organization " + std::to_string(tenant_id) + " has no data key (destroyed with the organization?)");
  }
  security::Key key = security::Key::Random();
  TS_RETURN_IF_ERROR(store_->PutWrappedKey(tenant_id, security::WrapKey(master_, tenant_id, key)));
  keys_[tenant_id] = key;
  return key;
}

Result<std::string> Keyring::Seal(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                                  std::string_view plaintext) {
  TS_ASSIGN_OR_RETURN(security::Key key, KeyFor(tenant_id, true));
  return security::Seal(key, tenant_id, kind, record, plaintext);
}

Result<std::string> Keyring::Open(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                                  std::string_view sealed) {
  TS_ASSIGN_OR_RETURN(security::Key key, KeyFor(tenant_id, false));
  return security::Open(key, tenant_id, kind, record, sealed);
}

Result<int> Keyring::RotateMaster(const security::Key& new_master) {
  TS_ASSIGN_OR_RETURN(auto all, store_->AllWrappedKeys());
  int n = 0;
  for (const auto& [tenant, wrapped] : all) {
    Result<security::Key> key = security::UnwrapKey(master_, tenant, wrapped);
    if (!key.ok()) return key.status().WithPrefix("organization " + std::to_string(tenant));
    TS_RETURN_IF_ERROR(store_->PutWrappedKey(tenant, security::WrapKey(new_master, tenant, *key)));
    ++n;
  }
  master_ = new_master;
  return n;
}

}  // namespace ts::server
