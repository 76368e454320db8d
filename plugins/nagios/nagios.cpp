// The nagios plugin: [nagios:NAME] runs any program written to the Nagios
// plugin contract (the monitoring plugins' check_disk, check_load, check_http,
// ... or one of your own) and judges it by its exit status.
//
//   command = /usr/lib/nagios/plugins/check_disk -w 10% -c 5% -p /
//   warning = fail    ; or ok: whether WARNING (exit status 1) fails the job
//
// `command` is split into words as a shell would split it, then run without a
// shell; its first word is the absolute path of the program.
#include <checker/plugin.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command_line.h"
#include "plugin_process.h"
#include "plugin_result.h"

namespace {

class NagiosJob : public checker::JobBase {
 public:
  NagiosJob(std::string name, std::vector<std::string> command, nagios::WarningMeans warning)
      : name_(std::move(name)), command_(std::move(command)), warning_(warning) {}

  std::string Name() const override { return "nagios:" + name_; }

  checker::JobResult Execute(const checker::RunContext& context) override {
    const nagios::PluginRun run = nagios::RunPlugin(command_, nagios::TimeLimitsFor(context.timeout_seconds));
    return nagios::JudgePluginRun(run, warning_, context.timeout_seconds);
  }

 private:
  std::string name_;
  std::vector<std::string> command_;
  nagios::WarningMeans warning_;
};

// Why `program` cannot be the plugin to run; empty when it can.
std::string PathProblem(const std::string& program) {
  if (program.empty() || program[0] != '/') {
    return "must start with the absolute path of the plugin, not '" + program +
           "' (the command is not run through a shell, so nothing searches PATH)";
  }
  return "";
}

// Why `program` cannot run now; empty when it can.
std::string ProgramProblem(const std::string& program) {
  struct stat info {};
  if (stat(program.c_str(), &info) != 0) return "names " + program + ", which does not exist";
  if (!S_ISREG(info.st_mode)) return "names " + program + ", which is not a file";
  if (access(program.c_str(), X_OK) != 0) return "names " + program + ", which is not executable";
  return "";
}

class NagiosSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    const std::string warning = section.String("warning", "fail");
    if (warning != "fail" && warning != "ok") section.Error("warning", "must be fail or ok, not '" + warning + "'");
    const std::string text = section.RequiredString("command");
    if (text.empty()) return nullptr;
    nagios::CommandLine command = nagios::SplitCommandLine(text);
    if (!command.ok()) {
      section.Error("command", command.error);
      return nullptr;
    }
    const std::string program = command.words.empty() ? "" : command.words[0];
    if (const std::string problem = PathProblem(program); !problem.empty()) {
      section.Error("command", problem);
      return nullptr;
    }
    // A plugin that is not installed (yet, or any more) fails its own job at
    // every run; only validate refuses the configuration for it.
    if (const std::string problem = ProgramProblem(program); !problem.empty() && section.Validating()) {
      section.Error("command", problem);
      return nullptr;
    }
    return std::make_unique<NagiosJob>(
        section.instance(), std::move(command.words),
        warning == "ok" ? nagios::WarningMeans::kSuccess : nagios::WarningMeans::kFailure);
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(NagiosSpawner)
