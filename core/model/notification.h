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

// A job's failure notification. `described` is what its plugin said (an
// empty subject means the default text); `history` is the job's history
// after this run.
NotificationRequest FailureNotification(const Job& job, const Notification& described, const JobResult& result,
                                        const JobHistory& history);
// A job's recovery notification; `streak` is the job's history before this
// run, which says how long it was failing.
NotificationRequest RecoveryNotification(const Job& job, const Notification& described, const JobResult& result,
                                         const JobHistory& streak, UnixTime now);

// settings.cfg has errors, and the last configuration that loaded cleanly
// runs instead; and the recovery when the file loads cleanly again.
NotificationRequest ConfigErrorNotification(const std::vector<std::string>& recipients, const std::string& path,
                                            const std::vector<std::string>& errors);
NotificationRequest ConfigFixedNotification(const std::vector<std::string>& recipients, const std::string& path,
                                            const JobHistory& streak, UnixTime now);

// The job under which configuration errors are recorded and notified.
constexpr const char* kConfigJobName = "checker:config";

// No tick ran between `last_tick` and `now`.
NotificationRequest MissedTicksNotification(const std::vector<std::string>& recipients, UnixTime last_tick,
                                            UnixTime now);

// "[servername] job: subject" on one line of at most a header's readable
// length; the job's name is added when the subject does not hold it.
std::string CompleteSubject(const std::string& servername, const std::string& job, const std::string& subject);

// "7 min", "7 min 5 s".
std::string Minutes(UnixTime seconds);

// A span for people: "45 s", "12 min", "2 h 13 min", "3 d 4 h".
std::string Span(UnixTime seconds);
// "1st", "2nd", "3rd", "11th"
std::string Ordinal(int n);
// "04:00 UTC" on the day of `now`, else "2026-12-06 04:00 UTC".
std::string ClockTimeUtc(UnixTime time, UnixTime now);
// "12 min ago", "in 5 min", "now".
std::string Relative(UnixTime time, UnixTime now);

}  // namespace checker
