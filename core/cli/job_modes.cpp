#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli/mode_handlers.h"
#include "cli/modes.h"
#include "cli/passthrough_command.h"
#include "engine/checkins.h"
#include "model/exit_status.h"

namespace checker {
namespace {

constexpr std::int64_t kLongestPauseSeconds = 3650LL * 86400;

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
    if (*seconds > kLongestPauseSeconds) {
      session.logger().Error("--for is at most 3650d (ten years), not '" + command_line.pause_for +
                             "'; to pause without end, leave out --for");
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

namespace {

// The job a check-in names, in settings.cfg as it is (errors or not) or in
// the last good configuration, with the configuration that defines it.
struct CheckinTarget {
  const LoadedConfiguration* configuration = nullptr;
  const Job* job = nullptr;
};

CheckinTarget FindCheckinTarget(Session& session, const Runnable& runnable) {
  CheckinTarget target;
  for (const auto& candidate : {runnable.broken, runnable.configuration}) {
    if (candidate && !target.job) {
      target.job = candidate->catalog.FindCheckinJob(session.command_line().job);
      target.configuration = candidate.get();
    }
  }
  if (!target.job)
    session.logger().Error("no heartbeat named '" + session.command_line().job + "' (see checker -m list)");
  return target;
}

// The message of --message or --message-file (a file, or - for standard
// input), cut to what a check-in keeps.
Result<std::string> CheckinMessage(const CommandLine& command_line) {
  if (command_line.message_given && command_line.message_file_given) {
    return Status::Error("give --message or --message-file, not both");
  }
  if (!command_line.message_file_given) return command_line.message;
  const bool from_stdin = command_line.message_file == "-";
  const int fd = from_stdin ? STDIN_FILENO : open(command_line.message_file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Status::Error(command_line.message_file + ": cannot read the message: " + std::strerror(errno));
  if (!from_stdin) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string message;
  char buffer[65536];
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    // Read it all (a writer must not block on a full pipe), keep the start.
    message.append(buffer, std::min(static_cast<std::size_t>(got),
                                    kMaxCheckinMessageBytes - std::min(message.size(), kMaxCheckinMessageBytes)));
  }
  if (!from_stdin) close(fd);
  return message;
}

}  // namespace

int Ping(Session& session) {
  // A check-in is recorded whatever else is wrong in settings.cfg, for a job
  // that it or the last good configuration defines.
  const CommandLine& command_line = session.command_line();
  const int kinds = command_line.start + command_line.fail + command_line.exit_code_given + command_line.log;
  if (kinds > 1) return UsageError("give at most one of --start, --fail, --exit-code and --log");
  Result<std::string> message = CheckinMessage(command_line);
  if (!message.ok()) {
    session.logger().Error(message.error());
    return kExitConfigError;
  }
  std::string suffix = command_line.start ? "start" : command_line.fail ? "fail" : command_line.log ? "log" : "";
  if (command_line.exit_code_given) suffix = command_line.exit_code;
  const std::optional<Checkin> checkin = CheckinFromPath(suffix, SystemClock().Now(), *message);
  if (!checkin || (command_line.exit_code_given && checkin->exit_status < 0)) {
    return UsageError("--exit-code takes a number from 0 to 255, not '" + command_line.exit_code + "'");
  }
  const Runnable runnable = session.LoadForCheckin();
  if (!runnable.configuration && !runnable.broken) return kExitConfigError;
  const CheckinTarget target = FindCheckinTarget(session, runnable);
  if (!target.job) return kExitConfigError;
  auto store = StateStore::Open(target.configuration->config.general.statefile, StateStore::Mode::kCreate);
  RecordCheckin(*store, *target.job, *checkin);
  session.logger().Debug(target.job->name + ": " + CheckinKindName(*checkin) + " check-in recorded");
  return kExitOk;
}

int Exec(Session& session) {
  const Runnable runnable = session.LoadForCheckin();
  const CheckinTarget target =
      runnable.configuration || runnable.broken ? FindCheckinTarget(session, runnable) : CheckinTarget{};
  // The wrapped command runs whatever happens to its check-ins: a cron job
  // must not stop because checker cannot record it.
  std::unique_ptr<StateStore> store;
  const auto check_in = [&](Checkin checkin) {
    if (!target.job) return;
    try {
      if (!store) store = StateStore::Open(target.configuration->config.general.statefile, StateStore::Mode::kCreate);
      RecordCheckin(*store, *target.job, std::move(checkin));
    } catch (const StateError& error) {
      session.logger().Error(target.job->name + ": could not record the check-in: " + error.what());
    }
  };
  Checkin started;
  started.time = SystemClock().Now();
  started.kind = Checkin::Kind::kStart;
  check_in(started);
  const CommandOutcome outcome = RunPassingOutputThrough(session.command_line().command, kMaxExecMessageBytes);
  Checkin finished;
  finished.time = SystemClock().Now();
  finished.exit_status = outcome.exit_status;
  finished.kind = outcome.exit_status == 0 ? Checkin::Kind::kSuccess : Checkin::Kind::kFailure;
  finished.message = outcome.output_tail.empty() ? outcome.description : outcome.output_tail;
  if (!outcome.started) session.logger().Error(outcome.description);
  check_in(finished);
  return target.job ? outcome.exit_status : kExitConfigError;
}

int Pause(Session& session) { return PauseOrUnpause(session, true); }
int Unpause(Session& session) { return PauseOrUnpause(session, false); }

}  // namespace checker
