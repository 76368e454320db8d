#include "util/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace checker {

Result<std::unique_ptr<LockFile>> LockFile::TryAcquire(const std::string& path) {
  // O_NOFOLLOW: whoever can write the directory must not make us create a file elsewhere.
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::Error(path + ": cannot open lock file: " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return std::unique_ptr<LockFile>();
  }
  return std::unique_ptr<LockFile>(new LockFile(fd));
}

LockFile::~LockFile() { close(fd_); }

}  // namespace checker
