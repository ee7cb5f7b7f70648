#pragma once
// StorePool: one set of stores per concurrent user. A SQLite connection (and so a CaseStore) must
// not be used by two threads at once; the server's worker threads and the webhook worker each
// lease a set for the length of one request or one delivery round. Sets are opened lazily by the
// factory (same database path) and kept for reuse. Thread-safe.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "app/auth/auth_store.h"
#include "app/ports.h"

namespace quitt::adapters::http {

struct StoreSet {
  // Declared in this order so `auth` (which may borrow the connection of `cases`) goes first.
  std::unique_ptr<app::CaseStore> cases;
  std::unique_ptr<app::auth::AuthStore> auth;
};

using StoreFactory = std::function<Result<std::unique_ptr<StoreSet>>()>;

class StorePool {
 public:
  StorePool(StoreFactory factory, int max_sets) : factory_(std::move(factory)), max_(max_sets) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<StoreSet> set) : pool_(pool), set_(std::move(set)) {}
    Lease(Lease&& other) = default;
    ~Lease() {
      if (set_) pool_->Return(std::move(set_));
    }
    StoreSet* operator->() { return set_.get(); }
    StoreSet& operator*() { return *set_; }

   private:
    StorePool* pool_;
    std::unique_ptr<StoreSet> set_;
  };

  // Waits while all sets are leased; errors when a new set cannot be opened.
  Result<Lease> Acquire() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      auto set = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(set));
    }
    ++open_;
    lock.unlock();
    auto set = factory_();
    if (!set) {
      std::lock_guard relock(mutex_);
      --open_;
      cv_.notify_one();
      return set.error();
    }
    return Lease(this, std::move(*set));
  }

 private:
  void Return(std::unique_ptr<StoreSet> set) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(set));
    cv_.notify_one();
  }

  StoreFactory factory_;
  int max_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<StoreSet>> idle_;
  int open_ = 0;
};

}  // namespace quitt::adapters::http
