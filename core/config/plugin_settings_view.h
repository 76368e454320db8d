// PluginSettingsView: the PluginSettings a plugin (or a core section) reads,
// backed by SettingsFile. Reads are recorded in KeyUsage; errors land in
// Diagnostics with file:line and key.
#pragma once

#include <checker/settings.h>

#include <optional>
#include <string>

#include "config/diagnostics.h"
#include "config/key_usage.h"
#include "config/settings_file.h"

namespace checker {

class PluginSettingsView : public PluginSettings {
 public:
  // `plugin` names the sections [plugin:NAME] and [plugin]. The empty
  // instance "" means [plugin] itself, which is how the core reads [general].
  // `validating`: for `-m validate` (see PluginSettings::Validating).
  PluginSettingsView(const SettingsFile& file, KeyUsage& usage, std::string plugin, Diagnostics& diagnostics,
                     bool validating = false)
      : file_(file),
        usage_(usage),
        plugin_(std::move(plugin)),
        diagnostics_(diagnostics),
        validating_(validating),
        plugin_section_{plugin_, file_.FindSection(plugin_)} {}

  std::vector<std::string> Instances() const override;
  std::optional<std::string> Get(const std::string& instance, const std::string& key) override;
  std::optional<std::string> GetGlobal(const std::string& section, const std::string& key) override;
  std::vector<std::string> GlobalKeys(const std::string& section) const override;
  void Error(const std::string& instance, const std::string& key, const std::string& message) override;
  void GlobalError(const std::string& section, const std::string& key, const std::string& message) override;
  std::string ResolvePath(const std::string& path) const override;
  bool Validating() const override { return validating_; }

 private:
  // A section by name, and where it is in the file (nullptr: absent).
  struct SectionLookup {
    std::string name;
    const SettingsSection* section = nullptr;
  };

  std::string SectionOf(const std::string& instance) const;
  // Each remembers the section it looked up last: a job's keys are read one
  // after another, and ten thousand jobs read some twenty keys each.
  const SectionLookup& InstanceSection(const std::string& instance);
  const SectionLookup& SectionNamed(const std::string& name);
  std::optional<std::string> Read(const SectionLookup& lookup, const std::string& key);

  const SettingsFile& file_;
  KeyUsage& usage_;
  std::string plugin_;
  Diagnostics& diagnostics_;
  bool validating_;
  SectionLookup plugin_section_;
  std::string last_instance_;
  std::optional<SectionLookup> instance_section_;
  std::optional<SectionLookup> named_section_;
};

// The directory that holds `path` ("." for a bare file name).
std::string DirectoryOf(const std::string& path);

}  // namespace checker
