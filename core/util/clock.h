// Clock: where the engine gets "now". Only the runner and the commands read
// it; the policy is handed the time. Tests pass a FakeClock they advance.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace checker {

using UnixTime = std::int64_t;  // seconds since the epoch, UTC

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixTime Now() const = 0;
};

class SystemClock : public Clock {
 public:
  UnixTime Now() const override { return static_cast<UnixTime>(std::time(nullptr)); }
};

// "2026-11-21T22:40:00Z"
inline std::string FormatIsoUtc(UnixTime time) {
  std::time_t t = static_cast<std::time_t>(time);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace checker
