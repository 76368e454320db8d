// StatusServer: `checker -m daemon`. Serves this host's health to peers and
// accepts heartbeat check-ins (SPEC sections 8 and 9), over cpp-httplib.
//
// It answers every request from the state file, so a restart loses nothing:
//   GET /             "True", "MailProblem" or "JobProblem" (the original's protocol)
//   GET /status.json  every job's state
//   GET /metrics      Prometheus text format
//   GET|POST /ping/NAME[/fail][?key=K]  a heartbeat check-in
#pragma once

#include <string>

#include "clock.h"
#include "config.h"
#include "job_catalog.h"
#include "logger.h"

namespace checker {

// What GET / answers, from the state file at `statefile`.
std::string HealthAnswer(const std::string& statefile, UnixTime now);

// Prometheus text for the jobs of `catalog`.
std::string MetricsText(const JobCatalog& catalog, const std::string& statefile, UnixTime now);

// Listens on config.daemon_listen until SIGTERM or SIGINT. Returns the exit
// status: 0 after a signal, 2 when it cannot listen.
int RunStatusServer(const Config& config, const JobCatalog& catalog, Logger& logger);

// Splits "host:port" (or "[v6]:port"); false when it is not one.
bool ParseListen(const std::string& listen, std::string& host, int& port);

}  // namespace checker
