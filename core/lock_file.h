// LockFile: an advisory lock (flock) on a file beside the state file. The
// kernel releases it when the process dies, however it dies.
#pragma once

#include <string>

namespace checker {

class LockFile {
 public:
  // Tries once, without waiting. held() tells whether it got the lock.
  explicit LockFile(const std::string& path);
  ~LockFile();
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

  bool held() const { return fd_ >= 0 && held_; }
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  bool held_ = false;
  std::string error_;
};

}  // namespace checker
