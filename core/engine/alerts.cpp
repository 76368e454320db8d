#include "engine/alerts.h"

#include "model/frequency.h"

namespace checker {
namespace {

constexpr UnixTime kEndsAtSlackSeconds = 60;

std::string StatusPage(const AlertSource& source) {
  return source.generator_url.empty() ? "" : source.generator_url + "/status";
}

}  // namespace

bool AlertFiring(const JobPolicy& policy, const JobHistory& history, const Gates& gates) {
  if (gates.paused || gates.HoldNotifications()) return false;
  return history.failing && history.failures_in_a_row >= policy.failures_before_notify;
}

Alert JobAlert(const Job& job, const JobHistory& history, const AlertSource& source, UnixTime now, bool resolved) {
  Alert alert;
  const NotificationRequest failure = FailureNotification(job, {}, JobResult(false, history.last_message), history);
  for (const auto& [name, value] : job.alert_labels.extra) alert.labels[name] = value;
  alert.labels["alertname"] = AlertName(failure.kind);
  alert.labels["check"] = job.name;
  alert.labels["plugin"] = job.plugin;
  alert.labels["instance"] = source.servername;
  alert.labels["severity"] = job.alert_labels.severity;
  alert.annotations["summary"] = CompleteSubject(source.servername, job.name, failure.subject);
  alert.annotations["description"] = history.last_message;
  if (history.first_failure) alert.annotations["first_failure"] = FormatIsoUtc(*history.first_failure);
  alert.starts_at = history.first_notify.value_or(history.first_failure.value_or(now));
  alert.ends_at = resolved ? now : now + 2 * IntervalSeconds(job.frequency) + kEndsAtSlackSeconds;
  alert.generator_url = StatusPage(source);
  return alert;
}

Alert EventAlert(const NotificationRequest& event, const AlertSource& source, UnixTime now, UnixTime lasts) {
  Alert alert;
  alert.labels["alertname"] = AlertName(event.kind);
  alert.labels["check"] = event.job;
  alert.labels["plugin"] = "checker";
  alert.labels["instance"] = source.servername;
  alert.labels["severity"] = "critical";
  alert.annotations["summary"] = CompleteSubject(source.servername, event.job, event.subject);
  alert.annotations["description"] = event.body;
  alert.annotations["first_failure"] = FormatIsoUtc(now);
  alert.starts_at = now;
  alert.ends_at = now + lasts;
  alert.generator_url = StatusPage(source);
  return alert;
}

}  // namespace checker
