#include "hosting/network_module.h"

#include <filesystem>
#include <memory>

#include "hosting/plugin_loader.h"

namespace checker {

Result<NetworkModule*> NetworkModule::Get() {
  static std::unique_ptr<NetworkModule> module;
  if (module) return module.get();
  // network.so sits in lib/checker/, beside the plugins/ directory.
  const auto path = std::filesystem::path(PluginLoader::DefaultDirectory()).parent_path() / "network.so";
  std::unique_ptr<NetworkModule> loaded(new NetworkModule());
  boost::dll::fs::error_code error;
  loaded->library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
  if (error) return Status::Error(path.string() + ": cannot load checker's network module: " + error.message());
  module = std::move(loaded);
  return module.get();
}

}  // namespace checker
