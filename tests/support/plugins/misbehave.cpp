// A test plugin whose jobs misbehave as [misbehave:NAME] act = ... says:
// succeed, fail, segfault, abort, throw, exit, hang, spin, allocate, newline.
#include <checker/plugin.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace {

class MisbehavingJob : public checker::JobBase {
 public:
  MisbehavingJob(std::string name, std::string act) : name_(std::move(name)), act_(std::move(act)) {}
  std::string Name() const override { return "misbehave:" + name_; }

  checker::JobResult Execute(const checker::RunContext&) override {
    if (act_ == "succeed") return {true, "all good"};
    if (act_ == "segfault") std::raise(SIGSEGV);
    if (act_ == "abort") std::abort();
    if (act_ == "throw") throw std::runtime_error("thrown by plugin");
    if (act_ == "exit") std::exit(7);
    if (act_ == "hang")
      for (;;) pause();
    if (act_ == "spin")
      for (volatile unsigned long i = 0;; i = i + 1) {
      }
    if (act_ == "allocate") {
      std::vector<std::string> hoard;
      for (;;) hoard.emplace_back(32 << 20, 'x');
    }
    if (act_ == "newline") return {false, "line one\r\nBcc: victim@example.com\r\nline three"};
    return {false, "failed on purpose"};
  }

 private:
  std::string name_;
  std::string act_;
};

class MisbehaveSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    return std::make_unique<MisbehavingJob>(section.instance(), section.String("act", "fail"));
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(MisbehaveSpawner)
