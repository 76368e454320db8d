#include "hosting/plugin_loader.h"

#include <checker/abi.h>
#include <checker/plugin.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include "util/trusted_path.h"

namespace checker {
namespace fs = std::filesystem;

namespace {

// Whether the object behind `handle` was mapped from the file `file` (by its
// device and inode in /proc/self/maps). dlopen("/proc/self/fd/N") returns an
// object loaded earlier under that name (or one that took it as an alias)
// without opening anything, so a reused descriptor number could otherwise
// bring back another plugin.
bool MappedFrom(void* handle, const struct stat& file) {
  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map) return false;
  const auto address = reinterpret_cast<std::uintptr_t>(map->l_ld);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long start = 0, end = 0, offset = 0, inode = 0;
    unsigned major = 0, minor = 0;
    char permissions[8] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %7s %lx %x:%x %lu", &start, &end, permissions, &offset, &major, &minor,
                    &inode) != 7) {
      continue;
    }
    if (address >= start && address < end) return makedev(major, minor) == file.st_dev && inode == file.st_ino;
  }
  return false;
}

// Loads the file open as `file` into `library`, by its /proc/self/fd name.
Status LoadDescriptor(FileDescriptor file, boost::dll::shared_library& library) {
  struct stat opened {};
  if (fstat(file.get(), &opened) != 0) return Status::Error(std::string("cannot inspect it: ") + std::strerror(errno));
  for (int tries = 0; tries < 64; ++tries) {
    boost::dll::fs::error_code error;
    library.load(DescriptorPath(file.get()), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                 error);
    if (error) return Status::Error("not a loadable shared object (" + error.message() + ")");
    if (MappedFrom(library.native(), opened)) return Status::Ok();
    // Another object answers to this name: try the file under another number.
    library.unload();
    FileDescriptor higher(fcntl(file.get(), F_DUPFD_CLOEXEC, file.get() + 1));
    if (higher.get() < 0) return Status::Error(std::string("cannot duplicate its descriptor: ") + std::strerror(errno));
    file = std::move(higher);
  }
  return Status::Error("cannot load it under a name of its own");
}

Result<LoadedPlugin> LoadOne(const fs::path& file) {
  LoadedPlugin plugin;
  plugin.name = file.stem().string();
  plugin.path = file.string();
  // Opened and checked once; what is loaded is this descriptor, so a
  // symbolic link swapped after the check changes nothing.
  Result<FileDescriptor> opened = OpenTrustedFile(file.string());
  if (!opened.ok()) return Status::Error("refused: " + opened.error());
  char magic[4] = {};
  if (pread(opened->get(), magic, sizeof magic, 0) != static_cast<ssize_t>(sizeof magic) ||
      std::string(magic, sizeof magic) !=
          "\x7f"
          "ELF") {
    return Status::Error("refused: not a loadable shared object (no ELF header)");
  }
  auto library = std::make_shared<boost::dll::shared_library>();
  if (Status loaded = LoadDescriptor(std::move(*opened), *library); !loaded.ok()) {
    return Status::Error("refused: " + loaded.message());
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
    // A directory that cannot be read (missing, a loop of links, a name too
    // long) holds no plugins; the configuration reports it.
    std::error_code error;
    std::vector<fs::path> files;
    for (fs::directory_iterator entry(directory, error), end; !error && entry != end; entry.increment(error)) {
      if (entry->path().extension() == ".so") files.push_back(entry->path());
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
