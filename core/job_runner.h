// JobRunner: runs jobs and reports how each went.
//
// ForkingJobRunner isolates plugin code: a pool of `parallelism` worker
// processes, forked once the jobs are loaded, each running one job at a time
// and sending its result back over a pipe. A worker that crashes, exits or
// outlives the job's timeout is killed and replaced, and that job is recorded
// as failed with the reason ("killed by SIGSEGV", "timed out after 10 s").
// Only the parent touches the state file.
#pragma once

#include <vector>

#include "job.h"

namespace checker {

struct JobOutcome {
  JobResult result;
  Notification failure;   // what the job would send if this failure notifies
  Notification recovery;  // ... or if this success is a recovery
};

class JobRunner {
 public:
  virtual ~JobRunner() = default;
  // Runs every job once; the outcome at index i belongs to jobs[i], which is
  // given contexts[i] (when contexts is not empty) with its timeout set.
  virtual std::vector<JobOutcome> RunAll(const std::vector<const Job*>& jobs,
                                         const std::vector<RunContext>& contexts = {}) = 0;
};

class ForkingJobRunner : public JobRunner {
 public:
  // Limits applied to every worker.
  static constexpr std::size_t kMaxMessageBytes = 4096;
  static constexpr std::size_t kMaxNotificationBytes = 64 * 1024;
  static constexpr unsigned long long kWorkerAddressSpaceBytes = 1ULL << 30;

  explicit ForkingJobRunner(int parallelism, bool keep_stderr) : parallelism_(parallelism), keep_stderr_(keep_stderr) {}
  std::vector<JobOutcome> RunAll(const std::vector<const Job*>& jobs,
                                 const std::vector<RunContext>& contexts = {}) override;

 private:
  int parallelism_;
  bool keep_stderr_;
};

// "killed by SIGSEGV" or "exited with status 3", for a waitpid() status.
std::string DescribeExit(int status);

// The default notifications of a job that has no plugin object.
Notification DefaultFailure(const std::string& name, const JobResult& result);
Notification DefaultRecovery(const std::string& name, const JobResult& result);

}  // namespace checker
