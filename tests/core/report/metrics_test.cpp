// The Prometheus text of checker's metrics.
#include "report/metrics.h"

#include <catch2/catch.hpp>

using namespace checker;

namespace {

MetricsInput OneCheck() {
  MetricsInput input;
  CheckMetrics check;
  check.name = "tcp:dns";
  check.plugin = "tcp";
  check.state = "failing";
  check.up = false;
  check.failures_in_a_row = 3;
  check.last_run = 1700000000;
  check.last_duration_seconds = 0.5;
  check.runs_total = 10;
  check.failures_total = 4;
  input.checks.push_back(check);
  input.health = "MailProblem";
  input.version = "1.2.3";
  input.abi = 2;
  return input;
}

}  // namespace

TEST_CASE("per-check series carry the label check, never job") {
  const std::string text = MetricsText(OneCheck());
  CHECK(text.find("checker_check_up{check=\"tcp:dns\",plugin=\"tcp\"} 0\n") != std::string::npos);
  CHECK(text.find("checker_check_failures_in_a_row{check=\"tcp:dns\"} 3\n") != std::string::npos);
  CHECK(text.find("checker_check_runs_total{check=\"tcp:dns\"} 10\n") != std::string::npos);
  CHECK(text.find("checker_check_duration_seconds{check=\"tcp:dns\"} 0.5\n") != std::string::npos);
  CHECK(text.find("job=") == std::string::npos);
}

TEST_CASE("checker_check_state has one series per state, 1 for the current one") {
  const std::string text = MetricsText(OneCheck());
  CHECK(text.find("checker_check_state{check=\"tcp:dns\",state=\"failing\"} 1\n") != std::string::npos);
  for (const char* other : {"succeeding", "recovering", "paused", "maintenance", "never_run"}) {
    CHECK(text.find("checker_check_state{check=\"tcp:dns\",state=\"" + std::string(other) + "\"} 0\n") !=
          std::string::npos);
  }
}

TEST_CASE("a check that never ran has no up, last run or duration series") {
  MetricsInput input;
  CheckMetrics check;
  check.name = "tcp:new";
  check.plugin = "tcp";
  check.state = "never_run";
  input.checks.push_back(check);
  const std::string text = MetricsText(input);
  CHECK(text.find("checker_check_up{") == std::string::npos);
  CHECK(text.find("checker_check_last_run_timestamp_seconds{") == std::string::npos);
  CHECK(text.find("checker_check_runs_total{check=\"tcp:new\"} 0\n") != std::string::npos);
}

TEST_CASE("tick series exist for every frequency at 0 before the first tick") {
  const std::string text = MetricsText(MetricsInput{});
  for (const char* frequency : {"minute", "hour", "day", "day_noon"}) {
    CHECK(text.find("checker_tick_last_timestamp_seconds{frequency=\"" + std::string(frequency) + "\"} 0\n") !=
          std::string::npos);
  }
}

TEST_CASE("health, build info and the delivery series of configured channels") {
  MetricsInput input = OneCheck();
  input.channels = {"email"};
  input.deliveries = {{"email", "failure", 7}};
  input.backlog = {{"email", 2, 1}};
  const std::string text = MetricsText(input);
  CHECK(text.find("checker_health{answer=\"MailProblem\"} 1\n") != std::string::npos);
  CHECK(text.find("checker_health{answer=\"True\"} 0\n") != std::string::npos);
  CHECK(text.find("checker_build_info{version=\"1.2.3\",abi=\"2\"} 1\n") != std::string::npos);
  CHECK(text.find("checker_notifications_total{channel=\"email\",kind=\"failure\"} 7\n") != std::string::npos);
  CHECK(text.find("checker_notifications_total{channel=\"email\",kind=\"recovery\"} 0\n") != std::string::npos);
  CHECK(text.find("checker_outbox_queued{channel=\"email\"} 2\n") != std::string::npos);
  CHECK(text.find("checker_outbox_refused{channel=\"email\"} 1\n") != std::string::npos);
}

TEST_CASE("label values are escaped, keep UTF-8 and lose invalid bytes") {
  MetricsInput input = OneCheck();
  input.checks[0].name = "tcp:d\xC3\xA9j\xC3\xA0";
  input.checks[0].measurements = {{"a\"b\\c\nd", 1.5, "bytes", "", "", "", ""}, {"bad\xFF", 2, "", "", "", "", ""}};
  const std::string text = MetricsText(input);
  CHECK(text.find("check=\"tcp:d\xC3\xA9j\xC3\xA0\"") != std::string::npos);
  CHECK(text.find("label=\"a\\\"b\\\\c\\nd\",unit=\"bytes\"} 1.5\n") != std::string::npos);
  CHECK(text.find("label=\"bad\xEF\xBF\xBD\"") != std::string::npos);
}

TEST_CASE("every family has HELP and TYPE lines before its samples") {
  const std::string text = MetricsText(OneCheck());
  CHECK(text.find("# HELP checker_check_up ") < text.find("checker_check_up{"));
  CHECK(text.find("# TYPE checker_check_runs_total counter\n") != std::string::npos);
  CHECK(text.find("# TYPE checker_check_state gauge\n") != std::string::npos);
}
