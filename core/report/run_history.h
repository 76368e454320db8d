// RunHistory: a job's runs and check-ins from the state file, merged newest
// first, as `-m history` prints them: a table for people, or
// {"job", "entries": [{"type": "run", "time", "success", "message",
// "duration" (seconds), "perfdata": [{"label", "value", "unit"}], "decision"} |
// {"type": "checkin", "time", "kind", "exit_status", "message"}]}.
#pragma once

#include <string>
#include <vector>

#include "state/state_store.h"

namespace checker {

struct HistoryEntry {
  bool is_run = true;
  RunRecord run;    // when is_run
  Checkin checkin;  // otherwise

  UnixTime time() const { return is_run ? run.time : checkin.time; }
};

// The newest `limit` of both, newest first (a run before a check-in of the same second).
std::vector<HistoryEntry> MergeHistory(const std::vector<RunRecord>& runs, const std::vector<Checkin>& checkins,
                                       std::size_t limit);

std::string HistoryJson(const std::string& job, const std::vector<HistoryEntry>& entries);
std::string HistoryTable(const std::vector<HistoryEntry>& entries);

}  // namespace checker
