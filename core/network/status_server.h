// StatusServer: `checker -m daemon`. Serves this host's health to peers and
// accepts check-ins, over cpp-httplib.
//
// It answers every request from the state file, so a restart loses nothing:
//   GET /             "True", "MailProblem" or "JobProblem" (the original's protocol)
//   GET /status.json  every job's state
//   GET /metrics      Prometheus text format
//   GET|POST /ping/NAME[/fail][?key=K]  a check-in
// It follows settings.cfg: when the file changes (looked at every few
// seconds, and before a check-in names a job it does not know) or on SIGHUP
// it loads the file again; a file with errors leaves the configuration it
// has, logged. SIGHUP also reopens the log file.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "hosting/loaded_configuration.h"
#include "util/logger.h"

namespace checker {

using ConfigurationLoader = std::function<std::shared_ptr<const LoadedConfiguration>()>;

// Listens on [daemon] listen of `initial` until SIGTERM or SIGINT; `reload`
// loads settings.cfg again. Returns the exit status: 0 after a signal, 2 when
// it cannot listen.
int RunStatusServer(std::shared_ptr<const LoadedConfiguration> initial, const ConfigurationLoader& reload,
                    Logger& logger);

// What network.so exports as "checker_run_status_server".
using StatusServerEntry = decltype(RunStatusServer);

}  // namespace checker
