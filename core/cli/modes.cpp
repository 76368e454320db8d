#include "cli/modes.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "engine/checkins.h"
#include "engine/runner.h"
#include "engine/worker_pool.h"
#include "hosting/network_module.h"
#include "model/exit_status.h"
#include "model/frequency.h"
#include "network/status_server.h"
#include "notify/channel_registry.h"
#include "notify/outbox.h"
#include "report/status_report.h"
#include "util/lock_file.h"
#include "util/text.h"

namespace checker {
namespace {

// The real parts a tick needs around an open state file.
struct TickParts {
  TickParts(const Config& config, StateStore& store, JobRunner& job_runner, bool nomail, Logger& logger)
      : channels(MakeChannels(config, nomail, logger)),
        outbox(store, Pointers(channels), logger, config.general.servername),
        runner(config, store, job_runner, outbox, clock, logger) {
    runner.set_deliver_backlog(!nomail);
  }

  static std::vector<Channel*> Pointers(const std::vector<std::unique_ptr<Channel>>& owned) {
    std::vector<Channel*> pointers;
    for (const auto& channel : owned) pointers.push_back(channel.get());
    return pointers;
  }

  std::vector<std::unique_ptr<Channel>> channels;
  SystemClock clock;
  Outbox outbox;
  Runner runner;
};

bool Nomail(const Session& session, const Config& config) {
  return session.command_line().nomail || config.email.nomail;
}

const Job* FindJobOrSay(Session& session, const LoadedConfiguration& loaded) {
  const std::string& name = session.command_line().job;
  const Job* job = loaded.catalog.FindByCommandName(name);
  if (!job) session.logger().Error("no job named '" + name + "' (see checker -m list)");
  return job;
}

int Cron(Session& session) {
  const auto tick = ParseFrequency(session.command_line().cron);
  if (!tick) return UsageError("-m cron needs -c minute, hour, day or day_noon");
  auto loaded = session.LoadToRun();
  if (!loaded) return kExitConfigError;
  const Config& config = loaded->config;
  Result<std::unique_ptr<LockFile>> lock =
      LockFile::TryAcquire(config.general.statefile + "." + session.command_line().cron + ".lock");
  if (!lock.ok()) {
    session.logger().Error(lock.error());
    return kExitConfigError;
  }
  if (!*lock) {
    session.logger().Info("a " + session.command_line().cron + " tick is still running; this one exits");
    return kExitOk;
  }
  WorkerPool workers(config.general.parallelism, session.command_line().debug);
  auto store = StateStore::Open(config.general.statefile, StateStore::Mode::kCreate);
  TickParts parts(config, *store, workers, Nomail(session, config), session.logger());
  return parts.runner.RunTick(loaded->catalog, *tick);
}

void PrintResult(const Job& job, const JobResult& result) {
  std::cout << job.name << ": " << (result.success ? "OK" : "FAILED") << (result.message.empty() ? "" : ": ")
            << result.message << "\n";
}

int RunJob(Session& session) {
  auto loaded = session.LoadToRun();
  if (!loaded) return kExitConfigError;
  const Job* job = FindJobOrSay(session, *loaded);
  if (!job) return kExitConfigError;
  const Config& config = loaded->config;
  WorkerPool workers(config.general.parallelism, session.command_line().debug);
  if (!session.command_line().notify) {
    // A dry probe: the state file is only read, and never created.
    std::vector<StoredJob> stored;
    if (access(config.general.statefile.c_str(), F_OK) == 0) {
      stored = StateStore::Open(config.general.statefile, StateStore::Mode::kReadOnly)->LoadAllJobs();
    }
    JobResult result = workers.RunAll({job}, MakeContexts({job}, stored, SystemClock().Now()))[0].result;
    PrintResult(*job, result);
    return result.success ? kExitOk : kExitJobFailed;
  }
  auto store = StateStore::Open(config.general.statefile, StateStore::Mode::kReadWrite);
  TickParts parts(config, *store, workers, Nomail(session, config), session.logger());
  JobResult result;
  const int status = parts.runner.RunOneAndRecord(*job, result);
  PrintResult(*job, result);
  return status;
}

int Ping(Session& session) {
  auto loaded = session.LoadToRun();
  if (!loaded) return kExitConfigError;
  const CommandLine& command_line = session.command_line();
  const Job* job = loaded->catalog.FindCheckinJob(command_line.job);
  if (!job) {
    session.logger().Error("no heartbeat named '" + command_line.job + "' (see checker -m list)");
    return kExitConfigError;
  }
  auto store = StateStore::Open(loaded->config.general.statefile, StateStore::Mode::kCreate);
  RecordCheckin(*store, *job, {SystemClock().Now(), command_line.fail, command_line.message});
  std::cout << job->name << ": " << (command_line.fail ? "failure" : "check-in") << " recorded\n";
  return kExitOk;
}

int PauseOrUnpause(Session& session, bool pause) {
  auto loaded = session.LoadToRun();
  if (!loaded) return kExitConfigError;
  const Job* job = FindJobOrSay(session, *loaded);
  if (!job) return kExitConfigError;
  const CommandLine& command_line = session.command_line();
  std::optional<UnixTime> until;
  const UnixTime now = SystemClock().Now();
  if (command_line.pause_for_given) {
    auto seconds = ParseDuration(command_line.pause_for);
    if (!seconds || *seconds <= 0) {
      session.logger().Error("--for must be a duration such as 30m, 2h or 1d, not '" + command_line.pause_for + "'");
      return kExitConfigError;
    }
    until = now + *seconds;
  }
  auto store = StateStore::Open(loaded->config.general.statefile, StateStore::Mode::kCreate);
  StateStore::Transaction transaction(*store);
  StoredJob stored = store->EnsureJob(job->key, job->name, now);
  stored.paused = pause;
  stored.paused_until = pause ? until : std::nullopt;
  // Unpausing a heartbeat restarts its period.
  if (!pause) stored.first_seen = now;
  store->SaveJob(stored);
  transaction.Commit();
  std::cout << job->name << (pause ? " paused" : " unpaused")
            << (until ? " until " + FormatIsoUtc(*until) : std::string()) << "\n";
  return kExitOk;
}

int Pause(Session& session) { return PauseOrUnpause(session, true); }
int Unpause(Session& session) { return PauseOrUnpause(session, false); }

int ListJobs(Session& session) {
  auto loaded = session.LoadToRun();
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
  auto loaded = session.LoadToRun();
  if (!loaded) return kExitConfigError;
  std::vector<StoredJob> stored;
  const std::string& path = loaded->config.general.statefile;
  if (access(path.c_str(), F_OK) == 0) stored = StateStore::Open(path, StateStore::Mode::kReadOnly)->LoadAllJobs();
  auto statuses = CollectStatus(loaded->catalog, stored, SystemClock().Now());
  std::cout << (session.command_line().json ? StatusJson(loaded->config.general.servername, statuses)
                                            : StatusTable(statuses));
  return kExitOk;
}

int Validate(Session& session) {
  auto loaded = session.LoadToValidate();
  if (!loaded) return kExitConfigError;
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

int Daemon(Session& session) {
  auto loaded = session.LoadToRun();
  if (!loaded) return kExitConfigError;
  Result<NetworkModule*> module = NetworkModule::Get();
  if (!module.ok()) {
    session.logger().Error(module.error());
    return kExitConfigError;
  }
  const std::string path = loaded->config.path;
  const ConfigurationLoader reload = [path] { return LoadConfiguration(path); };
  return (*module)->Entry<StatusServerEntry>("checker_run_status_server")(loaded, reload, session.logger());
}

}  // namespace

const std::vector<Mode>& Modes() {
  static const std::vector<Mode> kModes = {
      {"cron", "-c minute|hour|day|day_noon", "run one cron tick", {"cron"}, false, Cron},
      {"daemon", "", "serve health to peers, accept check-ins", {}, false, Daemon},
      {"list", "", "jobs, plugin, frequency, policy", {}, false, ListJobs},
      {"status", "[--json]", "state of every job", {"json"}, false, ShowStatus},
      {"run", "--job NAME [--notify]", "run one job now; print its result", {"job", "notify"}, true, RunJob},
      {"ping", "--job NAME [--fail] [--message TEXT]", "heartbeat check-in", {"job", "fail", "message"}, true, Ping},
      {"pause",
       "--job NAME [--for DURATION]",
       "pause a job, for a while or until unpaused",
       {"job", "for"},
       true,
       Pause},
      {"unpause", "--job NAME", "run a paused job again", {"job"}, true, Unpause},
      {"validate", "", "check config and plugins, change nothing", {}, false, Validate},
  };
  return kModes;
}

const Mode* FindMode(const std::string& name) {
  for (const auto& mode : Modes()) {
    if (name == mode.name) return &mode;
  }
  return nullptr;
}

int UsageError(const std::string& message) {
  std::cerr << "checker: " << message << "\nTry 'checker --help'.\n";
  return kExitConfigError;
}

}  // namespace checker
