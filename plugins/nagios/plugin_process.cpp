#include "plugin_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace nagios {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const char* const kEnvironment[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C", nullptr};

// How long to wait for a killed group to be gone before giving up on it.
constexpr milliseconds kReapBudget{300};

// Without a pidfd (kernels before 5.3) the end of the program is noticed this often.
constexpr milliseconds kExitPollInterval{50};

// Keeps the start (or the end) of what a pipe delivers, up to `cap` bytes, and
// reads and drops the rest.
class CappedCapture {
 public:
  CappedCapture(std::size_t cap, bool keep_end) : cap_(cap), keep_end_(keep_end) {}

  enum class Read { kData, kNothing, kEnd };

  // Reads once from a non-blocking fd.
  Read ReadOnce(int fd) {
    char chunk[65536];
    const ssize_t got = read(fd, chunk, sizeof chunk);
    if (got < 0) return errno == EINTR || errno == EAGAIN ? Read::kNothing : Read::kEnd;
    if (got == 0) return Read::kEnd;
    Keep(chunk, static_cast<std::size_t>(got));
    return Read::kData;
  }

  // Reads what is buffered once nobody writes any more. Bounded, in case a
  // process that left the group still does.
  void Drain(int fd) {
    for (int reads = 0; reads < 64 && ReadOnce(fd) == Read::kData; ++reads) {
    }
  }

  std::string text;
  bool cut = false;

 private:
  void Keep(const char* data, std::size_t size) {
    if (!keep_end_) {
      const std::size_t room = cap_ - text.size();
      text.append(data, std::min(room, size));
      cut = cut || size > room;
      return;
    }
    text.append(data, size);
    if (text.size() > cap_) {
      text.erase(0, text.size() - cap_);
      cut = true;
    }
  }

  std::size_t cap_;
  bool keep_end_;
};

struct Pipe {
  int read = -1, write = -1;

  bool Open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  void CloseWrite() {
    if (write >= 0) close(write);
    write = -1;
  }
  ~Pipe() {
    CloseWrite();
    if (read >= 0) close(read);
  }
};

// The child's side, between fork and execve: only async-signal-safe calls.
// On failure it sends errno through `exec_error_fd` and exits with 127.
[[noreturn]] void ExecInChild(char* const argv[], const Pipe& output, const Pipe& errors, int exec_error_fd,
                              pid_t parent) {
  setpgid(0, 0);
  // The core kills the worker if it outlives its timeout; the plugin must not run on unattended.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  int devnull = open("/dev/null", O_RDONLY);
  bool ready = devnull >= 0 && dup2(devnull, STDIN_FILENO) >= 0 && dup2(output.write, STDOUT_FILENO) >= 0 &&
               dup2(errors.write, STDERR_FILENO) >= 0 && chdir("/") == 0;
  if (ready) {
    // Ignored signals would stay ignored across execve (the core ignores SIGPIPE).
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signal_number = 1; signal_number < NSIG; ++signal_number)
      sigaction(signal_number, &default_action, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // The worker's other descriptors (the state file, its pipes to the core) are none of the plugin's business.
    if (exec_error_fd > 3) close_range(3, static_cast<unsigned>(exec_error_fd) - 1, 0);
    close_range(static_cast<unsigned>(exec_error_fd) + 1, ~0U, 0);
    execve(argv[0], argv, const_cast<char* const*>(kEnvironment));
  }
  int error = errno;
  ssize_t ignored = write(exec_error_fd, &error, sizeof error);
  (void)ignored;
  _exit(127);
}

// Whether the child has ended, without reaping it: while it is an unreaped
// zombie, its pid (the group's id) cannot be reused, so signalling the group
// stays safe.
bool HasEnded(pid_t pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

// Reads both pipes until the child ends or the time limits pass.
void Supervise(pid_t pid, int output_fd, int errors_fd, Clock::time_point started, const TimeLimits& limits,
               CappedCapture& output, CappedCapture& errors, PluginRun& run) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  const auto terminate_at = started + limits.terminate_after, kill_at = started + limits.kill_after;
  bool output_open = true, errors_open = true;
  while (!HasEnded(pid)) {
    const auto now = Clock::now();
    if (now >= kill_at) break;
    if (!run.timed_out && now >= terminate_at) {
      run.timed_out = true;
      kill(-pid, SIGTERM);
    }
    auto wait = std::chrono::ceil<milliseconds>((run.timed_out ? kill_at : terminate_at) - now);
    if (pidfd < 0) wait = std::min(wait, kExitPollInterval);
    pollfd polled[] = {
        {output_open ? output_fd : -1, POLLIN, 0}, {errors_open ? errors_fd : -1, POLLIN, 0}, {pidfd, POLLIN, 0}};
    if (poll(polled, 3, static_cast<int>(std::max<milliseconds::rep>(wait.count(), 1))) < 0 && errno != EINTR) break;
    if (polled[0].revents) output_open = output.ReadOnce(output_fd) != CappedCapture::Read::kEnd;
    if (polled[1].revents) errors_open = errors.ReadOnce(errors_fd) != CappedCapture::Read::kEnd;
  }
  if (pidfd >= 0) close(pidfd);
}

// Kills what is left of the group and reaps the child and, as their
// subreaper, any of its descendants orphaned in the group.
void KillAndReap(pid_t pid, Clock::time_point give_up_at, int& wait_status) {
  kill(-pid, SIGKILL);
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  while (kill(-pid, 0) == 0 && Clock::now() < give_up_at) {
    while (waitpid(-pid, nullptr, WNOHANG) > 0) {
    }
    const timespec pause{0, 2'000'000};
    nanosleep(&pause, nullptr);
  }
}

}  // namespace

TimeLimits TimeLimitsFor(int timeout_seconds) {
  const milliseconds timeout{timeout_seconds * 1000LL};
  const milliseconds kill_after = std::max(timeout - milliseconds(500), timeout / 2);
  const milliseconds terminate_after = std::max(kill_after - milliseconds(1000), kill_after / 2);
  return {terminate_after, kill_after};
}

PluginRun RunPlugin(const std::vector<std::string>& argv, const TimeLimits& limits) {
  PluginRun run;
  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  Pipe output, errors, exec_error;
  if (!output.Open() || !errors.Open() || !exec_error.Open()) {
    run.start_error = std::string("cannot make a pipe: ") + std::strerror(errno);
    return run;
  }

  // Orphans of the plugin's group become this process's children, so that
  // KillAndReap can wait for every one of them.
  int was_subreaper = 0;
  prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  const auto started = Clock::now();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) ExecInChild(args.data(), output, errors, exec_error.write, parent);
  output.CloseWrite();
  errors.CloseWrite();
  exec_error.CloseWrite();
  if (pid < 0) {
    run.start_error = std::string("cannot start a process: ") + std::strerror(errno);
    prctl(PR_SET_CHILD_SUBREAPER, was_subreaper);
    return run;
  }
  setpgid(pid, pid);  // as the child does, so the group exists whichever runs first

  int exec_errno = 0;
  ssize_t got;
  while ((got = read(exec_error.read, &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  CappedCapture stdout_capture(kMaxOutputBytes, false), stderr_capture(kMaxErrorBytes, true);
  if (got == sizeof exec_errno) {
    run.start_error = "cannot run " + argv[0] + ": " + std::strerror(exec_errno);
  } else {
    fcntl(output.read, F_SETFL, O_NONBLOCK);
    fcntl(errors.read, F_SETFL, O_NONBLOCK);
    Supervise(pid, output.read, errors.read, started, limits, stdout_capture, stderr_capture, run);
  }
  KillAndReap(pid, std::max(Clock::now(), started + limits.kill_after) + kReapBudget, run.wait_status);
  // What the plugin wrote before it ended waits in the pipes; nobody writes any more.
  stdout_capture.Drain(output.read);
  stderr_capture.Drain(errors.read);
  prctl(PR_SET_CHILD_SUBREAPER, was_subreaper);

  run.output = std::move(stdout_capture.text);
  run.output_cut = stdout_capture.cut;
  run.errors = std::move(stderr_capture.text);
  return run;
}

}  // namespace nagios
