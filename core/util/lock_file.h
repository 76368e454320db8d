// LockFile: an advisory lock (flock) on a file beside the state file. The
// kernel releases it when the last process holding the file closes it,
// however it ends.
#pragma once

#include <memory>
#include <string>

#include "util/status.h"

namespace checker {

class LockFile {
 public:
  // Tries once, without waiting. An error when the file cannot be opened; a
  // null lock when another process holds it.
  static Result<std::unique_ptr<LockFile>> TryAcquire(const std::string& path);
  ~LockFile();
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

  // The descriptor, so that a forked child can close it and not keep the lock.
  int fd() const { return fd_; }

 private:
  explicit LockFile(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace checker
