// JobRunner: runs jobs and reports how each went, as each one ends.
//
// WorkerPool isolates plugin code: `parallelism` worker processes, forked
// once the jobs are loaded, each taking jobs from one shared queue (a pipe of
// job indexes), running one at a time and sending its outcome back over a
// pipe of its own (see worker_frame.h). A worker that crashes, exits
// or outlives the job's timeout is killed and replaced, and that job is
// reported as failed with the reason ("killed by SIGSEGV", "timed out after
// 10 s"). Only the parent touches the state file.
#pragma once

#include <functional>
#include <vector>

#include "engine/job_outcome.h"
#include "model/job.h"

namespace checker {

// A job that ended: its index in the jobs given to Run, and how it went.
struct FinishedJob {
  std::size_t index;
  JobOutcome outcome;
};

class JobRunner {
 public:
  // Called in the caller's thread as jobs end, in any order, with the jobs
  // that ended since the last call: those that end together come together,
  // so that the caller can record them together.
  using OnOutcomes = std::function<void(std::vector<FinishedJob> finished)>;

  virtual ~JobRunner() = default;
  // Runs every job once; jobs[i] is given contexts[i] (a default context when
  // contexts is empty) with its timeout set.
  virtual void Run(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts,
                   const OnOutcomes& on_outcomes) = 0;

  // Runs every job once and returns the outcomes, outcome i for jobs[i].
  std::vector<JobOutcome> RunAll(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts = {});
};

class WorkerPool : public JobRunner {
 public:
  // 0: no limit. Set at build time (CHECKER_WORKER_ADDRESS_SPACE_MIB, 1024 by
  // default, none in a sanitizer build, whose shadow memory needs terabytes).
  static constexpr unsigned long long kWorkerAddressSpaceBytes = CHECKER_WORKER_ADDRESS_SPACE_MIB * (1ULL << 20);

  // `keep_stderr`: workers keep the parent's stderr (for -d), else /dev/null.
  WorkerPool(int parallelism, bool keep_stderr) : parallelism_(parallelism), keep_stderr_(keep_stderr) {}
  void Run(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts,
           const OnOutcomes& on_outcomes) override;

 private:
  int parallelism_;
  bool keep_stderr_;
};

}  // namespace checker
