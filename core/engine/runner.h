// Runner: one cron tick, or one job run by hand, from due jobs to delivered
// notifications. State file errors throw StateError to the caller, which
// maps them to an exit status.
//
// It selects the jobs a tick runs (the cron cascade, enabled, not paused),
// runs them through the JobRunner, then in one transaction applies the policy
// to each result, saves the new state, queues the notifications and records
// the tick; then it delivers the outbox. The clock is read once per tick.
#pragma once

#include "config/config.h"
#include "engine/worker_pool.h"
#include "hosting/job_catalog.h"
#include "model/exit_status.h"
#include "notify/outbox.h"
#include "state/state_store.h"
#include "util/clock.h"
#include "util/logger.h"

namespace checker {

// What each job is told about its run: the time and, from its state row (if
// any), when it first appeared and its last check-in.
std::vector<RunContext> MakeContexts(const std::vector<const Job*>& jobs, const std::vector<StoredJob>& stored,
                                     UnixTime now);

class Runner {
 public:
  Runner(const Config& config, StateStore& store, JobRunner& job_runner, Outbox& outbox, const Clock& clock,
         Logger& logger)
      : config_(config), store_(store), job_runner_(job_runner), outbox_(outbox), clock_(clock), logger_(logger) {}

  // false: deliver only what this tick queues, and leave older queued
  // notifications for a later tick (a one-off --nomail run must not use up
  // mail that waits for a mail server to come back).
  void set_deliver_backlog(bool deliver) { deliver_backlog_ = deliver; }

  // Runs the jobs of one tick; returns kExitOk, kExitJobFailed or kExitMailFailed.
  int RunTick(const JobCatalog& catalog, Frequency tick);

  // `run --job NAME --notify`: runs one job (even if paused) as a tick would,
  // and delivers only the notifications it caused. Returns the exit status;
  // `result` receives the job's result.
  int RunOneAndRecord(const Job& job, JobResult& result);

 private:
  // Records outcomes in one transaction; returns the ids of queued rows.
  std::vector<std::int64_t> Record(const std::vector<const Job*>& jobs, const std::vector<JobOutcome>& outcomes,
                                   UnixTime now, const std::string* tick_name);

  const Config& config_;
  StateStore& store_;
  JobRunner& job_runner_;
  Outbox& outbox_;
  const Clock& clock_;
  Logger& logger_;
  bool deliver_backlog_ = true;
};

}  // namespace checker
