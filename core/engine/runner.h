// Runner: one cron tick, or one job run by hand, from due jobs to delivered
// notifications.
//
// A tick selects its jobs (the cron cascade, enabled, not paused, not being
// run by another tick right now), claims them, runs them through the
// JobRunner and records each result as soon as it arrives: the job's new
// state and the notifications it causes, in one transaction. Then it
// delivers the outbox and posts the firing alerts to Alertmanager. The clock is read once per tick. State file errors
// before any job ran throw StateError to the caller; once jobs ran, their
// results are retried and, failing that, reported, never dropped unseen.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/alert_publisher.h"
#include "engine/worker_pool.h"
#include "hosting/job_catalog.h"
#include "model/exit_status.h"
#include "notify/outbox.h"
#include "state/state_store.h"
#include "util/clock.h"
#include "util/logger.h"

namespace checker {

// What each job is told about its run: the time and, from its state row (if
// any), when it first appeared and last ran, its last check-in and every
// check-in since its last run.
struct RunInputs {
  std::vector<RunContext> contexts;         // contexts[i] for jobs[i]
  std::vector<std::int64_t> checkins_read;  // the id of the last check-in contexts[i] holds
};
// The state file's part of it, read in one go.
struct CheckinsToRead {
  std::vector<StoredCheckin> unevaluated;
  std::map<std::string, UnixTime> unfinished_starts;
};
CheckinsToRead ReadCheckins(StateStore& store);
RunInputs MakeRunInputs(const std::vector<const Job*>& jobs, const std::vector<StoredJob>& stored,
                        const CheckinsToRead& checkins, UnixTime now, bool nomail = false);

// `jobs` (their indexes) in the rounds they run in: first those that depend
// on none of `jobs`, then those whose dependencies ran in an earlier round.
std::vector<std::vector<std::size_t>> DependencyRounds(const std::vector<const Job*>& jobs);

// What a tick knows of settings.cfg.
struct ConfigurationCheck {
  std::string path;
  // Empty: the file loaded cleanly and is what runs. Else its errors, and
  // the last good configuration runs.
  std::vector<std::string> errors;
  // The file's text, kept as the last good configuration when it is clean.
  std::string text;
};

class Runner {
 public:
  Runner(const Config& config, StateStore& store, JobRunner& job_runner, Outbox& outbox, const Clock& clock,
         Logger& logger)
      : config_(config), store_(store), job_runner_(job_runner), outbox_(outbox), clock_(clock), logger_(logger) {}

  // nomail: jobs are told to send nothing of their own.
  void set_nomail(bool nomail) { nomail_ = nomail; }
  // false: deliver only what this run queues, and leave older queued
  // notifications for a later tick (a one-off --nomail run must not use up
  // mail that waits for a mail server to come back).
  void set_deliver_backlog(bool deliver) { deliver_backlog_ = deliver; }
  // With [alertmanager] url: keeps Alertmanager's alerts current at every
  // tick; a post that fails makes the tick exit kExitMailFailed.
  void set_alert_publisher(AlertPublisher* alerts) { alerts_ = alerts; }

  // Runs the jobs of one tick; returns kExitOk, kExitJobFailed or
  // kExitMailFailed (a notification not delivered, or a result the state
  // file would not take).
  int RunTick(const JobCatalog& catalog, Frequency tick, const ConfigurationCheck& check);

  // `run --job NAME --notify`: runs one job (even if paused) as a tick would,
  // and delivers only the notifications it caused. Returns the exit status;
  // `result` receives the job's result.
  int RunOneAndRecord(const Job& job, JobResult& result);

 private:
  // In the tick's first transaction: missed ticks, the configuration check.
  void RecordTickStart(Frequency tick, const ConfigurationCheck& check, UnixTime now,
                       std::vector<std::int64_t>& queued);
  void RecordConfigurationCheck(const ConfigurationCheck& check, UnixTime now, std::vector<std::int64_t>& queued);
  // A job's outcome to record. `checkins_read`: the last check-in the run saw.
  struct Recording {
    const Job* job;
    JobOutcome outcome;
    std::int64_t checkins_read;
  };
  // Records outcomes that arrived together in one transaction (a commit per
  // outcome would cost more than the jobs): for each, the job's new state,
  // its run, the notifications it causes and the release of its claim.
  void RecordOutcomes(const std::vector<Recording>& outcomes, UnixTime now, std::vector<std::int64_t>& queued);
  // One of them, inside that transaction; adds the outbox rows it queued to `queued`.
  void RecordOutcomeIn(const Recording& recording, UnixTime now, std::vector<std::int64_t>& queued);
  // Posts the firing alerts of `jobs`; true without Alertmanager.
  bool PublishAlerts(const std::vector<const Job*>& jobs, UnixTime now);

  const Config& config_;
  StateStore& store_;
  JobRunner& job_runner_;
  Outbox& outbox_;
  const Clock& clock_;
  Logger& logger_;
  bool nomail_ = false;
  bool deliver_backlog_ = true;
  AlertPublisher* alerts_ = nullptr;
  std::string owner_;  // this process, as it claims jobs
};

}  // namespace checker
