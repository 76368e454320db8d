// The heartbeat plugin (a dead man's switch): [heartbeat:NAME] period = ...
// fails when no check-in arrived within the period, when a check-in since the
// last run reported a failure, or (with max_runtime) when a start was not
// followed by an end in time. Check-ins come from `checker -m ping --job NAME` or the
// daemon's /ping/NAME; the core hands their time to the job in RunContext.
//
// `period` is a duration (90s, 15m, 25h) or a coal-mine style schedule:
// directives "MINUTE HOUR DAY MONTH WEEKDAY SECONDS" separated by ";", in UTC.
// The first directive whose crontab fields match the current time gives the
// period in force; when none matches, no check-in is due.
#include <checker/plugin.h>

#include <bitset>
#include <ctime>
#include <sstream>

namespace {

// One crontab field as the set of values it matches.
using Field = std::bitset<60>;

int ValueOf(const std::string& text, const char* const* names, int first_name_value) {
  for (int i = 0; names && names[i]; ++i) {
    if (text == names[i]) return first_name_value + i;
  }
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 2) return -1;
  return std::stoi(text);
}

// Parses "*", "5", "1-5", "*/15", "mon-fri", "sat,sun" within [low, high].
bool ParseField(const std::string& text, int low, int high, const char* const* names, int first_name_value,
                Field& field) {
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    int step = 1;
    if (auto slash = part.find('/'); slash != std::string::npos) {
      step = ValueOf(part.substr(slash + 1), nullptr, 0);
      if (step <= 0) return false;
      part = part.substr(0, slash);
    }
    int from = low, to = high;
    if (part != "*") {
      auto dash = part.find('-');
      from = ValueOf(part.substr(0, dash), names, first_name_value);
      to = dash == std::string::npos ? from : ValueOf(part.substr(dash + 1), names, first_name_value);
      if (from < low || to > high || from > to) return false;
    }
    for (int value = from; value <= to; value += step) field.set(static_cast<std::size_t>(value));
  }
  return !text.empty();
}

struct Directive {
  Field minute, hour, day, month, weekday;
  std::int64_t period = 0;

  bool Matches(std::int64_t now) const {
    std::time_t t = static_cast<std::time_t>(now);
    std::tm parts{};
    gmtime_r(&t, &parts);
    return minute[parts.tm_min] && hour[parts.tm_hour] && day[parts.tm_mday] && month[parts.tm_mon + 1] &&
           weekday[parts.tm_wday];
  }
};

const char* const kWeekdays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};
const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                               "aug", "sep", "oct", "nov", "dec", nullptr};

// Parses directives of six words each. They may be separated by ";" or, as
// continued lines of settings.cfg arrive, just by spaces. Empty error on success.
std::string ParseSchedule(std::string text, std::vector<Directive>& directives) {
  for (char& c : text) {
    if (c == ';') c = ' ';
  }
  std::stringstream words(text);
  std::vector<std::string> fields;
  for (std::string word; words >> word;) fields.push_back(word);
  if (fields.empty() || fields.size() % 6 != 0) {
    return "each directive needs 5 crontab fields and a period, " + std::to_string(fields.size()) + " words given";
  }
  for (std::size_t at = 0; at < fields.size(); at += 6) {
    Directive directive;
    const std::string shown = fields[at] + " " + fields[at + 1] + " " + fields[at + 2] + " " + fields[at + 3] + " " +
                              fields[at + 4] + " " + fields[at + 5];
    bool ok = ParseField(fields[at], 0, 59, nullptr, 0, directive.minute) &&
              ParseField(fields[at + 1], 0, 23, nullptr, 0, directive.hour) &&
              ParseField(fields[at + 2], 1, 31, nullptr, 0, directive.day) &&
              ParseField(fields[at + 3], 1, 12, kMonths, 1, directive.month) &&
              ParseField(fields[at + 4], 0, 7, kWeekdays, 0, directive.weekday);
    if (directive.weekday[7]) directive.weekday.set(0);  // 7 is Sunday too
    auto period = checker::ParseDuration(fields[at + 5]);
    if (!ok || !period || *period <= 0) return "cannot read the directive '" + shown + "'";
    directive.period = *period;
    directives.push_back(directive);
  }
  return "";
}

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
  HeartbeatJob(std::string name, std::vector<Directive> schedule, std::int64_t max_runtime)
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
    const Directive* in_force = nullptr;
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
    const std::string period = "period " + Ago(in_force->period);
    if (quiet > in_force->period) return {false, "no check-in for " + Ago(quiet) + ", " + period + "; " + last};
    return {true, last + " (" + period + ")"};
  }

  std::string name_;
  std::vector<Directive> schedule_;
  std::int64_t max_runtime_;
};

class HeartbeatSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    const std::string period = section.RequiredString("period");
    std::vector<Directive> schedule;
    if (auto seconds = checker::ParseDuration(period)) {
      Directive always;
      always.minute.set();
      always.hour.set();
      always.day.set();
      always.month.set();
      always.weekday.set();
      always.period = *seconds;
      if (*seconds <= 0) section.Error("period", "must be longer than 0");
      schedule.push_back(always);
    } else if (!period.empty()) {
      if (std::string error = ParseSchedule(period, schedule); !error.empty()) {
        section.Error("period",
                      "must be a duration such as 25h or a schedule such as "
                      "'* * * * sat,sun 300; * * * * mon-fri 90': " +
                          error);
      }
    }
    const std::int64_t max_runtime = section.Duration("max_runtime", 0);
    if (section.Has("max_runtime") && max_runtime <= 0) section.Error("max_runtime", "must be longer than 0");
    return std::make_unique<HeartbeatJob>(section.instance(), std::move(schedule), max_runtime);
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(HeartbeatSpawner)
