#include "engine/alert_publisher.h"

#include <map>
#include <set>

namespace checker {
void AlertPublisher::NoteRun(const Job& job, const JobHistory& before, const StoredJob& after, UnixTime now) {
  if (!AlertFiring(job.policy, before, {}) || after.history.failing) return;
  store_.QueueAlertPost(
      {job.key, KindName(NotificationKind::kRecovery), now, AlertJson(JobAlert(job, before, Source(), now, true))});
}

void AlertPublisher::NoteEvent(const NotificationRequest& event, UnixTime now, UnixTime lasts) {
  store_.QueueAlertPost({event.job, KindName(event.kind), now, AlertJson(EventAlert(event, Source(), now, lasts))});
}

bool AlertPublisher::Publish(const std::vector<const Job*>& jobs, UnixTime now) {
  std::map<std::string, StoredJob> by_key;
  for (auto& row : store_.LoadAllJobs()) by_key.emplace(row.key, std::move(row));
  const RowLookup rows = [&](const std::string& key) -> const StoredJob* {
    auto found = by_key.find(key);
    return found == by_key.end() ? nullptr : &found->second;
  };
  std::vector<std::string> alerts;
  std::map<std::string, std::int64_t> posted_by_kind;
  std::set<std::string> firing;
  for (const Job* job : jobs) {
    auto found = by_key.find(job->key);
    if (found == by_key.end() || !AlertFiring(job->policy, found->second.history, GatesAt(*job, rows, now))) {
      continue;
    }
    alerts.push_back(AlertJson(JobAlert(*job, found->second.history, Source(), now, false)));
    firing.insert(job->key);
    ++posted_by_kind[KindName(job->traits.watches_peer ? NotificationKind::kPeer : NotificationKind::kFailure)];
  }
  const std::vector<PendingAlert> pending = store_.PendingAlertPosts();
  for (const auto& alert : pending) {
    // A job that fails again since it recovered fires; its resolution is stale.
    if (firing.count(alert.job)) continue;
    alerts.push_back(alert.alert_json);
    ++posted_by_kind[alert.kind];
  }
  if (alerts.empty()) return true;
  const std::string body = AlertArrayJson(alerts);
  bool all_posted = true;
  for (const auto& url : config_.alertmanager.urls) {
    const Status posted = poster_.Post(url, body);
    if (posted.ok()) {
      logger_.Debug("posted " + std::to_string(alerts.size()) + " alert(s) to " + url);
    } else {
      all_posted = false;
      logger_.Error("could not post " + std::to_string(alerts.size()) + " alert(s) to Alertmanager " + url +
                    " (posted again at the next tick): " + posted.message());
    }
  }
  // Under nomail the noted posts wait for a tick that really posts them.
  if (!all_posted || poster_.logs_only()) return all_posted;
  StateStore::Transaction transaction(store_);
  for (const auto& alert : pending) store_.RemoveAlertPost(alert.job, alert.created);
  for (const auto& [kind, count] : posted_by_kind) store_.CountDelivered("alertmanager", kind, count);
  transaction.Commit();
  return true;
}

}  // namespace checker
