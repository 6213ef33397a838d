#include "server/internal/drafter_pool.h"

#include <algorithm>

namespace ts::server {

DrafterPool::Slot* DrafterPool::Find(std::int64_t tenant, std::int64_t service) {
  const auto key = std::make_pair(tenant, service);
  for (auto it = slots_.begin(); it != slots_.end(); ++it) {
    if (it->key == key) {
      slots_.splice(slots_.begin(), slots_, it);
      return &slots_.front();
    }
  }
  return nullptr;
}

std::unique_ptr<match::Drafter> DrafterPool::Take(std::int64_t tenant, std::int64_t service,
                                                  const std::string& revision, bool* busy) {
  *busy = false;
  Slot* slot = Find(tenant, service);
  if (slot == nullptr) {
    slots_.push_front(Slot{{tenant, service}, revision, {}, 0});
    while (slots_.size() > std::max<std::size_t>(services_, 1)) slots_.pop_back();  // never the new one
    slot = &slots_.front();
  } else if (slot->revision != revision) {
    // Built from a library that has changed since; those in use are dropped when returned.
    slot->idle.clear();
    slot->in_use = 0;
    slot->revision = revision;
  }
  if (!slot->idle.empty()) {
    std::unique_ptr<match::Drafter> d = std::move(slot->idle.back());
    slot->idle.pop_back();
    ++slot->in_use;
    return d;
  }
  if (slot->in_use >= per_service_) {
    *busy = true;
    return nullptr;
  }
  ++slot->in_use;
  return nullptr;
}

void DrafterPool::Give(std::int64_t tenant, std::int64_t service, const std::string& revision,
                       std::unique_ptr<match::Drafter> drafter) {
  Slot* slot = Find(tenant, service);
  // Revisions are only compared for equality: a drafter of another revision than the slot's
  // (taken before an edit), or of an evicted slot, is dropped, so Take never hands out a
  // drafter built from anything but the library's current revision.
  if (slot == nullptr || slot->revision != revision) return;
  if (slot->in_use > 0) --slot->in_use;
  if (drafter && slot->idle.size() < per_service_) slot->idle.push_back(std::move(drafter));
}

void DrafterPool::ForgetTenant(std::int64_t tenant) {
  slots_.remove_if([tenant](const Slot& s) { return s.key.first == tenant; });
}

std::size_t DrafterPool::idle() const {
  std::size_t n = 0;
  for (const Slot& s : slots_) n += s.idle.size();
  return n;
}

}  // namespace ts::server
