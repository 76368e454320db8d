#include "engine/gates.h"

namespace checker {

std::optional<ScheduleWindow> MaintenanceAt(const Job& job, UnixTime now) { return WindowAt(job.maintenance, now); }

std::optional<ScheduleWindow> NextMaintenance(const Job& job, UnixTime now) {
  return NextWindowAfter(job.maintenance, now);
}

Gates GatesAt(const Job& job, const RowLookup& rows, UnixTime now) {
  Gates gates;
  if (const StoredJob* row = rows(job.key); row && row->paused && (!row->paused_until || *row->paused_until > now)) {
    gates.paused = true;
    gates.paused_until = row->paused_until;
  }
  gates.maintenance = MaintenanceAt(job, now);
  for (const auto& dependency : job.depends_on) {
    const StoredJob* row = rows(dependency.key);
    if (row && row->history.failing) gates.failing_dependencies.push_back(dependency.name);
  }
  return gates;
}

}  // namespace checker
