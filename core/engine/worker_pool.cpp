#include "engine/worker_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <iostream>
#include <new>

#include "engine/worker_frame.h"
#include "util/process.h"

namespace checker {

std::vector<JobOutcome> JobRunner::RunAll(const std::vector<const Job*>& jobs,
                                          const std::vector<RunContext>& contexts) {
  std::vector<JobOutcome> outcomes(jobs.size());
  Run(jobs, contexts, [&](std::size_t index, JobOutcome outcome) { outcomes[index] = std::move(outcome); });
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

[[noreturn]] void WorkerMain(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts,
                             int request_fd, int result_fd, bool keep_stderr) {
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
  for (;;) {
    std::uint32_t index;
    ssize_t got = read(request_fd, &index, sizeof index);
    if (got < 0 && errno == EINTR) continue;
    if (got != sizeof index || index >= jobs.size()) _exit(0);
    const std::string frame = EncodeFrame(index, ExecuteInWorker(*jobs[index], contexts[index]));
    if (!WriteAll(result_fd, frame.data(), frame.size())) _exit(0);
  }
}

struct Worker {
  pid_t pid = -1;  // -1: no process
  int request_fd = -1;
  int result_fd = -1;
  long job = -1;  // index being run, -1 when idle
  SteadyClock::time_point deadline;
  std::string buffer;
};

// One Run(): hands pending jobs to idle workers and collects their frames.
class Pool {
 public:
  Pool(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts, bool keep_stderr,
       const JobRunner::OnOutcome& on_outcome)
      : jobs_(jobs), contexts_(contexts), keep_stderr_(keep_stderr), on_outcome_(on_outcome) {}

  ~Pool() {
    for (auto& worker : workers_) Stop(worker);
  }

  void Run(int parallelism) {
    for (std::size_t i = 0; i < jobs_.size(); ++i) pending_.push_back(i);
    workers_.resize(std::min<std::size_t>(static_cast<std::size_t>(parallelism), jobs_.size()));
    for (auto& worker : workers_) Start(worker);
    std::vector<pollfd> polled;
    std::vector<Worker*> polled_workers;
    while (finished_ < jobs_.size()) {
      if (!HandOutJobs()) {
        // fork keeps failing: report what is left rather than spin.
        while (!pending_.empty()) {
          Finish(pending_.front(), {false, "could not start a worker process"});
          pending_.pop_front();
        }
        break;
      }
      polled.clear();
      polled_workers.clear();
      auto next_deadline = SteadyClock::time_point::max();
      for (auto& worker : workers_) {
        if (worker.pid < 0 || worker.job < 0) continue;
        polled.push_back({worker.result_fd, POLLIN, 0});
        polled_workers.push_back(&worker);
        next_deadline = std::min(next_deadline, worker.deadline);
      }
      if (polled.empty()) continue;
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - SteadyClock::now()).count();
      int ready = poll(polled.data(), polled.size(), static_cast<int>(std::max<long long>(0, wait) + 1));
      if (ready < 0 && errno != EINTR) break;
      for (std::size_t i = 0; i < polled.size(); ++i) {
        if (polled[i].revents != 0) ReadFrom(*polled_workers[i]);
      }
      const auto after = SteadyClock::now();
      for (auto& worker : workers_) {
        if (worker.pid >= 0 && worker.job >= 0 && after >= worker.deadline) {
          Fail(worker, "timed out after " + std::to_string(jobs_[worker.job]->timeout_seconds) + " s", false);
        }
      }
    }
  }

 private:
  void Start(Worker& worker) {
    worker = Worker{};
    int requests[2], results[2];
    if (pipe2(requests, O_CLOEXEC) != 0) return;
    if (pipe2(results, O_CLOEXEC) != 0) {
      close(requests[0]);
      close(requests[1]);
      return;
    }
    std::fflush(nullptr);
    std::cout.flush();
    std::cerr.flush();
    pid_t pid = fork();
    if (pid == 0) {
      close(requests[1]);
      close(results[0]);
      for (auto& other : workers_) {
        if (other.request_fd >= 0) close(other.request_fd);
        if (other.result_fd >= 0) close(other.result_fd);
      }
      WorkerMain(jobs_, contexts_, requests[0], results[1], keep_stderr_);
    }
    close(requests[0]);
    close(results[1]);
    if (pid < 0) {
      close(requests[1]);
      close(results[0]);
      return;
    }
    worker = Worker{pid, requests[1], results[0], -1, {}, {}};
    fcntl(worker.result_fd, F_SETFL, O_NONBLOCK);
  }

  // Ends a worker's process, reaping it, and returns its wait status.
  int Stop(Worker& worker, bool already_exited = false) {
    int status = 0;
    if (worker.pid >= 0) {
      close(worker.request_fd);
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

  // Gives each idle worker a pending job. False when no worker is left.
  bool HandOutJobs() {
    bool any_worker = false;
    for (auto& worker : workers_) {
      if (worker.pid < 0) continue;
      any_worker = true;
      if (worker.job >= 0 || pending_.empty()) continue;
      const auto index = static_cast<std::uint32_t>(pending_.front());
      pending_.pop_front();
      worker.job = index;
      worker.deadline = SteadyClock::now() + std::chrono::seconds(jobs_[index]->timeout_seconds);
      if (!WriteAll(worker.request_fd, reinterpret_cast<const char*>(&index), sizeof index)) {
        Fail(worker, "", true);
      }
    }
    return any_worker;
  }

  void Finish(std::size_t index, JobResult result) {
    JobOutcome outcome;
    outcome.result = std::move(result);
    ++finished_;
    on_outcome_(index, std::move(outcome));
  }

  // Ends a worker whose job failed, reports the job with `reason` (or, when
  // the worker exited by itself, with how it ended), and starts a fresh one
  // if jobs are left.
  void Fail(Worker& worker, std::string reason, bool exited) {
    const auto index = static_cast<std::size_t>(worker.job);
    const int status = Stop(worker, exited);
    if (exited) {
      reason = DescribeExit(status);
      if (!WIFSIGNALED(status)) reason = "the job's process " + reason;
    }
    Finish(index, {false, reason});
    if (!pending_.empty()) Start(worker);
  }

  void ReadFrom(Worker& worker) {
    char chunk[65536];
    for (;;) {
      ssize_t got = read(worker.result_fd, chunk, sizeof chunk);
      if (got > 0) {
        worker.buffer.append(chunk, static_cast<std::size_t>(got));
        if (std::size_t length = CompleteFrameLength(worker.buffer)) {
          auto decoded = DecodeFrame(worker.buffer.substr(0, length));
          worker.buffer.erase(0, length);
          const auto index = static_cast<std::size_t>(worker.job);
          worker.job = -1;
          if (!decoded || decoded->first != index) {
            Stop(worker);
            Finish(index, {false, "the job's process sent a malformed result"});
            if (!pending_.empty()) Start(worker);
            return;
          }
          ++finished_;
          on_outcome_(index, std::move(decoded->second));
          return;
        }
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && errno == EAGAIN) return;
      Fail(worker, "", true);  // end of file: the worker is gone
      return;
    }
  }

  const std::vector<const Job*>& jobs_;
  const std::vector<RunContext>& contexts_;
  bool keep_stderr_;
  const JobRunner::OnOutcome& on_outcome_;
  std::vector<Worker> workers_;
  std::deque<std::size_t> pending_;
  std::size_t finished_ = 0;
};

}  // namespace

void WorkerPool::Run(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts,
                     const OnOutcome& on_outcome) {
  std::vector<const Job*> runnable;
  std::vector<RunContext> runnable_contexts;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i]->impl) {
      runnable.push_back(jobs[i]);
      runnable_contexts.push_back(contexts.empty() ? RunContext{} : contexts[i]);
      positions.push_back(i);
    } else {
      JobOutcome outcome;
      outcome.result = {false, jobs[i]->refusal};
      on_outcome(i, std::move(outcome));
    }
  }
  if (runnable.empty()) return;
  const OnOutcome to_caller = [&](std::size_t index, JobOutcome outcome) {
    on_outcome(positions[index], std::move(outcome));
  };
  Pool pool(runnable, runnable_contexts, keep_stderr_, to_caller);
  pool.Run(parallelism_);
}

}  // namespace checker
