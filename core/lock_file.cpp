#include "lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace checker {

LockFile::LockFile(const std::string& path) {
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    error_ = path + ": cannot open lock file: " + std::strerror(errno);
    return;
  }
  held_ = flock(fd_, LOCK_EX | LOCK_NB) == 0;
}

LockFile::~LockFile() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace checker
