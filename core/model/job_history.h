// JobHistory: what the state file keeps of a job for its policy.
#pragma once

#include <optional>
#include <string>

#include "util/clock.h"

namespace checker {

struct JobHistory {
  bool failing = false;
  int failures_in_a_row = 0;
  std::optional<UnixTime> first_failure;  // of the current streak
  std::optional<UnixTime> last_notify;    // of any kind, any streak
  bool notified_in_streak = false;        // a failure notification went out in this streak
  std::optional<UnixTime> first_notify;   // the first failure notification of this streak
  // A failure of this streak was held back (a dependency failing, a
  // maintenance window): its first run free of that notifies as if the
  // streak had not notified yet.
  bool held_in_streak = false;
  // Successes in a row of a failing job that needs several to recover.
  int successes_in_a_row = 0;
  std::optional<UnixTime> last_run;
  std::string last_message;
};

}  // namespace checker
