// JobRunner: runs jobs and reports how each went, as each one ends.
//
// WorkerPool isolates plugin code: `parallelism` worker processes, forked
// once the jobs are loaded, each running one job at a time and sending its
// outcome back over a pipe (see worker_frame.h). A worker that crashes, exits
// or outlives the job's timeout is killed and replaced, and that job is
// reported as failed with the reason ("killed by SIGSEGV", "timed out after
// 10 s"). Only the parent touches the state file.
#pragma once

#include <functional>
#include <vector>

#include "engine/job_outcome.h"
#include "model/job.h"

namespace checker {

class JobRunner {
 public:
  // Called in the caller's thread as each job ends, in any order.
  using OnOutcome = std::function<void(std::size_t index, JobOutcome outcome)>;

  virtual ~JobRunner() = default;
  // Runs every job once; jobs[i] is given contexts[i] (a default context when
  // contexts is empty) with its timeout set.
  virtual void Run(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts,
                   const OnOutcome& on_outcome) = 0;

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
           const OnOutcome& on_outcome) override;

 private:
  int parallelism_;
  bool keep_stderr_;
};

}  // namespace checker
