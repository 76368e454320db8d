// JobOutcome: what one run of a job produced, as the worker reports it.
#pragma once

#include <checker/job.h>

namespace checker {

struct JobOutcome {
  JobResult result;
  Notification failure;   // what the job would send if this failure notifies (empty: the default text)
  Notification recovery;  // ... or if this success is a recovery
  double duration_seconds = 0;
};

}  // namespace checker
