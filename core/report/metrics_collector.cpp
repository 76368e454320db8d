#include "report/metrics_collector.h"

#include <checker/abi.h>

#include <map>

#include "notify/channel_registry.h"
#include "report/health.h"
#include "report/status_report.h"
#include "util/atomic_file.h"

namespace checker {

MetricsInput CollectMetrics(const Config& config, const JobCatalog& catalog, StateStore* store, UnixTime now) {
  MetricsInput input;
  input.version = CHECKER_VERSION;
  input.abi = CHECKER_SDK_ABI;
  input.channels = ChannelNames(config);
  input.health = HealthAnswer(ReadHealthFacts(store, catalog), now);
  const std::vector<StoredJob> stored = store ? store->LoadAllJobs() : std::vector<StoredJob>{};
  std::map<std::string, const StoredJob*> by_key;
  for (const auto& row : stored) by_key[row.key] = &row;
  std::map<std::string, std::vector<Measurement>> measurements;
  if (store) {
    for (auto& [key, list] : store->LastMeasurements()) measurements[key] = std::move(list);
    input.deliveries = store->DeliveryCounts();
    input.backlog = store->OutboxByChannel();
    input.ticks = store->Ticks();
  }
  const std::vector<JobStatus> statuses = CollectStatus(catalog, stored, now);
  for (std::size_t i = 0; i < catalog.jobs().size(); ++i) {
    const Job& job = catalog.jobs()[i];
    CheckMetrics check;
    check.name = job.name;
    check.plugin = job.plugin;
    // A recovering job still fails in the status; its metric says which side it is on.
    check.state = statuses[i].state == "failing" && !statuses[i].recovering.empty() ? "recovering" : statuses[i].state;
    if (auto found = by_key.find(job.key); found != by_key.end()) {
      const StoredJob& row = *found->second;
      if (row.history.last_run) check.up = !row.history.failing;
      check.failures_in_a_row = row.history.failures_in_a_row;
      check.last_run = row.history.last_run;
      check.last_duration_seconds = row.last_duration_seconds;
      if (job.traits.accepts_checkins) check.last_checkin = row.last_checkin;
      check.runs_total = row.runs_total;
      check.failures_total = row.failures_total;
      check.measurements = measurements[job.key];
    }
    input.checks.push_back(std::move(check));
  }
  return input;
}

Status WriteMetricsTextfile(const Config& config, const JobCatalog& catalog, StateStore& store, UnixTime now) {
  if (config.prometheus.textfile.empty()) return Status::Ok();
  Status written =
      WriteFileAtomically(config.prometheus.textfile, MetricsText(CollectMetrics(config, catalog, &store, now)));
  if (written.ok()) return written;
  return Status::Error(config.file.Where("prometheus", "textfile") + ": " + written.message());
}

}  // namespace checker
