// NotificationPolicy: whether a job's run sends a notification.
//
// A pure function of the job's history, this run's result and the time, so it
// is tested with pinned clocks. With n the failures in a row before this run
// and min = failures_before_notify, a failing run notifies when n + 1 >= min
// and the job's `notify` setting allows it; a success after a streak that
// notified sends one recovery notification.
#pragma once

#include <checker/job.h>

#include <optional>

#include "model/job.h"
#include "model/job_history.h"
#include "util/clock.h"

namespace checker {

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
