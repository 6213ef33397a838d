#include "server/internal/store_pool.h"

#include <utility>

namespace ts::server {

StorePool::StorePool(Opener open, Keyring* keyring, std::size_t max, std::chrono::milliseconds wait)
    : opener_(std::move(open)), keyring_(keyring), max_(std::max<std::size_t>(1, max)), wait_(wait) {}

StorePool::Lease& StorePool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = other.pool_;
    conn_ = std::move(other.conn_);
    other.pool_ = nullptr;
  }
  return *this;
}

void StorePool::Lease::Release() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Give(std::move(conn_));
  pool_ = nullptr;
}

StorePool::Connection StorePool::Bind(Keyring* keyring, std::unique_ptr<store::Store> store) {
  Connection conn;
  conn.store = std::move(store);
  conn.cipher = std::make_unique<Keyring::Binding>(keyring, conn.store.get());
  conn.store->SetCipher(conn.cipher.get());
  return conn;
}

Result<StorePool::Lease> StorePool::Take() {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + wait_;
  while (idle_.empty() && open_ >= max_) {
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= max_) {
      return Unavailable("the server is busy (all " + std::to_string(max_) + " database connections in use); try again");
    }
  }
  if (!idle_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    conn->cipher->Reset();
    return Lease(this, std::move(conn));
  }
  ++open_;  // counted while it opens, so no more than max_ are ever opened
  lock.unlock();
  Result<std::unique_ptr<store::Store>> opened = opener_();
  if (!opened.ok()) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return opened.status();
  }
  return Lease(this, std::make_unique<Connection>(Bind(keyring_, std::move(opened).value())));
}

void StorePool::Give(std::unique_ptr<Connection> conn) {
  // Left inside a transaction (the holder threw): closing it rolls the transaction back.
  if (conn->store->InTransaction()) conn.reset();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
}

std::size_t StorePool::open_connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

}  // namespace ts::server
