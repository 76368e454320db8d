#include "config/config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "config/plugin_settings_view.h"
#include "model/frequency.h"
#include "util/text.h"
#include "util/trusted_path.h"

namespace checker {
namespace {

std::string Resolve(const std::string& base_directory, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return base_directory + "/" + path;
}

// A comma-separated list of addresses; a bad one is an error naming the key.
std::vector<std::string> Recipients(InstanceConfig& section, const std::string& key, const std::string& text) {
  std::vector<std::string> recipients = SplitList(text, ',');
  for (const auto& recipient : recipients) {
    if (!IsEmailAddress(recipient)) {
      section.Error(key, "'" + recipient +
                             "' is not an email address (a comma separates addresses; an indented "
                             "line continues the value above it)");
    }
  }
  return recipients;
}

// The sections of the core, each read through the same view a plugin gets.
struct Reader {
  Config& config;
  KeyUsage& usage;
  Diagnostics& diagnostics;
};

// The windows of a `maintenance` value: five crontab fields (UTC) and a
// duration each, separated by `;`.
std::vector<ScheduleDirective> MaintenanceWindows(InstanceConfig& section, const std::string& text) {
  ParsedSchedule parsed = ParseSchedule(text);
  if (!parsed.ok()) {
    section.Error("maintenance", *parsed.error);
  } else if (parsed.directives.empty()) {
    section.Error("maintenance", "is empty; write windows such as '0 2 * * sun 3h' or remove it");
  }
  return parsed.directives;
}

void ReadGeneral(const Reader& reader, const std::string& base) {
  Config& config = reader.config;
  PluginSettingsView view(config.file, reader.usage, "general", reader.diagnostics);
  InstanceConfig general(view, "");
  auto& out = config.general;
  if (!config.file.FindSection("general")) {
    reader.diagnostics.Error(config.path +
                             ": the [general] section is missing (servername and alertcontact are required)");
    return;
  }
  out.servername = general.RequiredString("servername");
  out.alertcontact = Recipients(general, "alertcontact", general.RequiredString("alertcontact"));
  out.logfile = general.String("logfile");
  if (out.logfile != "syslog") out.logfile = Resolve(base, out.logfile);
  out.statefile = Resolve(base, general.String("statefile", out.statefile));
  {
    const std::string directory = DirectoryOf(out.statefile);
    struct stat info {};
    if (stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      general.Error("statefile", "the directory '" + directory + "' does not exist");
    } else if (Status trusted = CheckTrustedDirectory(directory); !trusted.ok()) {
      // checker creates the state file and its lock files there.
      general.Error("statefile", trusted.message() + " (checker creates its state and lock files there)");
    } else if (lstat(out.statefile.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
      general.Error("statefile", "'" + out.statefile + "' is not a regular file" +
                                     (S_ISLNK(info.st_mode) ? " (a symbolic link is not followed)" : ""));
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
  if (general.Has("maintenance")) {
    out.maintenance_text = Trim(general.String("maintenance"));
    out.maintenance = MaintenanceWindows(general, out.maintenance_text);
  }
}

void ReadEmail(const Reader& reader) {
  Config& config = reader.config;
  PluginSettingsView view(config.file, reader.usage, "email", reader.diagnostics);
  std::vector<std::string> warnings;
  config.email = ReadMailSettings(view, warnings);
  for (auto& warning : warnings) reader.diagnostics.Warning(std::move(warning));
}

// Notifications must go somewhere, or be logged on purpose: a configuration
// that would print them where nobody reads is refused.
void CheckDeliveryChannel(const Reader& reader) {
  const Config& config = reader.config;
  if (config.email.nomail || !config.email.smtp.host.empty() || !config.webhook.url.empty() ||
      !config.alertmanager.urls.empty())
    return;
  const std::string where = config.file.FindSection("email") ? config.file.Where("email", "smtpserver") : config.path;
  reader.diagnostics.Error(
      where +
      ": no delivery channel: set [email] smtpserver, [webhook] url or [alertmanager] url, or [email] nomail = true "
      "to log notifications instead of sending them");
}

void ReadWebhook(const Reader& reader) {
  Config& config = reader.config;
  PluginSettingsView view(config.file, reader.usage, "webhook", reader.diagnostics);
  InstanceConfig webhook(view, "");
  config.webhook.url = webhook.String("url");
  config.webhook.timeout = static_cast<int>(webhook.Integer("timeout", config.webhook.timeout, 1, 300));
  if (!config.webhook.url.empty() && config.webhook.url.rfind("http://", 0) != 0 &&
      config.webhook.url.rfind("https://", 0) != 0) {
    webhook.Error("url", "must start with http:// or https://");
  }
}

void ReadDaemon(const Reader& reader) {
  Config& config = reader.config;
  PluginSettingsView view(config.file, reader.usage, "daemon", reader.diagnostics);
  InstanceConfig daemon(view, "");
  auto& out = config.daemon;
  out.listen = daemon.String("listen", out.listen);
  if (!ParseListen(out.listen, out.host, out.port)) {
    daemon.Error("listen", "must be HOST:PORT, not '" + out.listen + "'");
  }
  out.key = daemon.String("key");
  out.read_key = daemon.String("read_key");
}

void ReadPrometheus(const Reader& reader, const std::string& base) {
  Config& config = reader.config;
  PluginSettingsView view(config.file, reader.usage, "prometheus", reader.diagnostics);
  InstanceConfig prometheus(view, "");
  auto& out = config.prometheus;
  out.textfile = Resolve(base, prometheus.String("textfile"));
  if (out.textfile.empty()) return;
  // node_exporter reads only files ending in .prom; the tick writes the file
  // through a temporary one beside it, so the directory must be writable.
  const std::string directory = DirectoryOf(out.textfile);
  struct stat info {};
  if (out.textfile.size() < 6 || out.textfile.compare(out.textfile.size() - 5, 5, ".prom") != 0) {
    prometheus.Error("textfile", "must end in .prom (node_exporter's textfile collector reads only those)");
  } else if (stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    prometheus.Error("textfile", "the directory '" + directory + "' does not exist");
  } else if (access(directory.c_str(), W_OK | X_OK) != 0) {
    prometheus.Error("textfile", "the directory '" + directory + "' is not writable by this user");
  }
}

void ReadAlertmanager(const Reader& reader) {
  Config& config = reader.config;
  PluginSettingsView view(config.file, reader.usage, "alertmanager", reader.diagnostics);
  InstanceConfig alertmanager(view, "");
  auto& out = config.alertmanager;
  for (auto url : SplitList(alertmanager.String("url"), ',')) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      alertmanager.Error("url", "'" + url + "' must start with http:// or https://");
      continue;
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    out.urls.push_back(url);
  }
  out.generator_url = alertmanager.String("generator_url");
  if (!out.generator_url.empty() && out.generator_url.rfind("http://", 0) != 0 &&
      out.generator_url.rfind("https://", 0) != 0) {
    alertmanager.Error("generator_url", "must start with http:// or https://");
  }
  while (!out.generator_url.empty() && out.generator_url.back() == '/') out.generator_url.pop_back();
  out.timeout = static_cast<int>(alertmanager.Integer("timeout", out.timeout, 1, 300));
}

// A Prometheus label name that checker does not set itself.
bool IsJobLabelName(const std::string& name) {
  static const char* const kReserved[] = {"alertname", "check", "plugin", "instance", "severity"};
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) || name.rfind("__", 0) == 0) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  for (const char* reserved : kReserved) {
    if (name == reserved) return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& CoreSections() {
  static const std::vector<std::string> kSections = {"general", "email",      "webhook",
                                                     "daemon",  "prometheus", "alertmanager"};
  return kSections;
}

bool IsCoreSection(const std::string& name) {
  const auto& sections = CoreSections();
  return std::find(sections.begin(), sections.end(), name) != sections.end();
}

bool ParseListen(const std::string& listen, std::string& host, int& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string digits = listen.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(digits);
  return port > 0 && port < 65536;
}

Config Config::Load(const std::string& path, KeyUsage& usage, Diagnostics& diagnostics) {
  return FromFile(SettingsFile::Parse(path, diagnostics.errors), usage, diagnostics);
}

Config Config::FromFile(SettingsFile file, KeyUsage& usage, Diagnostics& diagnostics) {
  Config config;
  config.path = file.path();
  config.file = std::move(file);
  for (const auto& warning : config.file.warnings()) diagnostics.Warning(warning);
  if (!diagnostics.ok() && config.file.sections().empty()) return config;
  const Reader reader{config, usage, diagnostics};
  ReadGeneral(reader, DirectoryOf(config.path));
  ReadEmail(reader);
  ReadWebhook(reader);
  ReadDaemon(reader);
  ReadPrometheus(reader, DirectoryOf(config.path));
  ReadAlertmanager(reader);
  if (config.file.FindSection("general")) CheckDeliveryChannel(reader);
  // Only a file that holds a secret is worth a warning at every tick.
  struct stat info {};
  const bool holds_secret =
      config.file.Get("email", "pass").has_value() || !config.daemon.key.empty() || !config.daemon.read_key.empty();
  if (holds_secret && stat(config.path.c_str(), &info) == 0 && (info.st_mode & S_IROTH)) {
    diagnostics.Warning(config.path + ": holds a password or key and is readable by every user; chmod o-r it");
  }
  return config;
}

JobSectionKeys Config::JobKeys(const std::string& name, KeyUsage& usage, Diagnostics& diagnostics) const {
  auto colon = name.find(':');
  PluginSettingsView view(file, usage, name.substr(0, colon), diagnostics);
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
  if (auto text = view.Get(section.instance(), "severity")) {
    keys.severity = Trim(*text);
    if (keys.severity->empty()) section.Error("severity", "is empty; remove it for the default, critical");
  }
  if (auto text = view.Get(section.instance(), "labels")) {
    for (const auto& pair : SplitList(*text, ',')) {
      const auto equals = pair.find('=');
      const std::string name = Trim(pair.substr(0, equals));
      if (equals == std::string::npos || !IsJobLabelName(name)) {
        section.Error("labels", "'" + pair +
                                    "' is not NAME=VALUE with NAME made of letters, digits and _ (and not "
                                    "alertname, check, plugin, instance or severity)");
        continue;
      }
      keys.labels.emplace_back(name, Trim(pair.substr(equals + 1)));
    }
  }
  if (view.Get(section.instance(), "successes_before_recovery")) {
    keys.successes_before_recovery = static_cast<int>(section.Integer("successes_before_recovery", 1, 1, 1000000));
  }
  if (auto text = view.Get(section.instance(), "maintenance")) {
    keys.maintenance_text = Trim(*text);
    keys.maintenance = MaintenanceWindows(section, keys.maintenance_text);
  }
  if (auto text = view.Get(section.instance(), "depends_on")) {
    keys.depends_on = SplitList(*text, ',');
    keys.depends_on_where = file.Where(file.Get(name, "depends_on") ? name : name.substr(0, colon), "depends_on");
    if (keys.depends_on.empty()) section.Error("depends_on", "is empty; name jobs such as tcp:router, or remove it");
  }
  return keys;
}

}  // namespace checker
