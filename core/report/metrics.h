// Metrics: this checker's state in Prometheus' text format, the same series
// for the daemon's /metrics and for the textfile node_exporter serves.
//
// A pure renderer: MetricsInput holds every fact, gathered by CollectMetrics
// (report/metrics_collector.h). Per-job series carry the label `check`, never
// `job`, which belongs to Prometheus' scrape configuration. Series whose
// value is unknown (a job that never ran has no last run time) are left out;
// counters and the per-frequency tick series are always there, 0 until the
// first event, so that rate() and absent() work from the first scrape.
#pragma once

#include <checker/job.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

struct CheckMetrics {
  std::string name;    // "tcp:dns"
  std::string plugin;  // "tcp"
  // succeeding | failing | recovering | paused | maintenance | never_run
  std::string state;
  std::optional<bool> up;  // the last run's result; unset before the first run
  int failures_in_a_row = 0;
  std::optional<UnixTime> last_run;
  std::optional<double> last_duration_seconds;
  std::optional<UnixTime> last_checkin;
  std::int64_t runs_total = 0;
  std::int64_t failures_total = 0;
  std::vector<Measurement> measurements;  // of the last run
};

struct MetricsInput {
  std::vector<CheckMetrics> checks;
  std::vector<std::string> channels;  // configured: their delivery series exist at 0
  std::vector<DeliveryCount> deliveries;
  std::vector<ChannelBacklog> backlog;
  std::vector<TickRecord> ticks;
  std::string health;  // the GET / answer: True | MailProblem | JobProblem
  std::string version;
  int abi = 0;
};

// Every series, with HELP and TYPE lines, valid for `promtool check metrics`.
std::string MetricsText(const MetricsInput& input);

// The states of checker_check_state, in the order they are written.
const std::vector<std::string>& CheckStates();

}  // namespace checker
