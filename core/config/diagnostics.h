// Diagnostics: the errors and warnings found while loading configuration and
// plugins, collected so that they are reported together. An error means "run
// nothing of this configuration"; a warning is logged and the run goes on.
// Every message already names its file, line and key. The same message added
// twice is kept once (the core and a plugin may read the same section).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace checker {

struct Diagnostics {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;

  void Error(std::string message) { AddOnce(errors, std::move(message)); }
  void Warning(std::string message) { AddOnce(warnings, std::move(message)); }
  bool ok() const { return errors.empty(); }

 private:
  static void AddOnce(std::vector<std::string>& list, std::string message) {
    if (std::find(list.begin(), list.end(), message) == list.end()) list.push_back(std::move(message));
  }
};

}  // namespace checker
