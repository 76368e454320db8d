// The plugin probe: a child loads the plugins first, and the caller's own
// work runs beside it.
#include "hosting/plugin_probe.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <stdexcept>

using namespace checker;

namespace {

// Built by tests/CMakeLists.txt from tests/support/plugins/loader.
const std::string kPlugins = CHECKER_LOADER_TEST_PLUGINS;

// Whether this process has a child left, ended or not.
bool AnyChildLeft() { return !(waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD); }

}  // namespace

TEST_CASE("a plugin that crashes while it is loaded is refused, and the others stay safe") {
  const std::string good = kPlugins + "/good.so", crashing = kPlugins + "/crash_at_load.so";

  const ProbeResult result = ProbePlugins({crashing, good}, Config{}, 10);

  CHECK(result.safe_files == std::vector<std::string>{good});
  REQUIRE(result.refused.size() == 1);
  CHECK(result.refused[0].name == "crash_at_load");
  CHECK(result.refused[0].reason ==
        crashing + ": refused: crashed while loading or making its jobs (killed by SIGSEGV)");
  CHECK_FALSE(AnyChildLeft());
}

TEST_CASE("the caller's work runs once, in this process, while the first probe child works") {
  const std::string good = kPlugins + "/good.so", crashing = kPlugins + "/crash_at_load.so";
  int runs = 0;
  pid_t ran_in = 0;

  // The crash makes a second round; the work is not done again.
  const ProbeResult result = ProbePlugins({crashing, good}, Config{}, 10, [&](const Config&) {
    ++runs;
    ran_in = getpid();
  });

  CHECK(runs == 1);
  CHECK(ran_in == getpid());
  CHECK(result.safe_files == std::vector<std::string>{good});
}

TEST_CASE("what the caller's work throws is thrown once the probe child has ended") {
  const auto failing = [](const Config&) { throw std::runtime_error("the state file is locked"); };

  CHECK_THROWS_WITH(ProbePlugins({kPlugins + "/good.so"}, Config{}, 10, failing), "the state file is locked");
  CHECK_FALSE(AnyChildLeft());
}

TEST_CASE("without a plugin to probe, no child is started and the caller's work does not run") {
  int runs = 0;

  const ProbeResult result = ProbePlugins({}, Config{}, 10, [&](const Config&) { ++runs; });

  CHECK(result.safe_files.empty());
  CHECK(result.refused.empty());
  CHECK(runs == 0);
}
