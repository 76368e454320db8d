#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/mode_handlers.h"
#include "model/exit_status.h"
#include "model/frequency.h"
#include "report/status_report.h"
#include "util/text.h"

namespace checker {

int ListJobs(Session& session) {
  // Read-only modes create no log file, and show the last good configuration
  // when settings.cfg has errors (saying so on stderr).
  const auto loaded = session.LoadToRun(Fallback::kLastGood, false).configuration;
  if (!loaded) return kExitConfigError;
  const auto& jobs = loaded->catalog.jobs();
  std::size_t width = 3;
  for (const auto& job : jobs) width = std::max(width, DisplayWidth(job.name));
  const auto padded = [width](const std::string& name) { return name + std::string(width - DisplayWidth(name), ' '); };
  std::printf("%s  %-10s  %-9s  %-12s  %-3s  %-7s  %s\n", padded("JOB").c_str(), "PLUGIN", "FREQUENCY", "NOTIFY", "MIN",
              "TIMEOUT", "ENABLED");
  for (const auto& job : jobs) {
    std::printf("%s  %-10s  %-9s  %-12s  %-3d  %-7s  %s\n", padded(job.name).c_str(), job.plugin.c_str(),
                FrequencyName(job.frequency), NotifyEveryName(job.policy.notify), job.policy.failures_before_notify,
                (std::to_string(job.timeout_seconds) + "s").c_str(), job.enabled ? "yes" : "no");
  }
  if (jobs.empty()) std::printf("(no jobs configured)\n");
  return kExitOk;
}

int ShowStatus(Session& session) {
  // Read-only modes create no log file, and show the last good configuration
  // when settings.cfg has errors (saying so on stderr).
  const auto loaded = session.LoadToRun(Fallback::kLastGood, false).configuration;
  if (!loaded) return kExitConfigError;
  std::vector<StoredJob> stored;
  const std::string& path = loaded->config.general.statefile;
  if (access(path.c_str(), F_OK) == 0) stored = StateStore::Open(path, StateStore::Mode::kReadOnly)->LoadAllJobs();
  auto statuses = CollectStatus(loaded->catalog, stored, SystemClock().Now());
  std::cout << (session.command_line().json ? StatusJson(loaded->config.general.servername, statuses)
                                            : StatusTable(statuses));
  return kExitOk;
}

namespace {

// What only validate looks at: that the state file, when there is one, is
// one checker can use, and timeouts that overlap the next run.
void CheckForValidate(LoadedConfiguration& loaded) {
  const Config& config = loaded.config;
  auto& diagnostics = loaded.diagnostics;
  const std::string& statefile = config.general.statefile;
  if (diagnostics.ok() && access(statefile.c_str(), F_OK) == 0) {
    try {
      StateStore::Open(statefile, StateStore::Mode::kReadOnly)->LoadAllJobs();
    } catch (const StateError& error) {
      diagnostics.Error(config.file.Where("general", "statefile") + ": " + error.what());
    }
  }
  for (const auto& job : loaded.catalog.jobs()) {
    if (job.timeout_seconds > IntervalSeconds(job.frequency)) {
      diagnostics.Warning(config.file.Where(job.name, "timeout") + ": " + job.name + " may run for " +
                          std::to_string(job.timeout_seconds) + " s, longer than a " + FrequencyName(job.frequency) +
                          "; a later tick skips it while it still runs");
    }
  }
}

}  // namespace

int Validate(Session& session) {
  auto loaded = session.LoadToValidate();
  if (!loaded) return kExitConfigError;
  CheckForValidate(*loaded);
  const auto& diagnostics = loaded->diagnostics;
  for (const auto& warning : diagnostics.warnings) std::cout << "warning: " << warning << "\n";
  for (const auto& problem : diagnostics.errors) std::cout << "error: " << problem << "\n";
  const std::size_t refused = loaded->catalog.RefusedPluginCount();
  const bool ok = diagnostics.ok() && refused == 0;
  std::cout << loaded->config.path << ": " << (ok ? "OK" : "NOT OK") << " (" << loaded->catalog.jobs().size()
            << " jobs, " << loaded->plugins.loaded.size() + loaded->plugins.refused.size() - refused
            << " plugins loaded, " << refused << " refused, " << diagnostics.errors.size() << " errors, "
            << diagnostics.warnings.size() << " warnings)\n";
  return ok ? kExitOk : kExitConfigError;
}

}  // namespace checker
