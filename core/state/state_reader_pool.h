// StateReaderPool: read-only connections to the state file, kept open
// between requests.
//
// Opening the file (SQLite's open, its schema check, a cold page cache) costs
// far more than the few rows a request of the daemon reads, so connections
// are lent out and returned instead. A connection is used by one thread at a
// time; the pool hands out as many as there are concurrent borrowers and
// keeps a few of them idle. A state file that is removed or replaced (a new
// file under the same name) is noticed at the next Borrow: connections to the
// old one are closed.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "state/state_store.h"

namespace checker {

class StateReaderPool {
 public:
  // Gives a connection back to its pool when it goes out of scope.
  class Lease {
   public:
    Lease() = default;
    Lease(StateReaderPool* pool, std::unique_ptr<StateStore> store, dev_t device, ino_t inode)
        : pool_(pool), store_(std::move(store)), device_(device), inode_(inode) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();

    // Null when the state file does not exist yet.
    StateStore* get() const { return store_.get(); }
    StateStore* operator->() const { return store_.get(); }
    explicit operator bool() const { return store_ != nullptr; }
    // The file's identity when it was borrowed.
    dev_t device() const { return device_; }
    ino_t inode() const { return inode_; }

   private:
    StateReaderPool* pool_ = nullptr;
    std::unique_ptr<StateStore> store_;
    dev_t device_ = 0;
    ino_t inode_ = 0;
  };

  // A read-only connection to `path`, or an empty lease when there is no
  // such file. Throws StateError as StateStore::Open does.
  Lease Borrow(const std::string& path);

 private:
  struct Idle {
    std::unique_ptr<StateStore> store;
    dev_t device;
    ino_t inode;
  };
  void GiveBack(std::unique_ptr<StateStore> store, dev_t device, ino_t inode);

  std::mutex mutex_;
  std::vector<Idle> idle_;
};

}  // namespace checker
