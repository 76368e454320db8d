#include "state/state_store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <thread>
#include <unordered_map>

#include "model/job.h"
#include "util/text.h"

namespace checker {
namespace {

constexpr int kSchemaVersion = 5;
constexpr int kBusyTimeoutMs = 30000;
// The most WAL a writer that changed at most kFewRowsChanged rows leaves
// behind when it closes the file (bytes); see LeaveTheWalShort.
constexpr off_t kLongestWalLeft = 512 * 1024;
constexpr sqlite3_int64 kFewRowsChanged = 200;

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  failing INTEGER NOT NULL DEFAULT 0,
  failures_in_a_row INTEGER NOT NULL DEFAULT 0,
  first_failure INTEGER,
  last_notify INTEGER,
  notified_in_streak INTEGER NOT NULL DEFAULT 0,
  last_run INTEGER,
  last_message TEXT NOT NULL DEFAULT '',
  first_seen INTEGER NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0,
  paused_until INTEGER,
  last_checkin INTEGER,
  checkin_failed INTEGER NOT NULL DEFAULT 0,
  checkin_message TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS ticks (
  frequency TEXT PRIMARY KEY,
  started INTEGER NOT NULL,
  finished INTEGER
);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created INTEGER NOT NULL,
  job TEXT NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  recipients TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_by_state ON outbox(state, id);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// Each step takes the schema from the version before it to its own.
const char* const kMigrations[] = {
    /* 2: which tick runs which job right now */ R"sql(
CREATE TABLE IF NOT EXISTS running (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  since INTEGER NOT NULL
);
)sql",
    /* 3: every check-in, and how far each job has read them */ R"sql(
CREATE TABLE IF NOT EXISTS checkins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  exit_status INTEGER NOT NULL DEFAULT -1,
  message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS checkins_by_key ON checkins(key, id);
ALTER TABLE jobs ADD COLUMN checkins_evaluated INTEGER NOT NULL DEFAULT 0;
)sql",
    /* 4: run counters, durations and measurements; tick durations; delivery
          counters; Alertmanager posts still to make */
    R"sql(
ALTER TABLE jobs ADD COLUMN first_notify INTEGER;
ALTER TABLE jobs ADD COLUMN runs_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN failures_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN last_duration REAL;
ALTER TABLE ticks ADD COLUMN duration REAL;
CREATE TABLE measurements (
  job TEXT NOT NULL,
  position INTEGER NOT NULL,
  label TEXT NOT NULL,
  unit TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (job, position)
);
CREATE TABLE deliveries (
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  delivered INTEGER NOT NULL,
  PRIMARY KEY (channel, kind)
);
CREATE TABLE alert_posts (
  job TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  created INTEGER NOT NULL,
  alert TEXT NOT NULL
);
)sql",
    /* 5: the history of runs (whose newest holds the last measurements);
          held notifications and recovering streaks */
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  time INTEGER NOT NULL,
  success INTEGER NOT NULL,
  message TEXT NOT NULL,
  duration REAL NOT NULL,
  perfdata TEXT NOT NULL,
  decision TEXT NOT NULL
);
CREATE INDEX runs_by_key ON runs(key, id);
ALTER TABLE jobs ADD COLUMN runs_kept INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN checkins_kept INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET checkins_kept = (SELECT count(*) FROM checkins c WHERE c.key = jobs.key);
ALTER TABLE jobs ADD COLUMN held_in_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN successes_in_a_row INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN last_run_id INTEGER;
DROP TABLE measurements;
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion - 1, "one migration step per schema version after 1");

// SQLite's message, and what it means when that is not plain: SQLite says
// "disk I/O error" when the disk filled up while it grew its WAL index.
std::string DescribeError(sqlite3* db, int code, const std::string& message) {
  const bool full =
      (code & 0xff) == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && sqlite3_system_errno(db) == ENOSPC);
  if (full) return "the disk is full (" + message + ")";
  if ((code & 0xff) == SQLITE_READONLY) return "cannot write the state file (" + message + ")";
  return message;
}

}  // namespace

// The statements of one connection, each prepared once and kept: preparing
// costs more than running the small statements a tick makes per job.
class PreparedStatements {
 public:
  struct Entry {
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
  };

  PreparedStatements(sqlite3* db, const std::string& path) : db_(db), path_(path) {}
  ~PreparedStatements() {
    for (auto& [sql, entry] : entries_) sqlite3_finalize(entry.statement);
  }
  PreparedStatements(const PreparedStatements&) = delete;
  PreparedStatements& operator=(const PreparedStatements&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

  // The kept statement for `sql`, marked in use; null when it is in use
  // already (a statement that runs while another of the same text steps),
  // whose user then prepares one of its own.
  Entry* Take(const std::string& sql) {
    auto [found, added] = entries_.try_emplace(sql);
    Entry& entry = found->second;
    if (added &&
        sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &entry.statement, nullptr) != SQLITE_OK) {
      const std::string message = sqlite3_errmsg(db_);
      entries_.erase(found);
      throw StateError(path_ + ": " + message);
    }
    if (entry.in_use) return nullptr;
    entry.in_use = true;
    return &entry;
  }

  // Makes a statement from Take ready for its next user.
  static void Give(Entry& entry) {
    sqlite3_reset(entry.statement);
    sqlite3_clear_bindings(entry.statement);
    entry.in_use = false;
  }

 private:
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, Entry> entries_;
};

namespace {

// One statement, from the connection's kept ones; binds by position, reads
// columns by index. Its end resets it for the next use, which also ends the
// read it made.
class Statement {
 public:
  Statement(PreparedStatements& prepared, const std::string& sql, const std::string& path)
      : db_(prepared.db()), entry_(prepared.Take(sql)), path_(path) {
    if (entry_) {
      statement_ = entry_->statement;
    } else if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK) {
      throw StateError(path + ": " + sqlite3_errmsg(db_));
    }
  }
  ~Statement() {
    if (entry_)
      PreparedStatements::Give(*entry_);
    else
      sqlite3_finalize(statement_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int index, std::int64_t number) {
    sqlite3_bind_int64(statement_, index, number);
    return *this;
  }
  Statement& Bind(int index, const std::optional<std::int64_t>& number) {
    if (number)
      sqlite3_bind_int64(statement_, index, *number);
    else
      sqlite3_bind_null(statement_, index);
    return *this;
  }

  // True while there is a row to read.
  bool Step() {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StateError(path_ + ": " + DescribeError(db_, rc, sqlite3_errmsg(db_)));
  }

  std::int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  Statement& Bind(int index, double number) {
    sqlite3_bind_double(statement_, index, number);
    return *this;
  }

  double Double(int column) const { return sqlite3_column_double(statement_, column); }
  std::optional<double> OptionalDouble(int column) const {
    if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(statement_, column);
  }
  std::optional<std::int64_t> OptionalInt(int column) const {
    if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(statement_, column);
  }
  std::string Text(int column) const {
    auto text = sqlite3_column_text(statement_, column);
    return text ? reinterpret_cast<const char*>(text) : "";
  }

 private:
  sqlite3* db_;
  PreparedStatements::Entry* entry_;  // null: prepared for this use only
  sqlite3_stmt* statement_ = nullptr;
  std::string path_;
};

// A measurement from the columns label, unit, value from `first` on, as
// json_each reads them back from MeasurementsJson's array.
Measurement ReadMeasurement(const Statement& row, int first) {
  Measurement measurement;
  measurement.label = row.Text(first);
  measurement.unit = row.Text(first + 1);
  measurement.value = row.Double(first + 2);
  return measurement;
}

// A run's measurements as the runs table keeps them: a JSON array of
// {"label", "unit", "value"}, which SQLite's json_each reads back.
std::string MeasurementsJson(const std::vector<Measurement>& measurements) {
  std::string json = "[";
  for (const auto& measurement : measurements) {
    if (json.size() > 1) json += ",";
    char value[32];
    std::snprintf(value, sizeof value, "%.10g", measurement.value);
    json += "{\"label\":" + JsonString(measurement.label) + ",\"unit\":" + JsonString(measurement.unit) +
            ",\"value\":" + (std::isfinite(measurement.value) ? value : "null") + "}";
  }
  return json + "]";
}

constexpr const char* kJobColumns =
    "key, name, failing, failures_in_a_row, first_failure, last_notify, notified_in_streak, last_run, "
    "last_message, first_seen, paused, paused_until, last_checkin, checkin_failed, checkin_message, "
    "checkins_evaluated, first_notify, runs_total, failures_total, last_duration, held_in_streak, "
    "successes_in_a_row";

StoredJob ReadJob(const Statement& row) {
  StoredJob job;
  job.key = row.Text(0);
  job.name = row.Text(1);
  job.history.failing = row.Int(2) != 0;
  job.history.failures_in_a_row = static_cast<int>(row.Int(3));
  job.history.first_failure = row.OptionalInt(4);
  job.history.last_notify = row.OptionalInt(5);
  job.history.notified_in_streak = row.Int(6) != 0;
  job.history.last_run = row.OptionalInt(7);
  job.history.last_message = row.Text(8);
  job.first_seen = row.Int(9);
  job.paused = row.Int(10) != 0;
  job.paused_until = row.OptionalInt(11);
  job.last_checkin = row.OptionalInt(12);
  job.checkin_failed = row.Int(13) != 0;
  job.checkin_message = row.Text(14);
  job.checkins_evaluated = row.Int(15);
  job.history.first_notify = row.OptionalInt(16);
  job.runs_total = row.Int(17);
  job.failures_total = row.Int(18);
  job.last_duration_seconds = row.OptionalDouble(19);
  job.history.held_in_streak = row.Int(20) != 0;
  job.history.successes_in_a_row = static_cast<int>(row.Int(21));
  return job;
}

OutboxItem ReadItem(const Statement& row) {
  OutboxItem item;
  item.id = row.Int(0);
  item.created = row.Int(1);
  item.job = row.Text(2);
  item.kind = ParseKind(row.Text(3)).value_or(NotificationKind::kFailure);
  item.channel = row.Text(4);
  item.recipients = row.Text(5);
  item.subject = row.Text(6);
  item.body = row.Text(7);
  item.attempts = static_cast<int>(row.Int(8));
  item.last_error = row.Text(9);
  for (auto state : {OutboxState::kQueued, OutboxState::kSending, OutboxState::kCommitting, OutboxState::kDelivered,
                     OutboxState::kUncertain, OutboxState::kRefused, OutboxState::kDropped}) {
    if (row.Text(10) == OutboxStateName(state)) item.state = state;
  }
  return item;
}

// Coal-mine's rule for what is kept of one job's runs, and of its
// check-ins: at most 1000 rows, and beyond the newest 100 none older than 7
// days.
constexpr std::int64_t kKeptAtMost = 1000;
// A job over kKeptAtMost loses its oldest rows down to this many at once:
// pruning writes a job's oldest pages once per 100 runs, not at every run.
constexpr std::int64_t kKeptAfterPruning = 900;
constexpr std::int64_t kKeptWhateverTheirAge = 100;
constexpr UnixTime kKeptSeconds = 7 * 86400;

constexpr const char* kItemColumns =
    "id, created, job, kind, channel, recipients, subject, body, attempts, last_error, state";

// SQLite counts every allocation under one global mutex unless told not to;
// the daemon's threads, each with a connection of its own, would queue on it.
// It must be said before SQLite initializes, so once per process, first.
void TurnOffMemoryStatistics() {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)done;
}

}  // namespace

// A history table: the table and the column of `jobs` that counts its rows
// per job, so that pruning never has to count them.
struct HistoryTable {
  const char* table;
  const char* kept_column;
};
namespace {
constexpr HistoryTable kRuns{"runs", "runs_kept"};
constexpr HistoryTable kCheckins{"checkins", "checkins_kept"};
}  // namespace

std::unique_ptr<StateStore> StateStore::Open(const std::string& path, Mode mode) {
  TurnOffMemoryStatistics();
  if (mode != Mode::kCreate && access(path.c_str(), F_OK) != 0) {
    throw StateError(path + ": state file does not exist (a cron tick creates it)");
  }
  const bool read_only = mode == Mode::kReadOnly || mode == Mode::kInspect;
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (mode == Mode::kCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw StateError(path + ": cannot open the state file: " + message);
  }
  std::unique_ptr<StateStore> store(new StateStore(path, db));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  if (!read_only) {
    store->Exec("PRAGMA journal_mode=WAL");
    store->Exec("PRAGMA synchronous=NORMAL");
    // Keep the -wal and -shm files when the last writer closes, so that a
    // reader without write access to the directory (an unprivileged daemon
    // beside root's ticks) can still open the file.
    int persist = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    // A tick that closes the file leaves the checkpoint (and its fsyncs) to
    // SQLite's automatic one, every 1000 pages of WAL, as it always did while
    // a daemon had the file open, instead of paying for one at every exit
    // (see the destructor for the one exception).
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    store->writer_ = true;
    store->Migrate();
  } else {
    const std::int64_t found = store->SchemaVersion();
    if (found > kSchemaVersion) {
      throw StateError(path + ": written by a newer checker (schema " + std::to_string(found) + ")");
    }
    if (found < kSchemaVersion && mode == Mode::kInspect) {
      store->older_schema_ = found;
    } else if (found < kSchemaVersion) {
      // An older checker wrote it (this one was just installed): bring it up
      // to date when we may write it, else say what will.
      if (access(path.c_str(), W_OK) != 0) {
        throw StateError(path + ": written by an older checker (schema " + std::to_string(found) +
                         "); the next cron tick brings it up to date");
      }
      store.reset();
      return Open(path, Mode::kReadWrite);
    }
  }
  return store;
}

StateStore::StateStore(std::string path, sqlite3* db)
    : path_(std::move(path)), db_(db), prepared_(std::make_unique<PreparedStatements>(db, path_)) {}

StateStore::~StateStore() {
  prepared_.reset();  // every statement is finalized before the connection closes
  if (writer_) LeaveTheWalShort();
  sqlite3_close(db_);
}

void StateStore::LeaveTheWalShort() {
  // Every process that opens the file while no other has it open reads the
  // whole WAL back (SQLite's recovery of its index): up to 4 MB, 3.7 ms at
  // every start, which is most of a small tick. A writer that changed few
  // rows and leaves more than kLongestWalLeft copies the WAL into the file
  // and empties it as it closes: once every dozen ticks of a few jobs. A
  // tick of a thousand jobs does not: it fills the WAL faster than it would
  // pay to empty it, and SQLite's own checkpoint copies it back every 1000
  // pages. With readers in the file (a daemon), it copies what it can
  // without waiting; their index stays valid, so nothing is read back.
  if (sqlite3_total_changes64(db_) > kFewRowsChanged) return;
  struct stat wal {};
  if (stat((path_ + "-wal").c_str(), &wal) != 0 || wal.st_size <= kLongestWalLeft) return;
  sqlite3_busy_timeout(db_, 0);
  sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void StateStore::Fail(const std::string& what) {
  throw StateError(path_ + ": " + what + ": " + DescribeError(db_, sqlite3_errcode(db_), sqlite3_errmsg(db_)));
}

void StateStore::Exec(const std::string& sql) {
  // SQLite answers some lock conflicts with SQLITE_BUSY without calling the
  // busy handler (switching to WAL while another process opens the file, WAL
  // recovery); those are retried here within the same bound.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return;
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) {
      throw StateError(path_ + ": " + DescribeError(db_, rc, message));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::int64_t StateStore::SchemaVersion() {
  Statement version(*prepared_, "PRAGMA user_version", path_);
  version.Step();
  return version.Int(0);
}

void StateStore::Migrate() {
  // Most opens find the schema current: that needs no write lock.
  if (SchemaVersion() == kSchemaVersion) return;
  Transaction transaction(*this);
  // Read under the write lock; no statement may stay open while the steps
  // below run (a DROP TABLE fails while one is).
  const auto current = SchemaVersion();
  if (current > kSchemaVersion) {
    throw StateError(path_ + ": written by a newer checker (schema " + std::to_string(current) + ")");
  }
  auto version_now = current;
  if (current == 0) {
    {
      Statement tables(*prepared_, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", path_);
      tables.Step();
      if (tables.Int(0) != 0) throw StateError(path_ + ": not a checker state file (it has other tables)");
    }
    Exec(kSchema);
    version_now = 1;
  }
  for (; version_now < kSchemaVersion; ++version_now) Exec(kMigrations[version_now - 1]);
  if (current != kSchemaVersion) Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  transaction.Commit();
}

StateStore::Transaction::Transaction(StateStore& store) : store_(store) { store_.Exec("BEGIN IMMEDIATE"); }

StateStore::Transaction::~Transaction() {
  if (!done_) sqlite3_exec(store_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void StateStore::Transaction::Commit() {
  store_.Exec("COMMIT");
  done_ = true;
  if (store_.queued_since_sync_) store_.SyncToDisk();
}

void StateStore::SyncToDisk() {
  // A checkpoint fsyncs the WAL and then the file. PASSIVE never waits for
  // readers; what it cannot copy yet is still safe in the synced WAL.
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  queued_since_sync_ = false;
}

std::optional<StoredJob> StateStore::LoadJob(const std::string& key) {
  Statement select(*prepared_, (std::string("SELECT ") + kJobColumns + " FROM jobs WHERE key = ?"), path_);
  select.Bind(1, key);
  if (!select.Step()) return std::nullopt;
  return ReadJob(select);
}

std::vector<StoredJob> StateStore::LoadAllJobs() {
  Statement select(*prepared_, (std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY key"), path_);
  std::vector<StoredJob> jobs;
  while (select.Step()) jobs.push_back(ReadJob(select));
  return jobs;
}

void StateStore::SaveJob(const StoredJob& job) {
  Statement upsert(*prepared_,
                   "INSERT INTO jobs (key, name, failing, failures_in_a_row, first_failure, last_notify, "
                   "notified_in_streak, last_run, last_message, first_seen, paused, paused_until, last_checkin, "
                   "checkin_failed, checkin_message, checkins_evaluated, first_notify, held_in_streak, "
                   "successes_in_a_row) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
                   "ON CONFLICT(key) DO UPDATE SET name = ?2, failing = ?3, failures_in_a_row = ?4, "
                   "first_failure = ?5, last_notify = ?6, notified_in_streak = ?7, last_run = ?8, "
                   "last_message = ?9, first_seen = ?10, paused = ?11, paused_until = ?12, last_checkin = ?13, "
                   "checkin_failed = ?14, checkin_message = ?15, checkins_evaluated = ?16, first_notify = ?17, "
                   "held_in_streak = ?18, successes_in_a_row = ?19",
                   path_);
  const auto& history = job.history;
  upsert.Bind(1, job.key)
      .Bind(2, job.name)
      .Bind(3, std::int64_t{history.failing})
      .Bind(4, std::int64_t{history.failures_in_a_row})
      .Bind(5, history.first_failure)
      .Bind(6, history.last_notify)
      .Bind(7, std::int64_t{history.notified_in_streak})
      .Bind(8, history.last_run)
      .Bind(9, history.last_message)
      .Bind(10, job.first_seen)
      .Bind(11, std::int64_t{job.paused})
      .Bind(12, job.paused_until)
      .Bind(13, job.last_checkin)
      .Bind(14, std::int64_t{job.checkin_failed})
      .Bind(15, job.checkin_message)
      .Bind(16, job.checkins_evaluated)
      .Bind(17, history.first_notify)
      .Bind(18, std::int64_t{history.held_in_streak})
      .Bind(19, std::int64_t{history.successes_in_a_row});
  upsert.Step();
}
void StateStore::RecordRun(const std::string& key, const RunRecord& run) {
  Statement insert(*prepared_,
                   "INSERT INTO runs (key, time, success, message, duration, perfdata, decision) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   path_);
  insert.Bind(1, key)
      .Bind(2, run.time)
      .Bind(3, std::int64_t{run.success})
      .Bind(4, run.message)
      .Bind(5, run.duration_seconds)
      .Bind(6, MeasurementsJson(run.measurements))
      .Bind(7, run.decision);
  insert.Step();
  const std::int64_t id = sqlite3_last_insert_rowid(db_);
  Statement update(*prepared_,
                   "UPDATE jobs SET runs_total = runs_total + 1, failures_total = failures_total + ?, "
                   "last_duration = ?, last_run_id = ?, runs_kept = runs_kept + 1 WHERE key = ? RETURNING runs_kept",
                   path_);
  update.Bind(1, std::int64_t{!run.success}).Bind(2, run.duration_seconds).Bind(3, id).Bind(4, key);
  const bool counted = update.Step();  // false: the job has no row
  const std::int64_t kept = counted ? update.Int(0) : 0;
  while (update.Step()) {
  }
  if (counted) KeepHistoryRow(kRuns, key, kept, run.time);
}

std::vector<std::pair<std::string, std::vector<Measurement>>> StateStore::LastMeasurements() {
  std::vector<std::pair<std::string, std::vector<Measurement>>> by_job;
  Statement select(*prepared_,
                   "SELECT j.key, json_extract(m.value, '$.label'), json_extract(m.value, '$.unit'), "
                   "json_extract(m.value, '$.value') FROM jobs j JOIN runs r ON r.id = j.last_run_id, "
                   "json_each(r.perfdata) m WHERE json_extract(m.value, '$.value') IS NOT NULL ORDER BY j.key, m.key",
                   path_);
  while (select.Step()) {
    if (by_job.empty() || by_job.back().first != select.Text(0)) by_job.push_back({select.Text(0), {}});
    by_job.back().second.push_back(ReadMeasurement(select, 1));
  }
  return by_job;
}

StoredJob StateStore::EnsureJob(const std::string& key, const std::string& name, UnixTime now) {
  if (auto job = LoadJob(key)) return *job;
  StoredJob job;
  job.key = key;
  job.name = name;
  job.first_seen = now;
  SaveJob(job);
  return job;
}

void StateStore::SetPaused(const std::string& key, bool paused, std::optional<UnixTime> until) {
  Statement update(*prepared_, "UPDATE jobs SET paused = ?, paused_until = ? WHERE key = ?", path_);
  update.Bind(1, std::int64_t{paused}).Bind(2, until).Bind(3, key);
  update.Step();
}

void StateStore::RecordCheckin(const std::string& key, const std::string& name, UnixTime when, bool failed,
                               const std::string& message) {
  StoredJob job = EnsureJob(key, name, when);
  job.last_checkin = when;
  job.checkin_failed = failed;
  job.checkin_message = message;
  SaveJob(job);
}

std::optional<UnixTime> StateStore::LastTickStart() {
  Statement select(*prepared_, "SELECT max(started) FROM ticks", path_);
  select.Step();
  return select.OptionalInt(0);
}

std::optional<UnixTime> StateStore::LastTickFinish() {
  Statement select(*prepared_, "SELECT max(finished) FROM ticks", path_);
  select.Step();
  return select.OptionalInt(0);
}

void StateStore::RecordTickStart(const std::string& frequency, UnixTime when) {
  Statement upsert(*prepared_,
                   "INSERT INTO ticks (frequency, started) VALUES (?1, ?2) "
                   "ON CONFLICT(frequency) DO UPDATE SET started = ?2",
                   path_);
  upsert.Bind(1, frequency).Bind(2, when);
  upsert.Step();
}

void StateStore::RecordTickFinish(const std::string& frequency, UnixTime when) {
  Statement update(*prepared_, "UPDATE ticks SET finished = ? WHERE frequency = ?", path_);
  update.Bind(1, when).Bind(2, frequency);
  update.Step();
}

void StateStore::RecordTickDuration(const std::string& frequency, double seconds) {
  Statement update(*prepared_, "UPDATE ticks SET duration = ? WHERE frequency = ?", path_);
  update.Bind(1, seconds).Bind(2, frequency);
  update.Step();
}

std::vector<TickRecord> StateStore::Ticks() {
  Statement select(*prepared_, "SELECT frequency, started, finished, duration FROM ticks ORDER BY frequency", path_);
  std::vector<TickRecord> ticks;
  while (select.Step()) {
    ticks.push_back({select.Text(0), select.Int(1), select.OptionalInt(2), select.OptionalDouble(3)});
  }
  return ticks;
}

std::int64_t StateStore::Enqueue(const OutboxItem& item) {
  Statement insert(*prepared_,
                   "INSERT INTO outbox (created, job, kind, channel, recipients, subject, body) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   path_);
  insert.Bind(1, item.created)
      .Bind(2, item.job)
      .Bind(3, std::string(KindName(item.kind)))
      .Bind(4, item.channel)
      .Bind(5, item.recipients)
      .Bind(6, item.subject)
      .Bind(7, item.body);
  insert.Step();
  const std::int64_t id = sqlite3_last_insert_rowid(db_);
  queued_since_sync_ = true;
  if (sqlite3_get_autocommit(db_)) SyncToDisk();  // no transaction: it is committed already
  return id;
}

std::vector<OutboxItem> StateStore::Items(OutboxState state) {
  Statement select(*prepared_, (std::string("SELECT ") + kItemColumns + " FROM outbox WHERE state = ? ORDER BY id"),
                   path_);
  select.Bind(1, std::string(OutboxStateName(state)));
  std::vector<OutboxItem> items;
  while (select.Step()) items.push_back(ReadItem(select));
  return items;
}

std::vector<OutboxItem> StateStore::Queued() { return Items(OutboxState::kQueued); }

std::vector<OutboxItem> StateStore::Undelivered() {
  Statement select(
      *prepared_,
      (std::string("SELECT ") + kItemColumns + " FROM outbox WHERE state NOT IN ('delivered', 'dropped') ORDER BY id"),
      path_);
  std::vector<OutboxItem> items;
  while (select.Step()) items.push_back(ReadItem(select));
  return items;
}

bool StateStore::Drop(std::int64_t id) {
  Statement update(*prepared_,
                   "UPDATE outbox SET state = 'dropped' WHERE id = ? AND state NOT IN ('delivered', 'dropped')", path_);
  update.Bind(1, id);
  update.Step();
  return sqlite3_changes(db_) > 0;
}

std::int64_t StateStore::CountRefused() {
  Statement select(*prepared_, "SELECT count(*) FROM outbox WHERE state = 'refused'", path_);
  select.Step();
  return select.Int(0);
}

std::int64_t StateStore::CountQueued() {
  Statement select(*prepared_, "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')", path_);
  select.Step();
  return select.Int(0);
}

void StateStore::SetOutboxState(std::int64_t id, OutboxState state, const std::string& error) {
  const bool attempt = state == OutboxState::kSending;
  Statement update(*prepared_,
                   "UPDATE outbox SET state = ?, attempts = attempts + ?, "
                   "last_error = CASE WHEN ? = '' THEN last_error ELSE ? END WHERE id = ?",
                   path_);
  update.Bind(1, std::string(OutboxStateName(state)))
      .Bind(2, std::int64_t{attempt})
      .Bind(3, error)
      .Bind(4, error)
      .Bind(5, id);
  update.Step();
  if (state == OutboxState::kDelivered) {
    Statement count(*prepared_,
                    "INSERT INTO deliveries (channel, kind, delivered) SELECT channel, kind, 1 FROM outbox "
                    "WHERE id = ? ON CONFLICT(channel, kind) DO UPDATE SET delivered = delivered + 1",
                    path_);
    count.Bind(1, id);
    count.Step();
  }
}

void StateStore::CountDelivered(const std::string& channel, const std::string& kind, std::int64_t count) {
  Statement upsert(*prepared_,
                   "INSERT INTO deliveries (channel, kind, delivered) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT(channel, kind) DO UPDATE SET delivered = delivered + ?3",
                   path_);
  upsert.Bind(1, channel).Bind(2, kind).Bind(3, count);
  upsert.Step();
}

std::vector<DeliveryCount> StateStore::DeliveryCounts() {
  std::vector<DeliveryCount> counts;
  Statement select(*prepared_, "SELECT channel, kind, delivered FROM deliveries ORDER BY channel, kind", path_);
  while (select.Step()) counts.push_back({select.Text(0), select.Text(1), select.Int(2)});
  return counts;
}

std::vector<ChannelBacklog> StateStore::OutboxByChannel() {
  Statement select(*prepared_,
                   "SELECT channel, sum(state IN ('queued', 'sending')), sum(state = 'refused') FROM outbox "
                   "WHERE state IN ('queued', 'sending', 'refused') GROUP BY channel ORDER BY channel",
                   path_);
  std::vector<ChannelBacklog> backlog;
  while (select.Step()) backlog.push_back({select.Text(0), select.Int(1), select.Int(2)});
  Statement alerts(*prepared_, "SELECT count(*) FROM alert_posts", path_);
  alerts.Step();
  if (alerts.Int(0) > 0) backlog.push_back({"alertmanager", alerts.Int(0), 0});
  return backlog;
}

void StateStore::QueueAlertPost(const PendingAlert& alert) {
  Statement upsert(*prepared_,
                   "INSERT INTO alert_posts (job, kind, created, alert) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT(job) DO UPDATE SET kind = ?2, created = ?3, alert = ?4",
                   path_);
  upsert.Bind(1, alert.job).Bind(2, alert.kind).Bind(3, alert.created).Bind(4, alert.alert_json);
  upsert.Step();
}

std::vector<PendingAlert> StateStore::PendingAlertPosts() {
  std::vector<PendingAlert> alerts;
  Statement select(*prepared_, "SELECT job, kind, created, alert FROM alert_posts ORDER BY created, job", path_);
  while (select.Step()) alerts.push_back({select.Text(0), select.Text(1), select.Int(2), select.Text(3)});
  return alerts;
}

void StateStore::RemoveAlertPost(const std::string& job, UnixTime created) {
  Statement remove(*prepared_, "DELETE FROM alert_posts WHERE job = ? AND created = ?", path_);
  remove.Bind(1, job).Bind(2, created);
  remove.Step();
}

std::optional<std::string> StateStore::GetMeta(const std::string& key) {
  Statement select(*prepared_, "SELECT value FROM meta WHERE key = ?", path_);
  select.Bind(1, key);
  if (!select.Step()) return std::nullopt;
  return select.Text(0);
}

std::int64_t StateStore::DataVersion() {
  Statement version(*prepared_, "PRAGMA data_version", path_);
  version.Step();
  return version.Int(0);
}

void StateStore::SetMeta(const std::string& key, const std::string& value) {
  Statement upsert(*prepared_,
                   "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2", path_);
  upsert.Bind(1, key).Bind(2, value);
  upsert.Step();
}

std::vector<Claim> StateStore::Claims() {
  Statement select(*prepared_, "SELECT key, owner, since FROM running ORDER BY key", path_);
  std::vector<Claim> claims;
  while (select.Step()) claims.push_back({select.Text(0), select.Text(1), select.Int(2)});
  return claims;
}

void StateStore::SetClaim(const Claim& claim) {
  Statement upsert(*prepared_,
                   "INSERT INTO running (key, owner, since) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT(key) DO UPDATE SET owner = ?2, since = ?3",
                   path_);
  upsert.Bind(1, claim.key).Bind(2, claim.owner).Bind(3, claim.since);
  upsert.Step();
}

void StateStore::ReleaseClaim(const std::string& key, const std::string& owner) {
  Statement remove(*prepared_, "DELETE FROM running WHERE key = ? AND owner = ?", path_);
  remove.Bind(1, key).Bind(2, owner);
  remove.Step();
}

std::optional<std::string> StateStore::LastGoodConfiguration() { return GetMeta("last_good_config"); }

void StateStore::SaveLastGoodConfiguration(const std::string& text, UnixTime when) {
  if (GetMeta("last_good_config") == text) return;
  SetMeta("last_good_config", text);
  SetMeta("last_good_config_saved", std::to_string(when));
}

namespace {

// A check-in from the columns time, kind, exit_status, message from `first` on.
template <typename Row>
Checkin ReadCheckin(const Row& row, int first) {
  Checkin checkin;
  checkin.time = row.Int(first);
  checkin.kind = ParseCheckinKind(row.Text(first + 1)).value_or(Checkin::Kind::kLog);
  checkin.exit_status = static_cast<int>(row.Int(first + 2));
  checkin.message = row.Text(first + 3);
  return checkin;
}

}  // namespace

void StateStore::KeepHistoryRow(const HistoryTable& history, const std::string& key, std::int64_t kept, UnixTime now) {
  const std::string table = history.table, kept_column = history.kept_column;
  const std::int64_t kept_before = kept;
  // The oldest rows go first; rows are looked at from the oldest end only,
  // so that a job with 1000 rows costs no more than one with 10.
  const std::string oldest = "SELECT id FROM " + table + " WHERE key = ?1 ORDER BY id LIMIT ?2";
  if (kept > kKeptAtMost) {
    Statement prune(*prepared_, ("DELETE FROM " + table + " WHERE id IN (" + oldest + ")"), path_);
    prune.Bind(1, key).Bind(2, kept - kKeptAfterPruning);
    prune.Step();
    kept -= sqlite3_changes(db_);
  }
  if (kept > kKeptWhateverTheirAge) {
    Statement first(*prepared_, ("SELECT time FROM " + table + " WHERE key = ? ORDER BY id LIMIT 1"), path_);
    first.Bind(1, key);
    if (first.Step() && first.Int(0) < now - kKeptSeconds) {
      Statement prune(*prepared_, ("DELETE FROM " + table + " WHERE id IN (" + oldest + ") AND time < ?3"), path_);
      prune.Bind(1, key).Bind(2, kept - kKeptWhateverTheirAge).Bind(3, now - kKeptSeconds);
      prune.Step();
      kept -= sqlite3_changes(db_);
    }
  }
  if (kept == kept_before) return;
  Statement update(*prepared_, ("UPDATE jobs SET " + kept_column + " = ? WHERE key = ?"), path_);
  update.Bind(1, kept).Bind(2, key);
  update.Step();
}

std::int64_t StateStore::AddCheckin(const std::string& key, const Checkin& checkin) {
  Statement insert(*prepared_, "INSERT INTO checkins (key, time, kind, exit_status, message) VALUES (?, ?, ?, ?, ?)",
                   path_);
  insert.Bind(1, key)
      .Bind(2, std::int64_t{checkin.time})
      .Bind(3, std::string(CheckinKindName(checkin.kind)))
      .Bind(4, std::int64_t{checkin.exit_status})
      .Bind(5, checkin.message);
  insert.Step();
  const std::int64_t id = sqlite3_last_insert_rowid(db_);
  Statement count(*prepared_, "UPDATE jobs SET checkins_kept = checkins_kept + 1 WHERE key = ? RETURNING checkins_kept",
                  path_);
  count.Bind(1, key);
  if (count.Step()) {
    const std::int64_t kept = count.Int(0);
    while (count.Step()) {
    }
    KeepHistoryRow(kCheckins, key, kept, checkin.time);
  }
  return id;
}

std::vector<RunRecord> StateStore::Runs(const std::string& key, int limit) {
  Statement select(*prepared_,
                   "SELECT r.id, r.time, r.success, r.message, r.duration, r.decision, "
                   "json_extract(m.value, '$.label'), json_extract(m.value, '$.unit'), "
                   "json_extract(m.value, '$.value') FROM "
                   "(SELECT * FROM runs WHERE key = ? ORDER BY id DESC LIMIT ?) r "
                   "LEFT JOIN json_each(r.perfdata) m ORDER BY r.id DESC, m.key",
                   path_);
  select.Bind(1, key).Bind(2, std::int64_t{limit});
  std::vector<RunRecord> runs;
  std::int64_t id = -1;
  while (select.Step()) {
    if (select.Int(0) != id) {
      id = select.Int(0);
      RunRecord run;
      run.time = select.Int(1);
      run.success = select.Int(2) != 0;
      run.message = select.Text(3);
      run.duration_seconds = select.Double(4);
      run.decision = select.Text(5);
      runs.push_back(std::move(run));
    }
    if (select.OptionalDouble(8)) runs.back().measurements.push_back(ReadMeasurement(select, 6));
  }
  return runs;
}

std::map<std::string, std::vector<RunRecord>> StateStore::RecentRuns(int limit) {
  // Per job one range of the index runs_by_key, and its rows by id; sorted
  // here, since an ORDER BY would sort every row in a temporary b-tree.
  Statement select(*prepared_,
                   "SELECT j.key, r.id, r.time, r.success, r.message, r.duration, r.decision FROM jobs j "
                   "JOIN runs r ON r.id IN (SELECT id FROM runs WHERE key = j.key ORDER BY id DESC LIMIT ?)",
                   path_);
  select.Bind(1, std::int64_t{limit});
  std::map<std::string, std::vector<std::pair<std::int64_t, RunRecord>>> by_id;
  while (select.Step()) {
    RunRecord run;
    run.time = select.Int(2);
    run.success = select.Int(3) != 0;
    run.message = select.Text(4);
    run.duration_seconds = select.Double(5);
    run.decision = select.Text(6);
    by_id[select.Text(0)].emplace_back(select.Int(1), std::move(run));
  }
  std::map<std::string, std::vector<RunRecord>> runs;
  for (auto& [key, numbered] : by_id) {
    std::sort(numbered.begin(), numbered.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    auto& newest_first = runs[key];
    for (auto& [id, run] : numbered) newest_first.push_back(std::move(run));
  }
  return runs;
}

std::vector<Checkin> StateStore::Checkins(const std::string& key, int limit) {
  Statement select(*prepared_,
                   "SELECT time, kind, exit_status, message FROM checkins WHERE key = ? ORDER BY id DESC LIMIT ?",
                   path_);
  select.Bind(1, key).Bind(2, std::int64_t{limit});
  std::vector<Checkin> checkins;
  while (select.Step()) checkins.push_back(ReadCheckin(select, 0));
  return checkins;
}

std::vector<StoredCheckin> StateStore::UnevaluatedCheckins() {
  Statement select(*prepared_,
                   "SELECT c.key, c.id, c.time, c.kind, c.exit_status, c.message FROM checkins c "
                   "JOIN jobs j ON j.key = c.key WHERE c.id > j.checkins_evaluated ORDER BY c.key, c.id",
                   path_);
  std::vector<StoredCheckin> checkins;
  while (select.Step()) {
    StoredCheckin stored;
    stored.key = select.Text(0);
    stored.id = select.Int(1);
    stored.checkin = ReadCheckin(select, 2);
    checkins.push_back(std::move(stored));
  }
  return checkins;
}

std::map<std::string, UnixTime> StateStore::UnfinishedStarts() {
  Statement select(
      *prepared_,
      "SELECT s.key, max(s.time) FROM checkins s WHERE s.kind = 'start' AND NOT EXISTS "
      "(SELECT 1 FROM checkins f WHERE f.key = s.key AND f.id > s.id AND f.kind IN ('success', 'failure')) "
      "GROUP BY s.key",
      path_);
  std::map<std::string, UnixTime> starts;
  while (select.Step()) starts[select.Text(0)] = select.Int(1);
  return starts;
}

}  // namespace checker
