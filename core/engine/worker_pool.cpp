#include "engine/worker_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>

#include "engine/worker_frame.h"
#include "util/process.h"

namespace checker {

std::vector<JobOutcome> JobRunner::RunAll(const std::vector<const Job*>& jobs,
                                          const std::vector<RunContext>& contexts) {
  std::vector<JobOutcome> outcomes(jobs.size());
  Run(jobs, contexts, [&](std::vector<FinishedJob> finished) {
    for (auto& job : finished) outcomes[job.index] = std::move(job.outcome);
  });
  return outcomes;
}

namespace {

using SteadyClock = std::chrono::steady_clock;

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t written = write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

JobOutcome ExecuteInWorker(const Job& job, RunContext context) {
  JobOutcome outcome;
  const auto start = SteadyClock::now();
  try {
    context.timeout_seconds = job.timeout_seconds;
    outcome.result = job.impl->Execute(context);
    if (outcome.result.success)
      outcome.recovery = job.impl->OnStateChangeSuccess(outcome.result);
    else
      outcome.failure = job.impl->OnFailure(outcome.result);
  } catch (const std::bad_alloc&) {
    outcome.result = {false, "ran out of memory (worker limit " +
                                 std::to_string(WorkerPool::kWorkerAddressSpaceBytes >> 20) + " MiB)"};
  } catch (const std::exception& error) {
    outcome.result = {false, std::string("uncaught exception: ") + error.what()};
  } catch (...) {
    outcome.result = {false, "uncaught exception of unknown type"};
  }
  outcome.duration_seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  return outcome;
}

// What a worker's read of the shared queue of job indexes found.
enum class Taken { kJob, kNone, kEnd };

// Takes the next job index from the shared queue (a pipe that every worker
// reads, non-blocking, in 4-byte indexes). kNone when it is empty and `wait`
// is false; kEnd once the parent has queued every job and the queue is empty.
Taken TakeJob(int queue_fd, bool wait, std::uint32_t& index) {
  for (;;) {
    const ssize_t got = read(queue_fd, &index, sizeof index);
    if (got == static_cast<ssize_t>(sizeof index)) return Taken::kJob;
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno == EAGAIN) {
      if (!wait) return Taken::kNone;
      pollfd readable{queue_fd, POLLIN, 0};
      poll(&readable, 1, -1);  // another worker may take it first: read again
      continue;
    }
    return Taken::kEnd;
  }
}

// A worker takes jobs from the shared queue itself, so that it never waits
// for the parent between jobs. It sends one write per job: the outcome of
// the job before and the start notice of the next (the parent times the job
// and blames a crash on it from that notice), or the outcome alone when the
// queue is empty for now.
[[noreturn]] void WorkerMain(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts, int queue_fd,
                             int result_fd, bool keep_stderr) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (WorkerPool::kWorkerAddressSpaceBytes > 0) {
    struct rlimit limit {
      WorkerPool::kWorkerAddressSpaceBytes, WorkerPool::kWorkerAddressSpaceBytes
    };
    setrlimit(RLIMIT_AS, &limit);
  }
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, STDIN_FILENO);
    dup2(devnull, STDOUT_FILENO);
    if (!keep_stderr) dup2(devnull, STDERR_FILENO);
    close(devnull);
  }
  std::string unsent;  // the last job's outcome
  for (bool wait = true;; wait = false) {
    std::uint32_t index = 0;
    Taken taken = TakeJob(queue_fd, wait, index);
    if (taken == Taken::kNone) {
      if (!WriteAll(result_fd, unsent.data(), unsent.size())) _exit(0);
      unsent.clear();
      taken = TakeJob(queue_fd, true, index);
    }
    if (taken != Taken::kJob || index >= jobs.size()) {
      WriteAll(result_fd, unsent.data(), unsent.size());
      _exit(0);
    }
    unsent += EncodeStartNotice(index);
    if (!WriteAll(result_fd, unsent.data(), unsent.size())) _exit(0);
    unsent = EncodeFrame(index, ExecuteInWorker(*jobs[index], contexts[index]));
  }
}

struct Worker {
  pid_t pid = -1;  // -1: no process
  int result_fd = -1;
  long job = -1;  // the index it said it started, -1 when idle
  SteadyClock::time_point deadline;
  std::string buffer;
};

// One Run(): queues every job for the workers and collects their frames.
class Pool {
 public:
  Pool(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts, bool keep_stderr,
       const JobRunner::OnOutcomes& on_outcomes)
      : jobs_(jobs), contexts_(contexts), keep_stderr_(keep_stderr), on_outcomes_(on_outcomes) {}

  ~Pool() {
    for (auto& worker : workers_) Stop(worker);
    CloseQueue();
    if (queue_read_ >= 0) close(queue_read_);
  }

  void Run(int parallelism) {
    if (!OpenQueue()) {
      for (std::size_t i = 0; i < jobs_.size(); ++i) Finish(i, {false, "could not start a worker process"});
      Deliver();
      return;
    }
    Fill();
    workers_.resize(std::min<std::size_t>(static_cast<std::size_t>(parallelism), jobs_.size()));
    std::size_t started = 0;  // workers_[started] on have not been started yet
    std::vector<pollfd> polled;
    std::vector<Worker*> polled_workers;
    while (finished_ < jobs_.size()) {
      // Workers are added one at a time, at most one a millisecond, while
      // jobs wait in the queue: quick jobs are done by the first few workers
      // before more forks would pay off; slow ones bring in every worker
      // within a few milliseconds.
      if (started < workers_.size() && (started == 0 || QueueHoldsJobs())) Start(workers_[started++]);
      const bool may_grow = started < workers_.size();
      polled.clear();
      polled_workers.clear();
      auto next_deadline = SteadyClock::time_point::max();
      for (auto& worker : workers_) {
        if (worker.pid < 0) continue;
        polled.push_back({worker.result_fd, POLLIN, 0});
        polled_workers.push_back(&worker);
        if (worker.job >= 0) next_deadline = std::min(next_deadline, worker.deadline);
      }
      if (polled.empty()) {
        // No worker is left (fork failed, or the last ones ended): the jobs
        // not finished were taken by a worker that died before it said so.
        FailUnfinished(queued_ < jobs_.size() || QueueHoldsJobs() ? "could not start a worker process"
                                                                  : "its worker process ended before it started it");
        break;
      }
      if (queue_write_ >= 0) polled.push_back({queue_write_, POLLOUT, 0});
      int timeout = -1;
      if (next_deadline != SteadyClock::time_point::max()) {
        const auto wait =
            std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - SteadyClock::now()).count();
        timeout = static_cast<int>(std::max<long long>(0, wait) + 1);
      }
      if (may_grow && (timeout < 0 || timeout > 1)) timeout = 1;
      const int ready = poll(polled.data(), polled.size(), timeout);
      if (ready < 0 && errno != EINTR) break;
      for (std::size_t i = 0; i < polled_workers.size(); ++i) {
        if (polled[i].revents != 0) ReadFrom(*polled_workers[i]);
      }
      if (queue_write_ >= 0 && polled.back().revents != 0) Fill();
      const auto after = SteadyClock::now();
      for (auto& worker : workers_) {
        if (worker.pid >= 0 && worker.job >= 0 && after >= worker.deadline) {
          Fail(worker, "timed out after " + std::to_string(jobs_[worker.job]->timeout_seconds) + " s", false);
        }
      }
      Deliver();
    }
    Deliver();
  }

 private:
  bool OpenQueue() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return false;
    queue_read_ = fds[0];
    queue_write_ = fds[1];
    // Room for every index at once where the system allows, so that the
    // queue is filled once; else it is refilled as workers drain it.
    const std::size_t wanted = std::min<std::size_t>(jobs_.size() * sizeof(std::uint32_t), 1 << 20);
    if (wanted > 65536) fcntl(queue_write_, F_SETPIPE_SZ, static_cast<int>(wanted));
    return true;
  }

  void CloseQueue() {
    if (queue_write_ >= 0) close(queue_write_);
    queue_write_ = -1;
  }

  // Writes as many of the jobs not yet queued as the queue takes; closes it
  // after the last, so that workers end once it is empty.
  void Fill() {
    while (queue_write_ >= 0 && queued_ < jobs_.size()) {
      std::vector<std::uint32_t> indexes;
      for (std::size_t i = queued_; i < jobs_.size() && indexes.size() < 1024; ++i) {
        indexes.push_back(static_cast<std::uint32_t>(i));
      }
      const ssize_t written = write(queue_write_, indexes.data(), indexes.size() * sizeof(std::uint32_t));
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) break;                                               // full for now
      queued_ += static_cast<std::size_t>(written) / sizeof(std::uint32_t);  // pipes take whole 4-byte indexes
    }
    if (queued_ == jobs_.size()) CloseQueue();
  }

  bool QueueHoldsJobs() const {
    int bytes = 0;
    return queue_read_ >= 0 && ioctl(queue_read_, FIONREAD, &bytes) == 0 && bytes > 0;
  }

  // Whether a worker that ended should be replaced: jobs are left to take.
  bool WorkLeft() const { return queued_ < jobs_.size() || QueueHoldsJobs(); }

  void Start(Worker& worker) {
    worker = Worker{};
    int results[2];
    if (pipe2(results, O_CLOEXEC) != 0) return;
    std::fflush(nullptr);
    std::cout.flush();
    std::cerr.flush();
    pid_t pid = fork();
    if (pid == 0) {
      close(results[0]);
      if (queue_write_ >= 0) close(queue_write_);
      for (auto& other : workers_) {
        if (other.result_fd >= 0) close(other.result_fd);
      }
      WorkerMain(jobs_, contexts_, queue_read_, results[1], keep_stderr_);
    }
    close(results[1]);
    if (pid < 0) {
      close(results[0]);
      return;
    }
    worker = Worker{pid, results[0], -1, {}, {}};
    fcntl(worker.result_fd, F_SETFL, O_NONBLOCK);
  }

  // Ends a worker's process, reaping it, and returns its wait status.
  int Stop(Worker& worker, bool already_exited = false) {
    int status = 0;
    if (worker.pid >= 0) {
      close(worker.result_fd);
      if (already_exited) {
        status = Reap(worker.pid);
      } else {
        KillAndReap(worker.pid);
      }
    }
    worker = Worker{};
    return status;
  }

  void Finish(std::size_t index, JobResult result) {
    JobOutcome outcome;
    outcome.result = std::move(result);
    Finish(index, std::move(outcome));
  }

  void Finish(std::size_t index, JobOutcome outcome) {
    ++finished_;
    done_[index] = true;
    ready_.push_back({index, std::move(outcome)});
  }

  // Hands the caller every outcome that came in since the last time.
  void Deliver() {
    if (ready_.empty()) return;
    std::vector<FinishedJob> batch;
    batch.swap(ready_);
    on_outcomes_(std::move(batch));
  }

  void FailUnfinished(const std::string& reason) {
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      if (!done_[i]) Finish(i, {false, reason});
    }
  }

  // Ends a worker; reports its job, if it had one, with `reason` (or, when
  // the worker exited by itself, with how it ended); and starts a fresh
  // worker if jobs are left.
  void Fail(Worker& worker, std::string reason, bool exited) {
    const long index = worker.job;
    const int status = Stop(worker, exited);
    if (index >= 0) {
      if (exited) {
        reason = DescribeExit(status);
        if (!WIFSIGNALED(status)) reason = "the job's process " + reason;
      }
      Finish(static_cast<std::size_t>(index), {false, reason});
    }
    if (WorkLeft()) Start(worker);
  }

  void ReadFrom(Worker& worker) {
    char chunk[65536];
    for (;;) {
      ssize_t got = read(worker.result_fd, chunk, sizeof chunk);
      if (got > 0) {
        worker.buffer.append(chunk, static_cast<std::size_t>(got));
        if (!TakeFrames(worker)) return;
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && errno == EAGAIN) return;
      Fail(worker, "", true);  // end of file: the worker is gone
      return;
    }
  }

  // Handles the whole frames in a worker's buffer; false when the worker was
  // stopped for a malformed one.
  bool TakeFrames(Worker& worker) {
    while (std::size_t length = CompleteFrameLength(worker.buffer)) {
      const std::string frame = worker.buffer.substr(0, length);
      worker.buffer.erase(0, length);
      if (auto started = DecodeStartNotice(frame); started && *started < jobs_.size() && !done_[*started]) {
        worker.job = *started;
        worker.deadline = SteadyClock::now() + std::chrono::seconds(jobs_[*started]->timeout_seconds);
        continue;
      }
      auto decoded = DecodeFrame(frame);
      const long index = worker.job;
      if (!decoded || index < 0 || decoded->first != static_cast<std::uint32_t>(index)) {
        Stop(worker);
        if (index >= 0) Finish(static_cast<std::size_t>(index), {false, "the job's process sent a malformed result"});
        if (WorkLeft()) Start(worker);
        return false;
      }
      worker.job = -1;
      Finish(static_cast<std::size_t>(index), std::move(decoded->second));
    }
    return true;
  }

  const std::vector<const Job*>& jobs_;
  const std::vector<RunContext>& contexts_;
  bool keep_stderr_;
  const JobRunner::OnOutcomes& on_outcomes_;
  std::vector<Worker> workers_;
  int queue_read_ = -1;   // the workers' end of the job queue (kept to start new workers)
  int queue_write_ = -1;  // -1 once every job is queued
  std::size_t queued_ = 0;
  std::size_t finished_ = 0;
  std::vector<bool> done_ = std::vector<bool>(jobs_.size(), false);
  std::vector<FinishedJob> ready_;
};

}  // namespace

void WorkerPool::Run(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts,
                     const OnOutcomes& on_outcomes) {
  std::vector<const Job*> runnable;
  std::vector<RunContext> runnable_contexts;
  std::vector<std::size_t> positions;
  std::vector<FinishedJob> refused;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i]->impl) {
      runnable.push_back(jobs[i]);
      runnable_contexts.push_back(contexts.empty() ? RunContext{} : contexts[i]);
      positions.push_back(i);
    } else {
      JobOutcome outcome;
      outcome.result = {false, jobs[i]->refusal};
      refused.push_back({i, std::move(outcome)});
    }
  }
  if (!refused.empty()) on_outcomes(std::move(refused));
  if (runnable.empty()) return;
  const OnOutcomes to_caller = [&](std::vector<FinishedJob> finished) {
    for (auto& job : finished) job.index = positions[job.index];
    on_outcomes(std::move(finished));
  };
  Pool pool(runnable, runnable_contexts, keep_stderr_, to_caller);
  pool.Run(parallelism_);
}

}  // namespace checker
