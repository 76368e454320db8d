#include "hosting/plugin_loader.h"

#include <checker/abi.h>
#include <checker/plugin.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <fstream>
#include <set>

namespace checker {
namespace fs = std::filesystem;

namespace {

// Ok when the file may be loaded, else why not.
Status CheckSafeToLoad(const fs::path& file) {
  struct stat info {};
  if (stat(file.c_str(), &info) != 0) return Status::Error("cannot stat the file");
  if (!S_ISREG(info.st_mode)) return Status::Error("not a regular file");
  if (info.st_uid != 0 && info.st_uid != geteuid()) return Status::Error("owned by neither root nor the running user");
  if (info.st_mode & S_IWOTH) return Status::Error("writable by every user");
  struct stat directory {};
  if (stat(file.parent_path().c_str(), &directory) != 0) return Status::Error("cannot stat its directory");
  if (directory.st_mode & S_IWOTH) return Status::Error("its directory is writable by every user");
  return Status::Ok();
}

Result<LoadedPlugin> LoadOne(const fs::path& file) {
  LoadedPlugin plugin;
  plugin.name = file.stem().string();
  plugin.path = file.string();
  if (Status safe = CheckSafeToLoad(file); !safe.ok()) return Status::Error("refused: " + safe.message());
  char magic[4] = {};
  std::ifstream(file, std::ios::binary).read(magic, sizeof magic);
  if (std::string(magic, sizeof magic) !=
      "\x7f"
      "ELF") {
    return Status::Error("refused: not a loadable shared object (no ELF header)");
  }
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code error;
  library->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
  if (error) {
    return Status::Error("refused: not a loadable shared object (" + error.message() + ")");
  }
  if (!library->has("checker_sdk_abi")) {
    return Status::Error(
        "refused: not a checker plugin (no checker_sdk_abi export; use CHECKER_EXPORT_JOB or CHECKER_EXPORT_SPAWNER)");
  }
  const int abi = library->get_alias<const int>("checker_sdk_abi");
  if (abi != CHECKER_SDK_ABI) {
    return Status::Error("refused: built for SDK ABI " + std::to_string(abi) + ", this checker needs ABI " +
                         std::to_string(CHECKER_SDK_ABI) + "; rebuild it against this checker's SDK");
  }
  try {
    if (library->has("checker_create_spawner")) {
      auto& create = library->get_alias<plugin_exports::SpawnerFactory>("checker_create_spawner");
      plugin.spawner = KeepLibraryAlive(create(), library);
    } else if (library->has("checker_create_job")) {
      auto& create = library->get_alias<plugin_exports::JobFactory>("checker_create_job");
      plugin.job = KeepLibraryAlive(create(), library);
    } else {
      return Status::Error("refused: exports no factory (checker_create_job or checker_create_spawner)");
    }
  } catch (const std::exception& error) {
    return Status::Error(std::string("refused: its factory threw: ") + error.what());
  }
  if (!plugin.spawner && !plugin.job) return Status::Error("refused: its factory returned nothing");
  return plugin;
}

}  // namespace

std::string PluginLoader::DefaultDirectory() {
  boost::dll::fs::error_code error;
  auto executable = boost::dll::program_location(error);
  if (error) return "/usr/local/lib/checker/plugins";
  return (executable.parent_path().parent_path() / "lib" / "checker" / "plugins").lexically_normal().string();
}

std::vector<std::string> PluginLoader::Files() const {
  std::vector<std::string> chosen;
  std::set<std::string> seen;
  for (const auto& directory : directories_) {
    std::error_code error;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory, error)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (seen.insert(file.stem().string()).second) chosen.push_back(file.string());
    }
  }
  return chosen;
}

PluginSet PluginLoader::Load(const std::vector<std::string>& files) {
  PluginSet set;
  for (const auto& file : files) {
    Result<LoadedPlugin> plugin = LoadOne(file);
    if (plugin.ok())
      set.loaded.push_back(std::move(plugin.value()));
    else
      set.refused.push_back({fs::path(file).stem().string(), file, file + ": " + plugin.error()});
  }
  return set;
}

}  // namespace checker
