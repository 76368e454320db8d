// A plugin whose loading kills the process: a static constructor raises
// SIGSEGV, before any factory could be called. Only a probe child loads it.
#include <checker/plugin.h>

#include <csignal>

namespace {

struct CrashWhenLoaded {
  CrashWhenLoaded() { std::raise(SIGSEGV); }
} crash_when_loaded;

class NeverMade : public checker::JobBase {
 public:
  std::string Name() const override { return "crash_at_load:job"; }
  checker::JobResult Execute(const checker::RunContext&) override { return {true, "never runs"}; }
};

}  // namespace

CHECKER_EXPORT_JOB(NeverMade)
