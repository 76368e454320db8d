#include "engine/runner.h"

#include <map>

#include "engine/notification_policy.h"
#include "model/frequency.h"
#include "model/notification.h"

namespace checker {

std::vector<RunContext> MakeContexts(const std::vector<const Job*>& jobs, const std::vector<StoredJob>& stored,
                                     UnixTime now) {
  std::map<std::string, const StoredJob*> by_key;
  for (const auto& row : stored) by_key[row.key] = &row;
  std::vector<RunContext> contexts;
  for (const Job* job : jobs) {
    RunContext context;
    context.timeout_seconds = job->timeout_seconds;
    context.now = now;
    context.first_seen = now;
    if (auto found = by_key.find(job->key); found != by_key.end()) {
      context.first_seen = found->second->first_seen;
      context.last_checkin = found->second->last_checkin;
      context.last_checkin_failed = found->second->checkin_failed;
      context.last_checkin_message = found->second->checkin_message;
    }
    contexts.push_back(context);
  }
  return contexts;
}

std::vector<std::int64_t> Runner::Record(const std::vector<const Job*>& jobs, const std::vector<JobOutcome>& outcomes,
                                         UnixTime now, const std::string* tick_name) {
  std::vector<std::int64_t> queued;
  StateStore::Transaction transaction(store_);
  if (tick_name) {
    auto last_tick = store_.LastTickStart();
    const auto gap = config_.general.maxtickgap;
    if (last_tick && gap > 0 && now - *last_tick > gap) {
      const NotificationRequest missed = MissedTicksNotification(config_.general.alertcontact, *last_tick, now);
      logger_.Warning(missed.subject);
      auto ids = outbox_.Enqueue(missed, now);
      queued.insert(queued.end(), ids.begin(), ids.end());
    }
    store_.RecordTickStart(*tick_name, now);
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const Job& job = *jobs[i];
    const JobOutcome& outcome = outcomes[i];
    StoredJob stored = store_.EnsureJob(job.key, job.name, now);
    PolicyOutcome decided = ApplyRun(job.policy, stored.history, outcome.result, now);
    stored.name = job.name;
    stored.history = decided.history;
    store_.SaveJob(stored);
    if (decided.verdict == Verdict::kQuiet) continue;
    const NotificationRequest request =
        decided.verdict == Verdict::kFailure
            ? FailureNotification(job, outcome.failure, outcome.result, decided.history)
            : RecoveryNotification(job, outcome.recovery, outcome.result, decided.history);
    auto ids = outbox_.Enqueue(request, now);
    queued.insert(queued.end(), ids.begin(), ids.end());
  }
  if (tick_name) store_.RecordTickFinish(*tick_name, clock_.Now());
  transaction.Commit();
  return queued;
}

int Runner::RunTick(const JobCatalog& catalog, Frequency tick) {
  const UnixTime now = clock_.Now();
  std::vector<StoredJob> stored = store_.LoadAllJobs();
  std::map<std::string, StoredJob*> by_key;
  for (auto& row : stored) by_key[row.key] = &row;

  std::vector<const Job*> due;
  std::vector<StoredJob*> pause_ended;
  for (const auto& job : catalog.jobs()) {
    if (!job.enabled || !TickRuns(tick, job.frequency)) continue;
    auto found = by_key.find(job.key);
    if (found != by_key.end() && found->second->paused) {
      const auto& until = found->second->paused_until;
      if (!until || *until > now) {
        logger_.Debug(job.name + " is paused; not running it");
        continue;
      }
      pause_ended.push_back(found->second);
    }
    due.push_back(&job);
  }
  if (!pause_ended.empty()) {
    // A pause that ran out ends as `-m unpause` would: a heartbeat's period starts again.
    StateStore::Transaction transaction(store_);
    for (StoredJob* row : pause_ended) {
      row->paused = false;
      row->paused_until.reset();
      row->first_seen = now;
      store_.SaveJob(*row);
    }
    transaction.Commit();
  }
  logger_.Debug(std::string("tick ") + FrequencyName(tick) + ": " + std::to_string(due.size()) + " job(s) due");

  std::vector<JobOutcome> outcomes = job_runner_.RunAll(due, MakeContexts(due, stored, now));
  bool any_failed = false;
  for (std::size_t i = 0; i < due.size(); ++i) {
    const auto& result = outcomes[i].result;
    any_failed |= !result.success;
    logger_.Debug(due[i]->name + (result.success ? ": ok: " : ": FAILED: ") + result.message);
  }

  const std::string tick_name = FrequencyName(tick);
  std::vector<std::int64_t> queued = Record(due, outcomes, now, &tick_name);
  DeliveryReport delivery = outbox_.DeliverQueued(deliver_backlog_ ? nullptr : &queued);
  if (delivery.failed > 0) return kExitMailFailed;
  return any_failed ? kExitJobFailed : kExitOk;
}

int Runner::RunOneAndRecord(const Job& job, JobResult& result) {
  const UnixTime now = clock_.Now();
  std::vector<const Job*> jobs{&job};
  std::vector<JobOutcome> outcomes = job_runner_.RunAll(jobs, MakeContexts(jobs, store_.LoadAllJobs(), now));
  result = outcomes[0].result;
  std::vector<std::int64_t> queued = Record(jobs, outcomes, now, nullptr);
  DeliveryReport delivery = outbox_.DeliverQueued(&queued);
  if (delivery.failed > 0) return kExitMailFailed;
  return outcomes[0].result.success ? kExitOk : kExitJobFailed;
}

}  // namespace checker
