// LoadedConfiguration: settings.cfg with its plugins loaded and its jobs
// made, ready to run or to report on. Loading never stops at the first
// problem: every error and warning is in `diagnostics`, and a configuration
// with errors must not be run.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "config/diagnostics.h"
#include "hosting/job_catalog.h"
#include "hosting/plugin_loader.h"
#include "hosting/plugin_probe.h"

namespace checker {

struct LoadedConfiguration {
  Config config;
  Diagnostics diagnostics;
  PluginSet plugins;  // keeps the plugins' libraries loaded for the jobs
  JobCatalog catalog;
};

// Reads settings.cfg at `path`, then finds, probes and loads the plugins it
// uses and makes their jobs. `validating`: for `-m validate`, which also
// reports what would only fail a job when it runs. `meanwhile` runs while
// the plugins are probed, if any are (see ProbePlugins).
std::shared_ptr<LoadedConfiguration> LoadConfiguration(const std::string& path, bool validating = false,
                                                       const WhileProbing& meanwhile = {});
// The same for a file already read, such as the last good configuration
// kept in the state file; `errors` holds what reading it found.
std::shared_ptr<LoadedConfiguration> LoadConfiguration(SettingsFile file, std::vector<std::string> errors,
                                                       bool validating = false, const WhileProbing& meanwhile = {});

}  // namespace checker
