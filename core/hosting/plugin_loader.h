// PluginLoader: finds plugin files and loads the ones that are safe to load.
//
// A plugin is PLUGIN.so in one of the search directories (plugindir entries
// first, then the install's plugin directory); the first file of a name wins.
// Each file is opened once and must be trusted (util/trusted_path.h: a
// regular file owned by root or the running user, not writable by group or
// others, in directories up to `/` that no other user can change); what is
// loaded is that open descriptor, so a link swapped after the check loads
// nothing else. After dlopen it refuses a plugin without the SDK ABI export,
// with a different ABI number, or without a factory. A refusal never stops
// the others; it is reported with the file's path.
#pragma once

#include <checker/job.h>

#include <memory>
#include <string>
#include <vector>

#include "util/status.h"

namespace checker {

struct LoadedPlugin {
  std::string name;  // file name without ".so"
  std::string path;
  // Exactly one is set. Both keep the shared library loaded for as long as
  // they (and the jobs they make) live.
  std::shared_ptr<JobSpawner> spawner;
  std::shared_ptr<JobBase> job;
};

struct RefusedPlugin {
  std::string name;
  std::string path;
  std::string reason;  // "PATH: reason"
};

struct PluginSet {
  std::vector<LoadedPlugin> loaded;
  std::vector<RefusedPlugin> refused;
  // The name of every plugin installed or in plugindir, loaded or not.
  std::vector<std::string> installed;
};

class PluginLoader {
 public:
  explicit PluginLoader(std::vector<std::string> directories) : directories_(std::move(directories)) {}
  // The plugin files to load, in order: the first file of each name.
  std::vector<std::string> Files() const;
  // Loads `files` in this process.
  static PluginSet Load(const std::vector<std::string>& files);

  // The directory of the built-in plugins, relative to the running executable
  // (bin/../lib/checker/plugins), in both the build tree and an install.
  static std::string DefaultDirectory();

 private:
  std::vector<std::string> directories_;
};

// Wraps an object made by a plugin so that its library outlives it.
template <typename T, typename Library>
std::shared_ptr<T> KeepLibraryAlive(std::unique_ptr<T> object, std::shared_ptr<Library> library) {
  return std::shared_ptr<T>(object.release(), [library](T* pointer) { delete pointer; });
}

}  // namespace checker
