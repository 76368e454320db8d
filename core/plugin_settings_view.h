// PluginSettingsView: the PluginSettings a plugin (or a core section) reads,
// backed by SettingsFile. Errors land in Diagnostics with file:line and key.
#pragma once

#include <checker/settings.h>

#include <string>

#include "diagnostics.h"
#include "settings_file.h"

namespace checker {

class PluginSettingsView : public PluginSettings {
 public:
  // `plugin` names the sections [plugin:NAME] and [plugin]. The empty
  // instance "" means [plugin] itself, which is how the core reads [general].
  PluginSettingsView(SettingsFile& file, std::string plugin, Diagnostics& diagnostics)
      : file_(file), plugin_(std::move(plugin)), diagnostics_(diagnostics) {}

  std::vector<std::string> Instances() const override;
  std::optional<std::string> Get(const std::string& instance, const std::string& key) override;
  std::optional<std::string> GetGlobal(const std::string& section, const std::string& key) override;
  std::vector<std::string> GlobalKeys(const std::string& section) const override;
  void Error(const std::string& instance, const std::string& key, const std::string& message) override;

 private:
  std::string SectionOf(const std::string& instance) const;

  SettingsFile& file_;
  std::string plugin_;
  Diagnostics& diagnostics_;
};

}  // namespace checker
