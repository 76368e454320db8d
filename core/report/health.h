// The health answer a checker gives its peers (GET / on the daemon), in the
// original's protocol, so that a C++ and a Python checker can watch each
// other: "True"; "MailProblem" when the last delivery of a notification, or
// the last mail round trip, failed, or a notification refused for good waits
// for an operator (checker -m outbox); "JobProblem" when no tick finished in
// the last 120 s. When both problems apply, JobProblem wins.
#pragma once

#include <optional>
#include <string>

#include "hosting/job_catalog.h"
#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

struct HealthFacts {
  std::optional<UnixTime> last_tick_finished;
  bool last_delivery_failed = false;
  bool refused_waiting = false;     // a notification refused for good waits for an operator
  bool mail_check_failing = false;  // a job that watches mail is failing
};

// What the state file says; no state file yet means no tick ever finished.
HealthFacts ReadHealthFacts(StateStore* store, const JobCatalog& catalog);

std::string HealthAnswer(const HealthFacts& facts, UnixTime now);

}  // namespace checker
