// Dependencies, maintenance windows and successes_before_recovery: the
// policy's gates, at pinned times.
#include <catch2/catch.hpp>

#include "engine/gates.h"
#include "engine/notification_policy.h"
#include "engine/runner.h"

using namespace checker;

namespace {

// Sunday 2027-01-03 00:00:00 UTC.
constexpr UnixTime kSunday = 1'798'934'400;

const JobResult kFailed{false, "down"};
const JobResult kOk{true, "up"};

JobPolicy Policy(NotifyEvery notify, int min = 1, int successes = 1) {
  JobPolicy policy;
  policy.notify = notify;
  policy.failures_before_notify = min;
  policy.successes_before_recovery = successes;
  return policy;
}

Gates DependencyFailing() {
  Gates gates;
  gates.failing_dependencies = {"tcp:router"};
  return gates;
}

Gates InMaintenanceUntil(UnixTime end) {
  Gates gates;
  gates.maintenance = ScheduleWindow{end - 3600, end};
  return gates;
}

// One job's runs, each with its result and gates, `step` seconds apart.
struct Step {
  JobResult result;
  Gates gates;
};
std::vector<PolicyOutcome> Run(const JobPolicy& policy, const std::vector<Step>& steps, UnixTime step = 60) {
  JobHistory history;
  std::vector<PolicyOutcome> outcomes;
  UnixTime now = kSunday;
  for (const auto& [result, gates] : steps) {
    outcomes.push_back(ApplyRun(policy, history, result, now, gates));
    history = outcomes.back().history;
    now += step;
  }
  return outcomes;
}

std::vector<Verdict> Verdicts(const std::vector<PolicyOutcome>& outcomes) {
  std::vector<Verdict> verdicts;
  for (const auto& outcome : outcomes) verdicts.push_back(outcome.verdict);
  return verdicts;
}

constexpr auto Q = Verdict::kQuiet;
constexpr auto F = Verdict::kFailure;
constexpr auto R = Verdict::kRecovery;

Job JobWith(const std::string& name, std::vector<Dependency> depends_on = {}) {
  Job job;
  job.name = job.key = name;
  job.depends_on = std::move(depends_on);
  return job;
}

}  // namespace

TEST_CASE("a failing dependency suppresses the job's notifications; it notifies at its first run after") {
  const auto outcomes =
      Run(Policy(NotifyEvery::kHour),
          {{kFailed, DependencyFailing()}, {kFailed, DependencyFailing()}, {kFailed, {}}, {kFailed, {}}});
  CHECK(Verdicts(outcomes) == std::vector<Verdict>{Q, Q, F, Q});
  CHECK(outcomes[0].reason == "suppressed: tcp:router is failing");
  CHECK(outcomes[0].history.failing);
  CHECK(outcomes[1].history.failures_in_a_row == 2);  // its failures are still recorded
  CHECK(outcomes[2].reason == "notified: the first failing run since its notifications were held back");
  CHECK(outcomes[3].reason == "quiet: notify = hour and the last notification was 1 min ago");
}

TEST_CASE("after a dependency recovers, a streak that had notified notifies again at once") {
  // Notified at the first failure; the router fails 5 min later; it recovers 10 min later.
  std::vector<Step> steps{{kFailed, {}}};
  for (int i = 0; i < 10; ++i) steps.push_back({kFailed, DependencyFailing()});
  steps.push_back({kFailed, {}});
  const auto verdicts = Verdicts(Run(Policy(NotifyEvery::kHour), steps));
  CHECK(verdicts.front() == F);
  CHECK(std::count(verdicts.begin(), verdicts.end(), F) == 2);
  CHECK(verdicts.back() == F);  // 11 min after the first notification, not an hour
}

TEST_CASE("state_change notifies after the hold even though its min-th failure fell inside it") {
  const auto verdicts = Verdicts(Run(Policy(NotifyEvery::kStateChange, 2), {{kFailed, DependencyFailing()},
                                                                            {kFailed, DependencyFailing()},
                                                                            {kFailed, DependencyFailing()},
                                                                            {kFailed, {}},
                                                                            {kFailed, {}}}));
  CHECK(verdicts == std::vector<Verdict>{Q, Q, Q, F, Q});
}

TEST_CASE("a hold before failures_before_notify is reached changes nothing") {
  const auto outcomes =
      Run(Policy(NotifyEvery::kHour, 3), {{kFailed, DependencyFailing()}, {kFailed, {}}, {kFailed, {}}});
  CHECK(Verdicts(outcomes) == std::vector<Verdict>{Q, Q, F});
  CHECK(outcomes[0].reason == "quiet: 1st failure, failures_before_notify = 3");
  CHECK(outcomes[2].reason == "notified: 3rd failure, failures_before_notify = 3");
}

TEST_CASE("a recovery while a gate holds is not sent, and the streak ends") {
  const auto outcomes = Run(Policy(NotifyEvery::kHour), {{kFailed, {}}, {kOk, InMaintenanceUntil(kSunday + 3600)}});
  CHECK(Verdicts(outcomes) == std::vector<Verdict>{F, Q});
  CHECK(outcomes[1].reason == "suppressed: recovered after 1 failure, but in maintenance until 01:00 UTC");
  CHECK_FALSE(outcomes[1].history.failing);
}

TEST_CASE("a window opening and closing mid-streak: quiet inside, a notification at the first run after") {
  // Failing every hour; a window from 02:00 to 05:00 (kSunday is 00:00).
  const ParsedSchedule windows = ParseSchedule("0 2 * * sun 3h");
  REQUIRE(windows.ok());
  Job job = JobWith("tcp:web");
  job.maintenance = windows.directives;
  JobHistory history;
  std::vector<Verdict> verdicts;
  for (int hour = 0; hour < 7; ++hour) {
    const UnixTime now = kSunday + hour * 3600 + 60;
    const Gates gates = GatesAt(
        job, [](const std::string&) { return nullptr; }, now);
    CHECK(gates.maintenance.has_value() == (hour >= 2 && hour < 5));
    PolicyOutcome outcome = ApplyRun(Policy(NotifyEvery::kDay), history, kFailed, now, gates);
    verdicts.push_back(outcome.verdict);
    history = outcome.history;
  }
  // 00:01 notifies; day would be quiet for 23h50m, but the window's end releases one at 05:01.
  CHECK(verdicts == std::vector<Verdict>{F, Q, Q, Q, Q, F, Q});
}

TEST_CASE("a job failing inside a window that has not notified yet notifies after it") {
  const auto outcomes =
      Run(Policy(NotifyEvery::kHour),
          {{kFailed, InMaintenanceUntil(kSunday + 120)}, {kFailed, InMaintenanceUntil(kSunday + 120)}, {kFailed, {}}});
  CHECK(Verdicts(outcomes) == std::vector<Verdict>{Q, Q, F});
  CHECK(outcomes[0].reason == "suppressed: in maintenance until 00:02 UTC");
}

TEST_CASE("successes_before_recovery: the job stays failing until the Mth success, which recovers") {
  const auto outcomes =
      Run(Policy(NotifyEvery::kHour, 1, 3), {{kFailed, {}}, {kOk, {}}, {kOk, {}}, {kOk, {}}, {kOk, {}}});
  CHECK(Verdicts(outcomes) == std::vector<Verdict>{F, Q, Q, R, Q});
  CHECK(outcomes[1].history.failing);
  CHECK(outcomes[1].history.successes_in_a_row == 1);
  CHECK(outcomes[2].reason == "quiet: recovering: 2 of 3 successes");
  CHECK(outcomes[3].reason == "notified: recovered after 1 failure");
  CHECK_FALSE(outcomes[3].history.failing);
  CHECK(outcomes[3].history.successes_in_a_row == 0);
}

TEST_CASE("successes_before_recovery: a failure interrupts the successes and the streak goes on") {
  const auto outcomes =
      Run(Policy(NotifyEvery::kEvery, 1, 2), {{kFailed, {}}, {kOk, {}}, {kFailed, {}}, {kOk, {}}, {kOk, {}}});
  CHECK(Verdicts(outcomes) == std::vector<Verdict>{F, Q, F, Q, R});
  CHECK(outcomes[2].history.failures_in_a_row == 2);
  CHECK(outcomes[2].history.successes_in_a_row == 0);
  CHECK(outcomes[2].history.first_failure == kSunday);
}

TEST_CASE("gates: a dependency fails while its row fails, recovering included; a pause holds until it ends") {
  const Job job = JobWith("tcp:web", {{"tcp:router", "tcp:router"}, {"peer:peer1", "peer:peer1"}});
  StoredJob router, peer, web;
  router.history.failing = true;
  router.history.successes_in_a_row = 1;  // recovering: still failing
  web.paused = true;
  web.paused_until = kSunday + 600;
  const RowLookup rows = [&](const std::string& key) -> const StoredJob* {
    if (key == "tcp:router") return &router;
    if (key == "tcp:web") return &web;
    return nullptr;  // peer:peer1 never ran
  };
  Gates gates = GatesAt(job, rows, kSunday);
  CHECK(gates.failing_dependencies == std::vector<std::string>{"tcp:router"});
  CHECK(gates.paused);
  CHECK_FALSE(GatesAt(job, rows, kSunday + 600).paused);
  router.history.failing = false;
  CHECK(GatesAt(job, rows, kSunday).failing_dependencies.empty());
}

TEST_CASE("the next notification, in words") {
  const JobPolicy hourly = Policy(NotifyEvery::kHour, 3);
  JobHistory history;
  CHECK(NextNotification(hourly, history, {}, kSunday) == "at its 3rd failure in a row (3 more failing runs)");
  history.failing = true;
  history.failures_in_a_row = 3;
  history.notified_in_streak = true;
  history.last_notify = kSunday - 12 * 60;
  CHECK(NextNotification(hourly, history, {}, kSunday) ==
        "at its first failing run from 00:47 UTC on (in 47 min, notify = hour)");
  CHECK(NextNotification(hourly, history, DependencyFailing(), kSunday) ==
        "at its first failing run after tcp:router recovers");
  CHECK(NextNotification(hourly, history, InMaintenanceUntil(kSunday + 4 * 3600), kSunday) ==
        "at its first failing run after its maintenance window ends at 04:00 UTC");
  CHECK(NextNotification(Policy(NotifyEvery::kStateChange), history, {}, kSunday) ==
        "none until the job has recovered (notify = state_change)");
  history.held_in_streak = true;
  CHECK(NextNotification(hourly, history, {}, kSunday) == "at its next failing run");
}

TEST_CASE("dependencies due in the same tick run in earlier rounds") {
  const Job router = JobWith("tcp:router");
  const Job web = JobWith("tcp:web", {{"tcp:router", "tcp:router"}});
  const Job app = JobWith("tcp:app", {{"tcp:web", "tcp:web"}, {"tcp:router", "tcp:router"}});
  const Job alone = JobWith("tcp:alone", {{"tcp:not-due", "tcp:not-due"}});
  const auto rounds = DependencyRounds({&app, &web, &alone, &router});
  CHECK(rounds == std::vector<std::vector<std::size_t>>{{2, 3}, {1}, {0}});
}
