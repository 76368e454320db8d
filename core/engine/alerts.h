// Alerts: what checker tells Alertmanager, as pure functions of a job, its
// history and the time (AlertPublisher does the posting).
//
// A job's alert fires while its streak has reached failures_before_notify
// and no gate holds it back. It is posted at every tick with endsAt = now +
// twice the job's interval + 1 min, so that the alerts of a checker that
// falls silent resolve by themselves; a recovery posts it once more with
// endsAt = now.
#pragma once

#include <string>

#include "engine/gates.h"
#include "model/alert.h"
#include "model/job.h"
#include "model/job_history.h"
#include "model/notification.h"
#include "util/clock.h"

namespace checker {

// Held back by a pause, a maintenance window or a failing dependency, as mail is.
bool AlertFiring(const JobPolicy& policy, const JobHistory& history, const Gates& gates);

// Where an alert comes from, besides its job.
struct AlertSource {
  std::string servername;
  std::string generator_url;  // base URL of the status page, or empty
};

// The alert of `job` with `history`, firing until now + twice its interval +
// 1 min, or resolved now when `resolved`.
Alert JobAlert(const Job& job, const JobHistory& history, const AlertSource& source, UnixTime now, bool resolved);

// The alert of a one-off event (missed ticks, a configuration error), firing
// from now for `lasts` seconds.
Alert EventAlert(const NotificationRequest& event, const AlertSource& source, UnixTime now, UnixTime lasts);

}  // namespace checker
