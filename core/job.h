// Job: one configured job as the engine sees it, whatever plugin made it.
#pragma once

#include <checker/job.h>

#include <memory>
#include <string>
#include <vector>

#include "notification_policy.h"

namespace checker {

struct Job {
  std::string name;    // "tcp:dns"
  std::string key;     // its row in the state file
  std::string plugin;  // "tcp"
  Frequency frequency = Frequency::kMinute;
  JobPolicy policy;
  int timeout_seconds = 30;
  std::vector<std::string> recipients;
  bool enabled = true;
  // The plugin's object; it keeps its shared library loaded. Null for the
  // failing stand-in of a refused plugin, whose message is `refusal`.
  std::shared_ptr<JobBase> impl;
  std::string refusal;
};

// Whether a tick of `tick` runs jobs of `job` (the cron cascade).
bool TickRuns(Frequency tick, Frequency job);

}  // namespace checker
