// Running the command that `checker -m exec` wraps: no shell, its standard
// output and error passed through unchanged, the tail of both kept for the
// check-in.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace checker {

// What a check-in of `-m exec` keeps of the command's output.
constexpr std::size_t kMaxExecMessageBytes = 10 * 1024;

struct CommandOutcome {
  bool started = false;  // false: it could not be run at all
  // Its exit status; 128 + N for death by signal N; 127 when it could not start.
  int exit_status = 127;
  std::string description;  // "exited with status 3", "cannot run backup.sh: No such file or directory"
  std::string output_tail;  // the last `keep` bytes of its stdout and stderr, as they came
};

// Runs argv[0] (looked up in PATH) with argv, its stdin the caller's.
CommandOutcome RunPassingOutputThrough(const std::vector<std::string>& argv, std::size_t keep);

}  // namespace checker
