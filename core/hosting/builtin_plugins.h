// Which built-in plugins a configuration uses. Those it does not use are not
// loaded: several link libcurl, whose loading costs more than the rest of a
// tick. A plugin from plugindir is always loaded (it may make its jobs
// without any section).
#pragma once

#include <string>

#include "config/key_usage.h"
#include "config/settings_file.h"

namespace checker {

// Whether the built-in plugin `name` has anything to do under `file`: a
// section [name] or [name:...] of its own, or a section of the core that
// makes its jobs (the registry in builtin_plugins.cpp). When it has not, the
// sections it would read are marked as read, since nothing else reads them.
bool BuiltinPluginUsed(const std::string& name, const SettingsFile& file, KeyUsage& usage);

}  // namespace checker
