// Zip archives as the Office formats are written back: an archive opened from memory, read
// part by part within a size limit, and written anew with some parts replaced while every
// other entry is copied as stored (its compressed bytes), so what was not edited stays byte
// for byte; and new archives from parts. libzip underneath. Not thread-safe per object.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace ts::formats {

class ZipRewrite {
 public:
  // Errors name `file`: Corruption when the bytes are no zip archive. `bytes` must outlive
  // the object.
  static Result<std::unique_ptr<ZipRewrite>> Open(std::string_view bytes, const std::string& file);
  ~ZipRewrite();
  ZipRewrite(const ZipRewrite&) = delete;
  ZipRewrite& operator=(const ZipRewrite&) = delete;

  // Entry names in archive order.
  const std::vector<std::string>& Names() const { return names_; }
  // One entry, uncompressed; ResourceExhausted past `max_bytes`, NotFound, Corruption.
  Result<std::string> Read(const std::string& name, std::size_t max_bytes) const;
  // The archive with `replaced` entries (name -> bytes) written anew, the others copied.
  Result<std::string> Write(const std::map<std::string, std::string>& replaced) const;

 private:
  ZipRewrite() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string file_;
  std::vector<std::string> names_;
};

// A new archive of `entries` (name, bytes), deflated, in order.
Result<std::string> WriteZip(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace ts::formats
