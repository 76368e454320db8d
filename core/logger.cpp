#include "logger.h"

#include <unistd.h>

#include "clock.h"

namespace checker {

Logger::~Logger() {
  if (file_) std::fclose(file_);
}

bool Logger::OpenFile(const std::string& path) {
  if (path.empty()) return true;
  file_ = std::fopen(path.c_str(), "a");
  if (file_) warnings_to_stderr_ = false;
  return file_ != nullptr;
}

void Logger::Write(Level level, const std::string& message) {
  static const char* const kNames[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
  const char* name = kNames[static_cast<int>(level)];
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
