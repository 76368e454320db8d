// Read-only connections lent out and returned; a replaced file is noticed.
#include "state/state_reader_pool.h"

#include <catch2/catch.hpp>
#include <cstdio>

#include "temp_dir.h"

using namespace checker;

namespace {

void WriteJob(const std::string& path, const std::string& message) {
  auto store = StateStore::Open(path, StateStore::Mode::kCreate);
  StoredJob job = store->EnsureJob("tcp:dns", "tcp:dns", 100);
  job.history.last_message = message;
  store->SaveJob(job);
}

}  // namespace

TEST_CASE("a state file that does not exist lends no connection") {
  TempDir dir;
  StateReaderPool pool;
  CHECK_FALSE(pool.Borrow(dir.File("state.db")));
}

TEST_CASE("a returned connection is lent again, and sees what was written since") {
  TempDir dir;
  const auto path = dir.File("state.db");
  WriteJob(path, "first");
  StateReaderPool pool;
  StateStore* first = nullptr;
  {
    auto lease = pool.Borrow(path);
    REQUIRE(lease);
    first = lease.get();
    CHECK(lease->LoadJob("tcp:dns")->history.last_message == "first");
  }
  WriteJob(path, "second");
  auto lease = pool.Borrow(path);
  CHECK(lease.get() == first);
  CHECK(lease->LoadJob("tcp:dns")->history.last_message == "second");
}

TEST_CASE("borrowers at the same time get connections of their own") {
  TempDir dir;
  const auto path = dir.File("state.db");
  WriteJob(path, "ok");
  StateReaderPool pool;
  auto one = pool.Borrow(path);
  auto other = pool.Borrow(path);
  CHECK(one.get() != other.get());
}

TEST_CASE("a state file replaced by a new one is read anew, not through the old connection") {
  TempDir dir;
  const auto path = dir.File("state.db");
  WriteJob(path, "old file");
  StateReaderPool pool;
  { CHECK(pool.Borrow(path)->LoadJob("tcp:dns")->history.last_message == "old file"); }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  CHECK_FALSE(pool.Borrow(path));
  WriteJob(path, "new file");
  CHECK(pool.Borrow(path)->LoadJob("tcp:dns")->history.last_message == "new file");
}

TEST_CASE("the data version moves when another connection commits") {
  TempDir dir;
  const auto path = dir.File("state.db");
  WriteJob(path, "one");
  StateReaderPool pool;
  auto lease = pool.Borrow(path);
  const auto before = lease->DataVersion();
  CHECK(lease->DataVersion() == before);
  WriteJob(path, "two");
  CHECK(lease->DataVersion() != before);
}
