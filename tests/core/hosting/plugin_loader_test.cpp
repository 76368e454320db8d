// The plugin loader: what it refuses before and after dlopen, and what it loads.
#include "hosting/plugin_loader.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "temp_dir.h"

using namespace checker;
namespace fs = std::filesystem;

namespace {

// Built by tests/CMakeLists.txt from tests/support/plugins/loader.
const std::string kPlugins = CHECKER_LOADER_TEST_PLUGINS;

// A copy of the test plugin `name`.so in `dir`, with `mode`.
std::string CopyPlugin(const std::string& name, const std::string& dir, fs::perms mode = fs::perms(0755)) {
  const std::string copy = dir + "/" + name + ".so";
  fs::copy_file(kPlugins + "/" + name + ".so", copy);
  fs::permissions(copy, mode);
  return copy;
}

// The reason `file` was refused, which must be the only outcome.
std::string RefusalOf(const std::string& file) {
  const PluginSet set = PluginLoader::Load({file});
  REQUIRE(set.loaded.empty());
  REQUIRE(set.refused.size() == 1);
  CHECK(set.refused[0].path == file);
  return set.refused[0].reason;
}

}  // namespace

TEST_CASE("a plugin built against this SDK loads, and its job runs") {
  const PluginSet set = PluginLoader::Load({kPlugins + "/good.so"});

  REQUIRE(set.refused.empty());
  REQUIRE(set.loaded.size() == 1);
  const LoadedPlugin& plugin = set.loaded[0];
  CHECK(plugin.name == "good");
  CHECK(plugin.path == kPlugins + "/good.so");
  CHECK_FALSE(plugin.spawner);
  REQUIRE(plugin.job);
  CHECK(plugin.job->Name() == "good:job");
  CHECK(plugin.job->Execute(RunContext{}).message == "fine");
}

TEST_CASE("a text file named like a plugin is refused as no shared object") {
  TempDir dir;
  const std::string file = dir.Write("notes.so", "just some text\n");

  CHECK(RefusalOf(file) == file + ": refused: not a loadable shared object (no ELF header)");
}

TEST_CASE("a directory named like a plugin is refused as no regular file") {
  TempDir dir;
  fs::create_directory(dir.File("folder.so"));

  CHECK(RefusalOf(dir.File("folder.so")) == dir.File("folder.so") + ": refused: not a regular file");
}

TEST_CASE("a plugin file that every user may write is refused before it is loaded") {
  TempDir dir;
  const std::string file = CopyPlugin("good", dir.path(), fs::perms(0757));

  CHECK(RefusalOf(file) == file + ": refused: writable by every user; chmod go-w it");
}

TEST_CASE("a plugin in a directory that every user may write is refused before it is loaded") {
  TempDir dir;
  fs::create_directory(dir.File("open"));
  const std::string file = CopyPlugin("good", dir.File("open"));
  fs::permissions(dir.File("open"), fs::perms(0777));

  CHECK(RefusalOf(file) ==
        file + ": refused: the directory '" + dir.File("open") + "' is writable by every user; chmod go-w it");
}

TEST_CASE("a plugin built for another SDK ABI is refused without calling its factory") {
  const std::string file = kPlugins + "/wrong_abi.so";

  const std::string reason = RefusalOf(file);

  CHECK(reason.rfind(file + ": refused: built for SDK ABI ", 0) == 0);
  CHECK(reason.find("; rebuild it against this checker's SDK") != std::string::npos);
}

TEST_CASE("a plugin without a factory is refused") {
  const std::string file = kPlugins + "/no_factory.so";

  CHECK(RefusalOf(file) == file + ": refused: exports no factory (checker_create_job or checker_create_spawner)");
}

TEST_CASE("a shared object that is no checker plugin is refused") {
  const std::string file = kPlugins + "/not_a_plugin.so";

  CHECK(RefusalOf(file) == file +
                               ": refused: not a checker plugin (no checker_sdk_abi export; use CHECKER_EXPORT_JOB or "
                               "CHECKER_EXPORT_SPAWNER)");
}

TEST_CASE("one refusal does not stop the other plugins from loading") {
  TempDir dir;
  const std::string text = dir.Write("notes.so", "text");

  const PluginSet set = PluginLoader::Load({text, kPlugins + "/good.so"});

  CHECK(set.refused.size() == 1);
  REQUIRE(set.loaded.size() == 1);
  CHECK(set.loaded[0].name == "good");
}

TEST_CASE("the first directory that holds a plugin's file wins, and only .so files count") {
  TempDir first, second;
  first.Write("b.so", "");
  second.Write("a.so", "");
  second.Write("b.so", "");
  second.Write("readme.txt", "");

  const std::vector<std::string> files = PluginLoader({first.path(), second.path(), first.File("missing")}).Files();

  CHECK(files == std::vector<std::string>{first.File("b.so"), second.File("a.so")});
}
