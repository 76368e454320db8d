// The policy table, row by row, with pinned times.
#include "engine/notification_policy.h"

#include <catch2/catch.hpp>

using namespace checker;

namespace {

constexpr UnixTime kStart = 1'800'000'000;

JobPolicy Policy(NotifyEvery notify, int min = 1, bool recovery = true) { return {notify, min, recovery}; }

const JobResult kFailed{false, "down"};
const JobResult kOk{true, "up"};

// Runs results one after another, `step` seconds apart; returns the verdicts.
std::vector<Verdict> Run(const JobPolicy& policy, const std::vector<JobResult>& results, UnixTime step,
                         JobHistory* last = nullptr) {
  JobHistory history;
  std::vector<Verdict> verdicts;
  UnixTime now = kStart;
  for (const auto& result : results) {
    PolicyOutcome outcome = ApplyRun(policy, history, result, now);
    verdicts.push_back(outcome.verdict);
    history = outcome.history;
    now += step;
  }
  if (last) *last = history;
  return verdicts;
}

// A job that failed once (and notified) at kStart, then fails again `later` seconds on.
Verdict SecondFailureAfter(NotifyEvery notify, UnixTime later) {
  JobPolicy policy = Policy(notify);
  PolicyOutcome first = ApplyRun(policy, {}, kFailed, kStart);
  REQUIRE(first.verdict == Verdict::kFailure);
  return ApplyRun(policy, first.history, kFailed, kStart + later).verdict;
}

constexpr auto Q = Verdict::kQuiet;
constexpr auto F = Verdict::kFailure;
constexpr auto R = Verdict::kRecovery;

}  // namespace

TEST_CASE("every notifies on each failure") {
  CHECK(Run(Policy(NotifyEvery::kEvery), {kFailed, kFailed, kFailed}, 60) == std::vector<Verdict>{F, F, F});
}

TEST_CASE("every with min 3 starts notifying at the third failure") {
  CHECK(Run(Policy(NotifyEvery::kEvery, 3), {kFailed, kFailed, kFailed, kFailed}, 60) ==
        std::vector<Verdict>{Q, Q, F, F});
}

TEST_CASE("5min renotifies only when the last notification is older than 4m30s") {
  CHECK(SecondFailureAfter(NotifyEvery::kFiveMinutes, 4 * 60 + 29) == Q);
  CHECK(SecondFailureAfter(NotifyEvery::kFiveMinutes, 4 * 60 + 30) == Q);
  CHECK(SecondFailureAfter(NotifyEvery::kFiveMinutes, 4 * 60 + 31) == F);
}

TEST_CASE("10min renotifies only when the last notification is older than 9m15s") {
  CHECK(SecondFailureAfter(NotifyEvery::kTenMinutes, 9 * 60 + 14) == Q);
  CHECK(SecondFailureAfter(NotifyEvery::kTenMinutes, 9 * 60 + 16) == F);
}

TEST_CASE("hour renotifies only when the last notification is older than 59m") {
  CHECK(SecondFailureAfter(NotifyEvery::kHour, 59 * 60 - 1) == Q);
  CHECK(SecondFailureAfter(NotifyEvery::kHour, 59 * 60 + 1) == F);
}

TEST_CASE("day renotifies only when the last notification is older than 23h50m") {
  CHECK(SecondFailureAfter(NotifyEvery::kDay, 23 * 3600 + 50 * 60 - 1) == Q);
  CHECK(SecondFailureAfter(NotifyEvery::kDay, 23 * 3600 + 50 * 60 + 1) == F);
}

TEST_CASE("hour with min 3 notifies on the third failure, then hourly") {
  // Failures every minute: the 3rd notifies, the next 59 minutes are quiet, then again.
  std::vector<JobResult> results(3 + 60, kFailed);
  auto verdicts = Run(Policy(NotifyEvery::kHour, 3), results, 60);
  CHECK(verdicts[0] == Q);
  CHECK(verdicts[1] == Q);
  CHECK(verdicts[2] == F);
  for (int i = 3; i < 2 + 59; ++i) CHECK(verdicts[i] == Q);
  CHECK(verdicts[2 + 60] == F);  // 60 min after the first notification
}

TEST_CASE("the first failure of a streak notifies even if a notification went out recently in another streak") {
  // Fail (notify), recover (recovery notice), fail again a minute later: the new streak notifies.
  CHECK(Run(Policy(NotifyEvery::kHour), {kFailed, kOk, kFailed}, 60) == std::vector<Verdict>{F, R, F});
}

TEST_CASE("state_change with min 1 notifies when a succeeding job fails, once per streak") {
  CHECK(Run(Policy(NotifyEvery::kStateChange), {kOk, kFailed, kFailed, kFailed}, 60) ==
        std::vector<Verdict>{Q, F, Q, Q});
}

TEST_CASE("state_change with min 1 treats a job never run as succeeding") {
  CHECK(Run(Policy(NotifyEvery::kStateChange), {kFailed}, 60) == std::vector<Verdict>{F});
}

TEST_CASE("state_change with min 3 notifies on exactly the third failure") {
  CHECK(Run(Policy(NotifyEvery::kStateChange, 3), {kFailed, kFailed, kFailed, kFailed, kFailed}, 3600) ==
        std::vector<Verdict>{Q, Q, F, Q, Q});
}

TEST_CASE("the Nth failure notifies and the N-1th does not") {
  for (int min : {1, 2, 5}) {
    std::vector<JobResult> results(static_cast<std::size_t>(min), kFailed);
    auto verdicts = Run(Policy(NotifyEvery::kEvery, min), results, 60);
    for (int i = 0; i < min - 1; ++i) CHECK(verdicts[i] == Q);
    CHECK(verdicts[min - 1] == F);
  }
}

TEST_CASE("a success after a notified streak sends one recovery, then the streak resets") {
  JobHistory last;
  CHECK(Run(Policy(NotifyEvery::kEvery), {kFailed, kFailed, kOk, kOk}, 60, &last) == std::vector<Verdict>{F, F, R, Q});
  CHECK_FALSE(last.failing);
  CHECK(last.failures_in_a_row == 0);
  CHECK_FALSE(last.first_failure.has_value());
}

TEST_CASE("a success after a streak that never notified sends no recovery") {
  CHECK(Run(Policy(NotifyEvery::kEvery, 3), {kFailed, kFailed, kOk}, 60) == std::vector<Verdict>{Q, Q, Q});
}

TEST_CASE("notify_recovery = false suppresses the recovery") {
  CHECK(Run(Policy(NotifyEvery::kEvery, 1, false), {kFailed, kOk}, 60) == std::vector<Verdict>{F, Q});
}

TEST_CASE("the history counts failures and keeps the first failure and last notification times") {
  JobHistory last;
  Run(Policy(NotifyEvery::kHour), {kOk, kFailed, kFailed, kFailed}, 60, &last);
  CHECK(last.failing);
  CHECK(last.failures_in_a_row == 3);
  CHECK(last.first_failure == kStart + 60);
  CHECK(last.last_notify == kStart + 60);
  CHECK(last.last_run == kStart + 180);
  CHECK(last.last_message == "down");
}
