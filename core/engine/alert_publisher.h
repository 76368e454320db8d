// AlertPublisher: keeps Alertmanager's view of this checker's jobs current.
//
// While a tick records its outcomes, it notes what must be posted once more
// even though nothing fires any longer (a recovery's resolution, a one-off
// event), in the state file and in the same transaction. At the end of the
// tick, Publish() posts every firing alert and those noted ones, in one
// array, to every Alertmanager instance. A post that fails is retried at the
// next tick: posting the same alerts again is harmless, as Alertmanager
// deduplicates by labels.
#pragma once

#include <vector>

#include "config/config.h"
#include "engine/alerts.h"
#include "model/job.h"
#include "notify/alert_poster.h"
#include "state/state_store.h"
#include "util/logger.h"

namespace checker {

class AlertPublisher {
 public:
  AlertPublisher(const Config& config, StateStore& store, AlertPoster& poster, Logger& logger)
      : config_(config), store_(store), poster_(poster), logger_(logger) {}

  // After a run of `job` is saved as `after` (inside the tick's
  // transaction): a firing alert that this run ends is noted for posting
  // once more, resolved.
  void NoteRun(const Job& job, const JobHistory& before, const StoredJob& after, UnixTime now);
  // An event such as missed ticks: noted to fire for `lasts` seconds.
  void NoteEvent(const NotificationRequest& event, UnixTime now, UnixTime lasts);

  // Posts the alerts of `jobs` that fire, with what was noted, to every
  // instance. False when an instance could not take them (they are posted
  // again at the next tick).
  bool Publish(const std::vector<const Job*>& jobs, UnixTime now);

 private:
  AlertSource Source() const { return {config_.general.servername, config_.alertmanager.generator_url}; }

  const Config& config_;
  StateStore& store_;
  AlertPoster& poster_;
  Logger& logger_;
};

}  // namespace checker
