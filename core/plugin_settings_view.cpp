#include "plugin_settings_view.h"

#include "config.h"

namespace checker {

std::string PluginSettingsView::SectionOf(const std::string& instance) const {
  return instance.empty() ? plugin_ : plugin_ + ":" + instance;
}

std::vector<std::string> PluginSettingsView::Instances() const {
  std::vector<std::string> names;
  const std::string prefix = plugin_ + ":";
  for (const auto& section : file_.sections()) {
    // A badly named section is reported by the catalog and spawns nothing.
    if (section.name.compare(0, prefix.size(), prefix) == 0 && IsInstanceName(section.name.substr(prefix.size()))) {
      names.push_back(section.name.substr(prefix.size()));
    }
  }
  return names;
}

std::optional<std::string> PluginSettingsView::Get(const std::string& instance, const std::string& key) {
  // Read [PLUGIN] too (which marks it known) even when the instance has its own value.
  std::optional<std::string> fallback = instance.empty() ? std::nullopt : file_.Get(plugin_, key);
  if (auto value = file_.Get(SectionOf(instance), key)) return value;
  return fallback;
}

std::optional<std::string> PluginSettingsView::GetGlobal(const std::string& section, const std::string& key) {
  return file_.Get(section, key);
}

std::vector<std::string> PluginSettingsView::GlobalKeys(const std::string& section_name) const {
  std::vector<std::string> keys;
  for (const auto& section : file_.sections()) {
    if (section.name != section_name) continue;
    for (const auto& value : section.values) keys.push_back(value.key);
  }
  return keys;
}

void PluginSettingsView::Error(const std::string& instance, const std::string& key, const std::string& message) {
  std::string section = SectionOf(instance);
  if (!instance.empty() && !file_.Find(section, key) && file_.Find(plugin_, key)) section = plugin_;
  diagnostics_.errors.push_back(file_.Where(section, key) + ": " + message);
}

}  // namespace checker
