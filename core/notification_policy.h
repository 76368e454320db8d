// NotificationPolicy: whether a job's run sends a notification (SPEC section 5).
//
// A pure function of the job's history, this run's result and the time, so it
// is tested with pinned clocks. With n the failures in a row before this run
// and min = failures_before_notify, a failing run notifies when n + 1 >= min
// and the job's `notify` setting allows it; a success after a streak that
// notified sends one recovery notification.
#pragma once

#include <checker/job.h>

#include <optional>
#include <string>

#include "clock.h"

namespace checker {

struct JobPolicy {
  NotifyEvery notify = NotifyEvery::kHour;
  int failures_before_notify = 1;
  bool notify_recovery = true;
};

// What the state file keeps per job.
struct JobHistory {
  bool failing = false;
  int failures_in_a_row = 0;
  std::optional<UnixTime> first_failure;  // of the current streak
  std::optional<UnixTime> last_notify;    // of any kind, any streak
  bool notified_in_streak = false;        // a failure notification went out in this streak
  std::optional<UnixTime> last_run;
  std::string last_message;
};

enum class Verdict { kQuiet, kFailure, kRecovery };

struct PolicyOutcome {
  JobHistory history;  // the job's history after this run
  Verdict verdict = Verdict::kQuiet;
};

// How long after the streak's last notification a failing job may notify
// again; the slack lets a cron tick that runs a little early still count.
std::optional<UnixTime> RenotifyAfterSeconds(NotifyEvery notify);

PolicyOutcome ApplyRun(const JobPolicy& policy, const JobHistory& before, const JobResult& result, UnixTime now);

}  // namespace checker
