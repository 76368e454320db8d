// Runner: a tick from results to state and notifications, with a pinned
// clock, scripted job results and a real state file.
#include "engine/runner.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>

#include "fake_clock.h"
#include "recording_channel.h"
#include "temp_dir.h"
#include "util/process.h"

using namespace checker;

namespace {

// Returns the results the test queues, without running anything.
class ScriptedJobRunner : public JobRunner {
 public:
  void Run(const std::vector<const Job*>& jobs, const std::vector<RunContext>&,
           const OnOutcomes& on_outcomes) override {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (i == 1 && on_second_job) on_second_job();
      JobOutcome outcome;
      outcome.result = next_success ? JobResult{true, "ok"} : JobResult{false, "down"};
      ran.push_back(jobs[i]->name);
      on_outcomes({{i, outcome}});
    }
  }
  bool next_success = false;
  std::function<void()> on_second_job;  // runs before the second job's outcome is reported
  std::vector<std::string> ran;
};

struct Fixture {
  Fixture() : clock(1'800'000'000) {
    config.general.servername = "web1";
    config.general.alertcontact = {"ops@example.com"};
    store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
    outbox = std::make_unique<Outbox>(*store, std::vector<Channel*>{&mail}, logger, "web1");
    runner = std::make_unique<Runner>(config, *store, jobs, *outbox, clock, logger);
  }

  JobCatalog Catalog(NotifyEvery notify, int min = 1, Frequency frequency = Frequency::kMinute) {
    Job job;
    job.name = job.key = "tcp:dns";
    job.plugin = "tcp";
    job.frequency = frequency;
    job.policy = {notify, min, true};
    job.recipients = {"dns@example.com"};
    return JobCatalog::FromJobs({job});
  }

  // Runs a minute tick `seconds` after the previous one; returns the subjects it delivered.
  std::vector<std::string> TickAfter(UnixTime seconds, const JobCatalog& catalog, bool success = false) {
    clock.Advance(seconds);
    jobs.next_success = success;
    mail.delivered.clear();
    runner->RunTick(catalog, Frequency::kMinute, {});
    std::vector<std::string> subjects;
    for (const auto& item : mail.delivered) subjects.push_back(item.subject);
    return subjects;
  }

  TempDir dir;
  Config config;
  Logger logger;
  FakeClock clock;
  ScriptedJobRunner jobs;
  RecordingChannel mail;
  std::unique_ptr<StateStore> store;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<Runner> runner;
};

}  // namespace

TEST_CASE("an hourly job notifies once, then again only after 59 minutes") {
  Fixture f;
  auto catalog = f.Catalog(NotifyEvery::kHour);
  CHECK(f.TickAfter(0, catalog) == std::vector<std::string>{"[web1] tcp:dns failed: down"});
  for (int minute = 1; minute < 59; ++minute) CHECK(f.TickAfter(60, catalog).empty());
  CHECK(f.TickAfter(60, catalog).empty());  // exactly 59 minutes is not older than 59 minutes
  CHECK(f.TickAfter(1, catalog).size() == 1);
}

TEST_CASE("a recovery goes to the job's recipients and resets the streak") {
  Fixture f;
  auto catalog = f.Catalog(NotifyEvery::kEvery);
  f.TickAfter(0, catalog);
  auto subjects = f.TickAfter(60, catalog, true);
  REQUIRE(subjects == std::vector<std::string>{"[web1] tcp:dns recovered after 1 min, 1 failure"});
  CHECK(f.mail.delivered[0].recipients == "dns@example.com");
  CHECK(f.mail.delivered[0].kind == NotificationKind::kRecovery);
  auto stored = f.store->LoadJob("tcp:dns");
  CHECK(stored->history.failures_in_a_row == 0);
  CHECK_FALSE(stored->history.failing);
}

TEST_CASE("a tick runs only the jobs its frequency cascades to") {
  Fixture f;
  auto catalog = f.Catalog(NotifyEvery::kEvery, 1, Frequency::kDay);
  f.runner->RunTick(catalog, Frequency::kHour, {});
  CHECK(f.jobs.ran.empty());
  f.runner->RunTick(catalog, Frequency::kDay, {});
  CHECK(f.jobs.ran == std::vector<std::string>{"tcp:dns"});
}

TEST_CASE("a gap longer than maxtickgap sends one missed_ticks notification") {
  Fixture f;
  f.config.general.maxtickgap = 300;
  auto catalog = JobCatalog::FromJobs({});
  f.TickAfter(0, catalog);
  CHECK(f.TickAfter(300, catalog).empty());
  auto subjects = f.TickAfter(301, catalog);
  REQUIRE(subjects.size() == 1);
  CHECK(subjects[0] == "[web1] checker:ticks: no tick ran for 5 min 1 s");
  CHECK(f.mail.delivered[0].kind == NotificationKind::kMissedTicks);
  CHECK(f.TickAfter(60, catalog).empty());
}

TEST_CASE("a notification that cannot be delivered stays queued and goes out once at a later tick") {
  Fixture f;
  auto catalog = f.Catalog(NotifyEvery::kHour);
  f.mail.failure = "connection refused";
  CHECK(f.runner->RunTick(catalog, Frequency::kMinute, {}) == kExitMailFailed);
  CHECK(f.store->CountQueued() == 1);
  f.mail.failure.clear();
  CHECK(f.TickAfter(60, catalog).size() == 1);
  CHECK(f.TickAfter(60, catalog).empty());
  CHECK(f.store->CountQueued() == 0);
}

TEST_CASE("a paused job neither runs nor notifies until its pause ends") {
  Fixture f;
  f.config.general.maxtickgap = 0;
  auto catalog = f.Catalog(NotifyEvery::kEvery);
  f.TickAfter(0, catalog);
  f.store->SetPaused("tcp:dns", true, f.clock.Now() + 600);
  f.jobs.ran.clear();
  CHECK(f.TickAfter(60, catalog).empty());
  CHECK(f.jobs.ran.empty());
  CHECK(f.TickAfter(600, catalog).size() == 1);
}

TEST_CASE("a broken configuration is told at once, then hourly, and its fix once") {
  Fixture f;
  f.config.general.maxtickgap = 0;
  auto catalog = JobCatalog::FromJobs({});
  const ConfigurationCheck broken{"/etc/checker/settings.cfg", {"settings.cfg:7: [tcp:db] port: must be a number"}, ""};
  const ConfigurationCheck fixed{"/etc/checker/settings.cfg", {}, "[general]\n"};
  const auto tick = [&](UnixTime seconds, const ConfigurationCheck& check) {
    f.clock.Advance(seconds);
    f.mail.delivered.clear();
    f.runner->RunTick(catalog, Frequency::kMinute, check);
    std::vector<std::string> subjects;
    for (const auto& item : f.mail.delivered) subjects.push_back(item.subject);
    return subjects;
  };
  CHECK(tick(0, fixed).empty());
  CHECK(f.store->LastGoodConfiguration() == "[general]\n");
  auto first = tick(60, broken);
  REQUIRE(first.size() == 1);
  CHECK(first[0].find("checker:config: configuration error: settings.cfg:7: [tcp:db] port") != std::string::npos);
  CHECK(f.mail.delivered[0].kind == NotificationKind::kConfigError);
  CHECK(f.store->LastGoodConfiguration() == "[general]\n");  // a broken file is never kept as the good one
  for (int minute = 0; minute < 58; ++minute) CHECK(tick(60, broken).empty());
  CHECK(tick(120, broken).size() == 1);  // an hour after the first notice
  auto recovered = tick(60, fixed);
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].find("loads without errors again") != std::string::npos);
  CHECK(tick(60, fixed).empty());
}

TEST_CASE("a job another live tick is running is not started again") {
  Fixture f;
  auto catalog = f.Catalog(NotifyEvery::kEvery);
  // This very process stands for the other tick: it is alive, and not "us"
  // once the claim names another start time.
  const std::string alive = ProcessIdentity(getpid());
  f.store->SetClaim({"tcp:dns", alive.substr(0, alive.find(':')) + ":1", f.clock.Now()});
  f.TickAfter(0, catalog);
  CHECK(f.jobs.ran == std::vector<std::string>{"tcp:dns"});  // that claim's process is gone (other start time)
  f.jobs.ran.clear();
  f.store->SetClaim({"tcp:dns", "1:" + ProcessIdentity(1).substr(ProcessIdentity(1).find(':') + 1), f.clock.Now()});
  f.TickAfter(60, catalog);
  CHECK(f.jobs.ran.empty());  // pid 1 is alive: its claim holds
}

TEST_CASE("a last notification in the future means the clock went back: the job notifies again") {
  Fixture f;
  f.config.general.maxtickgap = 0;
  auto catalog = f.Catalog(NotifyEvery::kHour);
  f.clock.Advance(86400);  // a day ahead
  CHECK(f.TickAfter(0, catalog).size() == 1);
  f.clock.Advance(-86400 + 3600);  // corrected back, an hour later than the start
  CHECK(f.TickAfter(0, catalog).size() == 1);
  CHECK(f.TickAfter(60, catalog).empty());
}

TEST_CASE("results are recorded as they arrive, before the slowest job ends") {
  Fixture f;
  Job fast;
  fast.name = fast.key = "tcp:fast";
  fast.plugin = "tcp";
  Job slow = fast;
  slow.name = slow.key = "tcp:slow";
  auto catalog = JobCatalog::FromJobs({fast, slow});
  bool fast_recorded_before_slow_ended = false;
  f.jobs.on_second_job = [&] { fast_recorded_before_slow_ended = f.store->LoadJob("tcp:fast").has_value(); };
  f.TickAfter(0, catalog);
  CHECK(fast_recorded_before_slow_ended);
}
