// NotificationPolicy: whether a job's run sends a notification, and why.
//
// A pure function of the job's policy, its history, this run's result, the
// gates in force and the time, so it is tested with pinned clocks. With n the
// failures in a row before this run and min = failures_before_notify, a
// failing run notifies when n + 1 >= min and the job's `notify` setting
// allows it. A failing streak ends after successes_before_recovery successes
// in a row (until then the job is recovering and still failing); its end
// sends one recovery notification if the streak notified. While a gate holds
// (a maintenance window, a failing dependency) nothing notifies, and the
// first failing run free of it notifies as if the streak had not notified yet.
#pragma once

#include <checker/job.h>

#include <optional>
#include <string>

#include "engine/gates.h"
#include "model/job.h"
#include "model/job_history.h"
#include "util/clock.h"

namespace checker {

enum class Verdict { kQuiet, kFailure, kRecovery };

struct PolicyOutcome {
  JobHistory history;  // the job's history after this run
  Verdict verdict = Verdict::kQuiet;
  // What was decided and why, in words: "notified: 3rd failure,
  // failures_before_notify = 3", "quiet: notify = hour and the last
  // notification was 12 min ago", "suppressed: tcp:router is failing".
  std::string reason;
};

// How long after the streak's last notification a failing job may notify
// again; the slack lets a cron tick that runs a little early still count.
std::optional<UnixTime> RenotifyAfterSeconds(NotifyEvery notify);

PolicyOutcome ApplyRun(const JobPolicy& policy, const JobHistory& before, const JobResult& result, UnixTime now,
                       const Gates& gates = {});

// When a failing run of a job with `history` could notify next, in words:
// "at its next failing run", "at the first failing run after 14:05 UTC",
// "after 2 more failures", "not again in this streak (notify = state_change)".
std::string NextNotification(const JobPolicy& policy, const JobHistory& history, const Gates& gates, UnixTime now);

// Why the gates hold a run's notifications back ("tcp:router is failing",
// "in maintenance until 04:00 UTC"), or empty when they do not.
std::string HoldReason(const Gates& gates, UnixTime now);

}  // namespace checker
