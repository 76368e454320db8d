// The functions behind the rows of the mode table (modes.cpp), each
// returning the exit status. One file per group of modes.
#pragma once

#include "cli/session.h"
#include "hosting/loaded_configuration.h"

namespace checker {

// run_modes.cpp: running jobs.
int Cron(Session& session);
int RunJob(Session& session);
// job_modes.cpp: telling checker about one job.
int Ping(Session& session);
int Exec(Session& session);
int Pause(Session& session);
int Unpause(Session& session);
// report_modes.cpp: reading the configuration and the state file.
int ListJobs(Session& session);
int ShowStatus(Session& session);
int Validate(Session& session);
int Explain(Session& session);
int ShowHistory(Session& session);
// daemon_mode.cpp
int Daemon(Session& session);
// outbox_modes.cpp: notifications.
int ShowOutbox(Session& session);
int NotifyTest(Session& session);

// The job --job names (a check-in job by its bare NAME too); null after
// logging that there is none.
const Job* FindJobOrSay(Session& session, const LoadedConfiguration& loaded);

}  // namespace checker
