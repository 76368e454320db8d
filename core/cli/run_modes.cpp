#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/mode_handlers.h"
#include "cli/modes.h"
#include "engine/runner.h"
#include "engine/worker_pool.h"
#include "model/exit_status.h"
#include "model/frequency.h"
#include "notify/channel_registry.h"
#include "notify/outbox.h"
#include "util/lock_file.h"

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

void PrintResult(const Job& job, const JobResult& result) {
  std::cout << job.name << ": " << (result.success ? "OK" : "FAILED") << (result.message.empty() ? "" : ": ")
            << result.message << "\n";
}

}  // namespace

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

}  // namespace checker
