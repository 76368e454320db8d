// StatusPage: the daemon's GET /status, one HTML page for people. It shows
// the server and its health answer, then every job (failing ones first) with
// its state in colour and in words, its message, its last run, since when it
// fails, when its pause or maintenance window ends, and a strip of its last
// runs with a tooltip each. The page stands alone: inline CSS, no script,
// nothing loaded from anywhere, a refresh every 30 s; every text it shows is
// escaped, since job messages come from remote servers.
#pragma once

#include <string>
#include <vector>

#include "hosting/job_catalog.h"
#include "report/status_report.h"
#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

// How many runs the strip of each job shows.
constexpr int kStatusPageRuns = 50;

// What the page may do, for the Content-Security-Policy header sent with it:
// its own inline style, nothing else (no script, no frame, no request out).
constexpr const char* kStatusPageSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

struct StatusPageJob {
  JobStatus status;
  std::vector<RunRecord> runs;  // newest first, at most kStatusPageRuns
};

struct StatusPageInput {
  std::string server;
  std::string health;  // the GET / answer: True, MailProblem or JobProblem
  UnixTime now = 0;
  std::vector<StatusPageJob> jobs;  // in the configuration's order
};

// Reads what the page shows; `store` may be null (no tick ran yet).
StatusPageInput CollectStatusPage(const std::string& server, const JobCatalog& catalog, StateStore* store,
                                  UnixTime now);

// The whole page, failing jobs first.
std::string StatusPageHtml(const StatusPageInput& input);

}  // namespace checker
