#include "job_runner.h"

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
#include <cstring>
#include <deque>
#include <exception>
#include <iostream>
#include <new>

namespace checker {

bool TickRuns(Frequency tick, Frequency job) {
  if (job == Frequency::kMinute) return true;
  switch (tick) {
    case Frequency::kMinute:
      return false;
    case Frequency::kHour:
      return job == Frequency::kHour;
    case Frequency::kDay:
      return job == Frequency::kHour || job == Frequency::kDay;
    case Frequency::kDayNoon:
      return job == Frequency::kHour || job == Frequency::kDayNoon;
  }
  return false;
}

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return std::string("killed by SIG") + (name ? name : std::to_string(WTERMSIG(status)).c_str());
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended unexpectedly";
}

Notification DefaultFailure(const std::string& name, const JobResult& result) {
  return {name + " failed: " + result.message, result.message};
}

Notification DefaultRecovery(const std::string& name, const JobResult& result) {
  return {name + " recovered", result.message};
}

namespace {

using SteadyClock = std::chrono::steady_clock;

// A result travels from worker to parent as: index, success flag, then five
// length-prefixed strings (message, failure subject/body, recovery subject/body).
void AppendU32(std::string& out, std::uint32_t value) { out.append(reinterpret_cast<const char*>(&value), 4); }

std::uint32_t ReadU32(const std::string& in, std::size_t at) {
  std::uint32_t value;
  std::memcpy(&value, in.data() + at, 4);
  return value;
}

void AppendCapped(std::string& out, const std::string& text, std::size_t cap) {
  std::string capped = text.size() > cap ? text.substr(0, cap) + "..." : text;
  AppendU32(out, static_cast<std::uint32_t>(capped.size()));
  out += capped;
}

// Returns the frame length if `buffer` holds a whole frame, else 0.
std::size_t CompleteFrame(const std::string& buffer) {
  std::size_t at = 5;
  for (int field = 0; field < 5; ++field) {
    if (buffer.size() < at + 4) return 0;
    at += 4 + ReadU32(buffer, at);
  }
  return buffer.size() >= at ? at : 0;
}

JobOutcome DecodeFrame(const std::string& frame) {
  JobOutcome outcome;
  outcome.result.success = frame[4] != 0;
  std::size_t at = 5;
  std::string* fields[] = {&outcome.result.message, &outcome.failure.subject, &outcome.failure.body,
                           &outcome.recovery.subject, &outcome.recovery.body};
  for (std::string* field : fields) {
    std::uint32_t length = ReadU32(frame, at);
    field->assign(frame, at + 4, length);
    at += 4 + length;
  }
  return outcome;
}

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

std::string ExecuteInWorker(const Job& job, RunContext context) {
  JobOutcome outcome;
  try {
    context.timeout_seconds = job.timeout_seconds;
    outcome.result = job.impl->Execute(context);
    if (outcome.result.success)
      outcome.recovery = job.impl->OnStateChangeSuccess(outcome.result);
    else
      outcome.failure = job.impl->OnFailure(outcome.result);
  } catch (const std::bad_alloc&) {
    outcome.result = {false, "ran out of memory (worker limit " +
                                 std::to_string(ForkingJobRunner::kWorkerAddressSpaceBytes >> 20) + " MiB)"};
  } catch (const std::exception& error) {
    outcome.result = {false, std::string("uncaught exception: ") + error.what()};
  } catch (...) {
    outcome.result = {false, "uncaught exception of unknown type"};
  }
  if (outcome.result.success ? outcome.recovery.subject.empty() : outcome.failure.subject.empty()) {
    outcome.failure = DefaultFailure(job.name, outcome.result);
    outcome.recovery = DefaultRecovery(job.name, outcome.result);
  }
  std::string frame;
  AppendU32(frame, 0);
  frame += outcome.result.success ? '\1' : '\0';
  AppendCapped(frame, outcome.result.message, ForkingJobRunner::kMaxMessageBytes);
  AppendCapped(frame, outcome.failure.subject, ForkingJobRunner::kMaxMessageBytes);
  AppendCapped(frame, outcome.failure.body, ForkingJobRunner::kMaxNotificationBytes);
  AppendCapped(frame, outcome.recovery.subject, ForkingJobRunner::kMaxMessageBytes);
  AppendCapped(frame, outcome.recovery.body, ForkingJobRunner::kMaxNotificationBytes);
  return frame;
}

[[noreturn]] void WorkerMain(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts,
                             int request_fd, int result_fd, bool keep_stderr) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  struct rlimit limit {
    ForkingJobRunner::kWorkerAddressSpaceBytes, ForkingJobRunner::kWorkerAddressSpaceBytes
  };
  setrlimit(RLIMIT_AS, &limit);
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
    std::string frame = ExecuteInWorker(*jobs[index], contexts[index]);
    std::memcpy(frame.data(), &index, 4);
    if (!WriteAll(result_fd, frame.data(), frame.size())) _exit(0);
  }
}

struct Worker {
  pid_t pid = -1;
  int request_fd = -1;
  int result_fd = -1;
  long job = -1;  // index being run, -1 when idle
  SteadyClock::time_point deadline;
  std::string buffer;
};

class Pool {
 public:
  Pool(const std::vector<const Job*>& jobs, const std::vector<RunContext>& contexts, bool keep_stderr,
       std::vector<JobOutcome>& outcomes)
      : jobs_(jobs), contexts_(contexts), keep_stderr_(keep_stderr), outcomes_(outcomes) {}

  ~Pool() {
    for (auto& worker : workers_) Retire(worker);
  }

  bool Start(Worker& worker) {
    int requests[2], results[2];
    if (pipe2(requests, O_CLOEXEC) != 0) return false;
    if (pipe2(results, O_CLOEXEC) != 0) {
      close(requests[0]);
      close(requests[1]);
      return false;
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
      return false;
    }
    worker = Worker{pid, requests[1], results[0], -1, {}, {}};
    fcntl(worker.result_fd, F_SETFL, O_NONBLOCK);
    return true;
  }

  void Retire(Worker& worker) {
    if (worker.pid <= 0) return;
    close(worker.request_fd);
    close(worker.result_fd);
    kill(worker.pid, SIGKILL);
    int status;
    while (waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
    }
    worker.pid = -1;
  }

  // Kills a worker that has a job, records why, and starts a fresh one.
  void Replace(Worker& worker, const std::string& reason) {
    outcomes_[worker.job].result = {false, reason};
    outcomes_[worker.job].failure = DefaultFailure(jobs_[worker.job]->name, outcomes_[worker.job].result);
    ++finished_;
    close(worker.request_fd);
    close(worker.result_fd);
    worker.request_fd = worker.result_fd = -1;
    kill(worker.pid, SIGKILL);
    int status;
    while (waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
    }
    worker.pid = -1;
    worker.job = -1;
    if (!pending_.empty() && !Start(worker)) worker.pid = -1;
  }

  // Reaps a worker whose pipe closed while it ran a job.
  void Died(Worker& worker) {
    int status = 0;
    while (waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
    }
    worker.pid = 0;  // reaped; Replace must not wait again
    std::string reason = DescribeExit(status);
    if (!WIFSIGNALED(status)) reason = "the job's process " + reason;
    outcomes_[worker.job].result = {false, reason};
    outcomes_[worker.job].failure = DefaultFailure(jobs_[worker.job]->name, outcomes_[worker.job].result);
    ++finished_;
    close(worker.request_fd);
    close(worker.result_fd);
    worker = Worker{};
    if (!pending_.empty() && !Start(worker)) worker.pid = -1;
  }

  void Run(int parallelism) {
    for (std::size_t i = 0; i < jobs_.size(); ++i) pending_.push_back(i);
    const std::size_t worker_count = std::min<std::size_t>(static_cast<std::size_t>(parallelism), jobs_.size());
    workers_.resize(worker_count);
    for (auto& worker : workers_) {
      if (!Start(worker)) worker.pid = -1;
    }
    std::vector<pollfd> polled;
    std::vector<Worker*> polled_workers;
    while (finished_ < jobs_.size()) {
      const auto now = SteadyClock::now();
      bool any_worker = false;
      for (auto& worker : workers_) {
        if (worker.pid <= 0) continue;
        any_worker = true;
        if (worker.job < 0 && !pending_.empty()) {
          std::uint32_t index = static_cast<std::uint32_t>(pending_.front());
          pending_.pop_front();
          worker.job = index;
          worker.deadline = now + std::chrono::seconds(jobs_[index]->timeout_seconds);
          if (!WriteAll(worker.request_fd, reinterpret_cast<const char*>(&index), sizeof index)) Died(worker);
        }
      }
      if (!any_worker) {
        // fork keeps failing: report what is left rather than spin.
        while (!pending_.empty()) {
          outcomes_[pending_.front()].result = {false, "could not start a worker process"};
          pending_.pop_front();
          ++finished_;
        }
        break;
      }
      polled.clear();
      polled_workers.clear();
      auto next_deadline = SteadyClock::time_point::max();
      for (auto& worker : workers_) {
        if (worker.pid <= 0 || worker.job < 0) continue;
        polled.push_back({worker.result_fd, POLLIN, 0});
        polled_workers.push_back(&worker);
        next_deadline = std::min(next_deadline, worker.deadline);
      }
      if (polled.empty()) continue;
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - SteadyClock::now()).count();
      int ready = poll(polled.data(), polled.size(), static_cast<int>(std::max<long long>(0, wait) + 1));
      if (ready < 0 && errno != EINTR) break;
      for (std::size_t i = 0; i < polled.size(); ++i) {
        Worker& worker = *polled_workers[i];
        if (polled[i].revents == 0) continue;
        ReadFrom(worker);
      }
      const auto after = SteadyClock::now();
      for (auto& worker : workers_) {
        if (worker.pid > 0 && worker.job >= 0 && after >= worker.deadline) {
          Replace(worker, "timed out after " + std::to_string(jobs_[worker.job]->timeout_seconds) + " s");
        }
      }
    }
  }

 private:
  void ReadFrom(Worker& worker) {
    char chunk[65536];
    for (;;) {
      ssize_t got = read(worker.result_fd, chunk, sizeof chunk);
      if (got > 0) {
        worker.buffer.append(chunk, static_cast<std::size_t>(got));
        if (std::size_t length = CompleteFrame(worker.buffer)) {
          outcomes_[worker.job] = DecodeFrame(worker.buffer.substr(0, length));
          worker.buffer.erase(0, length);
          worker.job = -1;
          ++finished_;
          return;
        }
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && errno == EAGAIN) return;
      Died(worker);  // end of file: the worker is gone
      return;
    }
  }

  const std::vector<const Job*>& jobs_;
  const std::vector<RunContext>& contexts_;
  bool keep_stderr_;
  std::vector<JobOutcome>& outcomes_;
  std::vector<Worker> workers_;
  std::deque<std::size_t> pending_;
  std::size_t finished_ = 0;
};

}  // namespace

std::vector<JobOutcome> ForkingJobRunner::RunAll(const std::vector<const Job*>& jobs,
                                                 const std::vector<RunContext>& contexts) {
  std::vector<JobOutcome> outcomes(jobs.size());
  std::vector<const Job*> runnable;
  std::vector<RunContext> runnable_contexts;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i]->impl) {
      runnable.push_back(jobs[i]);
      runnable_contexts.push_back(contexts.empty() ? RunContext{} : contexts[i]);
      positions.push_back(i);
    } else {
      outcomes[i].result = {false, jobs[i]->refusal};
      outcomes[i].failure = DefaultFailure(jobs[i]->name, outcomes[i].result);
    }
  }
  if (runnable.empty()) return outcomes;
  std::vector<JobOutcome> ran(runnable.size());
  {
    Pool pool(runnable, runnable_contexts, keep_stderr_, ran);
    pool.Run(parallelism_);
  }
  for (std::size_t i = 0; i < runnable.size(); ++i) outcomes[positions[i]] = std::move(ran[i]);
  return outcomes;
}

}  // namespace checker
