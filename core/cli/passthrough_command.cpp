#include "cli/passthrough_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/process.h"

namespace checker {
namespace {

void WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // our own output is gone; the command goes on
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

}  // namespace

CommandOutcome RunPassingOutputThrough(const std::vector<std::string>& argv, std::size_t keep) {
  CommandOutcome outcome;
  int out[2], err[2], exec_error[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(exec_error, O_CLOEXEC) != 0) {
    outcome.description = std::string("cannot run ") + argv[0] + ": " + std::strerror(errno);
    return outcome;
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    signal(SIGPIPE, SIG_DFL);  // checker ignores it; the command should not inherit that
    execvp(args[0], args.data());
    const int error = errno;
    ssize_t ignored = write(exec_error[1], &error, sizeof error);
    (void)ignored;
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  close(exec_error[1]);
  if (pid < 0) {
    outcome.description = std::string("cannot run ") + argv[0] + ": " + std::strerror(errno);
    close(out[0]);
    close(err[0]);
    close(exec_error[0]);
    return outcome;
  }
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  const int targets[2] = {STDOUT_FILENO, STDERR_FILENO};
  int open_pipes = 2;
  char buffer[65536];
  while (open_pipes > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
        continue;
      }
      WriteAll(targets[i], buffer, static_cast<std::size_t>(got));
      outcome.output_tail.append(buffer, static_cast<std::size_t>(got));
      if (outcome.output_tail.size() > keep) outcome.output_tail.erase(0, outcome.output_tail.size() - keep);
    }
  }
  const int status = Reap(pid);
  int error = 0;
  const bool exec_failed = read(exec_error[0], &error, sizeof error) == sizeof error;
  close(exec_error[0]);
  if (exec_failed) {
    outcome.description = std::string("cannot run ") + argv[0] + ": " + std::strerror(error);
    return outcome;
  }
  outcome.started = true;
  outcome.exit_status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  outcome.description = DescribeExit(status);
  return outcome;
}

}  // namespace checker
