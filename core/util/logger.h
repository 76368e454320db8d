// Logger: timestamped lines to the logfile and, for errors or with -d, to
// stderr. Debug lines are written only with -v (logfile) or -d (stderr).
// Passwords never reach it: nothing passes a secret to it. It may be used
// from several threads (the daemon's).
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "util/status.h"

namespace checker {

class Logger {
 public:
  enum class Level { kDebug, kInfo, kWarning, kError };

  Logger() = default;
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Opens (appends to) path, else says why not. Empty path: no file. Only a
  // regular file is accepted, and a symbolic link is not followed; a FIFO or
  // device never blocks the process.
  // "syslog" logs through syslog(3) instead.
  Status OpenFile(const std::string& path);
  static constexpr const char* kSyslog = "syslog";
  // Opens the file again under its name, after logrotate moved it away.
  void Reopen();
  void set_debug_to_file(bool on) { debug_to_file_ = on; }
  void set_debug_to_stderr(bool on) { debug_to_stderr_ = on; }
  // Without a logfile, warnings go to stderr so that they are not lost.
  void set_warnings_to_stderr(bool on) { warnings_to_stderr_ = on; }

  void Debug(const std::string& message) { Write(Level::kDebug, message); }
  void Info(const std::string& message) { Write(Level::kInfo, message); }
  void Warning(const std::string& message) { Write(Level::kWarning, message); }
  void Error(const std::string& message) { Write(Level::kError, message); }

 private:
  void Write(Level level, const std::string& message);
  static Result<std::FILE*> OpenForAppending(const std::string& path);

  std::mutex mutex_;
  std::string path_;
  std::FILE* file_ = nullptr;
  bool to_syslog_ = false;
  bool debug_to_file_ = false;
  bool debug_to_stderr_ = false;
  bool warnings_to_stderr_ = true;
};

}  // namespace checker
