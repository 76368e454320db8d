// StateStore: the SQLite state file, the only place that knows SQL.
//
// It keeps per job what the policy needs (JobHistory) plus pauses and
// heartbeat check-ins, its run counters and last measurements, the time of
// each tick, the outbox of notifications waiting to be delivered, counters of
// delivered ones, and the Alertmanager posts still to make. The file is in WAL mode with a busy timeout, so a
// reader never blocks a tick and ticks of different frequencies queue for the
// write lock instead of failing. Writers use a Transaction (BEGIN IMMEDIATE):
// a job's new state and the notifications it causes commit together or not at
// all. Errors throw StateError naming the file: inside a transaction an
// exception unwinds it, and callers at the module's edge turn it into a Status.
#pragma once

#include <checker/job.h>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/job_history.h"
#include "model/outbox_item.h"
#include "util/clock.h"

struct sqlite3;

namespace checker {

class PreparedStatements;

class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StoredJob {
  std::string key;
  std::string name;
  JobHistory history;
  UnixTime first_seen = 0;
  bool paused = false;
  std::optional<UnixTime> paused_until;  // unset while paused: until unpaused
  std::optional<UnixTime> last_checkin;
  bool checkin_failed = false;  // the last check-in reported a failure
  std::string checkin_message;
  std::int64_t checkins_evaluated = 0;  // the id of the last check-in a run of the job has seen
  // Of all runs, and the last one.
  std::int64_t runs_total = 0;
  std::int64_t failures_total = 0;
  std::optional<double> last_duration_seconds;
};

// One run's facts beside its policy state, as its job's history keeps them.
struct RunRecord {
  UnixTime time = 0;
  bool success = false;
  std::string message;
  double duration_seconds = 0;
  std::vector<Measurement> measurements;
  std::string decision;  // what the policy made of it, in words
};

struct TickRecord {
  std::string frequency;
  UnixTime started = 0;
  std::optional<UnixTime> finished;
  std::optional<double> duration_seconds;
};

struct DeliveryCount {
  std::string channel;
  std::string kind;
  std::int64_t delivered = 0;
};

struct ChannelBacklog {
  std::string channel;
  std::int64_t queued = 0;   // queued or being sent
  std::int64_t refused = 0;  // refused for good
};

// An Alertmanager alert (its JSON object) that must be posted once more,
// such as a resolution; one per job, the newest.
struct PendingAlert {
  std::string job;
  std::string kind;  // the notification kind it stands for: recovery, missed_ticks, ...
  UnixTime created = 0;
  std::string alert_json;
};

struct HistoryTable;

// A check-in as the state file keeps it.
struct StoredCheckin {
  std::string key;
  std::int64_t id = 0;
  Checkin checkin;
};

// A job that a tick is running right now: the tick's process (its pid and
// start time, so that a reused pid does not count) and since when.
struct Claim {
  std::string key;
  std::string owner;
  UnixTime since = 0;
};

class StateStore {
 public:
  // kReadOnly brings a file of an older schema up to date when it may write
  // it; kInspect never writes: it opens such a file as it is, and says so by
  // older_schema().
  enum class Mode { kReadOnly, kInspect, kReadWrite, kCreate };
  // Throws StateError when the file cannot be opened in that mode, is not a
  // checker state file, or was written by a newer schema.
  static std::unique_ptr<StateStore> Open(const std::string& path, Mode mode);

  // Opened by kInspect, the file has an older schema than this checker's
  // (the next tick brings it up to date); only its version may be read.
  std::optional<std::int64_t> older_schema() const { return older_schema_; }
  ~StateStore();

  const std::string& path() const { return path_; }

  class Transaction {
   public:
    explicit Transaction(StateStore& store);
    ~Transaction();  // rolls back unless committed
    void Commit();

   private:
    StateStore& store_;
    bool done_ = false;
  };

  std::optional<StoredJob> LoadJob(const std::string& key);
  std::vector<StoredJob> LoadAllJobs();
  void SaveJob(const StoredJob& job);
  // Inserts the job with `first_seen = now` if it is not there; returns it.
  StoredJob EnsureJob(const std::string& key, const std::string& name, UnixTime now);

  // Counts a run, keeps it in the job's history (pruned as coal-mine does)
  // and keeps its duration and measurements as the last run's.
  void RecordRun(const std::string& key, const RunRecord& run);
  // The job's newest runs and check-ins, newest first, at most `limit` of each.
  std::vector<RunRecord> Runs(const std::string& key, int limit);
  std::vector<Checkin> Checkins(const std::string& key, int limit);
  // Every job's newest runs, newest first, at most `limit` each, by key, in
  // one query; without their measurements.
  std::map<std::string, std::vector<RunRecord>> RecentRuns(int limit);
  // key -> the last run's measurements.
  std::vector<std::pair<std::string, std::vector<Measurement>>> LastMeasurements();

  void SetPaused(const std::string& key, bool paused, std::optional<UnixTime> until);
  // Keeps a check-in of any kind for the job `key` (whose row must exist),
  // pruned as coal-mine does; returns its id.
  std::int64_t AddCheckin(const std::string& key, const Checkin& checkin);
  // Every check-in that no run of its job has seen yet, by job, oldest first.
  std::vector<StoredCheckin> UnevaluatedCheckins();
  // For each job that has one: the time of its last start check-in that no
  // success or failure followed.
  std::map<std::string, UnixTime> UnfinishedStarts();
  // Records the time and outcome of the last success or failure check-in,
  // creating the job's row if needed.
  void RecordCheckin(const std::string& key, const std::string& name, UnixTime when, bool failed,
                     const std::string& message);

  // Ticks: the latest start of any frequency, and this one's start and end.
  std::optional<UnixTime> LastTickStart();
  std::optional<UnixTime> LastTickFinish();
  void RecordTickStart(const std::string& frequency, UnixTime when);
  void RecordTickFinish(const std::string& frequency, UnixTime when);
  void RecordTickDuration(const std::string& frequency, double seconds);
  std::vector<TickRecord> Ticks();

  std::int64_t Enqueue(const OutboxItem& item);
  std::vector<OutboxItem> Queued();  // oldest first
  std::vector<OutboxItem> Items(OutboxState state);
  std::int64_t CountQueued();
  // Every row not delivered and not dropped, oldest first.
  std::vector<OutboxItem> Undelivered();
  // Gives up on a row: false when there is no such undelivered row.
  bool Drop(std::int64_t id);
  std::int64_t CountRefused();
  // Marking a row delivered counts it in DeliveryCounts().
  void SetOutboxState(std::int64_t id, OutboxState state, const std::string& error = "");
  void CountDelivered(const std::string& channel, const std::string& kind, std::int64_t count);
  std::vector<DeliveryCount> DeliveryCounts();
  std::vector<ChannelBacklog> OutboxByChannel();

  void QueueAlertPost(const PendingAlert& alert);  // replaces the job's earlier one
  std::vector<PendingAlert> PendingAlertPosts();
  void RemoveAlertPost(const std::string& job, UnixTime created);

  // Jobs being run by a tick, so that a later tick runs each job only when
  // no other one is running it.
  std::vector<Claim> Claims();
  void SetClaim(const Claim& claim);
  void ReleaseClaim(const std::string& key, const std::string& owner);

  // The text of the last settings.cfg that a tick ran without errors.
  std::optional<std::string> LastGoodConfiguration();
  void SaveLastGoodConfiguration(const std::string& text, UnixTime when);

  std::optional<std::string> GetMeta(const std::string& key);
  void SetMeta(const std::string& key, const std::string& value);

  // A number that changes whenever another connection commits to the file
  // (SQLite's data_version), so that a reader can tell that nothing changed.
  std::int64_t DataVersion();

 private:
  StateStore(std::string path, sqlite3* db);
  void Exec(const std::string& sql);
  std::int64_t SchemaVersion();
  void Migrate();
  // Makes every commit so far durable (the WAL and the file are fsynced).
  void SyncToDisk();
  // Prunes the job's oldest rows of a history table, which holds `kept` of
  // them now (the row just added included), and keeps the count.
  void KeepHistoryRow(const HistoryTable& history, const std::string& key, std::int64_t kept, UnixTime now);
  [[noreturn]] void Fail(const std::string& what);
  // As a writer closes the file: empties a long WAL (see the definition).
  void LeaveTheWalShort();

  std::string path_;
  sqlite3* db_;
  bool writer_ = false;
  std::optional<std::int64_t> older_schema_;
  std::unique_ptr<PreparedStatements> prepared_;
  // A notification was queued since the file was last synced: the commit
  // that holds it syncs the file, so that a power cut cannot lose it.
  bool queued_since_sync_ = false;
};

}  // namespace checker
