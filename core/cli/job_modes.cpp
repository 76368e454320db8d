#include <iostream>

#include "cli/mode_handlers.h"
#include "engine/checkins.h"
#include "model/exit_status.h"

namespace checker {
namespace {

int PauseOrUnpause(Session& session, bool pause) {
  const auto loaded = session.LoadToRun(Fallback::kLastGood).configuration;
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
  // Quiet on success, as cron wants; -d says what was done.
  session.logger().Debug(job->name + (pause ? " paused" : " unpaused") +
                         (until ? " until " + FormatIsoUtc(*until) : std::string()));
  return kExitOk;
}

}  // namespace

const Job* FindJobOrSay(Session& session, const LoadedConfiguration& loaded) {
  const std::string& name = session.command_line().job;
  const Job* job = loaded.catalog.FindByCommandName(name);
  if (!job) session.logger().Error("no job named '" + name + "' (see checker -m list)");
  return job;
}

int Ping(Session& session) {
  // A check-in is recorded whatever else is wrong in settings.cfg, for a job
  // that it or the last good configuration defines.
  const Runnable runnable = session.LoadForCheckin();
  if (!runnable.configuration && !runnable.broken) return kExitConfigError;
  const CommandLine& command_line = session.command_line();
  const LoadedConfiguration* loaded = nullptr;
  const Job* job = nullptr;
  for (const auto& candidate : {runnable.broken, runnable.configuration}) {
    if (candidate && !job) {
      job = candidate->catalog.FindCheckinJob(command_line.job);
      loaded = candidate.get();
    }
  }
  if (!job) {
    session.logger().Error("no heartbeat named '" + command_line.job + "' (see checker -m list)");
    return kExitConfigError;
  }
  auto store = StateStore::Open(loaded->config.general.statefile, StateStore::Mode::kCreate);
  RecordCheckin(*store, *job, {SystemClock().Now(), command_line.fail, command_line.message});
  session.logger().Debug(job->name + ": " + (command_line.fail ? "failure" : "check-in") + " recorded");
  return kExitOk;
}

int Pause(Session& session) { return PauseOrUnpause(session, true); }
int Unpause(Session& session) { return PauseOrUnpause(session, false); }

}  // namespace checker
