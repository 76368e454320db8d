// The SQLite state file: schema, round trips, transactions, the outbox.
#include "state/state_store.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "temp_dir.h"

using namespace checker;

TEST_CASE("a job's state survives closing and reopening the file") {
  TempDir dir;
  const auto path = dir.File("state.db");
  {
    auto store = StateStore::Open(path, StateStore::Mode::kCreate);
    StoredJob job = store->EnsureJob("tcp:dns", "tcp:dns", 100);
    job.history.failing = true;
    job.history.failures_in_a_row = 3;
    job.history.first_failure = 40;
    job.history.last_notify = 100;
    job.history.notified_in_streak = true;
    job.history.last_run = 100;
    job.history.last_message = "refused";
    store->SaveJob(job);
  }
  auto store = StateStore::Open(path, StateStore::Mode::kReadOnly);
  auto job = store->LoadJob("tcp:dns");
  REQUIRE(job);
  CHECK(job->history.failing);
  CHECK(job->history.failures_in_a_row == 3);
  CHECK(job->history.first_failure == 40);
  CHECK(job->history.last_notify == 100);
  CHECK(job->history.notified_in_streak);
  CHECK(job->history.last_message == "refused");
  CHECK(job->first_seen == 100);
}

TEST_CASE("a transaction that is not committed leaves nothing behind") {
  TempDir dir;
  auto store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
  {
    StateStore::Transaction transaction(*store);
    store->EnsureJob("tcp:a", "tcp:a", 1);
    store->Enqueue({0, 1, "tcp:a", NotificationKind::kFailure, "email", "ops@example.com", "[h] s", "b", 0, ""});
  }
  CHECK_FALSE(store->LoadJob("tcp:a"));
  CHECK(store->Queued().empty());
}

TEST_CASE("the outbox hands out queued rows oldest first and forgets delivered ones") {
  TempDir dir;
  auto store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
  auto first = store->Enqueue({0, 1, "tcp:a", NotificationKind::kFailure, "email", "x", "one", "", 0, ""});
  auto second = store->Enqueue({0, 2, "tcp:b", NotificationKind::kFailure, "email", "x", "two", "", 0, ""});
  auto queued = store->Queued();
  REQUIRE(queued.size() == 2);
  CHECK(queued[0].id == first);
  CHECK(queued[1].id == second);
  store->SetOutboxState(first, OutboxState::kSending);
  store->SetOutboxState(first, OutboxState::kDelivered);
  store->SetOutboxState(second, OutboxState::kSending);
  store->SetOutboxState(second, OutboxState::kQueued, "connection refused");
  queued = store->Queued();
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].attempts == 1);
  CHECK(queued[0].last_error == "connection refused");
}

TEST_CASE("the file is in WAL mode and versioned") {
  TempDir dir;
  const auto path = dir.File("state.db");
  StateStore::Open(path, StateStore::Mode::kCreate);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  auto query = [&](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
    sqlite3_step(statement);
    std::string value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    return value;
  };
  CHECK(query("PRAGMA journal_mode") == "wal");
  CHECK(query("PRAGMA user_version") == "5");
  sqlite3_close(db);
}

TEST_CASE("a version 1 file is migrated by the next writer, keeping its jobs, and counts runs from then on") {
  TempDir dir;
  const auto path = dir.File("state.db");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  // The version 1 schema as release 1 wrote it, with one job.
  REQUIRE(
      sqlite3_exec(db,
                   "CREATE TABLE jobs (key TEXT PRIMARY KEY, name TEXT NOT NULL, failing INTEGER NOT NULL DEFAULT 0,"
                   " failures_in_a_row INTEGER NOT NULL DEFAULT 0, first_failure INTEGER, last_notify INTEGER,"
                   " notified_in_streak INTEGER NOT NULL DEFAULT 0, last_run INTEGER,"
                   " last_message TEXT NOT NULL DEFAULT '', first_seen INTEGER NOT NULL,"
                   " paused INTEGER NOT NULL DEFAULT 0, paused_until INTEGER, last_checkin INTEGER,"
                   " checkin_failed INTEGER NOT NULL DEFAULT 0, checkin_message TEXT NOT NULL DEFAULT '');"
                   "CREATE TABLE ticks (frequency TEXT PRIMARY KEY, started INTEGER NOT NULL, finished INTEGER);"
                   "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, created INTEGER NOT NULL,"
                   " job TEXT NOT NULL, kind TEXT NOT NULL, channel TEXT NOT NULL, recipients TEXT NOT NULL,"
                   " subject TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued',"
                   " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '');"
                   "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                   "INSERT INTO jobs (key, name, failing, failures_in_a_row, first_seen) VALUES"
                   " ('tcp:dns', 'tcp:dns', 1, 4, 10);"
                   "INSERT INTO ticks VALUES ('minute', 100, 101);"
                   "PRAGMA user_version = 1;",
                   nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  // Inspecting it (as -m validate does) changes nothing and says what it is.
  REQUIRE(StateStore::Open(path, StateStore::Mode::kInspect)->older_schema() == 1);
  REQUIRE(StateStore::Open(path, StateStore::Mode::kInspect)->older_schema() == 1);

  auto store = StateStore::Open(path, StateStore::Mode::kReadWrite);
  CHECK_FALSE(store->older_schema().has_value());
  store->RecordRun("tcp:dns", {200, false, "refused", 0.25, {{"time", 0.5, "seconds", "", "", "", ""}}, ""});
  store->RecordTickDuration("minute", 1.5);
  auto job = store->LoadJob("tcp:dns");
  CHECK(job->history.failures_in_a_row == 4);
  CHECK(job->runs_total == 1);
  CHECK(job->failures_total == 1);
  CHECK(job->last_duration_seconds == 0.25);
  REQUIRE(store->LastMeasurements().size() == 1);
  CHECK(store->LastMeasurements()[0].second[0].unit == "seconds");
  CHECK(store->Ticks()[0].duration_seconds == 1.5);
}

TEST_CASE("a delivered row counts in the deliveries of its channel and kind") {
  TempDir dir;
  auto store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
  auto id = store->Enqueue({0, 1, "tcp:a", NotificationKind::kFailure, "webhook", "x", "one", "", 0, ""});
  store->Enqueue({0, 1, "tcp:a", NotificationKind::kFailure, "email", "x", "one", "", 0, ""});
  store->SetOutboxState(id, OutboxState::kDelivered);
  store->CountDelivered("alertmanager", "recovery", 2);
  const auto counts = store->DeliveryCounts();
  REQUIRE(counts.size() == 2);
  CHECK((counts[0].channel == "alertmanager" && counts[0].kind == "recovery" && counts[0].delivered == 2));
  CHECK((counts[1].channel == "webhook" && counts[1].kind == "failure" && counts[1].delivered == 1));
  const auto backlog = store->OutboxByChannel();
  REQUIRE(backlog.size() == 1);
  CHECK((backlog[0].channel == "email" && backlog[0].queued == 1));
}

TEST_CASE("a file that is not a checker state file is refused, not changed") {
  TempDir dir;
  const auto path = dir.Write("other.db", "");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE precious(x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  CHECK_THROWS_AS(StateStore::Open(path, StateStore::Mode::kCreate), StateError);
}

TEST_CASE("read-only and read-write opening never create a missing file") {
  TempDir dir;
  CHECK_THROWS_AS(StateStore::Open(dir.File("missing.db"), StateStore::Mode::kReadOnly), StateError);
  CHECK_THROWS_AS(StateStore::Open(dir.File("missing.db"), StateStore::Mode::kReadWrite), StateError);
  CHECK_FALSE(std::ifstream(dir.File("missing.db")).good());
}

namespace {

RunRecord Run(UnixTime time, bool success, const std::string& message) {
  RunRecord run;
  run.time = time;
  run.success = success;
  run.message = message;
  return run;
}

}  // namespace

TEST_CASE("a job's runs are kept with their message, duration, measurements and decision, newest first") {
  TempDir dir;
  auto store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
  store->EnsureJob("tcp:dns", "tcp:dns", 0);
  store->EnsureJob("tcp:web", "tcp:web", 0);
  RunRecord first = Run(100, false, "refused");
  first.duration_seconds = 0.5;
  first.measurements = {{"time", 0.25, "seconds", "", "", "", ""}, {"size", 1e9, "bytes", "", "", "", ""}};
  first.decision = "notified: 1st failure, failures_before_notify = 1";
  store->RecordRun("tcp:dns", first);
  store->RecordRun("tcp:web", Run(110, true, "other job"));
  store->RecordRun("tcp:dns", Run(160, true, "it's \"ok\" <now>"));

  const auto runs = store->Runs("tcp:dns", 10);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].time == 160);
  CHECK(runs[0].success);
  CHECK(runs[0].message == "it's \"ok\" <now>");
  CHECK(runs[0].measurements.empty());
  CHECK(runs[1].time == 100);
  CHECK_FALSE(runs[1].success);
  CHECK(runs[1].duration_seconds == 0.5);
  CHECK(runs[1].decision == "notified: 1st failure, failures_before_notify = 1");
  REQUIRE(runs[1].measurements.size() == 2);
  CHECK(runs[1].measurements[0].label == "time");
  CHECK(runs[1].measurements[0].value == 0.25);
  CHECK(runs[1].measurements[1].unit == "bytes");
  CHECK(runs[1].measurements[1].value == 1e9);
  CHECK(store->Runs("tcp:dns", 1).size() == 1);
}

TEST_CASE("the recent runs of every job come in one call, newest first, at most the limit of each") {
  TempDir dir;
  auto store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
  store->EnsureJob("tcp:dns", "tcp:dns", 0);
  store->EnsureJob("tcp:web", "tcp:web", 0);
  store->EnsureJob("tcp:new", "tcp:new", 0);
  for (int i = 0; i < 5; ++i) {
    store->RecordRun("tcp:dns", Run(100 + i, i % 2 == 0, "dns " + std::to_string(i)));
    store->RecordRun("tcp:web", Run(200 - i, true, "web " + std::to_string(i)));
  }
  const auto runs = store->RecentRuns(3);
  CHECK(runs.count("tcp:new") == 0);
  REQUIRE(runs.at("tcp:dns").size() == 3);
  CHECK(runs.at("tcp:dns")[0].message == "dns 4");
  CHECK(runs.at("tcp:dns")[0].success);
  CHECK(runs.at("tcp:dns")[2].message == "dns 2");
  REQUIRE(runs.at("tcp:web").size() == 3);
  CHECK(runs.at("tcp:web")[0].message == "web 4");
  CHECK(runs.at("tcp:web")[0].time == 196);
}

TEST_CASE("history is pruned by coal-mine's rule: at most 1000 rows, beyond 100 none older than 7 days") {
  TempDir dir;
  auto store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
  store->EnsureJob("tcp:dns", "tcp:dns", 0);
  const UnixTime week = 7 * 86400;

  SECTION("a job that runs every minute keeps at most its newest 1000 runs, pruned 100 at a time") {
    for (int i = 0; i < 1000; ++i) store->RecordRun("tcp:dns", Run(1000000 + 60 * i, true, std::to_string(i)));
    CHECK(store->Runs("tcp:dns", 5000).size() == 1000);
    store->RecordRun("tcp:dns", Run(1000000 + 60 * 1000, true, "1000"));
    auto runs = store->Runs("tcp:dns", 5000);
    REQUIRE(runs.size() == 900);
    CHECK(runs.front().message == "1000");
    CHECK(runs.back().message == "101");
    for (int i = 1001; i < 1250; ++i) {
      store->RecordRun("tcp:dns", Run(1000000 + 60 * i, true, std::to_string(i)));
      REQUIRE(store->Runs("tcp:dns", 5000).size() <= 1000);
    }
  }
  SECTION("runs older than 7 days go, but never the newest 100") {
    for (int i = 0; i < 150; ++i) store->RecordRun("tcp:dns", Run(1000000 + i, true, std::to_string(i)));
    // A week later: every run above is older than 7 days.
    store->RecordRun("tcp:dns", Run(1000000 + week + 200, false, "a week later"));
    const auto runs = store->Runs("tcp:dns", 5000);
    REQUIRE(runs.size() == 100);
    CHECK(runs.front().message == "a week later");
    CHECK(runs.back().message == "51");
  }
  SECTION("fewer than 100 runs are kept whatever their age") {
    for (int i = 0; i < 99; ++i) store->RecordRun("tcp:dns", Run(1000 + i, true, std::to_string(i)));
    store->RecordRun("tcp:dns", Run(1000 + 10 * week, true, "much later"));
    CHECK(store->Runs("tcp:dns", 5000).size() == 100);
  }
  SECTION("check-ins follow the same rule, job by job") {
    store->EnsureJob("heartbeat:other", "heartbeat:other", 0);
    for (int i = 0; i < 1005; ++i) store->AddCheckin("tcp:dns", {1000000 + i, Checkin::Kind::kSuccess, -1, ""});
    store->AddCheckin("heartbeat:other", {1000000, Checkin::Kind::kFailure, 3, "disk full"});
    CHECK(store->Checkins("tcp:dns", 5000).size() == 904);  // 900 after the 1001st, and 4 more
    const auto other = store->Checkins("heartbeat:other", 10);
    REQUIRE(other.size() == 1);
    CHECK(other[0].kind == Checkin::Kind::kFailure);
    CHECK(other[0].exit_status == 3);
    CHECK(other[0].message == "disk full");
  }
}

TEST_CASE("a queued notification is synced into the file itself, not left only in its WAL") {
  TempDir dir;
  const auto path = dir.File("state.db");
  auto store = StateStore::Open(path, StateStore::Mode::kCreate);
  store->EnsureJob("tcp:a", "tcp:a", 1);  // only in the WAL so far
  {
    StateStore::Transaction transaction(*store);
    store->Enqueue({0, 1, "tcp:a", NotificationKind::kFailure, "email", "x", "one", "", 0, ""});
    transaction.Commit();
  }
  // What a power cut would leave if the WAL were lost: the main file alone.
  const auto copy = dir.File("copy.db");
  {
    std::ifstream in(path, std::ios::binary);
    std::ofstream out(copy, std::ios::binary);
    out << in.rdbuf();
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(copy.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* count = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM outbox", -1, &count, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(count) == SQLITE_ROW);
  CHECK(sqlite3_column_int(count, 0) == 1);
  sqlite3_finalize(count);
  sqlite3_close(db);
}

namespace {

// The size of the WAL beside `path` (0 when there is none).
std::uintmax_t WalBytes(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path + "-wal", error);
  return error ? 0 : size;
}

// Saves one job `saves` times, each in a commit of its own with a message
// of 3000 bytes, so that each commit appends pages to the WAL.
void SaveRepeatedly(StateStore& store, int saves) {
  StoredJob job = store.EnsureJob("tcp:dns", "tcp:dns", 1);
  for (int i = 0; i < saves; ++i) {
    job.history.last_message = std::string(3000, static_cast<char>('a' + i % 26));
    store.SaveJob(job);
  }
}

// The WAL a writer leaves in `dir` after `saves` commits, as it closes.
std::uintmax_t WalLeftAfter(TempDir& dir, int saves) {
  const auto path = dir.File("state.db");
  auto store = StateStore::Open(path, StateStore::Mode::kCreate);
  SaveRepeatedly(*store, saves);
  store.reset();
  return WalBytes(path);
}

}  // namespace

TEST_CASE("a writer that changed few rows empties a long WAL as it closes") {
  TempDir dir;
  const auto path = dir.File("state.db");
  {
    auto store = StateStore::Open(path, StateStore::Mode::kCreate);
    SaveRepeatedly(*store, 150);
    CHECK(WalBytes(path) > 512 * 1024);
  }
  CHECK(WalBytes(path) == 0);
  CHECK(std::filesystem::exists(path + "-wal"));  // kept, empty, for readers without write access
  auto store = StateStore::Open(path, StateStore::Mode::kReadOnly);
  CHECK(store->LoadJob("tcp:dns")->history.last_message == std::string(3000, static_cast<char>('a' + 149 % 26)));
}

TEST_CASE("a writer that changed many rows leaves the WAL to SQLite's own checkpoint") {
  TempDir dir;
  CHECK(WalLeftAfter(dir, 250) > 512 * 1024);
}

TEST_CASE("a short WAL is left as it is") {
  TempDir dir;
  const auto left = WalLeftAfter(dir, 3);
  CHECK(left > 0);
  CHECK(left <= 512 * 1024);
}
