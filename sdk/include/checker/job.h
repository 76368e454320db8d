// Jobs: what a plugin gives the core to run.
//
// A JobBase is one check. The core asks it for its name, policy and traits
// once, when the tick starts, and then runs Execute() in a worker process with
// a timeout, so a job may block, crash or leak without harming other jobs.
// Execute() runs at most once per tick. OnFailure() and OnStateChangeSuccess()
// run in the same worker right after Execute(); they describe a notification,
// and the core decides by policy whether to send it. The section [PLUGIN:NAME] may override
// the policy methods (frequency, notify, failures_before_notify, timeout).
//
// A JobSpawner makes jobs from configuration, typically one per [PLUGIN:NAME]
// section. Everything a job or spawner returns is owned by the core.
#pragma once

#include <checker/settings.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace checker {

// How often a job runs; the cron ticks cascade (an `hour` tick runs minute and
// hour jobs, a `day` tick minute, hour and day jobs, a `day_noon` tick minute,
// hour and day_noon jobs).
enum class Frequency { kMinute, kHour, kDay, kDayNoon };

// How often a failing job notifies: at every failing run, at most every 5 or
// 10 minutes, hourly or daily, or only when the job starts failing.
enum class NotifyEvery { kEvery, kFiveMinutes, kTenMinutes, kHour, kDay, kStateChange };

// One measurement reported with a result, such as a Nagios plugin's
// performance data, in base units. The core keeps it with the run and exports
// it as a metric.
struct Measurement {
  std::string label;  // "/", "time", "load1"
  double value = 0;
  std::string unit;  // "seconds", "bytes", "percent", "counter", or "" for a plain number
  // The thresholds and bounds as the job gave them ("10", "@10:20", "~:5"), or "".
  std::string warning, critical, min, max;
};

struct JobResult {
  JobResult() = default;
  JobResult(bool success, std::string message, std::vector<Measurement> measurements = {})
      : success(success), message(std::move(message)), measurements(std::move(measurements)) {}

  bool success = false;
  std::string message;  // one line a person reads; the core caps its length
  std::vector<Measurement> measurements;
};

// What the core must know about a job besides its policy. The defaults fit
// an ordinary check.
struct JobTraits {
  // Check-ins (`checker -m ping`, the daemon's /ping) may name it, by its
  // full name or by its bare NAME.
  bool accepts_checkins = false;
  // Its failure means that this host cannot deliver mail: the daemon answers
  // peers "MailProblem" while it fails.
  bool watches_mail = false;
  // It watches another checker: its notifications are of the kind "peer".
  bool watches_peer = false;
};

struct Notification {
  std::string subject;  // the core prefixes "[servername] " and the job name if missing
  std::string body;
};

// One check-in from outside: `checker -m ping`, `checker -m exec` or the
// daemon's /ping/NAME[/fail|/start|/log|/N].
struct Checkin {
  enum class Kind {
    kSuccess,  // it ran and succeeded
    kFailure,  // it ran and failed (exit_status says how, when it is known)
    kStart,    // it started; a success or failure should follow
    kLog,      // a message for the history; no change of state
  };
  std::int64_t time = 0;  // seconds since the epoch (UTC)
  Kind kind = Kind::kSuccess;
  int exit_status = -1;  // the command's exit status, -1 when none was given
  std::string message;
};

// What the core tells a job about this run.
struct RunContext {
  int timeout_seconds = 30;  // the worker is killed after this; bound your own waits by it
  std::int64_t now = 0;      // the tick's time, seconds since the epoch (UTC)
  // From the state file: when this job first appeared there (now, for a new
  // job), and its last check-in (`checker -m ping` or the daemon's /ping).
  std::int64_t first_seen = 0;
  std::optional<std::int64_t> last_checkin;
  bool last_checkin_failed = false;
  std::string last_checkin_message;
  // When the job last ran (unset: never), and every check-in since then,
  // oldest first, so that none is lost between two runs.
  std::optional<std::int64_t> last_run;
  std::vector<Checkin> checkins;
  // When a start check-in came that no success or failure followed yet.
  std::optional<std::int64_t> started;
  // nomail is in force: nothing may leave this host by mail or otherwise on
  // the job's own account (a test mail, a message); say so in the result.
  bool nomail = false;
};

class JobBase {
 public:
  virtual ~JobBase() = default;

  // "PLUGIN:NAME", where PLUGIN is the plugin's file name without ".so".
  virtual std::string Name() const = 0;
  // The key of this job's row in the state file; empty means Name(). It must be
  // stable across runs and distinct for every instance.
  virtual std::string StateKey() const { return ""; }

  virtual Frequency ExecuteEvery() const { return Frequency::kMinute; }
  virtual NotifyEvery NotifyOnFailureEvery() const { return NotifyEvery::kHour; }
  virtual int NumberFailuresBeforeNotification() const { return 1; }
  // Who hears of this job when its section sets no alertcontact; empty means
  // [general] alertcontact.
  virtual std::vector<std::string> AlertContacts() const { return {}; }
  virtual JobTraits Traits() const { return {}; }

  virtual JobResult Execute(const RunContext& context) = 0;

  // The notification of a failure that notifies, and of the recovery after
  // a streak that did. An empty subject (the default) means the core's text:
  // "NAME failed: MESSAGE" and "NAME recovered".
  virtual Notification OnFailure(const JobResult&) const { return {}; }
  virtual Notification OnStateChangeSuccess(const JobResult&) const { return {}; }
};

class JobSpawner {
 public:
  virtual ~JobSpawner() = default;
  // Called once per tick. Reports bad settings through settings.Error().
  virtual std::vector<std::unique_ptr<JobBase>> Spawn(PluginSettings& settings) = 0;
};

// The usual spawner: one job per [PLUGIN:NAME] section. A plugin derives from
// it and says how one section becomes a job; returning null makes no job for
// that section (after reporting why through section.Error()).
class InstanceSpawner : public JobSpawner {
 public:
  std::vector<std::unique_ptr<JobBase>> Spawn(PluginSettings& settings) final {
    std::vector<std::unique_ptr<JobBase>> jobs;
    for (const auto& instance : settings.Instances()) {
      InstanceConfig section(settings, instance);
      if (auto job = MakeJob(section)) jobs.push_back(std::move(job));
    }
    return jobs;
  }

 protected:
  virtual std::unique_ptr<JobBase> MakeJob(InstanceConfig& section) = 0;
};

}  // namespace checker
