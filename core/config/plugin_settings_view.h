// PluginSettingsView: the PluginSettings a plugin (or a core section) reads,
// backed by SettingsFile. Reads are recorded in KeyUsage; errors land in
// Diagnostics with file:line and key.
#pragma once

#include <checker/settings.h>

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
      : file_(file), usage_(usage), plugin_(std::move(plugin)), diagnostics_(diagnostics), validating_(validating) {}

  std::vector<std::string> Instances() const override;
  std::optional<std::string> Get(const std::string& instance, const std::string& key) override;
  std::optional<std::string> GetGlobal(const std::string& section, const std::string& key) override;
  std::vector<std::string> GlobalKeys(const std::string& section) const override;
  void Error(const std::string& instance, const std::string& key, const std::string& message) override;
  void GlobalError(const std::string& section, const std::string& key, const std::string& message) override;
  std::string ResolvePath(const std::string& path) const override;
  bool Validating() const override { return validating_; }

 private:
  std::string SectionOf(const std::string& instance) const;

  const SettingsFile& file_;
  KeyUsage& usage_;
  std::string plugin_;
  Diagnostics& diagnostics_;
  bool validating_;
};

// The directory that holds `path` ("." for a bare file name).
std::string DirectoryOf(const std::string& path);

}  // namespace checker
