// Built drafters kept between requests, per (tenant, service), reused while the service's
// library revision (store::Store::LibraryRevision) is unchanged: building one reads and
// decrypts the whole library and tokenizes every question, which costs far more than drafting
// a sheet. A drafter is not thread-safe, so a request takes one out and gives it back. Not
// thread-safe itself: the server uses it under its store lock.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "match/draft.h"

namespace ts::server {

class DrafterPool {
 public:
  // At most `per_service` idle drafters per service and `services` services are kept; the
  // least recently used service is dropped first.
  DrafterPool(std::size_t per_service, std::size_t services) : per_service_(per_service), services_(services) {}

  // An idle drafter built at `revision`; or nullptr with *busy false: build one (it counts as
  // in use); or nullptr with *busy true: `per_service` drafters of this revision are in use
  // already, wait for one to come back rather than build another. Other revisions' drafters
  // are dropped.
  std::unique_ptr<match::Drafter> Take(std::int64_t tenant, std::int64_t service, const std::string& revision,
                                       bool* busy);
  // Returns what Take handed out or let the caller build (nullptr when the build failed). It is
  // kept for the next request unless the library has moved past `revision` or the service has
  // enough idle ones.
  void Give(std::int64_t tenant, std::int64_t service, const std::string& revision,
            std::unique_ptr<match::Drafter> drafter);
  // Drops a deleted tenant's drafters (they hold its decrypted answers).
  void ForgetTenant(std::int64_t tenant);
  std::size_t idle() const;

 private:
  struct Slot {
    std::pair<std::int64_t, std::int64_t> key;  // (tenant, service)
    std::string revision;
    std::vector<std::unique_ptr<match::Drafter>> idle;
    std::size_t in_use = 0;  // of this revision, handed out or being built
  };
  // Finds the slot (moved to the front: most recently used), or nullptr.
  Slot* Find(std::int64_t tenant, std::int64_t service);

  std::size_t per_service_;
  std::size_t services_;
  std::list<Slot> slots_;  // most recently used first
};

}  // namespace ts::server
