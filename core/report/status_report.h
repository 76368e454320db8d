// StatusReport: every configured job with its state, as a table for people or
// one JSON object for scripts (also the daemon's /status.json):
// {"server", "jobs": [{"name", "plugin", "frequency", "state", "failures",
// "last_run", "first_failure", "last_notify", "message"}]}.
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
  std::string state;  // succeeding | failing | paused | never_run
  int failures = 0;
  std::optional<UnixTime> last_run, first_failure, last_notify;
  std::optional<UnixTime> paused_until;  // while paused; unset: until unpaused
  std::string message;
};

std::vector<JobStatus> CollectStatus(const JobCatalog& catalog, const std::vector<StoredJob>& stored, UnixTime now);
std::string StatusJson(const std::string& server, const std::vector<JobStatus>& jobs);
std::string StatusTable(const std::vector<JobStatus>& jobs);

}  // namespace checker
