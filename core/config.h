// Config: the core's own settings ([general], [email], [webhook], [daemon],
// [peers]) and the policy keys every job section accepts, typed and checked.
// Relative paths are taken relative to the directory of settings.cfg.
#pragma once

#include <checker/job.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "settings_file.h"

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
  std::int64_t maxtickgap = 300;  // seconds; 0 disables the missed-ticks notification
};

enum class Security { kStartTls, kTls, kNone };

struct EmailConfig {
  bool nomail = false;
  std::string user;
  std::string password;  // from pass or passfile; never logged
  std::string smtpserver;
  int smtpport = 587;
  Security smtpsecurity = Security::kStartTls;
  std::string imapserver;
  int imapport = 993;
  Security imapsecurity = Security::kTls;
  bool ideletesentmessagesautomatically = false;
  std::string imapfolder = "INBOX";
  bool bustgmailthreading = false;
  std::string cafile;  // PEM CAs trusted for SMTP and IMAP TLS; empty: the system's
};

struct WebhookConfig {
  std::string url;  // empty: no webhook
  int timeout = 10;
};

struct Peer {
  std::string name;  // the key in [peers], e.g. "peer1"
  std::string url;
  std::string admin;
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
};

class Config {
 public:
  // Parses and checks path. Problems go to diagnostics; the result is usable
  // for reporting even when diagnostics has errors, but must not be run.
  static Config Load(const std::string& path, Diagnostics& diagnostics);

  // Reads the policy keys of job `name` ("tcp:dns") from [tcp:dns], else [tcp].
  JobSectionKeys JobKeys(const std::string& name, Diagnostics& diagnostics);

  std::string path;
  GeneralConfig general;
  EmailConfig email;
  WebhookConfig webhook;
  std::vector<Peer> peers;
  std::string daemon_listen = "0.0.0.0:5000";
  std::string daemon_key;
  SettingsFile file;
};

std::optional<Frequency> ParseFrequency(const std::string& text);
std::optional<NotifyEvery> ParseNotifyEvery(const std::string& text);
const char* FrequencyName(Frequency frequency);
const char* NotifyEveryName(NotifyEvery notify);
std::vector<std::string> SplitList(const std::string& text, char separator);

// Whether `name` may be a plugin's name or the NAME of [PLUGIN:NAME]: letters
// (UTF-8 ones too), digits and _ . @ - (no spaces, colons, slashes or control
// characters, so that it fits a URL path, a header and a log line).
bool IsInstanceName(const std::string& name);

}  // namespace checker
