// Running a Nagios plugin: one program, started without a shell, that must be
// gone, with everything it started, by the time the job reports.
//
// The program runs in its own process group, in "/", with standard input from
// /dev/null and an environment of only PATH=/usr/sbin:/usr/bin:/sbin:/bin and
// LANG=C. Its standard output is read as it comes: the first kMaxOutputBytes
// are kept and the rest is read and dropped, so a plugin that floods its pipe
// never blocks. Of standard error the last kMaxErrorBytes are kept, to say why
// a plugin that printed nothing failed.
//
// When the program exits, or at the time limit, its whole process group is
// killed and reaped, so a child it left behind (hung, or still holding the
// pipe) does not outlive the job. A process that leaves the group (setsid, a
// daemon) is out of reach.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace nagios {

constexpr std::size_t kMaxOutputBytes = 64 * 1024;
constexpr std::size_t kMaxErrorBytes = 4 * 1024;

// Counted from the start of the program.
struct TimeLimits {
  std::chrono::milliseconds terminate_after;  // SIGTERM to the group
  std::chrono::milliseconds kill_after;       // SIGKILL to the group
};

// The limits for a job that the core kills after `timeout_seconds`. The core
// kills only its worker process, which would leave the plugin's group running,
// so the plugin stops it first: SIGTERM 1.5 s before the timeout, SIGKILL one
// second later (proportionally sooner for timeouts under 3 s).
TimeLimits TimeLimitsFor(int timeout_seconds);

struct PluginRun {
  std::string start_error;  // why the program could not start; empty when it ran
  int wait_status = 0;      // how it ended, as waitpid() reports it
  bool timed_out = false;   // it was still running at terminate_after
  std::string output;       // standard output, at most kMaxOutputBytes
  bool output_cut = false;  // the output was longer than that
  std::string errors;       // the end of standard error, at most kMaxErrorBytes
};

// Runs argv[0] (an absolute path) with argv.
PluginRun RunPlugin(const std::vector<std::string>& argv, const TimeLimits& limits);

}  // namespace nagios
