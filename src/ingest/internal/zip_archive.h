// Read-only access to a zip archive in memory (libzip), with the limits that make hostile
// archives harmless: entry count, uncompressed size per entry and in total, compression ratio.
// Not thread-safe (one archive per thread).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/limits.h"

namespace ts::ingest::internal {

class ZipArchive {
 public:
  // Errors: Corruption "<file>: not a valid zip archive: ..." (truncated, damaged),
  // InvalidArgument for encrypted entries, ResourceExhausted past the entry limit.
  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view bytes, std::string_view file,
                                                  const Limits& limits);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  bool Has(const std::string& name) const;
  // Reads one entry. Errors: NotFound, ResourceExhausted (too large, or a compression ratio
  // that only a zip bomb has), Corruption (damaged data).
  Result<std::string> Read(const std::string& name);
  // The same entry in pieces as it uncompresses (64 KiB at a time), with the same limits, so
  // that a large part need not be held whole; `sink` may stop the read with an error. Reading
  // an entry again counts once against the total.
  Status ReadChunks(const std::string& name, const std::function<Status(std::string_view)>& sink);

 private:
  ZipArchive(std::string file, const Limits& limits);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string file_;
  Limits limits_;
  std::size_t total_read_ = 0;
  std::set<std::string> read_before_;  // entries read whole once: a second read does not count
};

}  // namespace ts::ingest::internal
