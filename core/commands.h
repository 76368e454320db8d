// The modes of the checker command (SPEC section 3). main() parses the
// command line into CommandLine; RunCommand builds the real parts (config,
// logger, plugins, state file, workers, notifiers) and runs one mode.
#pragma once

#include <string>

namespace checker {

struct CommandLine {
  std::string mode;
  std::string cron;         // minute | hour | day | day_noon
  std::string config_path;  // -f; empty: the search order
  std::string job;
  std::string message;
  std::string pause_for;
  bool verbose = false;  // -v: debug lines to the logfile
  bool debug = false;    // -d: debug lines to stderr
  bool nomail = false;
  bool json = false;
  bool notify = false;
  bool fail = false;
};

// Returns the process exit status.
int RunCommand(const CommandLine& command_line);

// -f, else $CHECKER_CONFIG, else ./settings.cfg, else /etc/checker/settings.cfg.
// Empty with `error` set when none is found or a named file is missing.
std::string FindConfig(const std::string& flag, std::string& error);

}  // namespace checker
