// checker: parses the command line, checks it against the mode table, and
// runs the mode.
#include <checker/abi.h>
#include <sys/prctl.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <iostream>
#include <sstream>

#include "cli/modes.h"
#include "model/exit_status.h"
#include "state/state_store.h"

namespace po = boost::program_options;

namespace {

// The options every mode takes.
const char* const kCommonOptions[] = {"mode", "config", "v", "d", "nomail", "help", "version", "command"};

std::string Usage() {
  std::ostringstream usage;
  usage << "Usage: checker -m MODE [options]\n";
  std::vector<std::string> lines;
  std::size_t width = 0;
  for (const auto& mode : checker::Modes()) {
    lines.push_back(std::string("checker -m ") + mode.name + (*mode.usage ? " " : "") + mode.usage);
    width = std::max(width, lines.back().size());
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    usage << "  " << lines[i] << std::string(width + 3 - lines[i].size(), ' ') << checker::Modes()[i].summary << "\n";
  }
  usage << "\nOptions";
  return usage.str();
}

// "-c" or "--json", as the user would type it.
std::string Spelled(const po::option_description& option) {
  return option.canonical_display_name(po::command_line_style::allow_dash_for_short);
}

// An option given that the mode does not take, as a usage error; else empty.
std::string OptionNotForMode(const po::options_description& options, const po::variables_map& values,
                             const checker::Mode& mode) {
  for (const auto& option : options.options()) {
    const std::string name = option->long_name();
    if (std::find(std::begin(kCommonOptions), std::end(kCommonOptions), name) != std::end(kCommonOptions)) continue;
    if (values.count(name) == 0 || values[name].defaulted()) continue;
    if (std::find(mode.options.begin(), mode.options.end(), name) != mode.options.end()) continue;
    std::string takers;
    for (const auto& other : checker::Modes()) {
      if (std::find(other.options.begin(), other.options.end(), name) == other.options.end()) continue;
      takers += std::string(takers.empty() ? "" : ", ") + "-m " + other.name;
    }
    return Spelled(*option) + " does not go with -m " + mode.name + " (it goes with " + takers + ")";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  // A core dump or ptrace by another user must not reveal the SMTP password
  // or the daemon's keys; workers and the daemon inherit this.
  prctl(PR_SET_DUMPABLE, 0);
  // A peer that hangs up must cost a failed write, never the process.
  signal(SIGPIPE, SIG_IGN);
  checker::CommandLine command_line;
  po::options_description options(Usage());
  options.add_options()("mode,m", po::value(&command_line.mode), "the mode, one of those above")(
      "cron,c", po::value(&command_line.cron), "with -m cron: minute, hour, day or day_noon")(
      "config,f", po::value(&command_line.config_path),
      "settings file (default: $CHECKER_CONFIG, ./settings.cfg, /etc/checker/settings.cfg)")(
      "job", po::value(&command_line.job), "job name, PLUGIN:NAME (a heartbeat's bare NAME too)")(
      "notify", po::bool_switch(&command_line.notify), "with -m run: record the result and notify, as a tick would")(
      "json", po::bool_switch(&command_line.json), "with -m status, outbox, history and explain: print JSON")(
      "start", po::bool_switch(&command_line.start), "with -m ping: report that the job started")(
      "fail", po::bool_switch(&command_line.fail), "with -m ping: report a failure")(
      "exit-code", po::value(&command_line.exit_code), "with -m ping: report this exit status (0 succeeds)")(
      "log", po::bool_switch(&command_line.log), "with -m ping: only log the message")(
      "message", po::value(&command_line.message), "with -m ping: a message to record")(
      "message-file", po::value(&command_line.message_file), "with -m ping: the message from a file (- for stdin)")(
      "for", po::value(&command_line.pause_for), "with -m pause: how long, e.g. 30m, 2h, 1d")(
      "drop", po::value(&command_line.drop), "with -m outbox: give up on the notification with this ID")(
      "limit", po::value(&command_line.limit), "with -m history: show at most N entries (default 50)")(
      ",v", po::bool_switch(&command_line.verbose), "debug lines to the logfile")(
      ",d", po::bool_switch(&command_line.debug), "debug lines to stderr")(
      "nomail", po::bool_switch(&command_line.nomail), "log notifications instead of sending them")(
      "help,h", "show this help")("version", "show the version");
  // What follows "--" is the command of -m exec, not checker's options.
  int own_arguments = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      own_arguments = i;
      command_line.command.assign(argv + i + 1, argv + argc);
      break;
    }
  }
  po::options_description positional_only;
  std::vector<std::string> positional;
  positional_only.add_options()("command", po::value(&positional));
  po::options_description all;
  all.add(options).add(positional_only);
  po::variables_map values;
  try {
    po::positional_options_description command_words;
    command_words.add("command", -1);
    po::store(po::command_line_parser(own_arguments, argv).options(all).positional(command_words).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    return checker::UsageError(error.what());
  }
  if (values.count("help")) {
    std::cout << options << "\n";
    return checker::kExitOk;
  }
  if (values.count("version")) {
    std::cout << "checker " << CHECKER_VERSION << " (plugin SDK ABI " << CHECKER_SDK_ABI << ")\n";
    return checker::kExitOk;
  }
  if (command_line.mode.empty()) return checker::UsageError("-m MODE is required");
  const checker::Mode* mode = checker::FindMode(command_line.mode);
  if (!mode) return checker::UsageError("unknown mode '" + command_line.mode + "'");
  if (std::string misplaced = OptionNotForMode(options, values, *mode); !misplaced.empty()) {
    return checker::UsageError(misplaced);
  }
  if (mode->needs_job && command_line.job.empty())
    return checker::UsageError("-m " + command_line.mode + " needs --job NAME");
  command_line.command.insert(command_line.command.begin(), positional.begin(), positional.end());
  const bool takes_command = std::find(mode->options.begin(), mode->options.end(), "command") != mode->options.end();
  if (!takes_command && !command_line.command.empty()) {
    return checker::UsageError("unexpected argument '" + command_line.command.front() + "'");
  }
  if (takes_command && command_line.command.empty()) {
    return checker::UsageError("-m " + command_line.mode + " needs a command: -m " + command_line.mode +
                               " --job NAME -- COMMAND [ARGS...]");
  }
  command_line.exit_code_given = values.count("exit-code") > 0;
  command_line.message_file_given = values.count("message-file") > 0;
  command_line.message_given = values.count("message") > 0;
  command_line.pause_for_given = values.count("for") > 0;
  command_line.drop_given = values.count("drop") > 0;
  command_line.limit_given = values.count("limit") > 0;

  checker::Session session(command_line);
  try {
    return mode->run(session);
  } catch (const checker::StateError& error) {
    return session.StateFileFailed(error);
  }
}
