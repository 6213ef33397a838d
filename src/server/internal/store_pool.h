// Store connections for requests: each request takes one, uses it alone, and gives it back.
// SQLite in WAL mode lets the readers run in parallel while one writer at a time holds a
// transaction (BEGIN IMMEDIATE waits for it); no lock is held across the whole server.
// Connections are opened when needed, up to `max`, and kept open.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "server/keyring.h"
#include "store/store.h"

namespace ts::server {

class StorePool {
 public:
  // One open connection and the cipher bound to it (declared first: it outlives the store).
  struct Connection {
    std::unique_ptr<Keyring::Binding> cipher;
    std::unique_ptr<store::Store> store;
  };
  using Opener = std::function<Result<std::unique_ptr<store::Store>>()>;
  // `store` sealing with `keyring` through a binding of its own.
  static Connection Bind(Keyring* keyring, std::unique_ptr<store::Store> store);

  // `open` opens one more connection to the database; `keyring` (not owned) seals for them all.
  StorePool(Opener open, Keyring* keyring, std::size_t max, std::chrono::milliseconds wait);
  StorePool(const StorePool&) = delete;
  StorePool& operator=(const StorePool&) = delete;

  // A connection for the holder alone until it is destroyed.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) { other.pool_ = nullptr; }
    Lease& operator=(Lease&& other) noexcept;
    ~Lease() { Release(); }
    store::Store& operator*() const { return *conn_->store; }
    store::Store* operator->() const { return conn_->store.get(); }
    explicit operator bool() const { return conn_ != nullptr; }

   private:
    friend class StorePool;
    Lease(StorePool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    void Release();
    StorePool* pool_ = nullptr;
    std::unique_ptr<Connection> conn_;
  };

  // An idle connection, a new one while fewer than `max` are open, or the first given back
  // within `wait`; Unavailable after that (every connection busy) or when opening fails.
  Result<Lease> Take();
  std::size_t open_connections() const;

 private:
  void Give(std::unique_ptr<Connection> conn);

  Opener opener_;
  Keyring* keyring_;
  const std::size_t max_;
  const std::chrono::milliseconds wait_;
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle plus leased, plus being opened
};

}  // namespace ts::server
