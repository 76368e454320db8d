#include "engine/notification_policy.h"

#include "model/frequency.h"
#include "model/notification.h"

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

std::string NotifySetting(NotifyEvery notify) { return std::string("notify = ") + NotifyEveryName(notify); }

std::string FailureCount(int failures, const JobPolicy& policy) {
  return Ordinal(failures) + " failure, failures_before_notify = " + std::to_string(policy.failures_before_notify);
}

// Whether a failing run notifies by the job's own rules (no gate holds it),
// and why or why not. `failures` counts this run.
bool FailureNotifies(const JobPolicy& policy, const JobHistory& before, int failures, UnixTime now, std::string& why) {
  if (failures < policy.failures_before_notify) {
    why = FailureCount(failures, policy);
    return false;
  }
  if (before.held_in_streak) {
    why = "the first failing run since its notifications were held back";
    return true;
  }
  if (policy.notify == NotifyEvery::kStateChange) {
    // min == 1: the job was succeeding before this run; otherwise exactly the min-th failure.
    const bool notifies = failures == policy.failures_before_notify;
    why = notifies ? FailureCount(failures, policy) : NotifySetting(policy.notify) + " and this streak has notified";
    return notifies;
  }
  if (!before.notified_in_streak || !before.last_notify) {
    why = FailureCount(failures, policy);
    return true;
  }
  if (policy.notify == NotifyEvery::kEvery) {
    why = NotifySetting(policy.notify);
    return true;
  }
  // A last notification "in the future" was sent before the clock went back:
  // waiting for the clock to pass it again would be silence.
  if (*before.last_notify > now) {
    why = "the last notification is dated later than now (the clock went back)";
    return true;
  }
  why = NotifySetting(policy.notify) + " and the last notification was " + Span(now - *before.last_notify) + " ago";
  return now - *before.last_notify > *RenotifyAfterSeconds(policy.notify);
}

// "tcp:router, peer:peer1"
std::string NameList(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return list;
}

void EndStreak(JobHistory& after) {
  after.failing = false;
  after.failures_in_a_row = 0;
  after.first_failure.reset();
  after.notified_in_streak = false;
  after.first_notify.reset();
  after.held_in_streak = false;
  after.successes_in_a_row = 0;
}

}  // namespace

std::string HoldReason(const Gates& gates, UnixTime now) {
  if (gates.maintenance) return "in maintenance until " + ClockTimeUtc(gates.maintenance->end, now);
  if (gates.failing_dependencies.empty()) return "";
  return NameList(gates.failing_dependencies) +
         (gates.failing_dependencies.size() == 1 ? " is failing" : " are failing");
}

PolicyOutcome ApplyRun(const JobPolicy& policy, const JobHistory& before, const JobResult& result, UnixTime now,
                       const Gates& gates) {
  PolicyOutcome outcome;
  JobHistory& after = outcome.history;
  after = before;
  after.last_run = now;
  after.last_message = result.message;
  const std::string hold = HoldReason(gates, now);

  if (result.success) {
    if (!before.failing) {
      outcome.reason = "quiet: succeeding";
      return outcome;
    }
    const int successes = before.successes_in_a_row + 1;
    if (successes < policy.successes_before_recovery) {
      after.successes_in_a_row = successes;
      outcome.reason = "quiet: recovering: " + std::to_string(successes) + " of " +
                       std::to_string(policy.successes_before_recovery) + " successes";
      return outcome;
    }
    const std::string recovered = "recovered after " + std::to_string(before.failures_in_a_row) +
                                  (before.failures_in_a_row == 1 ? " failure" : " failures");
    if (!before.notified_in_streak) {
      outcome.reason = "quiet: " + recovered + "; the streak had not notified";
    } else if (!policy.notify_recovery) {
      outcome.reason = "quiet: " + recovered + "; notify_recovery = false";
    } else if (!hold.empty()) {
      outcome.reason = "suppressed: " + recovered + ", but " + hold;
    } else {
      outcome.verdict = Verdict::kRecovery;
      outcome.reason = "notified: " + recovered;
      after.last_notify = now;
    }
    EndStreak(after);
    return outcome;
  }

  const int failures = before.failures_in_a_row + 1;
  if (!before.failing) after.first_failure = now;
  after.failing = true;
  after.failures_in_a_row = failures;
  after.successes_in_a_row = 0;
  std::string why;
  const bool notifies = FailureNotifies(policy, before, failures, now, why);
  if (!hold.empty() && failures >= policy.failures_before_notify) {
    // Held back; the first run free of the gate notifies whatever the rules above say.
    after.held_in_streak = true;
    outcome.reason = "suppressed: " + hold;
  } else if (notifies) {
    outcome.verdict = Verdict::kFailure;
    outcome.reason = "notified: " + why;
    after.last_notify = now;
    after.notified_in_streak = true;
    after.held_in_streak = false;
    if (!after.first_notify) after.first_notify = now;
  } else {
    outcome.reason = "quiet: " + why;
  }
  return outcome;
}

std::string NextNotification(const JobPolicy& policy, const JobHistory& history, const Gates& gates, UnixTime now) {
  if (gates.paused) {
    return "none while it is paused" +
           (gates.paused_until ? " (until " + ClockTimeUtc(*gates.paused_until, now) + ")" : std::string());
  }
  if (gates.maintenance) {
    return "at its first failing run after its maintenance window ends at " + ClockTimeUtc(gates.maintenance->end, now);
  }
  if (!gates.failing_dependencies.empty()) {
    return "at its first failing run after " + NameList(gates.failing_dependencies) +
           (gates.failing_dependencies.size() == 1 ? " recovers" : " recover");
  }
  const int next = history.failing ? history.failures_in_a_row + 1 : 1;
  if (next < policy.failures_before_notify) {
    const int more = policy.failures_before_notify - next + 1;
    return "at its " + Ordinal(policy.failures_before_notify) + " failure in a row (" + std::to_string(more) +
           " more failing runs)";
  }
  if (!history.failing || history.held_in_streak || !history.notified_in_streak || !history.last_notify) {
    if (policy.notify == NotifyEvery::kStateChange && history.failing && !history.held_in_streak &&
        next > policy.failures_before_notify) {
      return "none until the job has recovered (" + NotifySetting(policy.notify) + ")";
    }
    return "at its next failing run";
  }
  if (policy.notify == NotifyEvery::kStateChange) {
    return "none until the job has recovered (" + NotifySetting(policy.notify) + ")";
  }
  if (policy.notify == NotifyEvery::kEvery || *history.last_notify > now) return "at its next failing run";
  const UnixTime due = *history.last_notify + *RenotifyAfterSeconds(policy.notify) + 1;
  if (due <= now) return "at its next failing run";
  return "at its first failing run from " + ClockTimeUtc(due, now) + " on (" + Relative(due, now) + ", " +
         NotifySetting(policy.notify) + ")";
}

}  // namespace checker
