// Clock: where the engine gets "now". Only the runner and the commands read
// it; the policy is handed the time. Tests pass a FakeClock they advance.
#pragma once

#include <cstdint>
#include <cstdio>
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

// "2026-11-21T22:40:00Z". Computed from the day number (the proleptic
// Gregorian calendar, as gmtime has it) rather than by gmtime_r and
// strftime: status output formats a few times per job, for thousands of jobs.
inline std::string FormatIsoUtc(UnixTime time) {
  const UnixTime days = time / 86400 - (time % 86400 < 0 ? 1 : 0);
  const UnixTime seconds = time - days * 86400;
  // Howard Hinnant's civil_from_days: eras of 400 years from 0000-03-01.
  const UnixTime z = days + 719468;
  const UnixTime era = (z >= 0 ? z : z - 146096) / 146097;
  const UnixTime day_of_era = z - era * 146097;
  const UnixTime year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const UnixTime day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const UnixTime shifted_month = (5 * day_of_year + 2) / 153;  // March is 0
  const UnixTime day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const UnixTime month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const UnixTime year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {  // beyond four digits: the slow way is fine
    char text[64];
    std::snprintf(text, sizeof text, "%lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(year),
                  static_cast<int>(month), static_cast<int>(day), static_cast<int>(seconds / 3600),
                  static_cast<int>(seconds % 3600 / 60), static_cast<int>(seconds % 60));
    return text;
  }
  char text[] = "0000-00-00T00:00:00Z";
  const auto put = [&text](int at, int width, UnixTime value) {
    for (int i = width - 1; i >= 0; --i, value /= 10) text[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, year);
  put(5, 2, month);
  put(8, 2, day);
  put(11, 2, seconds / 3600);
  put(14, 2, seconds % 3600 / 60);
  put(17, 2, seconds % 60);
  return text;
}

}  // namespace checker
