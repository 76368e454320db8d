#include "hosting/job_catalog.h"

#include <set>

#include "config/plugin_settings_view.h"
#include "util/text.h"

namespace checker {
namespace {

Job MakeJob(const Config& config, const std::string& plugin, std::shared_ptr<JobBase> impl, KeyUsage& usage,
            Diagnostics& diagnostics) {
  Job job;
  job.plugin = plugin;
  job.name = impl->Name();
  job.key = impl->StateKey().empty() ? job.name : plugin + ":" + impl->StateKey();
  job.frequency = impl->ExecuteEvery();
  job.policy.notify = impl->NotifyOnFailureEvery();
  job.policy.failures_before_notify = std::max(1, impl->NumberFailuresBeforeNotification());
  job.timeout_seconds = config.general.jobtimeout;
  job.traits = impl->Traits();
  JobSectionKeys keys = config.JobKeys(job.name, usage, diagnostics);
  if (keys.frequency) job.frequency = *keys.frequency;
  if (keys.notify) job.policy.notify = *keys.notify;
  if (keys.failures_before_notify) job.policy.failures_before_notify = *keys.failures_before_notify;
  if (keys.timeout) job.timeout_seconds = *keys.timeout;
  job.policy.notify_recovery = keys.notify_recovery;
  job.enabled = keys.enabled;
  if (keys.severity) job.alert_labels.severity = *keys.severity;
  job.alert_labels.extra = keys.labels;
  job.recipients = keys.alertcontact;
  if (job.recipients.empty()) job.recipients = impl->AlertContacts();
  if (job.recipients.empty()) job.recipients = config.general.alertcontact;
  job.impl = std::move(impl);
  return job;
}

Job RefusedJob(const Config& config, const RefusedPlugin& refused) {
  Job job;
  job.plugin = "plugin";
  job.name = "plugin:" + refused.path.substr(refused.path.rfind('/') + 1);  // the file name, "foo.so"
  job.key = job.name;
  job.recipients = config.general.alertcontact;
  job.refusal = refused.reason;
  return job;
}

}  // namespace

JobCatalog JobCatalog::Build(const Config& config, const PluginSet& plugins, KeyUsage& usage, Diagnostics& diagnostics,
                             bool validating) {
  JobCatalog catalog;
  std::vector<RefusedPlugin> refused = plugins.refused;
  std::set<std::string> plugin_names;

  for (const auto& plugin : plugins.loaded) {
    const std::string refusal = plugin.path + ": refused: ";
    std::vector<std::shared_ptr<JobBase>> made;
    std::vector<std::pair<std::string, std::string>> names_and_keys;
    std::string problem;
    try {
      if (plugin.spawner) {
        PluginSettingsView view(config.file, usage, plugin.name, diagnostics, validating);
        for (auto& job : plugin.spawner->Spawn(view)) {
          if (job) made.push_back(KeepLibraryAlive(std::move(job), plugin.spawner));
        }
      } else {
        made.push_back(plugin.job);
      }
      // A plugin that names its jobs badly is refused as a whole, like one
      // that fails to load: its jobs cannot be told apart safely.
      std::set<std::string> names, keys;
      for (const auto& impl : made) {
        const std::string name = impl->Name();
        const std::string key = impl->StateKey().empty() ? name : plugin.name + ":" + impl->StateKey();
        const std::string prefix = plugin.name + ":";
        if (name.compare(0, prefix.size(), prefix) != 0 || !IsInstanceName(name.substr(prefix.size()))) {
          problem = "makes a job named '" + Shorten(OneLine(name), 103) + "'; names must be '" + prefix +
                    "NAME' with NAME made of letters, digits and _ . @ -";
        } else if (!names.insert(name).second) {
          problem = "makes two jobs named '" + name + "'";
        } else if (!keys.insert(key).second) {
          problem = "makes two jobs with the state key '" + key + "'";
        }
        if (!problem.empty()) break;
      }
    } catch (const std::exception& error) {
      problem = std::string("spawning its jobs threw: ") + error.what();
    }
    if (!problem.empty()) {
      diagnostics.Warning(refusal + problem);
      refused.push_back({plugin.name, plugin.path, refusal + problem});
      continue;
    }
    plugin_names.insert(plugin.name);
    for (auto& impl : made) catalog.jobs_.push_back(MakeJob(config, plugin.name, std::move(impl), usage, diagnostics));
  }
  for (const auto& plugin : refused) catalog.jobs_.push_back(RefusedJob(config, plugin));

  // A job section whose plugin is missing is an error: a job that silently
  // does not run is the worst failure a monitor can have. One whose plugin
  // was refused is covered by the refusal.
  std::set<std::string> refused_names;
  for (const auto& plugin : refused) refused_names.insert(plugin.name);
  for (const auto& section : config.file.sections()) {
    const auto colon = section.name.find(':');
    if (colon == std::string::npos) continue;
    const std::string plugin = section.name.substr(0, colon);
    if (!IsInstanceName(section.name.substr(colon + 1)) || !IsInstanceName(plugin)) {
      diagnostics.Error(config.path + ":" + std::to_string(section.line) + ": [" + section.name +
                        "] a job section is [PLUGIN:NAME], each made of letters, digits and _ . @ -");
      continue;
    }
    if (plugin_names.count(plugin)) continue;
    usage.MarkWholeSection(section.name);
    if (refused_names.count(plugin)) continue;
    const std::string nearest = NearestWord(plugin, plugins.installed);
    diagnostics.Error(config.path + ":" + std::to_string(section.line) + ": [" + section.name + "]: no plugin '" +
                      plugin + "'" + (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") + " (no " + plugin +
                      ".so is installed or in plugindir, so this job cannot run)");
  }
  return catalog;
}

const Job* JobCatalog::Find(const std::string& name) const {
  for (const auto& job : jobs_) {
    if (job.name == name) return &job;
  }
  return nullptr;
}

const Job* JobCatalog::FindCheckinJob(const std::string& name) const {
  const bool bare = name.find(':') == std::string::npos;
  for (const auto& job : jobs_) {
    if (job.traits.accepts_checkins && (bare ? job.BareName() == name : job.name == name)) return &job;
  }
  return nullptr;
}

const Job* JobCatalog::FindByCommandName(const std::string& name) const {
  if (const Job* job = Find(name)) return job;
  return FindCheckinJob(name);
}

std::size_t JobCatalog::RefusedPluginCount() const {
  std::size_t refused = 0;
  for (const auto& job : jobs_) refused += !job.impl && !job.refusal.empty();
  return refused;
}

}  // namespace checker
