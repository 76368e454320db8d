// Frequencies by name and the cron cascade.
#include "model/frequency.h"

#include <catch2/catch.hpp>

using namespace checker;

TEST_CASE(
    "the cron cascade runs minute jobs on every tick hour jobs on every other tick, day jobs at midnight, day_noon "
    "jobs at noon") {
  using F = Frequency;
  CHECK(TickRuns(F::kMinute, F::kMinute));
  CHECK_FALSE(TickRuns(F::kMinute, F::kHour));
  CHECK(TickRuns(F::kHour, F::kMinute));
  CHECK(TickRuns(F::kHour, F::kHour));
  CHECK_FALSE(TickRuns(F::kHour, F::kDay));
  CHECK(TickRuns(F::kDay, F::kHour));
  CHECK(TickRuns(F::kDay, F::kDay));
  CHECK_FALSE(TickRuns(F::kDay, F::kDayNoon));
  CHECK(TickRuns(F::kDayNoon, F::kHour));
  CHECK(TickRuns(F::kDayNoon, F::kDayNoon));
  CHECK_FALSE(TickRuns(F::kDayNoon, F::kDay));
}

TEST_CASE("frequency and notify names read back as themselves") {
  for (auto frequency : {Frequency::kMinute, Frequency::kHour, Frequency::kDay, Frequency::kDayNoon}) {
    CHECK(ParseFrequency(FrequencyName(frequency)) == frequency);
  }
  for (auto notify : {NotifyEvery::kEvery, NotifyEvery::kFiveMinutes, NotifyEvery::kTenMinutes, NotifyEvery::kHour,
                      NotifyEvery::kDay, NotifyEvery::kStateChange}) {
    CHECK(ParseNotifyEvery(NotifyEveryName(notify)) == notify);
  }
  CHECK_FALSE(ParseFrequency("weekly"));
  CHECK_FALSE(ParseNotifyEvery("Hour"));
}
