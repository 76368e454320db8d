// What -m status, /status.json and GET / say about the state file.
#include "report/status_report.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "report/health.h"

using namespace checker;

namespace {

JobCatalog Catalog(std::vector<std::string> names) {
  std::vector<Job> jobs;
  for (const auto& name : names) {
    Job job;
    job.name = job.key = name;
    job.plugin = name.substr(0, name.find(':'));
    jobs.push_back(job);
  }
  return JobCatalog::FromJobs(jobs);
}

}  // namespace

TEST_CASE("each job's state: never run, succeeding, failing, and paused until its pause ends") {
  StoredJob ok, down, paused, pause_over;
  ok.key = "tcp:ok";
  ok.history.last_run = 100;
  down.key = "tcp:down";
  down.history.last_run = 100;
  down.history.failing = true;
  down.history.failures_in_a_row = 2;
  down.history.first_failure = 40;
  paused.key = "tcp:paused";
  paused.paused = true;
  paused.paused_until = 500;
  pause_over = paused;
  pause_over.key = "tcp:over";
  pause_over.paused_until = 50;
  const auto statuses = CollectStatus(Catalog({"tcp:new", "tcp:ok", "tcp:down", "tcp:paused", "tcp:over"}),
                                      {ok, down, paused, pause_over}, 100);
  REQUIRE(statuses.size() == 5);
  CHECK(statuses[0].state == "never_run");
  CHECK(statuses[1].state == "succeeding");
  CHECK(statuses[2].state == "failing");
  CHECK(statuses[2].failures == 2);
  CHECK(statuses[3].state == "paused");
  CHECK(statuses[3].paused_until == 500);
  CHECK(statuses[4].state == "never_run");
  const std::string table = StatusTable(statuses);
  CHECK(table.find("since 1970-01-01T00:00:40Z") != std::string::npos);
  CHECK(table.find("until 1970-01-01T00:08:20Z") != std::string::npos);
}

TEST_CASE("the JSON holds every field, nulls for unknown times, and escapes whatever a job said") {
  StoredJob row;
  row.key = "http:site";
  row.history.last_run = 0;
  row.history.last_message = "<b>\"quoted\"\n\xff";
  const auto json = StatusJson("web\"1", CollectStatus(Catalog({"http:site"}), {row}, 10));
  CHECK(json.find("\"server\": \"web\\\"1\"") != std::string::npos);
  CHECK(json.find("\"first_failure\": null") != std::string::npos);
  CHECK(json.find("\"last_run\": \"1970-01-01T00:00:00Z\"") != std::string::npos);
  CHECK(json.find("\"message\": \"<b>\\\"quoted\\\"\\n\xef\xbf\xbd\"") != std::string::npos);
}

TEST_CASE("the health answer: JobProblem without a recent tick, then MailProblem, then True") {
  HealthFacts facts;
  CHECK(HealthAnswer(facts, 1000) == "JobProblem");
  facts.last_tick_finished = 1000 - 120;
  CHECK(HealthAnswer(facts, 1000) == "True");
  CHECK(HealthAnswer(facts, 1001) == "JobProblem");
  facts.refused_waiting = true;
  CHECK(HealthAnswer(facts, 1000) == "MailProblem");
  facts.last_tick_finished = 1000 + 3600;  // before the clock went back
  CHECK(HealthAnswer(facts, 1000) == "JobProblem");
}

TEST_CASE("the JSON of no jobs is an empty list") {
  CHECK(StatusJson("web1", {}) == "{\"server\": \"web1\", \"jobs\": []}\n");
}

TEST_CASE("overlong, surrogate, too large and cut-off UTF-8 in the JSON becomes U+FFFD too") {
  JobStatus job;
  job.name = "tcp:dns";
  job.message = "caf\xc3\xa9 \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82";

  const std::string json = StatusJson("web1", {job});

  const std::string replacement = "\xef\xbf\xbd";
  CHECK(json.find("\"message\": \"caf\xc3\xa9 " + replacement + replacement + " " + replacement + replacement +
                  replacement + " " + replacement + replacement + replacement + replacement + " " + replacement +
                  replacement + "\"") != std::string::npos);
}

TEST_CASE("the table has one row per job, a message cut between characters") {
  JobStatus wordy;
  wordy.name = "http:web";
  wordy.state = "succeeding";
  wordy.message = "line one\nline two\r" + std::string(70, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9";

  const std::string table = StatusTable({wordy});

  CHECK(std::count(table.begin(), table.end(), '\n') == 2);
  CHECK(table.find("line one line two " + std::string(59, 'x') + "...\n") != std::string::npos);
}
