// Running a plugin program: what it is given, what is kept of its output, and
// that nothing of it is left when the run returns. Runs real processes.
#include "nagios/plugin_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>

using nagios::RunPlugin;
using nagios::TimeLimits;
using nagios::TimeLimitsFor;
using std::chrono::milliseconds;

namespace {

const TimeLimits kGenerous{milliseconds(20000), milliseconds(21000)};

nagios::PluginRun Shell(const std::string& script, const TimeLimits& limits = kGenerous) {
  return RunPlugin({"/bin/sh", "-c", script}, limits);
}

}  // namespace

TEST_CASE("the job's timeout leaves room to stop the group before the core kills the worker") {
  CHECK(TimeLimitsFor(10).terminate_after == milliseconds(8500));
  CHECK(TimeLimitsFor(10).kill_after == milliseconds(9500));
  CHECK(TimeLimitsFor(3).terminate_after == milliseconds(1500));
  CHECK(TimeLimitsFor(1).terminate_after == milliseconds(250));
  CHECK(TimeLimitsFor(1).kill_after == milliseconds(500));
}

TEST_CASE("the program gets only PATH and LANG=C, stdin from /dev/null, and / as its directory") {
  auto run = Shell("env | sort; pwd; wc -c");
  CHECK(run.start_error.empty());
  CHECK(WEXITSTATUS(run.wait_status) == 0);
  // sh itself adds PWD; everything else comes from the plugin's environment.
  CHECK(run.output == "LANG=C\nPATH=/usr/sbin:/usr/bin:/sbin:/bin\nPWD=/\n/\n0\n");
}

TEST_CASE("signals the worker ignores are back to their defaults in the program") {
  signal(SIGPIPE, SIG_IGN);
  auto run = Shell("kill -PIPE $$; echo survived");
  signal(SIGPIPE, SIG_DFL);
  CHECK(WIFSIGNALED(run.wait_status));
  CHECK(WTERMSIG(run.wait_status) == SIGPIPE);
}

TEST_CASE("standard output is kept up to 64 KiB and the rest is read and dropped") {
  auto run = Shell("echo first; head -c 5000000 /dev/zero; echo; exit 2");
  CHECK(WEXITSTATUS(run.wait_status) == 2);
  CHECK(run.output.size() == nagios::kMaxOutputBytes);
  CHECK(run.output.rfind("first\n", 0) == 0);
  CHECK(run.output_cut);
}

TEST_CASE("the end of standard error is kept") {
  auto run = Shell("head -c 10000 /dev/zero | tr '\\0' x >&2; echo >&2; echo last words >&2; exit 3");
  CHECK(run.errors.size() == nagios::kMaxErrorBytes);
  CHECK(run.errors.substr(run.errors.size() - 11) == "last words\n");
}

TEST_CASE("a program that cannot be executed reports why") {
  auto run = RunPlugin({"/"}, kGenerous);
  CHECK(run.start_error == "cannot run /: Permission denied");
}

TEST_CASE("a child left holding the pipe neither delays the result nor survives it") {
  const auto started = std::chrono::steady_clock::now();
  auto run = Shell("sleep 30 & echo $!; echo done >&2; exit 0");
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(took < std::chrono::seconds(5));
  CHECK_FALSE(run.timed_out);
  CHECK(WEXITSTATUS(run.wait_status) == 0);
  const pid_t child = std::stoi(run.output);
  CHECK(kill(child, 0) != 0);  // gone, not even a zombie
}

TEST_CASE("at the time limit the group gets SIGTERM, then SIGKILL if it insists") {
  auto polite = Shell("sleep 30", {milliseconds(200), milliseconds(1200)});
  CHECK(polite.timed_out);
  CHECK(WTERMSIG(polite.wait_status) == SIGTERM);

  const auto started = std::chrono::steady_clock::now();
  auto stubborn = Shell("trap '' TERM; sleep 30 & sleep 30; wait", {milliseconds(200), milliseconds(700)});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
  CHECK(stubborn.timed_out);
  CHECK(WTERMSIG(stubborn.wait_status) == SIGKILL);
}
