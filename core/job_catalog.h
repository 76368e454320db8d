// JobCatalog: every job of this configuration, from loaded plugins, with the
// policy keys of its section applied, plus a failing stand-in job
// "plugin:FILE" for every refused plugin so that its admin hears of it.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "diagnostics.h"
#include "job.h"
#include "plugin_loader.h"

namespace checker {

class JobCatalog {
 public:
  // Spawns the jobs of `plugins`. Bad settings go to diagnostics.errors; a
  // plugin that throws while spawning or names its jobs badly becomes a
  // refusal; a job section without its plugin is a warning.
  static JobCatalog Build(Config& config, const PluginSet& plugins, Diagnostics& diagnostics);

  // A catalog of ready-made jobs, for tests and tools.
  static JobCatalog FromJobs(std::vector<Job> jobs) {
    JobCatalog catalog;
    catalog.jobs_ = std::move(jobs);
    return catalog;
  }

  const std::vector<Job>& jobs() const { return jobs_; }
  const Job* Find(const std::string& name) const;

 private:
  std::vector<Job> jobs_;
};

}  // namespace checker
