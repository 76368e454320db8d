#include "engine/runner.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>
#include <unordered_map>

#include "engine/notification_policy.h"
#include "model/frequency.h"
#include "model/notification.h"
#include "util/process.h"

namespace checker {
namespace {

// A claim older than its job's timeout by this much belongs to a tick that
// is stuck: the job is reported as failing rather than silently skipped.
constexpr UnixTime kStuckGraceSeconds = 120;
// Results the state file would not take are tried again this often.
constexpr int kRecordAttempts = 3;
constexpr auto kRecordRetryDelay = std::chrono::seconds(1);

// The job under which configuration errors are recorded: hourly reminders.
Job ConfigurationJob(const Config& config) {
  Job job;
  job.name = job.key = kConfigJobName;
  job.plugin = "checker";
  job.policy = {NotifyEvery::kHour, 1, true};
  job.recipients = config.general.alertcontact;
  return job;
}

// Times later than now were written before the clock went back. They are
// taken as now, so that nothing waits for the clock to catch up: a heartbeat
// counts its period from now, not from a check-in "in the future".
bool PullBackFromTheFuture(StoredJob& row, UnixTime now) {
  bool changed = false;
  for (std::optional<UnixTime>* time : {&row.last_checkin, &row.history.first_failure}) {
    if (*time && **time > now) {
      *time = now;
      changed = true;
    }
  }
  if (row.first_seen > now) {
    row.first_seen = now;
    changed = true;
  }
  return changed;
}

// A broken settings.cfg fires CheckerConfigError until its hourly reminder
// is due again; the fix resolves it.
void NoteConfigurationAlert(AlertPublisher& alerts, NotificationRequest request, bool broken, UnixTime now) {
  request.kind = NotificationKind::kConfigError;
  alerts.NoteEvent(request, now, broken ? 2 * IntervalSeconds(Frequency::kHour) + 60 : 0);
}

}  // namespace

std::vector<std::vector<std::size_t>> DependencyRounds(const std::vector<const Job*>& jobs) {
  // A job's round is one after the latest round of its dependencies among
  // `jobs`, found depth first without recursion, each job once. The
  // configuration refuses cycles; a job met again while its own round is
  // being found (which only a cycle could do) counts as round 0.
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < jobs.size(); ++i) index_of.emplace(jobs[i]->key, i);
  constexpr std::size_t kUnknown = static_cast<std::size_t>(-1), kFinding = kUnknown - 1;
  std::vector<std::size_t> round(jobs.size(), kUnknown);
  for (std::size_t root = 0; root < jobs.size(); ++root) {
    if (round[root] != kUnknown) continue;
    std::vector<std::pair<std::size_t, std::size_t>> path{{root, 0}};  // a job, and its next dependency
    round[root] = kFinding;
    std::vector<std::size_t> latest(1, 0);  // per path entry: one more than its dependencies' latest round
    while (!path.empty()) {
      auto& [job, next] = path.back();
      if (next == jobs[job]->depends_on.size()) {
        round[job] = latest.back();
        path.pop_back();
        latest.pop_back();
        if (!latest.empty()) latest.back() = std::max(latest.back(), round[job] + 1);
        continue;
      }
      auto found = index_of.find(jobs[job]->depends_on[next++].key);
      if (found == index_of.end() || round[found->second] == kFinding) continue;
      if (round[found->second] == kUnknown) {
        round[found->second] = kFinding;
        path.emplace_back(found->second, 0);
        latest.push_back(0);
      } else {
        latest.back() = std::max(latest.back(), round[found->second] + 1);
      }
    }
  }
  std::vector<std::vector<std::size_t>> rounds;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (rounds.size() <= round[i]) rounds.resize(round[i] + 1);
    rounds[round[i]].push_back(i);
  }
  return rounds;
}

CheckinsToRead ReadCheckins(StateStore& store) { return {store.UnevaluatedCheckins(), store.UnfinishedStarts()}; }

RunInputs MakeRunInputs(const std::vector<const Job*>& jobs, const std::vector<StoredJob>& stored,
                        const CheckinsToRead& checkins, UnixTime now, bool nomail) {
  std::map<std::string, const StoredJob*> by_key;
  for (const auto& row : stored) by_key[row.key] = &row;
  std::map<std::string, std::vector<const StoredCheckin*>> checkins_by_key;
  for (const auto& checkin : checkins.unevaluated) checkins_by_key[checkin.key].push_back(&checkin);
  RunInputs inputs;
  for (const Job* job : jobs) {
    RunContext context;
    context.timeout_seconds = job->timeout_seconds;
    context.now = now;
    context.first_seen = now;
    context.nomail = nomail;
    if (auto found = by_key.find(job->key); found != by_key.end()) {
      context.first_seen = found->second->first_seen;
      context.last_checkin = found->second->last_checkin;
      context.last_checkin_failed = found->second->checkin_failed;
      context.last_checkin_message = found->second->checkin_message;
      context.last_run = found->second->history.last_run;
    }
    if (auto start = checkins.unfinished_starts.find(job->key); start != checkins.unfinished_starts.end()) {
      context.started = start->second;
    }
    std::int64_t read = 0;
    for (const StoredCheckin* checkin : checkins_by_key[job->key]) {
      context.checkins.push_back(checkin->checkin);
      read = checkin->id;
    }
    inputs.contexts.push_back(std::move(context));
    inputs.checkins_read.push_back(read);
  }
  return inputs;
}

void Runner::RecordTickStart(Frequency tick, const ConfigurationCheck& check, UnixTime now,
                             std::vector<std::int64_t>& queued) {
  const auto last_tick = store_.LastTickStart();
  const auto gap = config_.general.maxtickgap;
  if (last_tick && *last_tick > now) {
    logger_.Warning("the clock went back: the last tick started at " + FormatIsoUtc(*last_tick) + ", now it is " +
                    FormatIsoUtc(now));
  } else if (last_tick && gap > 0 && now - *last_tick > gap) {
    const NotificationRequest missed = MissedTicksNotification(config_.general.alertcontact, *last_tick, now);
    logger_.Warning(missed.subject);
    auto ids = outbox_.Enqueue(missed, now);
    queued.insert(queued.end(), ids.begin(), ids.end());
    if (alerts_) alerts_->NoteEvent(missed, now, 2 * IntervalSeconds(tick) + 60);
  }
  store_.RecordTickStart(FrequencyName(tick), now);
  RecordConfigurationCheck(check, now, queued);
}

void Runner::RecordConfigurationCheck(const ConfigurationCheck& check, UnixTime now,
                                      std::vector<std::int64_t>& queued) {
  const Job job = ConfigurationJob(config_);
  const bool clean = check.errors.empty();
  if (clean) store_.SaveLastGoodConfiguration(check.text, now);
  std::optional<StoredJob> row = store_.LoadJob(job.key);
  if (clean && (!row || !row->history.failing)) return;  // nothing to tell
  StoredJob stored = row ? *row : store_.EnsureJob(job.key, job.name, now);
  const JobResult result = clean ? JobResult{true, check.path + " loads without errors"}
                                 : JobResult{false, check.path + " has errors: " + check.errors.front()};
  const PolicyOutcome decided = ApplyRun(job.policy, stored.history, result, now);
  std::optional<NotificationRequest> request;
  if (decided.verdict == Verdict::kFailure) {
    request = ConfigErrorNotification(job.recipients, check.path, check.errors);
  } else if (decided.verdict == Verdict::kRecovery) {
    request = ConfigFixedNotification(job.recipients, check.path, stored.history, now);
  }
  stored.history = decided.history;
  store_.SaveJob(stored);
  if (request) {
    auto ids = outbox_.Enqueue(*request, now);
    queued.insert(queued.end(), ids.begin(), ids.end());
  }
  if (alerts_ && request) NoteConfigurationAlert(*alerts_, *request, decided.verdict == Verdict::kFailure, now);
}

void Runner::RecordOutcomes(const std::vector<Recording>& outcomes, UnixTime now, std::vector<std::int64_t>& queued) {
  StateStore::Transaction transaction(store_);
  std::vector<std::int64_t> ids;
  for (const Recording& recording : outcomes) RecordOutcomeIn(recording, now, ids);
  transaction.Commit();
  queued.insert(queued.end(), ids.begin(), ids.end());
}

void Runner::RecordOutcomeIn(const Recording& recording, UnixTime now, std::vector<std::int64_t>& queued) {
  const Job& job = *recording.job;
  const JobOutcome& outcome = recording.outcome;
  // Read again inside the transaction, not taken from the tick's first read:
  // a check-in, a pause or another tick may have changed the row since.
  StoredJob stored = store_.EnsureJob(job.key, job.name, now);
  PullBackFromTheFuture(stored, now);
  const JobHistory before = stored.history;
  std::map<std::string, StoredJob> dependencies;
  for (const auto& dependency : job.depends_on) {
    if (auto row = store_.LoadJob(dependency.key)) dependencies.emplace(dependency.key, std::move(*row));
  }
  const Gates gates = GatesAt(
      job,
      [&](const std::string& key) -> const StoredJob* {
        if (key == job.key) return &stored;
        auto found = dependencies.find(key);
        return found == dependencies.end() ? nullptr : &found->second;
      },
      now);
  PolicyOutcome decided = ApplyRun(job.policy, before, outcome.result, now, gates);
  stored.name = job.name;
  stored.history = decided.history;
  stored.checkins_evaluated = std::max(stored.checkins_evaluated, recording.checkins_read);
  store_.SaveJob(stored);
  store_.RecordRun(job.key, {now, outcome.result.success, outcome.result.message, outcome.duration_seconds,
                             outcome.result.measurements, decided.reason});
  if (alerts_) alerts_->NoteRun(job, before, stored, now);
  if (!owner_.empty()) store_.ReleaseClaim(job.key, owner_);
  if (decided.verdict != Verdict::kQuiet) {
    const NotificationRequest request = decided.verdict == Verdict::kFailure
                                            ? FailureNotification(job, outcome.failure, outcome.result, decided.history)
                                            : RecoveryNotification(job, outcome.recovery, outcome.result, before, now);
    const std::vector<std::int64_t> ids = outbox_.Enqueue(request, now);
    queued.insert(queued.end(), ids.begin(), ids.end());
  }
}

int Runner::RunTick(const JobCatalog& catalog, Frequency tick, const ConfigurationCheck& check) {
  const UnixTime now = clock_.Now();
  const auto started = std::chrono::steady_clock::now();
  owner_ = ProcessIdentity(getpid());
  std::vector<std::int64_t> queued;
  std::vector<const Job*> due;
  std::vector<std::pair<const Job*, std::string>> stuck;  // run by a tick that is stuck, and why
  std::size_t running_elsewhere = 0;
  std::vector<StoredJob> stored;
  CheckinsToRead checkins;
  {
    StateStore::Transaction transaction(store_);
    stored = store_.LoadAllJobs();
    checkins = ReadCheckins(store_);
    std::map<std::string, StoredJob*> by_key;
    for (auto& row : stored) {
      by_key[row.key] = &row;
      if (PullBackFromTheFuture(row, now)) store_.SaveJob(row);
    }
    std::map<std::string, Claim> claims;
    for (auto& claim : store_.Claims()) claims[claim.key] = claim;
    for (const auto& job : catalog.jobs()) {
      if (!job.enabled || !TickRuns(tick, job.frequency)) continue;
      auto found = by_key.find(job.key);
      if (found != by_key.end() && found->second->paused) {
        StoredJob& row = *found->second;
        if (row.paused_until && *row.paused_until <= now) {
          // A pause that ran out ends as `-m unpause` would: a heartbeat's period starts again.
          row.paused = false;
          row.paused_until.reset();
          row.first_seen = now;
          store_.SaveJob(row);
        } else {
          logger_.Debug(job.name + " is paused; not running it");
          continue;
        }
      }
      if (auto claim = claims.find(job.key); claim != claims.end() && claim->second.owner != owner_) {
        const std::string owner = claim->second.owner;
        const pid_t pid = static_cast<pid_t>(std::atol(owner.c_str()));  // "PID:START"
        if (pid > 0 && ProcessIdentity(pid) == owner) {
          ++running_elsewhere;
          const UnixTime running_for = now - claim->second.since;
          if (running_for > job.timeout_seconds + kStuckGraceSeconds) {
            stuck.emplace_back(&job, "still running in checker process " + std::to_string(pid) + " since " +
                                         FormatIsoUtc(claim->second.since) + " (" + Span(running_for) +
                                         ", its timeout is " + std::to_string(job.timeout_seconds) +
                                         " s); not started again");
          } else {
            logger_.Debug(job.name + " is still running in the previous tick; not starting it again");
          }
          continue;
        }
      }
      store_.SetClaim({job.key, owner_, now});
      due.push_back(&job);
    }
    RecordTickStart(tick, check, now, queued);
    transaction.Commit();
  }
  if (due.empty() && running_elsewhere > 0 && stuck.empty()) {
    logger_.Info(std::string("every due job of this ") + FrequencyName(tick) +
                 " tick is still running; this one exits");
    return kExitOk;
  }
  logger_.Debug(std::string("tick ") + FrequencyName(tick) + ": " + std::to_string(due.size()) + " job(s) due");

  bool any_failed = false;
  std::vector<Recording> unrecorded;
  const auto record = [&](std::vector<Recording> recordings) {
    for (const Recording& recording : recordings) {
      const JobResult& result = recording.outcome.result;
      any_failed |= !result.success;
      logger_.Debug(recording.job->name + (result.success ? ": ok: " : ": FAILED: ") + result.message);
    }
    try {
      RecordOutcomes(recordings, now, queued);
    } catch (const StateError& error) {
      for (Recording& recording : recordings) {
        logger_.Error(recording.job->name + ": could not record its result yet: " + error.what());
        unrecorded.push_back(std::move(recording));
      }
    }
  };

  std::vector<Recording> stuck_outcomes;
  for (const auto& [job, why] : stuck) {
    logger_.Error(job->name + ": " + why);
    JobOutcome outcome;
    outcome.result = {false, why};
    stuck_outcomes.push_back({job, outcome, 0});
  }
  if (!stuck_outcomes.empty()) record(std::move(stuck_outcomes));
  const RunInputs inputs = MakeRunInputs(due, stored, checkins, now, nomail_);
  // Jobs that depend on others due now run after them, so that this tick's
  // result of the dependency counts.
  for (const std::vector<std::size_t>& round : DependencyRounds(due)) {
    std::vector<const Job*> jobs;
    std::vector<RunContext> contexts;
    for (std::size_t index : round) {
      jobs.push_back(due[index]);
      contexts.push_back(inputs.contexts[index]);
    }
    job_runner_.Run(jobs, contexts, [&](std::vector<FinishedJob> finished) {
      std::vector<Recording> recordings;
      for (FinishedJob& job : finished) {
        const std::size_t index = round[job.index];
        recordings.push_back({due[index], std::move(job.outcome), inputs.checkins_read[index]});
      }
      record(std::move(recordings));
    });
  }

  // Results the state file did not take are tried again, then reported.
  bool state_failed = false;
  for (int attempt = 1; attempt < kRecordAttempts && !unrecorded.empty(); ++attempt) {
    std::this_thread::sleep_for(kRecordRetryDelay);
    auto pending = std::move(unrecorded);
    unrecorded.clear();
    for (const auto& entry : pending) {
      try {
        RecordOutcomes({entry}, now, queued);
      } catch (const StateError&) {
        unrecorded.push_back(entry);
      }
    }
  }
  for (const auto& entry : unrecorded) {
    state_failed = true;
    const JobResult& result = entry.outcome.result;
    logger_.Error(entry.job->name + ": its result was NOT recorded in " + store_.path() + " (" +
                  (result.success ? "ok" : "FAILED") + ": " + result.message + ")");
  }
  try {
    StateStore::Transaction transaction(store_);
    store_.RecordTickFinish(FrequencyName(tick), clock_.Now());
    transaction.Commit();
  } catch (const StateError& error) {
    state_failed = true;
    logger_.Error("could not record the end of this tick: " + std::string(error.what()));
  }
  DeliveryReport delivery = outbox_.DeliverQueued(deliver_backlog_ ? nullptr : &queued);
  std::vector<const Job*> every_job;
  for (const auto& job : catalog.jobs()) every_job.push_back(&job);
  const bool alerts_posted = PublishAlerts(every_job, now);
  try {
    store_.RecordTickDuration(FrequencyName(tick),
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  } catch (const StateError& error) {
    logger_.Warning("could not record how long this tick took: " + std::string(error.what()));
  }
  if (delivery.failed > 0 || state_failed || !alerts_posted) return kExitMailFailed;
  return any_failed ? kExitJobFailed : kExitOk;
}

int Runner::RunOneAndRecord(const Job& job, JobResult& result) {
  const UnixTime now = clock_.Now();
  std::vector<const Job*> jobs{&job};
  const RunInputs inputs = MakeRunInputs(jobs, store_.LoadAllJobs(), ReadCheckins(store_), now, nomail_);
  std::vector<JobOutcome> outcomes = job_runner_.RunAll(jobs, inputs.contexts);
  result = outcomes[0].result;
  std::vector<std::int64_t> queued;
  RecordOutcomes({{&job, outcomes[0], inputs.checkins_read[0]}}, now, queued);
  DeliveryReport delivery = outbox_.DeliverQueued(&queued);
  const bool alerts_posted = PublishAlerts(jobs, now);
  if (delivery.failed > 0 || !alerts_posted) return kExitMailFailed;
  return outcomes[0].result.success ? kExitOk : kExitJobFailed;
}

bool Runner::PublishAlerts(const std::vector<const Job*>& jobs, UnixTime now) {
  return !alerts_ || alerts_->Publish(jobs, now);
}

}  // namespace checker
