// A plugin the loader accepts: one job, "good:job", that succeeds.
#include <checker/plugin.h>

namespace {

class GoodJob : public checker::JobBase {
 public:
  std::string Name() const override { return "good:job"; }
  checker::JobResult Execute(const checker::RunContext&) override { return {true, "fine"}; }
};

}  // namespace

CHECKER_EXPORT_JOB(GoodJob)
