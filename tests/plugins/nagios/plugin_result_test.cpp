// The Nagios plugin contract: what an exit status and output mean for the job.
#include "nagios/plugin_result.h"

#include <signal.h>

#include <catch2/catch.hpp>

using nagios::JudgePluginRun;
using nagios::PluginRun;
using nagios::WarningMeans;

namespace {

int Exited(int status) { return (status & 0xff) << 8; }
int Killed(int signal_number) { return signal_number; }

PluginRun Run(int wait_status, std::string output, std::string errors = "") {
  PluginRun run;
  run.wait_status = wait_status;
  run.output = std::move(output);
  run.errors = std::move(errors);
  return run;
}

checker::JobResult Judge(const PluginRun& run, WarningMeans warning = WarningMeans::kFailure) {
  return JudgePluginRun(run, warning, 10);
}

}  // namespace

TEST_CASE("exit status 0 succeeds, 2 and 3 fail") {
  CHECK(Judge(Run(Exited(0), "fine\n")).success);
  CHECK_FALSE(Judge(Run(Exited(2), "down\n")).success);
  CHECK_FALSE(Judge(Run(Exited(3), "unsure\n")).success);
}

TEST_CASE("WARNING fails by default and succeeds when warning means success") {
  CHECK_FALSE(Judge(Run(Exited(1), "hot\n")).success);
  CHECK(Judge(Run(Exited(1), "hot\n"), WarningMeans::kSuccess).success);
}

TEST_CASE("warning = ok does not turn CRITICAL or UNKNOWN into success") {
  CHECK_FALSE(Judge(Run(Exited(2), "x\n"), WarningMeans::kSuccess).success);
  CHECK_FALSE(Judge(Run(Exited(3), "x\n"), WarningMeans::kSuccess).success);
}

TEST_CASE("the summary gets the state word when the plugin did not print it") {
  CHECK(Judge(Run(Exited(0), "all fine\n")).message == "OK: all fine");
  CHECK(Judge(Run(Exited(1), "hot\n")).message == "WARNING: hot");
  CHECK(Judge(Run(Exited(2), "connect to address 127.0.0.1 and port 1: Connection refused\n")).message ==
        "CRITICAL: connect to address 127.0.0.1 and port 1: Connection refused");
  CHECK(Judge(Run(Exited(3), "no idea\n")).message == "UNKNOWN: no idea");
}

TEST_CASE("a summary that holds its state word is kept as printed") {
  CHECK(Judge(Run(Exited(2), "DISK CRITICAL - free space: / 310 MB (3% inode=90%);| /=1B\n")).message ==
        "DISK CRITICAL - free space: / 310 MB (3% inode=90%);");
  CHECK(Judge(Run(Exited(0), "OK\n")).message == "OK");
}

TEST_CASE("the state word counts only as a whole word, and only the one the status means") {
  CHECK(Judge(Run(Exited(0), "LOOKUP done\n")).message == "OK: LOOKUP done");
  CHECK(Judge(Run(Exited(2), "HTTP OK but exit 2\n")).message == "CRITICAL: HTTP OK but exit 2");
}

TEST_CASE("without output the message says how the program ended") {
  CHECK(Judge(Run(Exited(2), "")).message == "exited with status 2");
  CHECK(Judge(Run(Exited(0), "\n")).message == "exited with status 0");
  CHECK(Judge(Run(Killed(SIGSEGV), "")).message == "killed by SIGSEGV");
}

TEST_CASE("without output the last line of standard error explains the failure") {
  auto result = Judge(Run(Exited(3), "", "Traceback (most recent call last):\n  ...\nImportError: no foo\n\n"));
  CHECK(result.message == "exited with status 3: ImportError: no foo");
}

TEST_CASE("a status outside the contract or a signal fails as UNKNOWN and says what happened") {
  auto odd = Judge(Run(Exited(7), "strange\n"), WarningMeans::kSuccess);
  CHECK_FALSE(odd.success);
  CHECK(odd.message == "UNKNOWN: strange (exited with status 7)");
  auto killed = Judge(Run(Killed(SIGKILL), "partial\n"));
  CHECK_FALSE(killed.success);
  CHECK(killed.message == "UNKNOWN: partial (killed by SIGKILL)");
}

TEST_CASE("a run stopped at its time limit fails with the job's timeout, whatever it printed") {
  PluginRun run = Run(Killed(SIGTERM), "OK - still going | a=1\n");
  run.timed_out = true;
  auto result = Judge(run);
  CHECK_FALSE(result.success);
  CHECK(result.message == "timed out after 10 s");
}

TEST_CASE("a program that could not start fails with the reason") {
  PluginRun run;
  run.start_error = "cannot run /x: Exec format error";
  auto result = Judge(run);
  CHECK_FALSE(result.success);
  CHECK(result.message == "cannot run /x: Exec format error");
}

TEST_CASE("performance data from every line becomes the result's measurements") {
  auto result = Judge(Run(Exited(0), "OK | time=0.5s;1;2;0\nlong text | size=2KB;;;0\n"));
  REQUIRE(result.measurements.size() == 2);
  CHECK(result.measurements[0].label == "time");
  CHECK(result.measurements[0].unit == "seconds");
  CHECK(result.measurements[1].value == 2048);
  CHECK(result.measurements[1].unit == "bytes");
}
