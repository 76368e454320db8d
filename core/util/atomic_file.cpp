#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace checker {

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  // The temporary name does not end in the target's suffix, so a collector
  // that reads "*.prom" never picks it up.
  std::string temporary = path + ".tmp-XXXXXX";
  const int fd = mkstemp(temporary.data());
  if (fd < 0) return Status::Error(path + ": cannot create a temporary file beside it: " + std::strerror(errno));
  auto fail = [&](const char* what) {
    const int error = errno;
    close(fd);
    unlink(temporary.c_str());
    return Status::Error(path + ": cannot " + what + ": " + std::strerror(error));
  };
  for (std::size_t written = 0; written < content.size();) {
    const ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write");
    written += static_cast<std::size_t>(n);
  }
  if (fchmod(fd, 0644) != 0) return fail("set its mode");
  if (close(fd) != 0) {
    const int error = errno;
    unlink(temporary.c_str());
    return Status::Error(path + ": cannot write: " + std::strerror(error));
  }
  if (rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(temporary.c_str());
    return Status::Error(path + ": cannot replace it: " + std::strerror(error));
  }
  return Status::Ok();
}

}  // namespace checker
