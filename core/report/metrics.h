// Metrics: this checker's state in Prometheus' text format, for the
// daemon's /metrics.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/status_report.h"

namespace checker {

struct MetricsInput {
  std::vector<JobStatus> jobs;
  std::optional<UnixTime> last_tick_finished;
  std::optional<std::int64_t> outbox_queued;  // unset without a state file
};

std::string MetricsText(const MetricsInput& input);

}  // namespace checker
