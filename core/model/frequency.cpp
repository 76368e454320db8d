#include "model/frequency.h"

namespace checker {

std::optional<Frequency> ParseFrequency(const std::string& text) {
  if (text == "minute") return Frequency::kMinute;
  if (text == "hour") return Frequency::kHour;
  if (text == "day") return Frequency::kDay;
  if (text == "day_noon") return Frequency::kDayNoon;
  return std::nullopt;
}

const char* FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMinute:
      return "minute";
    case Frequency::kHour:
      return "hour";
    case Frequency::kDay:
      return "day";
    case Frequency::kDayNoon:
      return "day_noon";
  }
  return "?";
}

bool TickRuns(Frequency tick, Frequency job) {
  if (job == Frequency::kMinute) return true;
  switch (tick) {
    case Frequency::kMinute:
      return false;
    case Frequency::kHour:
      return job == Frequency::kHour;
    case Frequency::kDay:
      return job == Frequency::kHour || job == Frequency::kDay;
    case Frequency::kDayNoon:
      return job == Frequency::kHour || job == Frequency::kDayNoon;
  }
  return false;
}

std::int64_t IntervalSeconds(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMinute:
      return 60;
    case Frequency::kHour:
      return 3600;
    case Frequency::kDay:
    case Frequency::kDayNoon:
      return 86400;
  }
  return 60;
}

std::optional<NotifyEvery> ParseNotifyEvery(const std::string& text) {
  if (text == "every") return NotifyEvery::kEvery;
  if (text == "5min") return NotifyEvery::kFiveMinutes;
  if (text == "10min") return NotifyEvery::kTenMinutes;
  if (text == "hour") return NotifyEvery::kHour;
  if (text == "day") return NotifyEvery::kDay;
  if (text == "state_change") return NotifyEvery::kStateChange;
  return std::nullopt;
}

const char* NotifyEveryName(NotifyEvery notify) {
  switch (notify) {
    case NotifyEvery::kEvery:
      return "every";
    case NotifyEvery::kFiveMinutes:
      return "5min";
    case NotifyEvery::kTenMinutes:
      return "10min";
    case NotifyEvery::kHour:
      return "hour";
    case NotifyEvery::kDay:
      return "day";
    case NotifyEvery::kStateChange:
      return "state_change";
  }
  return "?";
}

}  // namespace checker
