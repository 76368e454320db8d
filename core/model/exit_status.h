// The exit statuses of the checker command. When several apply, a
// configuration error goes before an undelivered notification, and that
// before a failed job.
#pragma once

namespace checker {

enum ExitStatus {
  kExitOk = 0,           // every job ran and succeeded; the mode did what was asked
  kExitJobFailed = 1,    // at least one job failed
  kExitConfigError = 2,  // usage or configuration error
  kExitMailFailed = 3,   // a notification could not be delivered (it stays queued)
};

}  // namespace checker
