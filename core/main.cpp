// checker: parses the command line and hands it to RunCommand.
#include <checker/abi.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <iostream>

#include "commands.h"
#include "config.h"
#include "runner.h"

namespace po = boost::program_options;

namespace {

const char* const kModes[] = {"cron", "daemon", "list", "status", "run", "ping", "pause", "unpause", "validate"};

int UsageError(const std::string& message) {
  std::cerr << "checker: " << message << "\nTry 'checker --help'.\n";
  return checker::kExitConfigError;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that hangs up must cost a failed write, never the process.
  signal(SIGPIPE, SIG_IGN);
  checker::CommandLine command_line;
  po::options_description options(
      "Usage: checker -m MODE [options]\n"
      "  checker -m cron -c minute|hour|day|day_noon   run one cron tick\n"
      "  checker -m daemon                             serve health to peers, accept check-ins\n"
      "  checker -m list                               jobs, plugin, frequency, policy\n"
      "  checker -m status [--json]                    state of every job\n"
      "  checker -m run --job NAME [--notify]          run one job now; print its result\n"
      "  checker -m ping --job NAME [--fail] [--message TEXT]   heartbeat check-in\n"
      "  checker -m pause --job NAME [--for DURATION] / -m unpause --job NAME\n"
      "  checker -m validate                           check config and plugins, change nothing\n\n"
      "Options");
  options.add_options()("mode,m", po::value(&command_line.mode),
                        "cron, daemon, list, status, run, ping, pause, unpause or validate")(
      "cron,c", po::value(&command_line.cron), "with -m cron: minute, hour, day or day_noon")(
      "config,f", po::value(&command_line.config_path),
      "settings file (default: $CHECKER_CONFIG, ./settings.cfg, /etc/checker/settings.cfg)")(
      "job", po::value(&command_line.job), "job name, PLUGIN:NAME (a heartbeat's bare NAME too)")(
      "notify", po::bool_switch(&command_line.notify), "with -m run: record the result and notify, as a tick would")(
      "json", po::bool_switch(&command_line.json), "with -m status: print JSON")(
      "fail", po::bool_switch(&command_line.fail), "with -m ping: report a failure")(
      "message", po::value(&command_line.message), "with -m ping: a message to record")(
      "for", po::value(&command_line.pause_for), "with -m pause: how long, e.g. 30m, 2h, 1d")(
      ",v", po::bool_switch(&command_line.verbose), "debug lines to the logfile")(
      ",d", po::bool_switch(&command_line.debug), "debug lines to stderr")(
      "nomail", po::bool_switch(&command_line.nomail), "log notifications instead of sending them")(
      "help,h", "show this help")("version", "show the version");
  po::variables_map values;
  try {
    const po::positional_options_description no_positional_arguments;
    po::store(po::command_line_parser(argc, argv).options(options).positional(no_positional_arguments).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    return UsageError(error.what());
  }
  if (values.count("help")) {
    std::cout << options << "\n";
    return checker::kExitOk;
  }
  if (values.count("version")) {
    std::cout << "checker " << CHECKER_VERSION << " (plugin SDK ABI " << CHECKER_SDK_ABI << ")\n";
    return checker::kExitOk;
  }
  const std::string& mode = command_line.mode;
  if (mode.empty()) return UsageError("-m MODE is required");
  if (std::find(std::begin(kModes), std::end(kModes), mode) == std::end(kModes)) {
    return UsageError("unknown mode '" + mode + "'");
  }
  if (mode == "cron" && !checker::ParseFrequency(command_line.cron)) {
    return UsageError("-m cron needs -c minute, hour, day or day_noon");
  }
  if (mode != "cron" && !command_line.cron.empty()) return UsageError("-c goes with -m cron only");
  const bool takes_job = mode == "run" || mode == "ping" || mode == "pause" || mode == "unpause";
  if (takes_job && command_line.job.empty()) return UsageError("-m " + mode + " needs --job NAME");
  if (!takes_job && !command_line.job.empty()) return UsageError("--job does not go with -m " + mode);
  if (command_line.notify && mode != "run") return UsageError("--notify goes with -m run only");
  if (command_line.json && mode != "status") return UsageError("--json goes with -m status only");
  if ((command_line.fail || values.count("message")) && mode != "ping")
    return UsageError("--fail and --message go with -m ping only");
  if (values.count("for") && mode != "pause") return UsageError("--for goes with -m pause only");
  return checker::RunCommand(command_line);
}
