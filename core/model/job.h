// Job: one configured job as the engine sees it, whatever plugin made it:
// its name and state key, its policy, and the plugin's object that runs it.
#pragma once

#include <checker/job.h>
#include <checker/schedule.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace checker {

// The policy keys of a job, settled from the plugin's defaults and its section.
struct JobPolicy {
  NotifyEvery notify = NotifyEvery::kHour;
  int failures_before_notify = 1;
  bool notify_recovery = true;
  int successes_before_recovery = 1;  // successes in a row that end a failing streak
};

// A job that this one depends on: while it fails, this one sends nothing.
struct Dependency {
  std::string name;  // "tcp:router"
  std::string key;   // its row in the state file
};

// How the job's alerts are labelled for Alertmanager.
struct AlertLabels {
  std::string severity = "critical";
  std::vector<std::pair<std::string, std::string>> extra;  // the job's `labels`
};

struct Job {
  std::string name;    // "tcp:dns"
  std::string key;     // its row in the state file
  std::string plugin;  // "tcp"
  Frequency frequency = Frequency::kMinute;
  JobPolicy policy;
  AlertLabels alert_labels;
  int timeout_seconds = 30;
  std::vector<std::string> recipients;
  std::vector<Dependency> depends_on;
  // Its maintenance windows and those of [general]: it runs, but nothing notifies.
  std::vector<ScheduleDirective> maintenance;
  std::string maintenance_text;  // the same as written: "0 2 * * sun 3h; 30 23 * * * 45m"
  bool enabled = true;
  JobTraits traits;
  // The plugin's object; it keeps its shared library loaded. Null for the
  // failing stand-in of a refused plugin, whose message is `refusal`.
  std::shared_ptr<JobBase> impl;
  std::string refusal;

  // NAME of "PLUGIN:NAME".
  std::string BareName() const { return name.substr(name.find(':') + 1); }
};

}  // namespace checker

namespace checker {

// Whether `name` may be a plugin's name or the NAME of [PLUGIN:NAME]: letters
// (UTF-8 ones too), digits and _ . @ - (no spaces, colons, slashes or control
// characters, so that it fits a URL path, a header and a log line).
bool IsInstanceName(const std::string& name);

// A check-in's kind as the state file and the history name it: "success",
// "failure", "start", "log"; and back.
const char* CheckinKindName(Checkin::Kind kind);
std::optional<Checkin::Kind> ParseCheckinKind(const std::string& name);

}  // namespace checker
