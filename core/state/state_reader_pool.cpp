#include "state/state_reader_pool.h"

#include <sys/stat.h>

namespace checker {
namespace {

// Idle connections kept beyond this are closed, so that a burst of clients
// does not leave as many open files behind; it is above the connections a
// busy daemon serves at once, since a connection closed and opened again per
// request costs what the pool saves.
constexpr std::size_t kMostIdle = 64;

}  // namespace

StateReaderPool::Lease::~Lease() {
  if (pool_ && store_) pool_->GiveBack(std::move(store_), device_, inode_);
}

StateReaderPool::Lease StateReaderPool::Borrow(const std::string& path) {
  struct stat file {};
  if (stat(path.c_str(), &file) != 0) return {};
  std::unique_ptr<StateStore> reused;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    while (!idle_.empty() && !reused) {
      Idle last = std::move(idle_.back());
      idle_.pop_back();
      // An open connection keeps its file's inode in use, so an equal
      // device, inode and path mean the same file, not a new one that reused the number.
      if (last.device == file.st_dev && last.inode == file.st_ino && last.store->path() == path) {
        reused = std::move(last.store);
      }
    }
  }
  if (!reused) reused = StateStore::Open(path, StateStore::Mode::kReadOnly);
  return Lease(this, std::move(reused), file.st_dev, file.st_ino);
}

void StateReaderPool::GiveBack(std::unique_ptr<StateStore> store, dev_t device, ino_t inode) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < kMostIdle) idle_.push_back({std::move(store), device, inode});
}

}  // namespace checker
