// diskfree: [diskfree:NAME] path = /, min_free_percent = 10
// Fails when the file system holding `path` has less free space than that.
#include <checker/plugin.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace {

class DiskFreeJob : public checker::JobBase {
 public:
  DiskFreeJob(std::string name, std::string path, int min_free_percent)
      : name_(std::move(name)), path_(std::move(path)), min_free_percent_(min_free_percent) {}

  std::string Name() const override { return "diskfree:" + name_; }

  checker::JobResult Execute(const checker::RunContext&) override {
    struct statvfs info {};
    if (statvfs(path_.c_str(), &info) != 0) return {false, path_ + ": " + std::strerror(errno)};
    const double free_percent = 100.0 * static_cast<double>(info.f_bavail) / static_cast<double>(info.f_blocks);
    const std::string text = path_ + " has " + std::to_string(static_cast<int>(free_percent)) + "% free";
    if (free_percent < min_free_percent_)
      return {false, text + ", fewer than " + std::to_string(min_free_percent_) + "%"};
    return {true, text};
  }

 private:
  std::string name_;
  std::string path_;
  int min_free_percent_;
};

class DiskFreeSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    return std::make_unique<DiskFreeJob>(section.instance(), section.String("path", "/"),
                                         static_cast<int>(section.Integer("min_free_percent", 10, 0, 100)));
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(DiskFreeSpawner)
