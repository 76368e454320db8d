#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/mode_handlers.h"
#include "cli/modes.h"
#include "engine/runner.h"
#include "engine/worker_pool.h"
#include "model/exit_status.h"
#include "model/frequency.h"
#include "notify/alert_poster.h"
#include "notify/channel_registry.h"
#include "notify/outbox.h"
#include "report/metrics_collector.h"

namespace checker {
namespace {

// The real parts a tick needs around an open state file.
struct TickParts {
  // nomail comes from --nomail (a one-off run, `one_off`) or from settings.cfg.
  TickParts(const Config& config, StateStore& store, JobRunner& job_runner, bool one_off_nomail, Logger& logger)
      : channels(MakeChannels(config, one_off_nomail || config.email.nomail, logger)),
        outbox(store, Pointers(channels), logger, config.general.servername),
        runner(config, store, job_runner, outbox, clock, logger),
        alert_poster(MakeAlertPoster(config, one_off_nomail || config.email.nomail, logger)) {
    runner.set_nomail(one_off_nomail || config.email.nomail);
    if (alert_poster) {
      alerts = std::make_unique<AlertPublisher>(config, store, *alert_poster, logger);
      runner.set_alert_publisher(alerts.get());
    }
    // A one-off --nomail run leaves the queue to runs that may send it; with
    // nomail in settings.cfg nothing ever will, so the log takes it.
    runner.set_deliver_backlog(!one_off_nomail);
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
  std::unique_ptr<AlertPoster> alert_poster;
  std::unique_ptr<AlertPublisher> alerts;
};

bool Nomail(const Session& session, const Config& config) {
  return session.command_line().nomail || config.email.nomail;
}

// After a tick: the metrics for node_exporter. A textfile that cannot be
// written is an error of the configuration, reported, and ranks as one in
// the exit status.
int WriteTextfile(Session& session, const LoadedConfiguration& loaded, StateStore& store, int status) {
  const Status written = WriteMetricsTextfile(loaded.config, loaded.catalog, store, SystemClock().Now());
  if (written.ok()) return status;
  session.logger().Error(written.message());
  return kExitConfigError;
}

void PrintResult(const Job& job, const JobResult& result) {
  std::cout << job.name << ": " << (result.success ? "OK" : "FAILED") << (result.message.empty() ? "" : ": ")
            << result.message << "\n";
}

}  // namespace

int Cron(Session& session) {
  const auto tick = ParseFrequency(session.command_line().cron);
  if (!tick) return UsageError("-m cron needs -c minute, hour, day or day_noon");
  // A broken settings.cfg runs the last good configuration, and says so
  // by notification; only a new install without one runs nothing.
  const Runnable runnable = session.LoadToRun(Fallback::kLastGood);
  if (!runnable.configuration) return kExitConfigError;
  const LoadedConfiguration& loaded = *runnable.configuration;
  const Config& config = loaded.config;
  ConfigurationCheck check{config.path, {}, config.file.text()};
  if (runnable.broken) check.errors = runnable.broken->diagnostics.errors;
  WorkerPool workers(config.general.parallelism, session.command_line().debug);
  auto store = StateStore::Open(config.general.statefile, StateStore::Mode::kCreate);
  TickParts parts(config, *store, workers, session.command_line().nomail, session.logger());
  const int status = WriteTextfile(session, loaded, *store, parts.runner.RunTick(loaded.catalog, *tick, check));
  return runnable.broken ? kExitConfigError : status;
}

int RunJob(Session& session) {
  const auto loaded = session.LoadToRun().configuration;
  if (!loaded) return kExitConfigError;
  const Job* job = FindJobOrSay(session, *loaded);
  if (!job) return kExitConfigError;
  const Config& config = loaded->config;
  WorkerPool workers(config.general.parallelism, session.command_line().debug);
  if (!session.command_line().notify) {
    // A dry probe: the state file is only read, and never created.
    std::vector<StoredJob> stored;
    CheckinsToRead checkins;
    if (access(config.general.statefile.c_str(), F_OK) == 0) {
      auto store = StateStore::Open(config.general.statefile, StateStore::Mode::kReadOnly);
      stored = store->LoadAllJobs();
      checkins = ReadCheckins(*store);
    }
    const RunInputs inputs = MakeRunInputs({job}, stored, checkins, SystemClock().Now(), Nomail(session, config));
    JobResult result = workers.RunAll({job}, inputs.contexts)[0].result;
    PrintResult(*job, result);
    return result.success ? kExitOk : kExitJobFailed;
  }
  auto store = StateStore::Open(config.general.statefile, StateStore::Mode::kReadWrite);
  TickParts parts(config, *store, workers, session.command_line().nomail, session.logger());
  JobResult result;
  const int status = parts.runner.RunOneAndRecord(*job, result);
  PrintResult(*job, result);
  return WriteTextfile(session, *loaded, *store, status);
}

}  // namespace checker
