// StatusReport: every configured job with its state, as a table for people or
// the JSON object of SPEC section 3 for scripts (also the daemon's /status.json).
#pragma once

#include <string>
#include <vector>

#include "clock.h"
#include "job_catalog.h"
#include "state_store.h"

namespace checker {

struct JobStatus {
  std::string name;
  std::string plugin;
  std::string frequency;
  std::string state;  // succeeding | failing | paused | never_run
  int failures = 0;
  std::optional<UnixTime> last_run, first_failure, last_notify;
  std::string message;
};

std::vector<JobStatus> CollectStatus(const JobCatalog& catalog, const std::vector<StoredJob>& stored, UnixTime now);
std::string StatusJson(const std::string& server, const std::vector<JobStatus>& jobs);
std::string StatusTable(const std::vector<JobStatus>& jobs);

std::string JsonString(const std::string& text);

}  // namespace checker
