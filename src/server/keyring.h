// Per-tenant data keys for encryption at rest. Each tenant's key is made on first use, kept in
// the store only wrapped by the master key, and unwrapped into memory when needed; tenant 0 is
// the service's own key (MFA secrets). The keyring is shared by every request (thread-safe);
// each store connection gets its own Binding, the FieldCipher that reads and writes keys
// through that connection, so a key made inside a transaction lands or rolls back with it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "security/envelope.h"
#include "store/store.h"

namespace ts::server {

class Keyring {
 public:
  explicit Keyring(const security::Key& master) : master_(master) {}

  // The cipher of one store connection. Not thread-safe (neither is the connection).
  class Binding final : public store::FieldCipher {
   public:
    Binding(Keyring* ring, store::Store* db) : ring_(ring), db_(db) {}
    Result<std::string> Seal(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                             std::string_view plaintext) override;
    Result<std::string> Open(std::int64_t tenant_id, std::string_view kind, std::int64_t record,
                             std::string_view sealed) override;
    // Forgets the keys this connection made inside transactions (they may have rolled back);
    // called when the connection is handed to a new request.
    void Reset() { pending_.clear(); }

   private:
    Result<security::Key> KeyFor(std::int64_t tenant_id, bool create);
    Keyring* ring_;
    store::Store* db_;
    struct Pending {
      security::Key key;
      std::string wrapped;  // as stored: the key is only used while the store holds this
    };
    std::map<std::int64_t, Pending> pending_;
  };

  // Re-wraps every tenant key under `new_master` (the data does not change). Run it inside a
  // transaction of `db`; on success the keyring uses the new master key.
  Result<int> RotateMaster(store::AccountStore& db, const security::Key& new_master);
  // Drops the cached key of a deleted tenant.
  void Forget(std::int64_t tenant_id);

 private:
  std::optional<security::Key> Cached(std::int64_t tenant_id);
  void Remember(std::int64_t tenant_id, const security::Key& key);

  std::mutex mu_;  // guards the members below
  security::Key master_;
  std::map<std::int64_t, security::Key> keys_;  // only keys read outside any transaction (committed)
};

}  // namespace ts::server
