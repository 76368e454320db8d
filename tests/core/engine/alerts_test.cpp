// What checker posts to Alertmanager, and when a job's alert fires.
#include "engine/alerts.h"

#include <catch2/catch.hpp>

using namespace checker;

namespace {

Job DnsJob() {
  Job job;
  job.name = "tcp:dns";
  job.key = "tcp:dns";
  job.plugin = "tcp";
  job.frequency = Frequency::kMinute;
  job.policy.failures_before_notify = 3;
  job.alert_labels.severity = "page";
  job.alert_labels.extra = {{"team", "dns"}, {"tier", "1"}};
  return job;
}

JobHistory Failing(int failures) {
  JobHistory history;
  history.failing = true;
  history.failures_in_a_row = failures;
  history.first_failure = 1000;
  history.first_notify = 1120;
  history.last_message = "cannot connect";
  return history;
}

}  // namespace

TEST_CASE("an alert fires once the streak reaches failures_before_notify, and not while a gate holds") {
  const JobPolicy policy = DnsJob().policy;
  CHECK_FALSE(AlertFiring(policy, Failing(2), {}));
  CHECK(AlertFiring(policy, Failing(3), {}));
  CHECK_FALSE(AlertFiring(policy, JobHistory{}, {}));
  Gates paused;
  paused.paused = true;
  CHECK_FALSE(AlertFiring(policy, Failing(5), paused));
  Gates maintenance;
  maintenance.maintenance = ScheduleWindow{0, 3600};
  CHECK_FALSE(AlertFiring(policy, Failing(5), maintenance));
  Gates dependency;
  dependency.failing_dependencies = {"tcp:router"};
  CHECK_FALSE(AlertFiring(policy, Failing(5), dependency));
}

TEST_CASE("a firing alert has the job's labels, annotations and times") {
  const Alert alert = JobAlert(DnsJob(), Failing(3), {"web1", "http://web1:5000"}, 2000, false);
  CHECK(alert.labels.at("alertname") == "CheckerCheckFailing");
  CHECK(alert.labels.at("check") == "tcp:dns");
  CHECK(alert.labels.at("plugin") == "tcp");
  CHECK(alert.labels.at("instance") == "web1");
  CHECK(alert.labels.at("severity") == "page");
  CHECK(alert.labels.at("team") == "dns");
  CHECK(alert.labels.at("tier") == "1");
  CHECK(alert.annotations.at("summary") == "[web1] tcp:dns failed: cannot connect");
  CHECK(alert.annotations.at("description") == "cannot connect");
  CHECK(alert.annotations.at("first_failure") == "1970-01-01T00:16:40Z");
  CHECK(alert.starts_at == 1120);              // the streak's first notification
  CHECK(alert.ends_at == 2000 + 2 * 60 + 60);  // twice a minute job's interval, plus a minute
  CHECK(alert.generator_url == "http://web1:5000/status");
}

TEST_CASE("a resolved alert ends now; a peer's alert is CheckerPeerDown") {
  Job peer = DnsJob();
  peer.traits.watches_peer = true;
  const Alert alert = JobAlert(peer, Failing(3), {"web1", ""}, 2000, true);
  CHECK(alert.ends_at == 2000);
  CHECK(alert.labels.at("alertname") == "CheckerPeerDown");
  CHECK(alert.generator_url.empty());
}

TEST_CASE("the alert JSON is Alertmanager's API v2 object, in an array") {
  Alert alert;
  alert.labels = {{"alertname", "CheckerTicksMissed"}, {"check", "checker:ticks"}};
  alert.annotations = {{"summary", "say \"hi\""}};
  alert.starts_at = 0;
  alert.ends_at = 60;
  const std::string json = AlertArrayJson({AlertJson(alert)});
  CHECK(json ==
        "[{\"labels\": {\"alertname\": \"CheckerTicksMissed\", \"check\": \"checker:ticks\"}, "
        "\"annotations\": {\"summary\": \"say \\\"hi\\\"\"}, \"startsAt\": \"1970-01-01T00:00:00Z\", "
        "\"endsAt\": \"1970-01-01T00:01:00Z\"}]\n");
}

TEST_CASE("an event alert names its kind and lasts as long as it is told") {
  NotificationRequest missed{"checker:ticks", NotificationKind::kMissedTicks, {}, "no tick ran for 60 min", "body"};
  const Alert alert = EventAlert(missed, {"web1", ""}, 5000, 180);
  CHECK(alert.labels.at("alertname") == "CheckerTicksMissed");
  CHECK(alert.labels.at("check") == "checker:ticks");
  CHECK(alert.starts_at == 5000);
  CHECK(alert.ends_at == 5180);
}
