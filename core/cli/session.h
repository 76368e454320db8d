// Session: what every mode starts from: the command line, the logger, and
// settings.cfg found (-f, else $CHECKER_CONFIG, else ./settings.cfg, else
// /etc/checker/settings.cfg) and loaded with its plugins.
//
// A settings.cfg with errors must not silence monitoring: modes that keep
// checking (ticks, the daemon, status and list) fall back to the last good
// configuration, the text of the last settings.cfg that a tick ran without
// errors, which the state file keeps.
#pragma once

#include <memory>
#include <string>

#include "cli/command_line.h"
#include "hosting/loaded_configuration.h"
#include "state/state_store.h"
#include "util/logger.h"
#include "util/status.h"

namespace checker {

// The path of settings.cfg by the search order, or why there is none.
Result<std::string> FindConfig(const std::string& flag);

// What a mode runs.
struct Runnable {
  // Null: nothing can run (the reasons are logged).
  std::shared_ptr<const LoadedConfiguration> configuration;
  // settings.cfg as it is now, when it has errors and `configuration` is
  // the last good one.
  std::shared_ptr<const LoadedConfiguration> broken;
};

// Whether a mode may run the last good configuration when settings.cfg has errors.
enum class Fallback { kNone, kLastGood };

class Session {
 public:
  explicit Session(const CommandLine& command_line);

  const CommandLine& command_line() const { return command_line_; }
  Logger& logger() { return logger_; }

  // Loads the configuration to run and reports its warnings and errors.
  // With errors, runs nothing, or (kLastGood) the last good configuration
  // when the state file has one, saying so.
  // Modes that only read (status, list) pass `open_logfile` false: they
  // create no log file, and say what is wrong on stderr. `meanwhile` runs
  // while the plugins settings.cfg uses are probed, if any are.
  Runnable LoadToRun(Fallback fallback = Fallback::kNone, bool open_logfile = true, const WhileProbing& meanwhile = {});

  // For check-ins: settings.cfg as it is, errors or not, and the last good
  // configuration when it has errors (either may define the job). Errors are
  // reported as warnings: a check-in is recorded whatever else is wrong.
  Runnable LoadForCheckin();

  // Loads the configuration to check it: nothing is reported or opened.
  std::shared_ptr<LoadedConfiguration> LoadToValidate();

  // The exit status for a state file that failed, after logging it.
  int StateFileFailed(const StateError& error);

 private:
  std::shared_ptr<LoadedConfiguration> Load(bool open_logfile, const WhileProbing& meanwhile = {});
  // The last good configuration from the state file `broken` names, or null.
  std::shared_ptr<const LoadedConfiguration> LastGood(const LoadedConfiguration& broken);

  const CommandLine& command_line_;
  Logger logger_;
  std::string path_;
  std::shared_ptr<const LoadedConfiguration> loaded_;
};

}  // namespace checker
