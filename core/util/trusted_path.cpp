#include "util/trusted_path.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace checker {
namespace {

// The path with every symbolic link, "." and ".." resolved; an error names
// why not (a loop, a component over 255 bytes, a missing directory).
Result<std::string> Resolve(const std::string& path) {
  char resolved[PATH_MAX];
  if (!realpath(path.c_str(), resolved)) {
    return Status::Error("cannot resolve '" + path + "': " + std::strerror(errno));
  }
  return std::string(resolved);
}

std::string ParentOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool TrustedOwner(uid_t owner) { return owner == 0 || owner == geteuid(); }

// One directory of a resolved path: the rule in the header.
Status CheckOneDirectory(const std::string& directory) {
  struct stat info {};
  if (lstat(directory.c_str(), &info) != 0) {
    return Status::Error("cannot inspect '" + directory + "': " + std::strerror(errno));
  }
  if (!S_ISDIR(info.st_mode)) return Status::Error("'" + directory + "' is not a directory");
  if (!TrustedOwner(info.st_uid)) {
    return Status::Error("the directory '" + directory + "' is owned by neither root nor the running user (uid " +
                         std::to_string(info.st_uid) + ")");
  }
  const bool sticky_root = info.st_uid == 0 && (info.st_mode & S_ISVTX);
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) && !sticky_root) {
    return Status::Error("the directory '" + directory + "' is writable by " +
                         ((info.st_mode & S_IWOTH) ? "every user" : "its group") + "; chmod go-w it");
  }
  return Status::Ok();
}

Status CheckResolvedDirectory(const std::string& resolved) {
  for (std::string directory = resolved;; directory = ParentOf(directory)) {
    if (Status checked = CheckOneDirectory(directory); !checked.ok()) return checked;
    if (directory == "/") return Status::Ok();
  }
}

}  // namespace

Status CheckTrustedDirectory(const std::string& directory) {
  Result<std::string> resolved = Resolve(directory);
  if (!resolved.ok()) return resolved.status();
  return CheckResolvedDirectory(*resolved);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.Release();
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) close(fd_);
}

int FileDescriptor::Release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

Result<FileDescriptor> OpenTrustedFile(const std::string& path) {
  // Where the file was found, and where it leads, must both be trusted: the
  // first so that no one else chooses what it leads to.
  if (Status found_in = CheckTrustedDirectory(ParentOf(path)); !found_in.ok()) return found_in;
  Result<std::string> resolved = Resolve(path);
  if (!resolved.ok()) return resolved.status();
  if (Status leads_to = CheckResolvedDirectory(ParentOf(*resolved)); !leads_to.ok()) return leads_to;
  // No directory on the way can change now; O_NOFOLLOW still refuses a link
  // put in place by the running user or root since realpath.
  FileDescriptor file(open(resolved->c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (file.get() < 0) return Status::Error("cannot open it: " + std::string(std::strerror(errno)));
  struct stat info {};
  if (fstat(file.get(), &info) != 0) return Status::Error("cannot inspect it: " + std::string(std::strerror(errno)));
  if (!S_ISREG(info.st_mode)) return Status::Error("not a regular file");
  if (!TrustedOwner(info.st_uid)) {
    return Status::Error("owned by neither root nor the running user (uid " + std::to_string(info.st_uid) + ")");
  }
  if (info.st_mode & (S_IWGRP | S_IWOTH)) {
    return Status::Error(std::string("writable by ") + ((info.st_mode & S_IWOTH) ? "every user" : "its group") +
                         "; chmod go-w it");
  }
  return Result<FileDescriptor>(std::move(file));
}

std::string DescriptorPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace checker
