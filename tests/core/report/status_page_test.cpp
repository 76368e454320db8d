// The daemon's status page: what it shows, in which order, and that every
// text on it stays text.
#include "report/status_page.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"

using namespace checker;

namespace {

constexpr UnixTime kNow = 1796220300;  // 2026-12-02 14:05 UTC

StatusPageJob PageJob(const std::string& name, const std::string& state, const std::string& message = "") {
  StatusPageJob job;
  job.status.name = name;
  job.status.plugin = name.substr(0, name.find(':'));
  job.status.frequency = "minute";
  job.status.state = state;
  job.status.message = message;
  if (state != "never_run") job.status.last_run = kNow - 60;
  return job;
}

RunRecord Run(UnixTime time, bool success, const std::string& message) {
  RunRecord run;
  run.time = time;
  run.success = success;
  run.message = message;
  return run;
}

StatusPageInput Input(std::vector<StatusPageJob> jobs) {
  StatusPageInput input;
  input.server = "web1";
  input.health = "True";
  input.now = kNow;
  input.jobs = std::move(jobs);
  return input;
}

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

}  // namespace

TEST_CASE("the page refreshes itself every 30 s, fits a phone's width, and holds no script") {
  const std::string html = StatusPageHtml(Input({PageJob("tcp:db", "succeeding", "ok")}));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<meta http-equiv=\"refresh\" content=\"30\">") != std::string::npos);
  CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") != std::string::npos);
  CHECK(html.find("@media (max-width: 600px)") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
}

TEST_CASE("the page shows the server, its health answer in words, and a summary of the states") {
  StatusPageInput input =
      Input({PageJob("tcp:a", "failing"), PageJob("tcp:b", "succeeding"), PageJob("tcp:c", "succeeding")});
  input.health = "JobProblem";
  const std::string html = StatusPageHtml(input);
  CHECK(html.find("<h1>checker on web1</h1>") != std::string::npos);
  CHECK(html.find("<span class=\"health JobProblem\">JobProblem</span> no tick finished") != std::string::npos);
  CHECK(html.find("3 jobs: 1 failing, 2 succeeding") != std::string::npos);
  CHECK(html.find("As of <time datetime=\"2026-12-02T14:05:00Z\">2026-12-02 14:05 UTC</time>") != std::string::npos);
}

TEST_CASE("failing jobs come first, then maintenance, paused, never run and succeeding, each in config order") {
  const std::string html = StatusPageHtml(
      Input({PageJob("tcp:ok1", "succeeding"), PageJob("tcp:new", "never_run"), PageJob("tcp:down1", "failing"),
             PageJob("tcp:held", "paused"), PageJob("tcp:ok2", "succeeding"), PageJob("tcp:work", "maintenance"),
             PageJob("tcp:down2", "failing")}));
  std::vector<std::size_t> at;
  for (const char* name : {"tcp:down1", "tcp:down2", "tcp:work", "tcp:held", "tcp:new", "tcp:ok1", "tcp:ok2"}) {
    at.push_back(html.find("<b>" + std::string(name) + "</b>"));
    REQUIRE(at.back() != std::string::npos);
  }
  CHECK(std::is_sorted(at.begin(), at.end()));
}

TEST_CASE("each state is coloured by its row's class and said in words") {
  const std::string html =
      StatusPageHtml(Input({PageJob("tcp:a", "failing"), PageJob("tcp:b", "maintenance"), PageJob("tcp:c", "paused"),
                            PageJob("tcp:d", "never_run"), PageJob("tcp:e", "succeeding")}));
  for (const auto& [state, words] : std::vector<std::pair<std::string, std::string>>{{"failing", "failing"},
                                                                                     {"maintenance", "in maintenance"},
                                                                                     {"paused", "paused"},
                                                                                     {"never_run", "never run"},
                                                                                     {"succeeding", "succeeding"}}) {
    CHECK(html.find("<tr class=\"" + state + "\">") != std::string::npos);
    CHECK(html.find("<span class=\"state\">" + words + "</span>") != std::string::npos);
  }
}

TEST_CASE("every text a job or the configuration gives is escaped: markup in a message stays text") {
  StatusPageInput input = Input({PageJob("http:<b>site</b>", "failing", "<script>alert(1)</script>")});
  input.server = "web1 & \"friends\"";
  input.jobs[0].runs = {Run(kNow - 60, false, "<img src=x onerror=alert(2)>"), Run(kNow - 120, true, "it's fine")};
  const std::string html = StatusPageHtml(input);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
  CHECK(html.find("it&#39;s fine") != std::string::npos);
  CHECK(html.find("http:&lt;b&gt;site&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("web1 &amp; &quot;friends&quot;") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>site") == std::string::npos);
}

TEST_CASE("the strip has one mark per run, oldest first, each with its time and message as a tooltip") {
  StatusPageJob job = PageJob("tcp:db", "failing", "refused");
  for (int i = 0; i < kStatusPageRuns; ++i)
    job.runs.push_back(Run(kNow - 60 * (i + 1), i % 10 != 0, "run " + std::to_string(i)));
  const std::string html = StatusPageHtml(Input({job}));
  CHECK(Count(html, "<i class=\"") == 50);
  CHECK(Count(html, "<i class=\"f\"") == 5);
  const auto oldest = html.find("title=\"13:15 UTC ok: run 49\"");
  const auto newest = html.find("title=\"14:04 UTC failed: run 0\"");
  REQUIRE(oldest != std::string::npos);
  REQUIRE(newest != std::string::npos);
  CHECK(oldest < newest);
  CHECK(html.find("5 of the last 50 runs failed") != std::string::npos);
}

TEST_CASE("a job shows its last run, since when it fails, and when its pause or maintenance window ends") {
  StatusPageJob down = PageJob("tcp:down", "failing");
  down.status.failures = 3;
  down.status.first_failure = kNow - 720;
  down.status.recovering = "1 of 2 successes";
  StatusPageJob held = PageJob("tcp:held", "paused");
  held.status.paused_until = kNow + 3600;
  StatusPageJob held_for_good = PageJob("tcp:forever", "paused");
  StatusPageJob work = PageJob("tcp:work", "maintenance");
  work.status.maintenance_until = kNow + 86400;
  const std::string html = StatusPageHtml(Input({down, held, held_for_good, work}));
  CHECK(html.find("<small>3 failures</small> <small>recovering: 1 of 2 successes</small>") != std::string::npos);
  CHECK(html.find("<time datetime=\"2026-12-02T13:53:00Z\">13:53 UTC</time> <small>12 min ago</small>") !=
        std::string::npos);
  CHECK(html.find("pause ends <time datetime=\"2026-12-02T15:05:00Z\">15:05 UTC</time> <small>in 1 h</small>") !=
        std::string::npos);
  CHECK(html.find("paused until unpaused") != std::string::npos);
  CHECK(html.find("maintenance ends <time datetime=\"2026-12-03T14:05:00Z\">2026-12-03 14:05 UTC</time>") !=
        std::string::npos);
}

TEST_CASE("the page is collected from the state file, with each job's last runs, newest first") {
  TempDir dir;
  auto store = StateStore::Open(dir.path() + "/state.db", StateStore::Mode::kCreate);
  Job db;
  db.name = db.key = "tcp:db";
  db.plugin = "tcp";
  Job fresh;
  fresh.name = fresh.key = "tcp:fresh";
  fresh.plugin = "tcp";
  StoredJob row = store->EnsureJob("tcp:db", "tcp:db", kNow - 600);
  row.history.last_run = kNow - 60;
  row.history.failing = true;
  store->SaveJob(row);
  for (int i = 0; i < kStatusPageRuns + 5; ++i) store->RecordRun("tcp:db", Run(kNow - 600 + i, i % 2, "run"));
  const StatusPageInput input = CollectStatusPage("web1", JobCatalog::FromJobs({db, fresh}), store.get(), kNow);
  REQUIRE(input.jobs.size() == 2);
  CHECK(input.health == "JobProblem");
  CHECK(input.jobs[0].status.state == "failing");
  REQUIRE(input.jobs[0].runs.size() == kStatusPageRuns);
  CHECK(input.jobs[0].runs.front().time == kNow - 600 + kStatusPageRuns + 4);
  CHECK(input.jobs[1].runs.empty());
}

TEST_CASE("without a state file every job has never run and the health answer is JobProblem") {
  Job db;
  db.name = db.key = "tcp:db";
  const StatusPageInput input = CollectStatusPage("web1", JobCatalog::FromJobs({db}), nullptr, kNow);
  REQUIRE(input.jobs.size() == 1);
  CHECK(input.jobs[0].status.state == "never_run");
  CHECK(input.health == "JobProblem");
  CHECK(StatusPageHtml(input).find("never run") != std::string::npos);
}
