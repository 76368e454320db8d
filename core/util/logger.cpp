#include "util/logger.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/clock.h"

namespace checker {

Logger::~Logger() {
  if (file_) std::fclose(file_);
}

Result<std::FILE*> Logger::OpenForAppending(const std::string& path) {
  const int fd =
      open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0640);
  if (fd < 0) {
    if (errno == ELOOP) return Status::Error("is a symbolic link (give the file it leads to)");
    if (errno == ENXIO) return Status::Error("not a regular file (a FIFO)");
    return Status::Error(std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    return Status::Error("not a regular file");
  }
  std::FILE* file = fdopen(fd, "a");
  if (!file) {
    close(fd);
    return Status::Error(std::strerror(errno));
  }
  return file;
}

Status Logger::OpenFile(const std::string& path) {
  if (path.empty()) return Status::Ok();
  std::lock_guard<std::mutex> lock(mutex_);
  if (path == kSyslog) {
    // Facility daemon, tag checker: journald and syslog daemons show it.
    openlog("checker", LOG_PID, LOG_DAEMON);
    to_syslog_ = true;
    warnings_to_stderr_ = false;
    return Status::Ok();
  }
  path_ = path;
  Result<std::FILE*> opened = OpenForAppending(path);
  if (!opened.ok()) return opened.status();
  file_ = *opened;
  warnings_to_stderr_ = false;
  return Status::Ok();
}

void Logger::Reopen() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (path_.empty()) return;
  if (Result<std::FILE*> reopened = OpenForAppending(path_); reopened.ok()) {
    if (file_) std::fclose(file_);
    file_ = *reopened;
  }
}

void Logger::Write(Level level, const std::string& message) {
  static const char* const kNames[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
  const char* name = kNames[static_cast<int>(level)];
  std::lock_guard<std::mutex> lock(mutex_);
  const bool to_file = file_ && (level != Level::kDebug || debug_to_file_);
  const bool to_stderr =
      debug_to_stderr_ || level == Level::kError || (level == Level::kWarning && warnings_to_stderr_);
  if (to_syslog_ && (level != Level::kDebug || debug_to_file_)) {
    static const int kPriorities[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
    syslog(kPriorities[static_cast<int>(level)], "%s", message.c_str());
  }
  if (to_file) {
    std::fprintf(file_, "%s [%d] %s %s\n", FormatIsoUtc(SystemClock().Now()).c_str(), static_cast<int>(getpid()), name,
                 message.c_str());
    std::fflush(file_);
  }
  if (to_stderr) std::fprintf(stderr, "checker: %s: %s\n", name, message.c_str());
}

}  // namespace checker
