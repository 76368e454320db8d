// What a finished run of a Nagios plugin means for the job, by the plugin
// contract: exit status 0 is OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
//
// OK succeeds; WARNING fails unless the job treats it as success; CRITICAL,
// UNKNOWN, any other status, death by a signal, a program that could not start
// and one stopped at its time limit fail. The message is the summary line,
// prefixed with the state word ("CRITICAL: connection refused") unless the
// plugin printed it ("DISK CRITICAL - free space: ..."); without one, how the
// program ended ("exited with status 3", "killed by SIGSEGV"), followed by the
// last line it wrote to standard error, if any. Performance data becomes the
// result's measurements.
#pragma once

#include <checker/job.h>

#include "plugin_process.h"

namespace nagios {

enum class WarningMeans { kFailure, kSuccess };

checker::JobResult JudgePluginRun(const PluginRun& run, WarningMeans warning, int timeout_seconds);

}  // namespace nagios
