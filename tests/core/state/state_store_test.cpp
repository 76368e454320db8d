// The SQLite state file: schema, round trips, transactions, the outbox.
#include "state/state_store.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>

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
  CHECK(query("PRAGMA user_version") == "3");
  sqlite3_close(db);
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
