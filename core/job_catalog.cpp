#include "job_catalog.h"

#include <set>

#include "plugin_settings_view.h"

namespace checker {
namespace {

Job MakeJob(Config& config, const std::string& plugin, std::shared_ptr<JobBase> impl, Diagnostics& diagnostics) {
  Job job;
  job.plugin = plugin;
  job.name = impl->Name();
  job.key = impl->StateKey().empty() ? job.name : plugin + ":" + impl->StateKey();
  job.frequency = impl->ExecuteEvery();
  job.policy.notify = impl->NotifyOnFailureEvery();
  job.policy.failures_before_notify = std::max(1, impl->NumberFailuresBeforeNotification());
  job.timeout_seconds = config.general.jobtimeout;
  JobSectionKeys keys = config.JobKeys(job.name, diagnostics);
  if (keys.frequency) job.frequency = *keys.frequency;
  if (keys.notify) job.policy.notify = *keys.notify;
  if (keys.failures_before_notify) job.policy.failures_before_notify = *keys.failures_before_notify;
  if (keys.timeout) job.timeout_seconds = *keys.timeout;
  job.policy.notify_recovery = keys.notify_recovery;
  job.enabled = keys.enabled;
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

JobCatalog JobCatalog::Build(Config& config, const PluginSet& plugins, Diagnostics& diagnostics) {
  JobCatalog catalog;
  std::vector<RefusedPlugin> refused = plugins.refused;
  std::set<std::string> plugin_names;

  for (const auto& plugin : plugins.loaded) {
    std::vector<std::shared_ptr<JobBase>> made;
    try {
      if (plugin.spawner) {
        PluginSettingsView view(config.file, plugin.name, diagnostics);
        for (auto& job : plugin.spawner->Spawn(view)) {
          if (job) made.push_back(KeepLibraryAlive(std::move(job), plugin.spawner));
        }
      } else {
        made.push_back(plugin.job);
      }
    } catch (const std::exception& error) {
      refused.push_back(
          {plugin.name, plugin.path, plugin.path + ": refused: spawning its jobs threw: " + error.what()});
      continue;
    }
    plugin_names.insert(plugin.name);
    for (auto& impl : made) {
      std::string name;
      try {
        name = impl->Name();
      } catch (const std::exception& error) {
        refused.push_back({plugin.name, plugin.path, plugin.path + ": refused: Name() threw: " + error.what()});
        continue;
      }
      if (name.size() <= plugin.name.size() + 1 || name.compare(0, plugin.name.size() + 1, plugin.name + ":") != 0) {
        diagnostics.errors.push_back(plugin.path + ": makes a job named '" + name + "'; its names must start with '" +
                                     plugin.name + ":'");
        continue;
      }
      catalog.jobs_.push_back(MakeJob(config, plugin.name, std::move(impl), diagnostics));
    }
  }
  for (const auto& plugin : refused) catalog.jobs_.push_back(RefusedJob(config, plugin));

  std::set<std::string> names, keys;
  for (const auto& job : catalog.jobs_) {
    if (!names.insert(job.name).second)
      diagnostics.errors.push_back("two jobs are named '" + job.name + "'");
    else if (!keys.insert(job.key).second)
      diagnostics.errors.push_back("two jobs share the state key '" + job.key + "'");
  }

  // A job section whose plugin is missing is worth a word; one whose plugin
  // was refused is already reported by the refusal.
  std::set<std::string> refused_names;
  for (const auto& plugin : refused) refused_names.insert(plugin.name);
  for (auto& section : config.file.sections()) {
    const auto colon = section.name.find(':');
    const std::string plugin = section.name.substr(0, colon);
    if (refused_names.count(plugin)) {
      section.known = true;
      for (auto& value : section.values) value.known = true;
    } else if (colon != std::string::npos && !plugin_names.count(plugin)) {
      section.known = true;
      for (auto& value : section.values) value.known = true;
      diagnostics.warnings.push_back(config.path + ":" + std::to_string(section.line) + ": [" + section.name +
                                     "] no plugin named '" + plugin + "' is loaded, so this job does not run");
    }
  }
  return catalog;
}

const Job* JobCatalog::Find(const std::string& name) const {
  for (const auto& job : jobs_) {
    if (job.name == name) return &job;
  }
  return nullptr;
}

}  // namespace checker
