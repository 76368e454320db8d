// Frequencies and notify settings by name, and the cron cascade.
//
// A tick of `minute` runs minute jobs; `hour` runs minute and hour jobs; `day`
// runs minute, hour and day jobs; `day_noon` runs minute, hour and day_noon
// jobs. So each minute of the day has exactly one tick.
#pragma once

#include <checker/job.h>

#include <cstdint>
#include <optional>
#include <string>

namespace checker {

std::optional<Frequency> ParseFrequency(const std::string& text);
const char* FrequencyName(Frequency frequency);

// Whether a tick of `tick` runs jobs of frequency `job`.
bool TickRuns(Frequency tick, Frequency job);

// How long a job of `frequency` waits between two runs, in seconds.
std::int64_t IntervalSeconds(Frequency frequency);

std::optional<NotifyEvery> ParseNotifyEvery(const std::string& text);
const char* NotifyEveryName(NotifyEvery notify);

}  // namespace checker
