// Gates: what holds a job's notifications back at a given time — its pause,
// a maintenance window in force, a dependency that is failing. Pure
// functions of the job, the state rows and the time, so that a tick, the
// Alertmanager posts and `-m explain` see the same answer.
#pragma once

#include <checker/schedule.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/job.h"
#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

struct Gates {
  bool paused = false;
  std::optional<UnixTime> paused_until;           // unset while paused: until unpaused
  std::optional<ScheduleWindow> maintenance;      // the window in force
  std::vector<std::string> failing_dependencies;  // their names, as depends_on gives them

  // Whether a run's notifications are held back (a paused job does not run).
  bool HoldNotifications() const { return maintenance.has_value() || !failing_dependencies.empty(); }
};

// The state row of a job by its key, or null when it has none yet.
using RowLookup = std::function<const StoredJob*(const std::string& key)>;

// The gates of `job` at `now`. A dependency fails while its row says so
// (a recovering one still fails); one that never ran does not.
Gates GatesAt(const Job& job, const RowLookup& rows, UnixTime now);

// The maintenance window of `job` in force at `now`, if any.
std::optional<ScheduleWindow> MaintenanceAt(const Job& job, UnixTime now);
// The next of its windows to start after `now` (within a year), if any.
std::optional<ScheduleWindow> NextMaintenance(const Job& job, UnixTime now);

}  // namespace checker
