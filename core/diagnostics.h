// Diagnostics: the errors and warnings found while loading configuration and
// plugins. An error means "run nothing, exit 2"; a warning is logged and the
// run goes on. Every message already names its file, line and key.
#pragma once

#include <string>
#include <vector>

namespace checker {

struct Diagnostics {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;

  bool ok() const { return errors.empty(); }
};

}  // namespace checker
