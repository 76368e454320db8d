// WorkerPool: every job runs in a worker; crashes and hangs become failures.
#include "engine/worker_pool.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "engine/worker_frame.h"

using namespace checker;

namespace {

// A job whose behaviour the test chooses.
class ScriptedJob : public JobBase {
 public:
  enum class Act { kSucceed, kFail, kSegfault, kAbort, kThrow, kExit, kHang, kHugeMessage, kAllocate };
  explicit ScriptedJob(Act act) : act_(act) {}
  std::string Name() const override { return "test:scripted"; }
  JobResult Execute(const RunContext&) override {
    switch (act_) {
      case Act::kSucceed:
        return {true, "fine"};
      case Act::kFail:
        return {false, "broken"};
      case Act::kSegfault:
        std::raise(SIGSEGV);
        break;
      case Act::kAbort:
        std::abort();
      case Act::kThrow:
        throw std::runtime_error("boom");
      case Act::kExit:
        std::exit(3);
      case Act::kHang:
        for (;;) pause();
      case Act::kHugeMessage:
        return {false, std::string(1 << 20, 'x')};
      case Act::kAllocate: {
        std::vector<std::string> hoard;
        for (;;) hoard.emplace_back(64 << 20, 'x');
      }
    }
    return {false, "unreachable"};
  }

 private:
  Act act_;
};

Job MakeJob(ScriptedJob::Act act, int timeout = 30) {
  Job job;
  job.name = "test:scripted";
  job.key = job.name;
  job.timeout_seconds = timeout;
  job.impl = std::make_shared<ScriptedJob>(act);
  return job;
}

JobResult RunOne(ScriptedJob::Act act, int timeout = 30) {
  Job job = MakeJob(act, timeout);
  WorkerPool runner(4, false);
  return runner.RunAll({&job})[0].result;
}

}  // namespace

TEST_CASE("a job's own result comes back from the worker") {
  CHECK(RunOne(ScriptedJob::Act::kSucceed).success);
  auto failed = RunOne(ScriptedJob::Act::kFail);
  CHECK_FALSE(failed.success);
  CHECK(failed.message == "broken");
}

TEST_CASE("a crashing job is a failure named after its signal") {
  CHECK(RunOne(ScriptedJob::Act::kSegfault).message == "killed by SIGSEGV");
  CHECK(RunOne(ScriptedJob::Act::kAbort).message == "killed by SIGABRT");
}

TEST_CASE("an exception or exit() in plugin code is a failure, not a crash of the tick") {
  CHECK(RunOne(ScriptedJob::Act::kThrow).message == "uncaught exception: boom");
  CHECK(RunOne(ScriptedJob::Act::kExit).message == "the job's process exited with status 3");
}

TEST_CASE("a job that outlives its timeout is killed and reported") {
  auto started = std::chrono::steady_clock::now();
  auto result = RunOne(ScriptedJob::Act::kHang, 1);
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(result.message == "timed out after 1 s");
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("a job that allocates without bound fails inside its worker's memory limit") {
  // A build without the limit (a sanitizer build) would allocate until the machine runs out.
  if (WorkerPool::kWorkerAddressSpaceBytes == 0) return;
  auto result = RunOne(ScriptedJob::Act::kAllocate);
  CHECK_FALSE(result.success);
  CHECK(result.message.find("memory") != std::string::npos);
}

TEST_CASE("a job's message is capped") {
  auto result = RunOne(ScriptedJob::Act::kHugeMessage);
  CHECK(result.message.size() <= kMaxMessageBytes + 3);
}

TEST_CASE("bad jobs do not disturb the good ones around them") {
  using Act = ScriptedJob::Act;
  std::vector<Job> jobs;
  for (Act act : {Act::kSucceed, Act::kSegfault, Act::kSucceed, Act::kHang, Act::kExit, Act::kSucceed, Act::kThrow,
                  Act::kSucceed}) {
    jobs.push_back(MakeJob(act, 1));
  }
  std::vector<const Job*> pointers;
  for (const auto& job : jobs) pointers.push_back(&job);
  WorkerPool runner(2, false);
  auto outcomes = runner.RunAll(pointers);
  REQUIRE(outcomes.size() == jobs.size());
  for (std::size_t i : {0, 2, 5, 7}) CHECK(outcomes[i].result.success);
  CHECK(outcomes[1].result.message == "killed by SIGSEGV");
  CHECK(outcomes[3].result.message == "timed out after 1 s");
  CHECK(outcomes[4].result.message == "the job's process exited with status 3");
  CHECK(outcomes[6].result.message == "uncaught exception: boom");
}

TEST_CASE("many jobs share a few workers") {
  std::vector<Job> jobs(500, MakeJob(ScriptedJob::Act::kSucceed));
  std::vector<const Job*> pointers;
  for (const auto& job : jobs) pointers.push_back(&job);
  WorkerPool runner(16, false);
  auto outcomes = runner.RunAll(pointers);
  for (const auto& outcome : outcomes) REQUIRE(outcome.result.success);
}

TEST_CASE("each job is reported exactly once, however the outcomes are batched") {
  std::vector<Job> jobs;
  for (int i = 0; i < 300; ++i) {
    jobs.push_back(MakeJob(i % 50 == 7 ? ScriptedJob::Act::kSegfault : ScriptedJob::Act::kSucceed));
  }
  std::vector<const Job*> pointers;
  for (const auto& job : jobs) pointers.push_back(&job);
  WorkerPool runner(4, false);
  std::vector<int> reported(jobs.size(), 0);
  std::size_t batches = 0;
  runner.Run(pointers, {}, [&](std::vector<FinishedJob> finished) {
    ++batches;
    for (const auto& job : finished) {
      ++reported[job.index];
      CHECK(job.outcome.result.success == (job.index % 50 != 7));
    }
  });
  for (int count : reported) REQUIRE(count == 1);
  CHECK(batches <= jobs.size());
}
