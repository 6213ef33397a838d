// Encryption at rest: each tenant's data key is wrapped by a master key read from a file (never
// stored in the database); records are sealed with XChaCha20-Poly1305 under the tenant's key,
// with the tenant and record named in the associated data so a ciphertext cannot be moved to
// another tenant or record. Destroying a tenant's wrapped key makes its data unreadable.
// Thread-safe (keys are immutable values; memory holding keys is wiped on destruction).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ts::security {

inline constexpr std::size_t kKeyBytes = 32;

class Key {
 public:
  Key();  // all zero; use Random() or Load
  ~Key();
  Key(const Key& other);
  Key& operator=(const Key& other);
  static Key Random();
  static Result<Key> FromBytes(std::string_view bytes);  // exactly kKeyBytes
  const unsigned char* data() const { return bytes_.data(); }

 private:
  std::array<unsigned char, kKeyBytes> bytes_{};
};

// Reads the master key from `path` (32 raw bytes or 64 hex digits). When the file does not
// exist and `create` is set, writes a new random key there with mode 0600 (atomically).
// Errors: the file is readable by group or others, has the wrong size, or cannot be read.
Result<Key> LoadMasterKey(const std::string& path, bool create);

// A tenant data key wrapped by the master key, bound to the tenant id: nonce || ciphertext.
std::string WrapKey(const Key& master, std::int64_t tenant_id, const Key& data_key);
// Errors: Corruption when the wrap was altered, made for another tenant or another master key.
Result<Key> UnwrapKey(const Key& master, std::int64_t tenant_id, std::string_view wrapped);

// Seals `plaintext` for (tenant, kind, record): nonce || ciphertext+tag. `kind` names the
// table or field ("entry.answer"), so a value cannot be swapped between fields either.
std::string Seal(const Key& data_key, std::int64_t tenant_id, std::string_view kind, std::int64_t record_id,
                 std::string_view plaintext);
// Errors: Corruption when the ciphertext was altered or belongs to another tenant/field/record.
Result<std::string> Open(const Key& data_key, std::int64_t tenant_id, std::string_view kind, std::int64_t record_id,
                         std::string_view sealed);

}  // namespace ts::security
