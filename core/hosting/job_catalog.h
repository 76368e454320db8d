// JobCatalog: every job of this configuration, from loaded plugins, with the
// policy keys of its section applied, plus a failing stand-in job
// "plugin:FILE" for every refused plugin so that its admin hears of it.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/key_usage.h"
#include "hosting/plugin_loader.h"
#include "model/job.h"

namespace checker {

class JobCatalog {
 public:
  // Spawns the jobs of `plugins`. Bad settings go to diagnostics; a plugin
  // that throws while spawning or names its jobs badly becomes a refusal; a
  // job section without its plugin is a warning. `validating`: for
  // `-m validate` (see PluginSettings::Validating).
  static JobCatalog Build(const Config& config, const PluginSet& plugins, KeyUsage& usage, Diagnostics& diagnostics,
                          bool validating = false);

  // Runs only the plugin code that Build runs (each spawner over the
  // configuration, and every question Build asks each job), without the
  // core's own reading of the job sections: what the plugin probe needs to
  // find a plugin that crashes or hangs there. What the plugins throw is
  // left to Build.
  static void RunPluginCode(const Config& config, const PluginSet& plugins);

  // A catalog of ready-made jobs, for tests and tools.
  static JobCatalog FromJobs(std::vector<Job> jobs) {
    JobCatalog catalog;
    catalog.jobs_ = std::move(jobs);
    return catalog;
  }

  const std::vector<Job>& jobs() const { return jobs_; }
  const Job* Find(const std::string& name) const;
  // The job that takes check-ins under `name`: "PLUGIN:NAME", or a bare NAME.
  const Job* FindCheckinJob(const std::string& name) const;
  // A job by its full name, or a check-in job by its bare NAME.
  const Job* FindByCommandName(const std::string& name) const;
  // How many of the jobs stand in for refused plugins.
  std::size_t RefusedPluginCount() const;

 private:
  std::vector<Job> jobs_;
};

}  // namespace checker
