// -m explain and -m history as they read: sentences from state rows, and
// runs and check-ins merged newest first.
#include "report/explanation.h"

#include <catch2/catch.hpp>

#include "report/run_history.h"

using namespace checker;

namespace {

constexpr UnixTime kNow = 1'798'970'400;  // 2027-01-03 10:00 UTC

std::string Sentence(const std::vector<ExplanationLine>& lines, const std::string& topic) {
  for (const auto& line : lines) {
    if (line.topic == topic) return line.sentence;
  }
  return "(no " + topic + ")";
}

Job Web() {
  Job job;
  job.name = job.key = "tcp:web";
  job.plugin = "tcp";
  job.policy.failures_before_notify = 3;
  job.policy.successes_before_recovery = 3;
  job.depends_on = {{"tcp:router", "tcp:router"}};
  return job;
}

StoredJob Failing(UnixTime since, int failures) {
  StoredJob row;
  row.history.failing = true;
  row.history.first_failure = since;
  row.history.failures_in_a_row = failures;
  row.history.last_run = kNow - 60;
  return row;
}

}  // namespace

TEST_CASE("explain says what the state rows hold, with times in UTC and relative") {
  const Job job = Web();
  ExplainInput input;
  input.job = &job;
  input.now = kNow;
  input.row = Failing(kNow - 12 * 60, 4);
  input.row->history.successes_in_a_row = 2;
  input.dependencies = {Failing(kNow - 3600, 60)};
  RunRecord run;
  run.time = kNow - 60;
  run.message = "refused";
  run.decision = "suppressed: tcp:router is failing";
  input.last_run = run;
  OutboxItem item;
  item.id = 7;
  item.channel = "email";
  item.attempts = 2;
  item.last_error = "connection refused";
  input.undelivered = {item};

  const auto lines = Explain(input);
  CHECK(Sentence(lines, "state") ==
        "failing since 09:48 UTC (12 min ago): 4 failures in a row; recovering: 2 of 3 successes");
  CHECK(Sentence(lines, "depends on") ==
        "tcp:router is failing since 09:00 UTC (1 h ago); while one fails, this job sends nothing");
  CHECK(Sentence(lines, "last run") == "09:59 UTC (1 min ago): FAILED: refused");
  CHECK(Sentence(lines, "it decided") == "suppressed: tcp:router is failing");
  CHECK(Sentence(lines, "now") == "suppressed: tcp:router is failing");
  CHECK(Sentence(lines, "next notification") == "at its first failing run after tcp:router recovers");
  CHECK(Sentence(lines, "outbox") ==
        "1 notification not delivered: #7 failure by email, queued after 2 attempts, last error: connection refused "
        "(checker -m outbox shows them)");
  const std::string json = ExplanationJson(input, lines);
  CHECK(json.find("\"failing_dependencies\": [\"tcp:router\"]") != std::string::npos);
  CHECK(json.find("\"successes_in_a_row\": 2") != std::string::npos);
  CHECK(json.find("\"outbox\": [{\"id\": 7") != std::string::npos);
}

TEST_CASE("explain of a job that never ran, and of a paused one") {
  Job job = Web();
  job.depends_on.clear();
  ExplainInput input;
  input.job = &job;
  input.now = kNow;
  auto lines = Explain(input);
  CHECK(Sentence(lines, "state") == "it has not run yet");
  CHECK(Sentence(lines, "last notification") == "none yet");
  CHECK(Sentence(lines, "next notification") == "at its 3rd failure in a row (3 more failing runs)");

  input.row = StoredJob{};
  input.row->paused = true;
  input.row->paused_until = kNow + 2 * 86400;
  lines = Explain(input);
  CHECK(Sentence(lines, "now") == "paused until 2027-01-05 10:00 UTC (in 2 d)");
  CHECK(Sentence(lines, "next notification") == "none while it is paused (until 2027-01-05 10:00 UTC)");
}

TEST_CASE("history merges runs and check-ins newest first, up to the limit") {
  RunRecord late, early;
  late.time = 300;
  early.time = 100;
  Checkin middle;
  middle.time = 200;
  middle.kind = Checkin::Kind::kFailure;
  middle.exit_status = 3;
  const auto entries = MergeHistory({late, early}, {middle}, 10);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].time() == 300);
  CHECK_FALSE(entries[1].is_run);
  CHECK(entries[2].time() == 100);
  CHECK(MergeHistory({late, early}, {middle}, 2).size() == 2);
  const std::string json = HistoryJson("heartbeat:backup", entries);
  CHECK(json.find("{\"type\": \"checkin\", \"time\": \"1970-01-01T00:03:20Z\", \"kind\": \"failure\", "
                  "\"exit_status\": 3") != std::string::npos);
}
