// Config: the core's own settings ([general], [email], [webhook], [daemon],
// [prometheus], [alertmanager])
// and the policy keys every job section accepts, typed and checked.
//
// Loading collects every problem in Diagnostics and records what it read in
// KeyUsage. The result is a finished value: nothing changes it afterwards. It
// is usable for reporting even when there are errors, but must not be run.
// Relative paths are taken from the directory of settings.cfg.
#pragma once

#include <checker/job.h>
#include <checker/schedule.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostics.h"
#include "config/key_usage.h"
#include "config/settings_file.h"
#include "mail/mail_settings.h"

namespace checker {

struct GeneralConfig {
  std::string servername;
  std::vector<std::string> alertcontact;
  std::string logfile;  // empty: warnings to stderr, nothing else logged
  std::string statefile = "/var/lib/checker/state.db";
  std::vector<std::string> plugindirs;  // searched before the install's plugin directory
  int jobtimeout = 30;
  int parallelism = 16;
  std::int64_t maxbody = 1024 * 1024;
  std::int64_t maxtickgap = 300;               // seconds; 0 disables the missed-ticks notification
  std::vector<ScheduleDirective> maintenance;  // windows for every job
  std::string maintenance_text;                // as written
};

struct WebhookConfig {
  std::string url;  // empty: no webhook
  int timeout = 10;
};

struct DaemonConfig {
  std::string listen = "0.0.0.0:5000";
  std::string host = "0.0.0.0";  // from listen
  int port = 5000;
  std::string key;       // empty: check-ins need no key
  std::string read_key;  // empty: /status.json and /metrics are open to anyone who can connect
};

struct PrometheusConfig {
  std::string textfile;  // empty: no textfile
};

struct AlertmanagerConfig {
  std::vector<std::string> urls;  // every instance gets every post; empty: no Alertmanager
  std::string generator_url;      // base URL of this host's status page, or empty
  int timeout = 10;
};

// The policy keys of one job section, each unset when the section does not
// say (the job's own defaults apply then).
struct JobSectionKeys {
  std::optional<Frequency> frequency;
  std::optional<NotifyEvery> notify;
  std::optional<int> failures_before_notify;
  std::optional<int> timeout;
  std::vector<std::string> alertcontact;
  bool notify_recovery = true;
  bool enabled = true;
  std::optional<std::string> severity;
  std::vector<std::pair<std::string, std::string>> labels;  // "team=dns, tier=1"
  std::optional<int> successes_before_recovery;
  std::vector<ScheduleDirective> maintenance;
  std::string maintenance_text;
  std::vector<std::string> depends_on;  // job names, checked once every job is known
  std::string depends_on_where;         // "path:line: [section] depends_on", for those checks
};

class Config {
 public:
  // Parses and checks the file at `path`.
  static Config Load(const std::string& path, KeyUsage& usage, Diagnostics& diagnostics);
  // The same for a file already parsed.
  static Config FromFile(SettingsFile file, KeyUsage& usage, Diagnostics& diagnostics);

  // Reads the policy keys of job `name` ("tcp:dns") from [tcp:dns], else [tcp].
  JobSectionKeys JobKeys(const std::string& name, KeyUsage& usage, Diagnostics& diagnostics) const;

  std::string path;
  GeneralConfig general;
  MailSettings email;
  WebhookConfig webhook;
  DaemonConfig daemon;
  PrometheusConfig prometheus;
  AlertmanagerConfig alertmanager;
  SettingsFile file;
};

// The core's own sections: general, email, webhook, daemon, ...
const std::vector<std::string>& CoreSections();
bool IsCoreSection(const std::string& name);

// Splits "host:port" (or "[v6]:port"); false when it is not one.
bool ParseListen(const std::string& listen, std::string& host, int& port);

}  // namespace checker
