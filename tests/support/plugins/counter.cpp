// A test plugin: [counter:NAME] file = PATH appends one line to PATH per run,
// then succeeds or fails as `succeed` says, optionally after `sleep` ms.
// Lets tests count how often a job really ran across overlapping ticks.
#include <checker/plugin.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace {

class CountingJob : public checker::JobBase {
 public:
  CountingJob(std::string name, std::string file, bool succeed, int sleep_ms)
      : name_(std::move(name)), file_(std::move(file)), succeed_(succeed), sleep_ms_(sleep_ms) {}
  std::string Name() const override { return "counter:" + name_; }

  checker::JobResult Execute(const checker::RunContext&) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
    int fd = open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0) return {false, "cannot open " + file_};
    std::string line = name_ + "\n";
    bool written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    close(fd);
    if (!written) return {false, "cannot write " + file_};
    return {succeed_, succeed_ ? "counted" : "counted, failing on purpose"};
  }

 private:
  std::string name_;
  std::string file_;
  bool succeed_;
  int sleep_ms_;
};

class CounterSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    return std::make_unique<CountingJob>(section.instance(), section.RequiredString("file"),
                                         section.Boolean("succeed", true),
                                         static_cast<int>(section.Integer("sleep", 0, 0, 600000)));
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(CounterSpawner)
