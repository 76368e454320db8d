// The heartbeat plugin (a dead man's switch): [heartbeat:NAME] period = ...
// fails when no check-in arrived within the period, when a check-in since the
// last run reported a failure, or (with max_runtime) when a start was not
// followed by an end in time. Check-ins come from `checker -m ping --job NAME` or the
// daemon's /ping/NAME; the core hands their time to the job in RunContext.
//
// `period` is a duration (90s, 15m, 25h) or a coal-mine style schedule:
// directives "MINUTE HOUR DAY MONTH WEEKDAY DURATION" as checker/schedule.h reads them.
// The first directive whose crontab fields match the current time gives the
// period in force; when none matches, no check-in is due.
#include <checker/plugin.h>
#include <checker/schedule.h>

#include <ctime>

namespace {

using checker::ScheduleDirective;

std::string Ago(std::int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
}

// "10:00:20 UTC"
std::string TimeOfDay(std::int64_t time) {
  std::time_t t = static_cast<std::time_t>(time);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%H:%M:%S UTC", &parts);
  return text;
}

class HeartbeatJob : public checker::JobBase {
 public:
  // `max_runtime`: 0 when a start need not be followed by an end in time.
  HeartbeatJob(std::string name, std::vector<ScheduleDirective> schedule, std::int64_t max_runtime)
      : name_(std::move(name)), schedule_(std::move(schedule)), max_runtime_(max_runtime) {}

  std::string Name() const override { return "heartbeat:" + name_; }
  checker::JobTraits Traits() const override {
    checker::JobTraits traits;
    traits.accepts_checkins = true;
    return traits;
  }

  checker::JobResult Execute(const checker::RunContext& context) override {
    // Every check-in since the last run counts, in order: a failure reported
    // between two runs fails this run even if a success followed it (the
    // next run sees that success and recovers).
    const checker::Checkin* failure = nullptr;
    std::optional<std::int64_t> start;
    std::vector<checker::Measurement> runtimes;
    for (const auto& checkin : context.checkins) {
      if (checkin.kind == checker::Checkin::Kind::kStart) start = checkin.time;
      if (checkin.kind == checker::Checkin::Kind::kFailure) failure = &checkin;
      const bool finished =
          checkin.kind == checker::Checkin::Kind::kSuccess || checkin.kind == checker::Checkin::Kind::kFailure;
      if (finished && start) {
        checker::Measurement runtime;
        runtime.label = "runtime";
        runtime.value = static_cast<double>(checkin.time - *start);
        runtime.unit = "seconds";
        runtimes.push_back(runtime);
        start.reset();
      }
    }
    checker::JobResult result = Judge(context, failure);
    if (!runtimes.empty()) result.measurements = {runtimes.back()};
    return result;
  }

 private:
  checker::JobResult Judge(const checker::RunContext& context, const checker::Checkin* failure) const {
    if (failure) {
      return {false, "a check-in at " + TimeOfDay(failure->time) + " reported a failure" +
                         (failure->message.empty() ? "" : ": " + failure->message)};
    }
    if (max_runtime_ > 0 && context.started && context.now - *context.started > max_runtime_) {
      return {false, "started " + Ago(context.now - *context.started) + " ago and has not finished (max_runtime " +
                         Ago(max_runtime_) + ")"};
    }
    if (context.last_checkin && context.last_checkin_failed) {
      return {false, "the last check-in (" + Ago(context.now - *context.last_checkin) + " ago) reported a failure" +
                         (context.last_checkin_message.empty() ? "" : ": " + context.last_checkin_message)};
    }
    const ScheduleDirective* in_force = nullptr;
    for (const auto& directive : schedule_) {
      if (directive.Matches(context.now)) {
        in_force = &directive;
        break;
      }
    }
    // A new or unpaused heartbeat is due one period after it (re)appeared.
    const std::int64_t since = std::max(context.first_seen, context.last_checkin.value_or(0));
    const std::int64_t quiet = context.now - since;
    const std::string last = context.last_checkin ? "last check-in " + Ago(context.now - *context.last_checkin) + " ago"
                                                  : "never checked in";
    if (!in_force) return {true, last + " (no check-in due at this time)"};
    const std::string period = "period " + Ago(in_force->seconds);
    if (quiet > in_force->seconds) return {false, "no check-in for " + Ago(quiet) + ", " + period + "; " + last};
    return {true, last + " (" + period + ")"};
  }

  std::string name_;
  std::vector<ScheduleDirective> schedule_;
  std::int64_t max_runtime_;
};

class HeartbeatSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    const std::string period = section.RequiredString("period");
    std::vector<ScheduleDirective> schedule;
    if (auto seconds = checker::ParseDuration(period)) {
      if (*seconds <= 0) section.Error("period", "must be longer than 0");
      schedule.push_back(ScheduleDirective::AtAnyTime(*seconds));
    } else if (!period.empty()) {
      checker::ParsedSchedule parsed = checker::ParseSchedule(period);
      if (!parsed.ok()) {
        section.Error("period",
                      "must be a duration such as 25h or a schedule such as "
                      "'* * * * sat,sun 300; * * * * mon-fri 90': " +
                          *parsed.error);
      }
      schedule = std::move(parsed.directives);
    }
    const std::int64_t max_runtime = section.Duration("max_runtime", 0);
    if (section.Has("max_runtime") && max_runtime <= 0) section.Error("max_runtime", "must be longer than 0");
    return std::make_unique<HeartbeatJob>(section.instance(), std::move(schedule), max_runtime);
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(HeartbeatSpawner)
