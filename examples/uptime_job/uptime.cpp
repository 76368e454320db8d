// uptime: one job, "uptime:recent-boot", that fails for the first ten minutes
// after the machine boots, so a reboot nobody planned is noticed.
#include <checker/plugin.h>

#include <fstream>

class RecentBootJob : public checker::JobBase {
 public:
  std::string Name() const override { return "uptime:recent-boot"; }
  checker::NotifyEvery NotifyOnFailureEvery() const override { return checker::NotifyEvery::kStateChange; }

  checker::JobResult Execute(const checker::RunContext&) override {
    double seconds = 0;
    std::ifstream("/proc/uptime") >> seconds;
    if (seconds <= 0) return {false, "cannot read /proc/uptime"};
    const long minutes = static_cast<long>(seconds / 60);
    if (minutes < 10) return {false, "the machine booted " + std::to_string(minutes) + " min ago"};
    return {true, "up for " + std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min"};
  }
};

CHECKER_EXPORT_JOB(RecentBootJob)
