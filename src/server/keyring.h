// Per-tenant data keys for encryption at rest: the store's FieldCipher. Each tenant's key is
// made on first use, kept in the store only wrapped by the master key, and unwrapped into
// memory when needed; tenant 0 is the service's own key (MFA secrets). Not thread-safe: the
// server uses it under its store lock.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"
#include "security/envelope.h"
#include "store/accounts.h"

namespace ts::server {

class Keyring final : public store::FieldCipher {
 public:
  Keyring(const security::Key& master, store::AccountStore* store) : master_(master), store_(store) {}

  Result<std::string> Seal(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                           std::string_view plaintext) override;
  Result<std::string> Open(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                           std::string_view sealed) override;

  // Re-wraps every tenant key under `new_master` (the data does not change). Run it inside a
  // store transaction; on success the keyring uses the new master key.
  Result<int> RotateMaster(const security::Key& new_master);
  // Drops the cached key of a deleted tenant.
  void Forget(std::int64_t tenant_id) { keys_.erase(tenant_id); }

 private:
  Result<security::Key> KeyFor(std::int64_t tenant_id, bool create);

  security::Key master_;
  store::AccountStore* store_;
  std::map<std::int64_t, security::Key> keys_;
};

}  // namespace ts::server
