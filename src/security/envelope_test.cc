#include "security/envelope.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace ts::security {
namespace {

TEST(Envelope, SealedRecordsOpenOnlyForTheirTenantFieldAndRecord) {
  const Key k = Key::Random();
  const std::string sealed = Seal(k, 7, "entry.answer", 42, "当社はAES-256で暗号化しています。");
  EXPECT_EQ(sealed.find("AES-256"), std::string::npos);  // no plaintext in the ciphertext
  auto ok = Open(k, 7, "entry.answer", 42, sealed);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "当社はAES-256で暗号化しています。");
  EXPECT_FALSE(Open(k, 8, "entry.answer", 42, sealed).ok());   // other tenant
  EXPECT_FALSE(Open(k, 7, "entry.remarks", 42, sealed).ok());  // other field
  EXPECT_FALSE(Open(k, 7, "entry.answer", 43, sealed).ok());   // other record
  EXPECT_FALSE(Open(Key::Random(), 7, "entry.answer", 42, sealed).ok());
  std::string altered = sealed;
  altered[altered.size() / 2] ^= 1;
  EXPECT_EQ(Open(k, 7, "entry.answer", 42, altered).status().code(), ErrorCode::kCorruption);
  EXPECT_NE(Seal(k, 7, "entry.answer", 42, "x"), Seal(k, 7, "entry.answer", 42, "x"));  // random nonces
}

TEST(Envelope, DataKeysAreWrappedPerTenant) {
  const Key master = Key::Random();
  const Key tenant_key = Key::Random();
  const std::string wrapped = WrapKey(master, 3, tenant_key);
  auto back = UnwrapKey(master, 3, wrapped);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(back->data()), kKeyBytes),
            std::string(reinterpret_cast<const char*>(tenant_key.data()), kKeyBytes));
  EXPECT_FALSE(UnwrapKey(master, 4, wrapped).ok());
  EXPECT_FALSE(UnwrapKey(Key::Random(), 3, wrapped).ok());
  // Rotation: unwrap with the old master, wrap with the new one; data sealed under the tenant
  // key stays readable.
  const std::string sealed = Seal(tenant_key, 3, "file", 1, "body");
  const Key new_master = Key::Random();
  const std::string rewrapped = WrapKey(new_master, 3, *back);
  auto after = UnwrapKey(new_master, 3, rewrapped);
  ASSERT_TRUE(after.ok());
  auto opened = Open(*after, 3, "file", 1, sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "body");
}

TEST(Envelope, MasterKeyFileIsCreated0600AndRefusedWhenOpen) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ts_key_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "master.key").string();
  EXPECT_EQ(LoadMasterKey(path, false).status().code(), ErrorCode::kNotFound);
  auto created = LoadMasterKey(path, true);
  ASSERT_TRUE(created.ok()) << created.status().message();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = LoadMasterKey(path, true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(again->data()), kKeyBytes),
            std::string(reinterpret_cast<const char*>(created->data()), kKeyBytes));  // not replaced
  ::chmod(path.c_str(), 0644);
  auto open = LoadMasterKey(path, true);
  EXPECT_EQ(open.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(open.status().message(),
            path + ": master key file is readable by others (mode 0644); run chmod 600 " + path);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ts::security
