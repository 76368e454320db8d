// CollectMetrics: gathers what MetricsText() renders, from the configuration,
// its jobs and the state file; WriteMetricsTextfile writes it for
// node_exporter's textfile collector.
#pragma once

#include "config/config.h"
#include "hosting/job_catalog.h"
#include "report/metrics.h"
#include "state/state_store.h"
#include "util/clock.h"
#include "util/status.h"

namespace checker {

// `store` may be null: no state file yet (no tick ran).
MetricsInput CollectMetrics(const Config& config, const JobCatalog& catalog, StateStore* store, UnixTime now);

// Writes the metrics to [prometheus] textfile atomically; Ok when none is set.
Status WriteMetricsTextfile(const Config& config, const JobCatalog& catalog, StateStore& store, UnixTime now);

}  // namespace checker
