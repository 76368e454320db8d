#include "hosting/loaded_configuration.h"

#include <filesystem>

#include "hosting/builtin_plugins.h"
#include "hosting/plugin_probe.h"

namespace checker {
namespace {

constexpr int kPluginLoadTimeoutSeconds = 10;

}  // namespace

std::shared_ptr<LoadedConfiguration> LoadConfiguration(const std::string& path, bool validating,
                                                       const WhileProbing& meanwhile) {
  std::vector<std::string> errors;
  SettingsFile file = SettingsFile::Parse(path, errors);
  return LoadConfiguration(std::move(file), std::move(errors), validating, meanwhile);
}

std::shared_ptr<LoadedConfiguration> LoadConfiguration(SettingsFile file, std::vector<std::string> errors,
                                                       bool validating, const WhileProbing& meanwhile) {
  auto loaded = std::make_shared<LoadedConfiguration>();
  auto& diagnostics = loaded->diagnostics;
  for (auto& error : errors) diagnostics.Error(std::move(error));
  KeyUsage usage;
  loaded->config = Config::FromFile(std::move(file), usage, diagnostics);
  const Config& config = loaded->config;
  if (!diagnostics.ok() && config.file.sections().empty()) return loaded;

  std::vector<std::string> directories = config.general.plugindirs;
  for (const auto& directory : directories) {
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
      diagnostics.Warning(config.file.Where("general", "plugindir") + ": '" + directory + "' is not a directory" +
                          (error ? " (" + error.message() + ")" : ""));
    }
  }
  const std::string builtin_directory = PluginLoader::DefaultDirectory();
  directories.push_back(builtin_directory);
  std::vector<std::string> files;
  std::vector<std::string> installed;
  for (auto& file : PluginLoader(directories).Files()) {
    const std::filesystem::path plugin(file);
    installed.push_back(plugin.stem().string());
    const bool builtin = plugin.parent_path() == std::filesystem::path(builtin_directory);
    if (builtin && !BuiltinPluginUsed(plugin.stem().string(), config.file, usage)) continue;
    files.push_back(std::move(file));
  }
  // Plugin code that crashes or hangs at load time is found in a child first.
  ProbeResult probe = ProbePlugins(files, config, kPluginLoadTimeoutSeconds, meanwhile);
  loaded->plugins = PluginLoader::Load(probe.safe_files);
  for (auto& refused : probe.refused) loaded->plugins.refused.push_back(std::move(refused));
  loaded->plugins.installed = std::move(installed);
  for (const auto& refused : loaded->plugins.refused) diagnostics.Warning(refused.reason);
  loaded->catalog = JobCatalog::Build(config, loaded->plugins, usage, diagnostics, validating);
  std::vector<std::string> known_sections = CoreSections();
  known_sections.push_back("peers");
  for (const auto& plugin : loaded->plugins.installed) known_sections.push_back(plugin);
  for (auto& unknown : usage.UnknownEntries(config.file, known_sections)) diagnostics.Warning(std::move(unknown));
  return loaded;
}

}  // namespace checker
