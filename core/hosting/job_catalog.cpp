#include "hosting/job_catalog.h"

#include <set>
#include <unordered_map>
#include <unordered_set>

#include "config/plugin_settings_view.h"
#include "util/text.h"

namespace checker {
namespace {

// The names a job's `depends_on` gives, and where, to be checked once every
// job is known.
struct NamedDependencies {
  std::vector<std::string> names;
  std::string where;
};

// What a catalog asks of each job a plugin makes, asked in one place, so
// that the probe asks the same.
struct JobAnswers {
  std::string name;
  std::string state_key;
  Frequency frequency;
  NotifyEvery notify;
  int failures_before_notify;
  JobTraits traits;
  std::vector<std::string> alert_contacts;
};

JobAnswers AskJob(const JobBase& impl) {
  return {impl.Name(),
          impl.StateKey(),
          impl.ExecuteEvery(),
          impl.NotifyOnFailureEvery(),
          impl.NumberFailuresBeforeNotification(),
          impl.Traits(),
          impl.AlertContacts()};
}

Job MakeJob(const Config& config, const std::string& plugin, std::shared_ptr<JobBase> impl, KeyUsage& usage,
            Diagnostics& diagnostics, NamedDependencies& dependencies) {
  const JobAnswers answers = AskJob(*impl);
  Job job;
  job.plugin = plugin;
  job.name = answers.name;
  job.key = answers.state_key.empty() ? job.name : plugin + ":" + answers.state_key;
  job.frequency = answers.frequency;
  job.policy.notify = answers.notify;
  job.policy.failures_before_notify = std::max(1, answers.failures_before_notify);
  job.timeout_seconds = config.general.jobtimeout;
  job.traits = answers.traits;
  JobSectionKeys keys = config.JobKeys(job.name, usage, diagnostics);
  if (keys.frequency) job.frequency = *keys.frequency;
  if (keys.notify) job.policy.notify = *keys.notify;
  if (keys.failures_before_notify) job.policy.failures_before_notify = *keys.failures_before_notify;
  if (keys.timeout) job.timeout_seconds = *keys.timeout;
  job.policy.notify_recovery = keys.notify_recovery;
  if (keys.successes_before_recovery) job.policy.successes_before_recovery = *keys.successes_before_recovery;
  job.maintenance = config.general.maintenance;
  job.maintenance.insert(job.maintenance.end(), keys.maintenance.begin(), keys.maintenance.end());
  job.maintenance_text = config.general.maintenance_text;
  if (!keys.maintenance_text.empty()) {
    job.maintenance_text += (job.maintenance_text.empty() ? "" : "; ") + keys.maintenance_text;
  }
  dependencies = {keys.depends_on, keys.depends_on_where};
  job.enabled = keys.enabled;
  if (keys.severity) job.alert_labels.severity = *keys.severity;
  job.alert_labels.extra = keys.labels;
  job.recipients = keys.alertcontact;
  if (job.recipients.empty()) job.recipients = answers.alert_contacts;
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

// Each cycle among the jobs' dependencies once, as the chain of indexes
// that closes it ({a, b, a}). Depth first without recursion, so that a long
// chain cannot exhaust the stack; each job is looked at once.
std::vector<std::vector<std::size_t>> DependencyCycles(const std::vector<Job>& jobs) {
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < jobs.size(); ++i) index_of.emplace(jobs[i].name, i);
  enum class Mark { kNew, kOnPath, kDone };
  std::vector<Mark> marks(jobs.size(), Mark::kNew);
  std::vector<std::vector<std::size_t>> cycles;
  for (std::size_t root = 0; root < jobs.size(); ++root) {
    if (marks[root] != Mark::kNew) continue;
    std::vector<std::pair<std::size_t, std::size_t>> path{{root, 0}};  // a job, and its next dependency
    marks[root] = Mark::kOnPath;
    while (!path.empty()) {
      auto& [job, next] = path.back();
      if (next == jobs[job].depends_on.size()) {
        marks[job] = Mark::kDone;
        path.pop_back();
        continue;
      }
      const std::size_t dependency = index_of.at(jobs[job].depends_on[next++].name);
      if (marks[dependency] == Mark::kOnPath) {
        std::vector<std::size_t> cycle;
        for (auto at = path.begin(); at != path.end(); ++at) {
          if (at->first == dependency || !cycle.empty()) cycle.push_back(at->first);
        }
        cycle.push_back(dependency);
        cycles.push_back(std::move(cycle));
      } else if (marks[dependency] == Mark::kNew) {
        marks[dependency] = Mark::kOnPath;
        path.emplace_back(dependency, 0);
      }
    }
  }
  return cycles;
}

// Resolves each job's `depends_on` names to jobs (a heartbeat by its bare
// name too); a name that is no job, or a cycle, is a configuration error.
void ResolveDependencies(JobCatalog& catalog, std::vector<Job>& jobs, const std::vector<NamedDependencies>& named,
                         Diagnostics& diagnostics) {
  bool any = false;
  for (std::size_t i = 0; i < jobs.size() && i < named.size(); ++i) {
    for (const auto& name : named[i].names) {
      any = true;
      const Job* found = catalog.FindByCommandName(name);
      if (!found) {
        std::vector<std::string> names;
        for (const auto& job : jobs) names.push_back(job.name);
        const std::string nearest = NearestWord(name, names);
        diagnostics.Error(named[i].where + ": '" + name + "' is no job" +
                          (nearest.empty() ? "" : "; did you mean '" + nearest + "'?"));
        continue;
      }
      jobs[i].depends_on.push_back({found->name, found->key});
    }
  }
  if (!any) return;
  for (const auto& cycle : DependencyCycles(jobs)) {
    std::string chain;
    for (std::size_t index : cycle) chain += (chain.empty() ? "" : " -> ") + jobs[index].name;
    diagnostics.Error(named[cycle.front()].where + ": a cycle of dependencies: " + chain);
  }
}

}  // namespace

JobCatalog JobCatalog::Build(const Config& config, const PluginSet& plugins, KeyUsage& usage, Diagnostics& diagnostics,
                             bool validating) {
  JobCatalog catalog;
  std::vector<RefusedPlugin> refused = plugins.refused;
  std::set<std::string> plugin_names;
  std::vector<NamedDependencies> named_dependencies;  // of catalog.jobs_[i]

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
      std::unordered_set<std::string> names, keys;
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
    catalog.jobs_.reserve(catalog.jobs_.size() + made.size());
    named_dependencies.reserve(named_dependencies.size() + made.size());
    for (auto& impl : made) {
      named_dependencies.emplace_back();
      catalog.jobs_.push_back(
          MakeJob(config, plugin.name, std::move(impl), usage, diagnostics, named_dependencies.back()));
    }
  }
  for (const auto& plugin : refused) catalog.jobs_.push_back(RefusedJob(config, plugin));
  ResolveDependencies(catalog, catalog.jobs_, named_dependencies, diagnostics);

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

void JobCatalog::RunPluginCode(const Config& config, const PluginSet& plugins) {
  KeyUsage usage;
  Diagnostics diagnostics;
  for (const auto& plugin : plugins.loaded) {
    std::vector<std::unique_ptr<JobBase>> spawned;
    std::vector<const JobBase*> made;
    // Where Build catches what a plugin throws (and refuses it), so does this.
    try {
      if (plugin.spawner) {
        PluginSettingsView view(config.file, usage, plugin.name, diagnostics, false);
        spawned = plugin.spawner->Spawn(view);
        for (const auto& job : spawned) {
          if (job) made.push_back(job.get());
        }
      } else if (plugin.job) {
        made.push_back(plugin.job.get());
      }
      for (const JobBase* job : made) {
        job->Name();
        job->StateKey();
      }
    } catch (const std::exception&) {
      continue;
    }
    for (const JobBase* job : made) AskJob(*job);
  }
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
