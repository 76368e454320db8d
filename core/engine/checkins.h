// Check-ins: a job that accepts them (a heartbeat) hears from the outside
// that something ran, by `checker -m ping` on this host or the daemon's
// /ping. Both record them here, so a check-in means the same either way.
#pragma once

#include <cstddef>
#include <string>

#include "model/job.h"
#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

constexpr std::size_t kMaxCheckinMessageBytes = 1000;

struct Checkin {
  UnixTime when = 0;
  bool failed = false;
  std::string message;  // cut to kMaxCheckinMessageBytes
};

// Records `checkin` for `job` in its own transaction, creating the job's row
// if needed. Throws StateError when the state file cannot be written.
void RecordCheckin(StateStore& store, const Job& job, const Checkin& checkin);

}  // namespace checker
