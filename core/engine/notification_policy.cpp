#include "engine/notification_policy.h"

namespace checker {

std::optional<UnixTime> RenotifyAfterSeconds(NotifyEvery notify) {
  switch (notify) {
    case NotifyEvery::kEvery:
      return 0;
    case NotifyEvery::kFiveMinutes:
      return 4 * 60 + 30;
    case NotifyEvery::kTenMinutes:
      return 9 * 60 + 15;
    case NotifyEvery::kHour:
      return 59 * 60;
    case NotifyEvery::kDay:
      return 23 * 3600 + 50 * 60;
    case NotifyEvery::kStateChange:
      return std::nullopt;
  }
  return std::nullopt;
}

namespace {

bool FailureNotifies(const JobPolicy& policy, const JobHistory& before, UnixTime now) {
  const int failures_including_this = before.failures_in_a_row + 1;
  if (failures_including_this < policy.failures_before_notify) return false;
  if (policy.notify == NotifyEvery::kStateChange) {
    // min == 1: the job was succeeding before this run; otherwise exactly the min-th failure.
    return failures_including_this == policy.failures_before_notify;
  }
  if (policy.notify == NotifyEvery::kEvery) return true;
  if (!before.notified_in_streak || !before.last_notify) return true;
  // A last notification "in the future" was sent before the clock went back:
  // waiting for the clock to pass it again would be silence.
  if (*before.last_notify > now) return true;
  return now - *before.last_notify > *RenotifyAfterSeconds(policy.notify);
}

}  // namespace

PolicyOutcome ApplyRun(const JobPolicy& policy, const JobHistory& before, const JobResult& result, UnixTime now) {
  PolicyOutcome outcome;
  JobHistory& after = outcome.history;
  after = before;
  after.last_run = now;
  after.last_message = result.message;

  if (result.success) {
    if (before.failing && before.notified_in_streak && policy.notify_recovery) {
      outcome.verdict = Verdict::kRecovery;
      after.last_notify = now;
    }
    after.failing = false;
    after.failures_in_a_row = 0;
    after.first_failure.reset();
    after.notified_in_streak = false;
    after.first_notify.reset();
    return outcome;
  }

  if (FailureNotifies(policy, before, now)) {
    outcome.verdict = Verdict::kFailure;
    after.last_notify = now;
    after.notified_in_streak = true;
    if (!after.first_notify) after.first_notify = now;
  }
  if (!before.failing) after.first_failure = now;
  after.failing = true;
  after.failures_in_a_row = before.failures_in_a_row + 1;
  return outcome;
}

}  // namespace checker
