#include "cli/modes.h"

#include <iostream>

#include "cli/mode_handlers.h"
#include "model/exit_status.h"

namespace checker {

const std::vector<Mode>& Modes() {
  static const std::vector<Mode> kModes = {
      {"cron", "-c minute|hour|day|day_noon", "run one cron tick", {"cron"}, false, Cron},
      {"daemon", "", "serve health to peers, accept check-ins", {}, false, Daemon},
      {"list", "", "jobs, plugin, frequency, policy", {}, false, ListJobs},
      {"status", "[--json]", "state of every job", {"json"}, false, ShowStatus},
      {"run", "--job NAME [--notify]", "run one job now; print its result", {"job", "notify"}, true, RunJob},
      {"ping",
       "--job NAME [--start|--fail|--exit-code N|--log] [--message TEXT|--message-file F]",
       "check in for a heartbeat",
       {"job", "start", "fail", "exit-code", "log", "message", "message-file"},
       true,
       Ping},
      {"exec",
       "--job NAME [--] COMMAND [ARGS...]",
       "run a command, check in its outcome",
       {"job", "command"},
       true,
       Exec},
      {"pause",
       "--job NAME [--for DURATION]",
       "pause a job, for a while or until unpaused",
       {"job", "for"},
       true,
       Pause},
      {"unpause", "--job NAME", "run a paused job again", {"job"}, true, Unpause},
      {"validate", "", "check config and plugins, change nothing", {}, false, Validate},
      {"explain", "--job NAME [--json]", "why a job did or did not notify", {"job", "json"}, true, Explain},
      {"history",
       "--job NAME [--limit N] [--json]",
       "its recent runs and check-ins",
       {"job", "limit", "json"},
       true,
       ShowHistory},
      {"outbox", "[--json] [--drop ID]", "notifications not yet delivered", {"json", "drop"}, false, ShowOutbox},
      {"notify-test", "", "send a test notification on every channel now", {}, false, NotifyTest},
  };
  return kModes;
}

const Mode* FindMode(const std::string& name) {
  for (const auto& mode : Modes()) {
    if (name == mode.name) return &mode;
  }
  return nullptr;
}

int UsageError(const std::string& message) {
  std::cerr << "checker: " << message << "\nTry 'checker --help'.\n";
  return kExitConfigError;
}

}  // namespace checker
