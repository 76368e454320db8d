#include "util/logger.h"

#include <unistd.h>

#include "util/clock.h"

namespace checker {

Logger::~Logger() {
  if (file_) std::fclose(file_);
}

bool Logger::OpenFile(const std::string& path) {
  if (path.empty()) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  path_ = path;
  file_ = std::fopen(path.c_str(), "a");
  if (file_) warnings_to_stderr_ = false;
  return file_ != nullptr;
}

void Logger::Reopen() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (path_.empty()) return;
  if (std::FILE* reopened = std::fopen(path_.c_str(), "a")) {
    if (file_) std::fclose(file_);
    file_ = reopened;
  }
}

void Logger::Write(Level level, const std::string& message) {
  static const char* const kNames[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
  const char* name = kNames[static_cast<int>(level)];
  std::lock_guard<std::mutex> lock(mutex_);
  const bool to_file = file_ && (level != Level::kDebug || debug_to_file_);
  const bool to_stderr =
      debug_to_stderr_ || level == Level::kError || (level == Level::kWarning && warnings_to_stderr_);
  if (to_file) {
    std::fprintf(file_, "%s [%d] %s %s\n", FormatIsoUtc(SystemClock().Now()).c_str(), static_cast<int>(getpid()), name,
                 message.c_str());
    std::fflush(file_);
  }
  if (to_stderr) std::fprintf(stderr, "checker: %s: %s\n", name, message.c_str());
}

}  // namespace checker
