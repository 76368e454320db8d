// Notifications: their kinds, and every text checker composes for one.
//
// This file is the one place where a notification's words are made: the
// default subject and body of a job's failure or recovery (a plugin may
// describe its own), the footer with the job's policy and streak, the
// missed-ticks notice, and the complete subject line "[servername] job: ...".
#pragma once

#include <checker/job.h>

#include <optional>
#include <string>
#include <vector>

#include "model/job.h"
#include "model/job_history.h"
#include "util/clock.h"

namespace checker {

enum class NotificationKind { kFailure, kRecovery, kMissedTicks, kPeer, kConfigError, kTest };

// "failure", "recovery", "missed_ticks", "peer", "config_error", "test".
const char* KindName(NotificationKind kind);
std::optional<NotificationKind> ParseKind(const std::string& name);

// A notification on its way to the outbox.
struct NotificationRequest {
  std::string job;
  NotificationKind kind = NotificationKind::kFailure;
  std::vector<std::string> recipients;
  std::string subject;  // without "[servername] "
  std::string body;
};

// A job's failure or recovery notification. `described` is what its plugin
// said (an empty subject means the default text); `history` is the job's
// history after this run.
NotificationRequest FailureNotification(const Job& job, const Notification& described, const JobResult& result,
                                        const JobHistory& history);
NotificationRequest RecoveryNotification(const Job& job, const Notification& described, const JobResult& result,
                                         const JobHistory& history);

// No tick ran between `last_tick` and `now`.
NotificationRequest MissedTicksNotification(const std::vector<std::string>& recipients, UnixTime last_tick,
                                            UnixTime now);

// "[servername] job: subject" on one line of at most a header's readable
// length; the job's name is added when the subject does not hold it.
std::string CompleteSubject(const std::string& servername, const std::string& job, const std::string& subject);

// "7 min", "7 min 5 s".
std::string Minutes(UnixTime seconds);

}  // namespace checker
