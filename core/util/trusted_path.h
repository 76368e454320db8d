// TrustedPath: whether only root and the running user can change a file or
// a directory, and opening such a file without a window for a swap.
//
// The rule is OpenSSH's and sudo's for the files they trust, with one
// addition for /tmp: every directory from the path up to `/` must be owned
// by root or the running user and not be writable by group or others, except
// that a directory writable by others is accepted when it is owned by root
// and has the sticky bit (no other user can rename or remove what is in it).
// A trusted file is, in addition, a regular file owned by root or the running
// user and not writable by group or others.
#pragma once

#include <string>

#include "util/status.h"

namespace checker {

// Ok when `directory` and every directory above it may be trusted, else what
// is wrong, naming the directory at fault. Symbolic links are resolved first;
// what is checked is where they lead.
Status CheckTrustedDirectory(const std::string& directory);

// An open file descriptor; closed when it goes out of scope.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.Release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();

  int get() const { return fd_; }
  int Release();

 private:
  int fd_ = -1;
};

// Opens `path` read-only for loading what it holds (a plugin): its directory,
// the directory it leads to when it is a symbolic link, and every directory
// above them must be trusted; the file is opened once, by its resolved path
// with O_NOFOLLOW, and the open descriptor itself is checked. Whatever the
// caller reads through the descriptor is what was checked.
Result<FileDescriptor> OpenTrustedFile(const std::string& path);

// "/proc/self/fd/N": a name for an open descriptor that dlopen accepts.
std::string DescriptorPath(int fd);

}  // namespace checker
