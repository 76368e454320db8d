#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "cli/mode_handlers.h"
#include "model/exit_status.h"
#include "model/frequency.h"
#include "report/explanation.h"
#include "report/run_history.h"
#include "report/status_report.h"
#include "util/text.h"

namespace checker {

namespace {

// The state file, read-only, or null when there is none yet.
std::unique_ptr<StateStore> OpenToRead(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) return nullptr;
  return StateStore::Open(path, StateStore::Mode::kReadOnly);
}

std::unique_ptr<StateStore> OpenToRead(const LoadedConfiguration& loaded) {
  return OpenToRead(loaded.config.general.statefile);
}

// Every job's row of a state file, read while the plugins are probed (the
// rows do not depend on the jobs). Taken only for the file the configuration
// finally loaded names; when reading failed, the rows are read again, and
// the failure reported, after loading.
class RowsReadWhileProbing {
 public:
  WhileProbing Reader() {
    return [this](const Config& config) {
      try {
        auto store = OpenToRead(config.general.statefile);
        rows_ = store ? store->LoadAllJobs() : std::vector<StoredJob>{};
        path_ = config.general.statefile;
      } catch (const StateError&) {
        path_.reset();
      }
    };
  }

  std::vector<StoredJob> Take(const LoadedConfiguration& loaded) {
    if (path_ == loaded.config.general.statefile) return std::move(rows_);
    auto store = OpenToRead(loaded);
    return store ? store->LoadAllJobs() : std::vector<StoredJob>{};
  }

 private:
  std::optional<std::string> path_;  // the file rows_ were read from
  std::vector<StoredJob> rows_;
};

constexpr int kDefaultHistoryLimit = 50;
constexpr int kLongestHistory = 2000;  // what the state file keeps at most: 1000 runs and 1000 check-ins

}  // namespace

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
  RowsReadWhileProbing rows;
  const auto loaded = session.LoadToRun(Fallback::kLastGood, false, rows.Reader()).configuration;
  if (!loaded) return kExitConfigError;
  const std::vector<StoredJob> stored = rows.Take(*loaded);
  auto statuses = CollectStatus(loaded->catalog, stored, SystemClock().Now());
  std::cout << (session.command_line().json ? StatusJson(loaded->config.general.servername, statuses)
                                            : StatusTable(statuses));
  return kExitOk;
}

int ShowHistory(Session& session) {
  const CommandLine& command_line = session.command_line();
  int limit = kDefaultHistoryLimit;
  if (command_line.limit_given) {
    const std::string& text = command_line.limit;
    if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(text) < 1 || std::stoi(text) > kLongestHistory) {
      session.logger().Error("--limit must be a whole number from 1 to " + std::to_string(kLongestHistory) + ", not '" +
                             text + "'");
      return kExitConfigError;
    }
    limit = std::stoi(text);
  }
  const auto loaded = session.LoadToRun(Fallback::kLastGood, false).configuration;
  if (!loaded) return kExitConfigError;
  const Job* job = FindJobOrSay(session, *loaded);
  if (!job) return kExitConfigError;
  std::vector<HistoryEntry> entries;
  if (auto store = OpenToRead(*loaded)) {
    entries =
        MergeHistory(store->Runs(job->key, limit), store->Checkins(job->key, limit), static_cast<std::size_t>(limit));
  }
  std::cout << (command_line.json ? HistoryJson(job->name, entries) : HistoryTable(entries));
  return kExitOk;
}

int Explain(Session& session) {
  const auto loaded = session.LoadToRun(Fallback::kLastGood, false).configuration;
  if (!loaded) return kExitConfigError;
  const Job* job = FindJobOrSay(session, *loaded);
  if (!job) return kExitConfigError;
  ExplainInput input;
  input.job = job;
  input.now = SystemClock().Now();
  input.dependencies.resize(job->depends_on.size());
  if (auto store = OpenToRead(*loaded)) {
    input.row = store->LoadJob(job->key);
    for (std::size_t i = 0; i < job->depends_on.size(); ++i)
      input.dependencies[i] = store->LoadJob(job->depends_on[i].key);
    if (auto runs = store->Runs(job->key, 1); !runs.empty()) input.last_run = runs.front();
    for (auto& item : store->Undelivered()) {
      if (item.job == job->name) input.undelivered.push_back(std::move(item));
    }
  }
  const auto lines = checker::Explain(input);
  std::cout << (session.command_line().json ? ExplanationJson(input, lines) : ExplanationText(job->name, lines));
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
      // Read as it is: validate changes nothing, not even an older schema.
      auto store = StateStore::Open(statefile, StateStore::Mode::kInspect);
      if (auto version = store->older_schema()) {
        diagnostics.Warning(config.file.Where("general", "statefile") + ": written by an older checker (schema " +
                            std::to_string(*version) + "); the next cron tick brings it up to date");
      } else {
        store->LoadAllJobs();
      }
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
