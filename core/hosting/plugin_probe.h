// PluginProbe: keeps a plugin that crashes or hangs while it is loaded or
// makes its jobs from taking the whole run down with it.
//
// Loading (dlopen, static constructors, the factory) and Spawn() run plugin
// code in the checker process itself. Before doing that, a forked child does
// the same, plugin by plugin, and tells the parent which one it is in; if the
// child dies or hangs, that plugin is refused ("crashed while loading: killed
// by SIGSEGV") and the child is run again without it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "hosting/plugin_loader.h"

namespace checker {

struct ProbeResult {
  std::vector<std::string> safe_files;  // load these
  std::vector<RefusedPlugin> refused;   // the ones that crashed or hung
};

// Work of the caller's that runs no plugin code, done in this process while
// the first probe child works (on the other core, when there is one).
using WhileProbing = std::function<void(const Config&)>;

// `meanwhile` runs once, while the first probe child works; what it throws
// is thrown once that child has ended.
ProbeResult ProbePlugins(const std::vector<std::string>& files, const Config& config, int timeout_seconds,
                         const WhileProbing& meanwhile = {});

}  // namespace checker
