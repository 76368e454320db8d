// Check-ins: a job that accepts them (a heartbeat) hears from the outside
// that something started, ran, failed or logged, by `checker -m ping`,
// `checker -m exec` on this host or the daemon's /ping. All record them
// here, so a check-in means the same either way. Every check-in is kept (as
// coal-mine prunes), and the next run of the job sees each one, in order.
#pragma once

#include <checker/job.h>

#include <cstddef>
#include <optional>
#include <string>

#include "model/job.h"
#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

// What is kept of a check-in's message: longer ones are cut, and still count.
constexpr std::size_t kMaxCheckinMessageBytes = 100 * 1024;

// Records `checkin` for `job` in its own transaction, creating the job's row
// if needed. Throws StateError when the state file cannot be written.
void RecordCheckin(StateStore& store, const Job& job, Checkin checkin);

// The message a check-in of exit status `status` carries when it has none.
std::string ExitStatusMessage(int status);

// The check-in a URL's last part asks for, after /ping/NAME: "" a success,
// "fail", "start", "log", or an exit status from 0 to 255. Nothing for
// anything else.
std::optional<Checkin> CheckinFromPath(const std::string& suffix, UnixTime when, std::string message);

// "success", "failure", "start", "log", or "exit status 3".
std::string CheckinKindName(const Checkin& checkin);

}  // namespace checker
