#include "server/keyring.h"

namespace ts::server {

std::optional<security::Key> Keyring::Cached(std::int64_t tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = keys_.find(tenant_id); it != keys_.end()) return it->second;
  return std::nullopt;
}

void Keyring::Remember(std::int64_t tenant_id, const security::Key& key) {
  std::lock_guard<std::mutex> lock(mu_);
  keys_[tenant_id] = key;
}

void Keyring::Forget(std::int64_t tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  keys_.erase(tenant_id);
}

Result<security::Key> Keyring::Binding::KeyFor(std::int64_t tenant_id, bool create) {
  if (std::optional<security::Key> key = ring_->Cached(tenant_id)) return *key;
  if (auto it = pending_.find(tenant_id); it != pending_.end()) {
    // Made earlier by this connection: still the stored one unless a rollback took it back.
    TS_ASSIGN_OR_RETURN(std::optional<std::string> still, db_->WrappedKey(tenant_id));
    if (still && *still == it->second.wrapped) return it->second.key;
    pending_.erase(it);
  }
  const security::Key master = [&] {
    std::lock_guard<std::mutex> lock(ring_->mu_);
    return ring_->master_;
  }();
  auto unwrap = [&](const std::string& wrapped) -> Result<security::Key> {
    Result<security::Key> key = security::UnwrapKey(master, tenant_id, wrapped);
    if (!key.ok()) {
      return key.status().WithPrefix("organization " + std::to_string(tenant_id) +
                                     ": data key does not open with this master key");
    }
    return key;
  };
  TS_ASSIGN_OR_RETURN(std::optional<std::string> wrapped, db_->WrappedKey(tenant_id));
  if (wrapped) {
    // Not one this connection made (those are pending): committed, safe for every connection.
    TS_ASSIGN_OR_RETURN(security::Key key, unwrap(*wrapped));
    ring_->Remember(tenant_id, key);
    return key;
  }
  if (!create) {
    return Corruption("organization " + std::to_string(tenant_id) + " has no data key (destroyed with the organization?)");
  }
  // Looked for again and made in one write transaction, so two connections never make two keys
  // for one tenant: the second finds the first's.
  security::Key key;
  std::string made;  // the wrapped form when this call made the key
  TS_RETURN_IF_ERROR(db_->Transaction([&]() -> Status {
    TS_ASSIGN_OR_RETURN(std::optional<std::string> again, db_->WrappedKey(tenant_id));
    if (again) {
      TS_ASSIGN_OR_RETURN(key, unwrap(*again));
      return Status();
    }
    key = security::Key::Random();
    made = security::WrapKey(master, tenant_id, key);
    return db_->PutWrappedKey(tenant_id, made);
  }));
  // Made inside the caller's transaction, it is not committed yet: only this connection may use it.
  if (!made.empty() && db_->InTransaction()) {
    pending_[tenant_id] = Pending{key, made};
  } else {
    ring_->Remember(tenant_id, key);
  }
  return key;
}

Result<std::string> Keyring::Binding::Seal(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                                           std::string_view plaintext) {
  TS_ASSIGN_OR_RETURN(security::Key key, KeyFor(tenant_id, true));
  return security::Seal(key, tenant_id, kind, record, plaintext);
}

Result<std::string> Keyring::Binding::Open(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                                           std::string_view sealed) {
  TS_ASSIGN_OR_RETURN(security::Key key, KeyFor(tenant_id, false));
  return security::Open(key, tenant_id, kind, record, sealed);
}

Result<int> Keyring::RotateMaster(store::AccountStore& db, const security::Key& new_master) {
  std::lock_guard<std::mutex> lock(mu_);
  TS_ASSIGN_OR_RETURN(auto all, db.AllWrappedKeys());
  int n = 0;
  for (const auto& [tenant, wrapped] : all) {
    Result<security::Key> key = security::UnwrapKey(master_, tenant, wrapped);
    if (!key.ok()) return key.status().WithPrefix("organization " + std::to_string(tenant));
    TS_RETURN_IF_ERROR(db.PutWrappedKey(tenant, security::WrapKey(new_master, tenant, *key)));
    ++n;
  }
  master_ = new_master;
  return n;
}

}  // namespace ts::server
