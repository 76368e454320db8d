// Session: what every mode starts from: the command line, the logger, and
// settings.cfg found (-f, else $CHECKER_CONFIG, else ./settings.cfg, else
// /etc/checker/settings.cfg) and loaded with its plugins.
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

class Session {
 public:
  explicit Session(const CommandLine& command_line);

  const CommandLine& command_line() const { return command_line_; }
  Logger& logger() { return logger_; }

  // Loads the configuration to run: reports its warnings and errors, and
  // returns null (after saying why) when it has errors.
  std::shared_ptr<const LoadedConfiguration> LoadToRun();

  // Loads the configuration to check it: nothing is reported or opened.
  std::shared_ptr<LoadedConfiguration> LoadToValidate();

  // The exit status for a state file that failed, after logging it.
  int StateFileFailed(const StateError& error);

 private:
  std::shared_ptr<LoadedConfiguration> Load(bool open_logfile);

  const CommandLine& command_line_;
  Logger logger_;
  std::string path_;
  std::shared_ptr<const LoadedConfiguration> loaded_;
};

}  // namespace checker
