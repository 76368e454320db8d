// The modes of the checker command, as one table: a row per mode with its
// name, its usage line, the options it takes besides the common ones, and
// the function that runs it. main() parses and checks the options against
// the table and builds --help from it. Adding a mode is one row and one
// function.
#pragma once

#include <string>
#include <vector>

#include "cli/session.h"

namespace checker {

struct Mode {
  const char* name;
  const char* usage;                 // what follows "checker -m NAME", e.g. "-c minute|hour|day|day_noon"
  const char* summary;               // one line for --help
  std::vector<std::string> options;  // long names of the options it takes ("job", "json", ...)
  bool needs_job;                    // --job NAME is required
  int (*run)(Session& session);      // returns the exit status
};

const std::vector<Mode>& Modes();
const Mode* FindMode(const std::string& name);

// Prints "checker: MESSAGE" and a pointer to --help; returns the usage exit status.
int UsageError(const std::string& message);

}  // namespace checker
