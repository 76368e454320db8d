#include "config.h"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "plugin_settings_view.h"

namespace checker {
namespace {

std::string DirectoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

std::string Resolve(const std::string& base_directory, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return base_directory + "/" + path;
}

std::optional<Security> ParseSecurity(const std::string& text) {
  if (text == "starttls") return Security::kStartTls;
  if (text == "tls") return Security::kTls;
  if (text == "none") return Security::kNone;
  return std::nullopt;
}

Security SecurityKey(InstanceConfig& section, const std::string& key, Security fallback) {
  std::string text = section.String(key);
  if (text.empty()) return fallback;
  auto security = ParseSecurity(text);
  if (!security) section.Error(key, "must be starttls, tls or none, not '" + text + "'");
  return security.value_or(fallback);
}

// "ops@example.com" or "Ops <ops@example.com>".
bool IsAddress(const std::string& item) {
  std::string address = item;
  if (auto open = item.find('<'); open != std::string::npos) {
    if (item.back() != '>') return false;
    address = item.substr(open + 1, item.size() - open - 2);
  }
  const auto at = address.find('@');
  return at != std::string::npos && at > 0 && at + 1 < address.size() &&
         address.find('@', at + 1) == std::string::npos && address.find_first_of(" \t=;,<>\"") == std::string::npos;
}

// A comma-separated list of addresses; a bad one is an error naming the key.
std::vector<std::string> Recipients(InstanceConfig& section, const std::string& key, const std::string& text) {
  std::vector<std::string> recipients = SplitList(text, ',');
  for (const auto& recipient : recipients) {
    if (!IsAddress(recipient)) {
      section.Error(key, "'" + recipient +
                             "' is not an email address (a comma separates addresses; an indented "
                             "line continues the value above it)");
    }
  }
  return recipients;
}

void ReadGeneral(Config& config, const std::string& base, Diagnostics& diagnostics) {
  PluginSettingsView view(config.file, "general", diagnostics);
  InstanceConfig general(view, "");
  auto& out = config.general;
  if (!config.file.FindSection("general")) {
    diagnostics.errors.push_back(config.path +
                                 ": the [general] section is missing (servername and alertcontact are required)");
    return;
  }
  out.servername = general.RequiredString("servername");
  out.alertcontact = Recipients(general, "alertcontact", general.RequiredString("alertcontact"));
  out.logfile = Resolve(base, general.String("logfile"));
  out.statefile = Resolve(base, general.String("statefile", out.statefile));
  {
    const std::string directory = DirectoryOf(out.statefile);
    struct stat info {};
    if (stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      general.Error("statefile", "the directory '" + directory + "' does not exist");
    } else if (stat(out.statefile.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
      general.Error("statefile", "'" + out.statefile + "' is not a regular file");
    }
  }
  for (const auto& dir : SplitList(general.String("plugindir"), ':')) out.plugindirs.push_back(Resolve(base, dir));
  const auto jobtimeout = general.Duration("jobtimeout", out.jobtimeout);
  if (jobtimeout < 1 || jobtimeout > 86400)
    general.Error("jobtimeout", "must be from 1 second to 1 day");
  else
    out.jobtimeout = static_cast<int>(jobtimeout);
  out.parallelism = static_cast<int>(general.Integer("parallelism", out.parallelism, 1, 256));
  if (auto text = general.String("maxbody"); !text.empty()) {
    auto bytes = ParseByteSize(text);
    if (!bytes || *bytes < 1 || *bytes > 256 * 1024 * 1024) {
      general.Error("maxbody", "must be a size from 1 to 256M such as 65536, 64K or 1M, not '" + text + "'");
    } else {
      out.maxbody = *bytes;
    }
  }
  out.maxtickgap = general.Duration("maxtickgap", out.maxtickgap);
}

void ReadEmail(Config& config, const std::string& base, Diagnostics& diagnostics) {
  PluginSettingsView view(config.file, "email", diagnostics);
  InstanceConfig email(view, "");
  auto& out = config.email;
  out.nomail = email.Boolean("nomail", false);
  out.user = email.String("user");
  out.password = email.String("pass");
  std::string passfile = Resolve(base, email.String("passfile"));
  if (!passfile.empty()) {
    if (!out.password.empty()) email.Error("passfile", "set pass or passfile, not both");
    std::ifstream in(passfile);
    if (!in) {
      email.Error("passfile", "cannot read '" + passfile + "'");
    } else {
      std::getline(in, out.password);
      if (!out.password.empty() && out.password.back() == '\r') out.password.pop_back();
      struct stat info {};
      if (stat(passfile.c_str(), &info) == 0 && (info.st_mode & S_IROTH)) {
        diagnostics.warnings.push_back(passfile + ": the password file is readable by every user; chmod o-r it");
      }
    }
  }
  out.smtpserver = email.String("smtpserver");
  out.smtpsecurity = SecurityKey(email, "smtpsecurity", Security::kStartTls);
  const int smtp_default = out.smtpsecurity == Security::kTls ? 465 : out.smtpsecurity == Security::kNone ? 25 : 587;
  out.smtpport = static_cast<int>(email.Integer("smtpport", smtp_default, 1, 65535));
  out.imapserver = email.String("imapserver");
  out.imapsecurity = SecurityKey(email, "imapsecurity", Security::kTls);
  out.imapport = static_cast<int>(email.Integer("imapport", out.imapsecurity == Security::kTls ? 993 : 143, 1, 65535));
  out.ideletesentmessagesautomatically = email.Boolean("ideletesentmessagesautomatically", false);
  out.imapfolder = email.String("imapfolder", out.ideletesentmessagesautomatically ? "[Gmail]/Trash" : "INBOX");
  out.bustgmailthreading = email.Boolean("bustgmailthreading", false);
  out.cafile = email.String("cafile");
  if (!out.cafile.empty() && out.cafile[0] != '/') email.Error("cafile", "must be an absolute path");
  if (!out.nomail && out.smtpserver.empty() && config.file.FindSection("email")) {
    diagnostics.warnings.push_back(config.file.Where("email", "smtpserver") +
                                   ": not set, so notifications are logged instead of mailed");
  }
}

void ReadWebhookDaemonPeers(Config& config, Diagnostics& diagnostics) {
  {
    PluginSettingsView view(config.file, "webhook", diagnostics);
    InstanceConfig webhook(view, "");
    config.webhook.url = webhook.String("url");
    config.webhook.timeout = static_cast<int>(webhook.Integer("timeout", config.webhook.timeout, 1, 300));
    if (!config.webhook.url.empty() && config.webhook.url.rfind("http://", 0) != 0 &&
        config.webhook.url.rfind("https://", 0) != 0) {
      webhook.Error("url", "must start with http:// or https://");
    }
  }
  {
    PluginSettingsView view(config.file, "daemon", diagnostics);
    InstanceConfig daemon(view, "");
    config.daemon_listen = daemon.String("listen", config.daemon_listen);
    config.daemon_key = daemon.String("key");
  }
  if (SettingsSection* peers = config.file.FindSection("peers")) {
    peers->known = true;
    for (auto& entry : peers->values) {
      entry.known = true;
      auto comma = entry.value.find(',');
      Peer peer{entry.key, Trim(entry.value.substr(0, comma)),
                comma == std::string::npos ? "" : Trim(entry.value.substr(comma + 1))};
      if (peer.url.rfind("http://", 0) != 0 && peer.url.rfind("https://", 0) != 0) {
        diagnostics.errors.push_back(config.file.Where("peers", entry.key) +
                                     ": must be 'http://host:port,admin@example.com'");
        continue;
      }
      config.peers.push_back(peer);
    }
  }
}

}  // namespace

std::vector<std::string> SplitList(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, separator)) {
    item = Trim(item);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

bool IsInstanceName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (!std::isalnum(byte) && byte < 0x80 && c != '_' && c != '.' && c != '@' && c != '-') return false;
  }
  return true;
}

std::optional<Frequency> ParseFrequency(const std::string& text) {
  if (text == "minute") return Frequency::kMinute;
  if (text == "hour") return Frequency::kHour;
  if (text == "day") return Frequency::kDay;
  if (text == "day_noon") return Frequency::kDayNoon;
  return std::nullopt;
}

const char* FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMinute:
      return "minute";
    case Frequency::kHour:
      return "hour";
    case Frequency::kDay:
      return "day";
    case Frequency::kDayNoon:
      return "day_noon";
  }
  return "?";
}

std::optional<NotifyEvery> ParseNotifyEvery(const std::string& text) {
  if (text == "every") return NotifyEvery::kEvery;
  if (text == "5min") return NotifyEvery::kFiveMinutes;
  if (text == "10min") return NotifyEvery::kTenMinutes;
  if (text == "hour") return NotifyEvery::kHour;
  if (text == "day") return NotifyEvery::kDay;
  if (text == "state_change") return NotifyEvery::kStateChange;
  return std::nullopt;
}

const char* NotifyEveryName(NotifyEvery notify) {
  switch (notify) {
    case NotifyEvery::kEvery:
      return "every";
    case NotifyEvery::kFiveMinutes:
      return "5min";
    case NotifyEvery::kTenMinutes:
      return "10min";
    case NotifyEvery::kHour:
      return "hour";
    case NotifyEvery::kDay:
      return "day";
    case NotifyEvery::kStateChange:
      return "state_change";
  }
  return "?";
}

Config Config::Load(const std::string& path, Diagnostics& diagnostics) {
  Config config;
  config.path = path;
  config.file = SettingsFile::Parse(path, diagnostics.errors);
  if (!diagnostics.ok() && config.file.sections().empty()) return config;
  const std::string base = DirectoryOf(path);
  ReadGeneral(config, base, diagnostics);
  ReadEmail(config, base, diagnostics);
  ReadWebhookDaemonPeers(config, diagnostics);
  // Only a file that holds a secret is worth a warning at every tick.
  struct stat info {};
  const bool holds_secret = config.file.Get("email", "pass").has_value() || !config.daemon_key.empty();
  if (holds_secret && stat(path.c_str(), &info) == 0 && (info.st_mode & S_IROTH)) {
    diagnostics.warnings.push_back(path + ": holds a password or key and is readable by every user; chmod o-r it");
  }
  return config;
}

JobSectionKeys Config::JobKeys(const std::string& name, Diagnostics& diagnostics) {
  auto colon = name.find(':');
  PluginSettingsView view(file, name.substr(0, colon), diagnostics);
  InstanceConfig section(view, colon == std::string::npos ? "" : name.substr(colon + 1));
  JobSectionKeys keys;
  // An empty value is a mistake, not "the default": each key is checked when present.
  if (auto text = view.Get(section.instance(), "frequency")) {
    keys.frequency = ParseFrequency(*text);
    if (!keys.frequency) section.Error("frequency", "must be minute, hour, day or day_noon, not '" + *text + "'");
  }
  if (auto text = view.Get(section.instance(), "notify")) {
    keys.notify = ParseNotifyEvery(*text);
    if (!keys.notify) {
      section.Error("notify", "must be every, 5min, 10min, hour, day or state_change, not '" + *text + "'");
    }
  }
  if (view.Get(section.instance(), "failures_before_notify"))
    keys.failures_before_notify = static_cast<int>(section.Integer("failures_before_notify", 1, 1, 1000000));
  if (view.Get(section.instance(), "timeout")) {
    auto seconds = section.Duration("timeout", general.jobtimeout);
    if (seconds < 1 || seconds > 86400)
      section.Error("timeout", "must be from 1 second to 1 day");
    else
      keys.timeout = static_cast<int>(seconds);
  }
  if (auto text = view.Get(section.instance(), "alertcontact")) {
    keys.alertcontact = Recipients(section, "alertcontact", *text);
    if (keys.alertcontact.empty()) section.Error("alertcontact", "is empty; remove it to use [general] alertcontact");
  }
  keys.notify_recovery = section.Boolean("notify_recovery", true);
  keys.enabled = section.Boolean("enabled", true);
  return keys;
}

}  // namespace checker
