#include "security/envelope.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "base/file_io.h"
#include "security/digest.h"
#include "text/utf8.h"

namespace ts::security {
namespace {

constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

std::string Aad(std::int64_t tenant_id, std::string_view kind, std::int64_t record_id) {
  return "trustsheet/v1|tenant=" + std::to_string(tenant_id) + "|" + std::string(kind) + "|" + std::to_string(record_id);
}

std::string SealWith(const Key& key, const std::string& aad, std::string_view plaintext) {
  EnsureSodium();
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonce, &clen,
                                             reinterpret_cast<const unsigned char*>(plaintext.data()),
                                             plaintext.size(), reinterpret_cast<const unsigned char*>(aad.data()),
                                             aad.size(), nullptr, nonce, key.data());
  out.resize(kNonce + clen);
  return out;
}

Result<std::string> OpenWith(const Key& key, const std::string& aad, std::string_view sealed, const char* what) {
  EnsureSodium();
  if (sealed.size() < kNonce + kTag) return Corruption(std::string(what) + ": ciphertext too short");
  std::string out(sealed.size() - kNonce - kTag, '\0');
  unsigned long long mlen = 0;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr,
                                                 nonce + kNonce, sealed.size() - kNonce,
                                                 reinterpret_cast<const unsigned char*>(aad.data()), aad.size(),
                                                 nonce, key.data()) != 0) {
    return Corruption(std::string(what) + ": authentication failed (altered, or not for this tenant/record/key)");
  }
  out.resize(mlen);
  return out;
}

}  // namespace

Key::Key() = default;
Key::~Key() { sodium_memzero(bytes_.data(), bytes_.size()); }
Key::Key(const Key& other) : bytes_(other.bytes_) {}
Key& Key::operator=(const Key& other) {
  bytes_ = other.bytes_;
  return *this;
}

Key Key::Random() {
  EnsureSodium();
  Key k;
  crypto_aead_xchacha20poly1305_ietf_keygen(k.bytes_.data());
  return k;
}

Result<Key> Key::FromBytes(std::string_view bytes) {
  if (bytes.size() != kKeyBytes) return InvalidArgument("key must be " + std::to_string(kKeyBytes) + " bytes");
  Key k;
  std::memcpy(k.bytes_.data(), bytes.data(), kKeyBytes);
  return k;
}

namespace {

std::string OctalMode(unsigned mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0%03o", mode & 0777u);
  return buf;
}

}  // namespace

Result<Key> LoadMasterKey(const std::string& path, bool create) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT || !create) return NotFound(path + ": master key file not found");
    Key k = Key::Random();
    TS_RETURN_IF_ERROR(
        WriteFileAtomic(path, std::string_view(reinterpret_cast<const char*>(k.data()), kKeyBytes), 0600));
    return k;
  }
  if ((st.st_mode & 077) != 0) {
    return Status(ErrorCode::kPermissionDenied,
                  path + ": master key file is readable by others (mode " + OctalMode(st.st_mode) + "); run chmod 600 " +
                      path);
  }
  TS_ASSIGN_OR_RETURN(std::string bytes, ReadFileBounded(path, 4096));
  std::string_view v = text::Trim(bytes);
  if (v.size() == 2 * kKeyBytes) {  // hex
    std::string raw(kKeyBytes, '\0');
    std::size_t bin_len = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), v.data(), v.size(), nullptr,
                       &bin_len, nullptr) == 0 &&
        bin_len == kKeyBytes) {
      return Key::FromBytes(raw);
    }
  }
  if (bytes.size() == kKeyBytes) return Key::FromBytes(bytes);
  return InvalidArgument(path + ": master key must be 32 raw bytes or 64 hex digits");
}

std::string WrapKey(const Key& master, std::int64_t tenant_id, const Key& data_key) {
  return SealWith(master, Aad(tenant_id, "data-key", 0),
                  std::string_view(reinterpret_cast<const char*>(data_key.data()), kKeyBytes));
}

Result<Key> UnwrapKey(const Key& master, std::int64_t tenant_id, std::string_view wrapped) {
  TS_ASSIGN_OR_RETURN(std::string raw, OpenWith(master, Aad(tenant_id, "data-key", 0), wrapped, "tenant key"));
  Result<Key> k = Key::FromBytes(raw);
  sodium_memzero(raw.data(), raw.size());
  return k;
}

std::string Seal(const Key& data_key, std::int64_t tenant_id, std::string_view kind, std::int64_t record_id,
                 std::string_view plaintext) {
  return SealWith(data_key, Aad(tenant_id, kind, record_id), plaintext);
}

Result<std::string> Open(const Key& data_key, std::int64_t tenant_id, std::string_view kind, std::int64_t record_id,
                         std::string_view sealed) {
  return OpenWith(data_key, Aad(tenant_id, kind, record_id), sealed, "record");
}

}  // namespace ts::security
