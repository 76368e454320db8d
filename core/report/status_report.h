// StatusReport: every configured job with its state, as a table for people or
// one JSON object for scripts (also the daemon's /status.json):
// {"server", "jobs": [{"name", "plugin", "frequency", "state", "failures",
// "last_run", "first_failure", "last_notify", "paused_until",
// "maintenance_until", "next_maintenance", "recovering", "message"}]}.
#pragma once

#include <string>
#include <vector>

#include "hosting/job_catalog.h"
#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

struct JobStatus {
  std::string name;
  std::string plugin;
  std::string frequency;
  std::string state;  // succeeding | failing | paused | maintenance | never_run
  int failures = 0;
  std::optional<UnixTime> last_run, first_failure, last_notify;
  std::optional<UnixTime> paused_until;       // while paused; unset: until unpaused
  std::optional<UnixTime> maintenance_until;  // while a maintenance window is in force
  std::optional<UnixTime> next_maintenance;   // when the next window starts (within a year)
  // A failing job that needs several successes to recover: "2 of 3 successes", else empty.
  std::string recovering;
  std::string message;
};

std::vector<JobStatus> CollectStatus(const JobCatalog& catalog, const std::vector<StoredJob>& stored, UnixTime now);
std::string StatusJson(const std::string& server, const std::vector<JobStatus>& jobs);
std::string StatusTable(const std::vector<JobStatus>& jobs);

}  // namespace checker
