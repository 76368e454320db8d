#include "config/plugin_settings_view.h"

#include "model/job.h"

namespace checker {

std::string DirectoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

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
  // [PLUGIN]'s value counts as read too, even when the instance has its own.
  std::optional<std::string> fallback;
  if (!instance.empty()) fallback = Read(plugin_section_, key);
  if (auto value = Read(InstanceSection(instance), key)) return value;
  return fallback;
}

std::optional<std::string> PluginSettingsView::GetGlobal(const std::string& section, const std::string& key) {
  return Read(SectionNamed(section), key);
}

const PluginSettingsView::SectionLookup& PluginSettingsView::InstanceSection(const std::string& instance) {
  if (instance.empty()) return plugin_section_;
  if (!instance_section_ || instance != last_instance_) {
    last_instance_ = instance;
    const std::string name = SectionOf(instance);
    instance_section_ = SectionLookup{name, file_.FindSection(name)};
  }
  return *instance_section_;
}

const PluginSettingsView::SectionLookup& PluginSettingsView::SectionNamed(const std::string& name) {
  if (!named_section_ || named_section_->name != name) named_section_ = SectionLookup{name, file_.FindSection(name)};
  return *named_section_;
}

std::optional<std::string> PluginSettingsView::Read(const SectionLookup& lookup, const std::string& key) {
  if (!lookup.section) return std::nullopt;
  usage_.MarkKey(lookup.name, key);
  if (const SettingsValue* value = lookup.section->Find(key)) return value->value;
  return std::nullopt;
}

std::vector<std::string> PluginSettingsView::GlobalKeys(const std::string& section_name) const {
  std::vector<std::string> keys;
  if (const SettingsSection* section = file_.FindSection(section_name)) {
    usage_.MarkSection(section_name);
    for (const auto& value : section->values) keys.push_back(value.key);
  }
  return keys;
}

void PluginSettingsView::Error(const std::string& instance, const std::string& key, const std::string& message) {
  std::string section = SectionOf(instance);
  if (!instance.empty() && !file_.Find(section, key) && file_.Find(plugin_, key)) section = plugin_;
  diagnostics_.Error(file_.Where(section, key) + ": " + message);
}

void PluginSettingsView::GlobalError(const std::string& section, const std::string& key, const std::string& message) {
  diagnostics_.Error(file_.Where(section, key) + ": " + message);
}

std::string PluginSettingsView::ResolvePath(const std::string& path) const {
  if (path.empty() || path[0] == '/') return path;
  return DirectoryOf(file_.path()) + "/" + path;
}

}  // namespace checker
