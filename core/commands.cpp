#include "commands.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "channels.h"
#include "config.h"
#include "job_catalog.h"
#include "job_runner.h"
#include "lock_file.h"
#include "logger.h"
#include "network_module.h"
#include "notifier.h"
#include "outbox.h"
#include "plugin_loader.h"
#include "plugin_probe.h"
#include "runner.h"
#include "state_store.h"
#include "status_report.h"

namespace checker {
namespace {

constexpr int kPluginLoadTimeoutSeconds = 10;
constexpr std::size_t kMaxCheckinMessage = 1000;  // as the daemon's

// Everything a mode needs, loaded once. The caller checks diagnostics before
// running anything.
struct Loaded {
  Config config;
  Diagnostics diagnostics;
  PluginSet plugins;
  JobCatalog catalog;
};

void PrintDiagnostics(const Diagnostics& diagnostics, Logger& logger) {
  for (const auto& warning : diagnostics.warnings) logger.Warning(warning);
  for (const auto& error : diagnostics.errors) logger.Error(error);
}

// Whether `file` is a built-in plugin that this configuration does not use.
// Those are not loaded: several link libcurl, whose loading costs more than
// the rest of a tick. A plugin from plugindir is always loaded (it may make
// its jobs without any section).
bool BuiltinPluginUnused(const std::string& file, const Config& config) {
  const std::filesystem::path path(file);
  if (path.parent_path() != std::filesystem::path(PluginLoader::DefaultDirectory())) return false;
  const std::string plugin = path.stem().string();
  if (plugin == "peer") return config.peers.empty();  // its jobs come from [peers]
  // email:roundtrip exists when an IMAP server is set; [email] alone is the core's.
  if (plugin == "email" && !config.email.imapserver.empty()) return false;
  for (const auto& section : config.file.sections()) {
    if (plugin == "email" && section.name == "email") continue;
    if (section.name == plugin || section.name.compare(0, plugin.size() + 1, plugin + ":") == 0) return false;
  }
  return true;
}

std::unique_ptr<Loaded> Load(const std::string& path, Logger& logger, const CommandLine& command_line) {
  auto loaded = std::make_unique<Loaded>();
  auto& diagnostics = loaded->diagnostics;
  loaded->config = Config::Load(path, diagnostics);
  Config& config = loaded->config;
  const std::string& logfile = config.general.logfile;
  // validate changes nothing, so it only checks that the logfile could be written.
  const bool writable = command_line.mode == "validate"
                            ? access(logfile.c_str(), W_OK) == 0 ||
                                  (access(logfile.c_str(), F_OK) != 0 &&
                                   access(std::filesystem::path(logfile).parent_path().c_str(), W_OK) == 0)
                            : logger.OpenFile(logfile);
  if (!logfile.empty() && !writable) {
    diagnostics.errors.push_back(config.file.Where("general", "logfile") + ": cannot open '" + logfile +
                                 "' for appending");
  }
  if (command_line.verbose && logfile.empty()) {
    diagnostics.warnings.push_back("-v writes debug lines to the logfile, and [general] logfile is not set");
  }
  logger.set_debug_to_file(command_line.verbose);
  if (!diagnostics.ok() && config.file.sections().empty()) return loaded;

  std::vector<std::string> directories = config.general.plugindirs;
  for (const auto& directory : directories) {
    if (!std::filesystem::is_directory(directory)) {
      diagnostics.warnings.push_back(config.file.Where("general", "plugindir") + ": '" + directory +
                                     "' is not a directory");
    }
  }
  directories.push_back(PluginLoader::DefaultDirectory());
  std::vector<std::string> files;
  for (auto& file : PluginLoader(directories).Files()) {
    if (BuiltinPluginUnused(file, config)) continue;
    files.push_back(std::move(file));
  }
  // Plugin code that crashes or hangs at load time is found in a child first.
  ProbeResult probe = ProbePlugins(files, config, kPluginLoadTimeoutSeconds);
  loaded->plugins = PluginLoader::Load(probe.safe_files);
  for (auto& refused : probe.refused) loaded->plugins.refused.push_back(std::move(refused));
  for (const auto& refused : loaded->plugins.refused) diagnostics.warnings.push_back(refused.reason);
  loaded->catalog = JobCatalog::Build(config, loaded->plugins, diagnostics);
  for (const auto& unknown : config.file.UnknownEntries()) diagnostics.warnings.push_back(unknown);
  return loaded;
}

const Job* FindJob(const JobCatalog& catalog, const std::string& name) {
  if (const Job* job = catalog.Find(name)) return job;
  // A heartbeat may be named without its plugin.
  if (name.find(':') == std::string::npos) return catalog.Find("heartbeat:" + name);
  return nullptr;
}

int ListJobs(const JobCatalog& catalog) {
  std::size_t width = 3;
  for (const auto& job : catalog.jobs()) width = std::max(width, job.name.size());
  std::printf("%-*s  %-10s  %-9s  %-12s  %-3s  %-7s  %s\n", static_cast<int>(width), "JOB", "PLUGIN", "FREQUENCY",
              "NOTIFY", "MIN", "TIMEOUT", "ENABLED");
  for (const auto& job : catalog.jobs()) {
    std::printf("%-*s  %-10s  %-9s  %-12s  %-3d  %-7s  %s\n", static_cast<int>(width), job.name.c_str(),
                job.plugin.c_str(), FrequencyName(job.frequency), NotifyEveryName(job.policy.notify),
                job.policy.failures_before_notify, (std::to_string(job.timeout_seconds) + "s").c_str(),
                job.enabled ? "yes" : "no");
  }
  if (catalog.jobs().empty()) std::printf("(no jobs configured)\n");
  return kExitOk;
}

int ShowStatus(const Loaded& loaded, bool json, Logger& logger) {
  std::vector<StoredJob> stored;
  const std::string& path = loaded.config.general.statefile;
  if (access(path.c_str(), F_OK) == 0) {
    try {
      stored = StateStore::Open(path, StateStore::Mode::kReadOnly)->LoadAllJobs();
    } catch (const StateError& error) {
      logger.Error(loaded.config.file.Where("general", "statefile") + ": " + error.what());
      return kExitConfigError;
    }
  }
  auto statuses = CollectStatus(loaded.catalog, stored, SystemClock().Now());
  std::cout << (json ? StatusJson(loaded.config.general.servername, statuses) : StatusTable(statuses));
  return kExitOk;
}

// The real parts a tick needs around an open state file.
struct Engine {
  Engine(const Config& config, StateStore& store, JobRunner& job_runner, bool nomail, Logger& logger)
      : channels(MakeChannels(config, nomail, logger)),
        outbox(store, Pointers(channels), logger, config.general.servername),
        runner(config, store, job_runner, outbox, clock, logger) {
    runner.set_deliver_backlog(!nomail);
  }

  static std::vector<Notifier*> Pointers(const std::vector<std::unique_ptr<Notifier>>& owned) {
    std::vector<Notifier*> pointers;
    for (const auto& notifier : owned) pointers.push_back(notifier.get());
    return pointers;
  }

  std::vector<std::unique_ptr<Notifier>> channels;
  SystemClock clock;
  Outbox outbox;
  Runner runner;
};

void PrintResult(const Job& job, const JobResult& result) {
  std::cout << job.name << ": " << (result.success ? "OK" : "FAILED") << (result.message.empty() ? "" : ": ")
            << result.message << "\n";
}

int Pause(Loaded& loaded, const CommandLine& command_line, Logger& logger) {
  const Job* job = FindJob(loaded.catalog, command_line.job);
  if (!job) {
    logger.Error("no job named '" + command_line.job + "' (see checker -m list)");
    return kExitConfigError;
  }
  std::optional<UnixTime> until;
  const UnixTime now = SystemClock().Now();
  if (!command_line.pause_for.empty()) {
    auto seconds = ParseDuration(command_line.pause_for);
    if (!seconds || *seconds <= 0) {
      logger.Error("--for must be a duration such as 30m, 2h or 1d, not '" + command_line.pause_for + "'");
      return kExitConfigError;
    }
    until = now + *seconds;
  }
  const bool pause = command_line.mode == "pause";
  auto store = StateStore::Open(loaded.config.general.statefile, StateStore::Mode::kCreate);
  StateStore::Transaction transaction(*store);
  StoredJob stored = store->EnsureJob(job->key, job->name, now);
  stored.paused = pause;
  stored.paused_until = pause ? until : std::nullopt;
  // Unpausing a heartbeat restarts its period.
  if (!pause) stored.first_seen = now;
  store->SaveJob(stored);
  transaction.Commit();
  std::cout << job->name << (pause ? " paused" : " unpaused")
            << (until ? " until " + FormatIsoUtc(*until) : std::string()) << "\n";
  return kExitOk;
}

int Ping(Loaded& loaded, const CommandLine& command_line, Logger& logger) {
  const Job* job = FindJob(loaded.catalog, command_line.job);
  if (!job || job->plugin != "heartbeat") {
    logger.Error("no heartbeat named '" + command_line.job + "' (see checker -m list)");
    return kExitConfigError;
  }
  auto store = StateStore::Open(loaded.config.general.statefile, StateStore::Mode::kCreate);
  StateStore::Transaction transaction(*store);
  store->RecordCheckin(job->key, job->name, SystemClock().Now(), command_line.fail,
                       command_line.message.substr(0, kMaxCheckinMessage));
  transaction.Commit();
  std::cout << job->name << ": " << (command_line.fail ? "failure" : "check-in") << " recorded\n";
  return kExitOk;
}

}  // namespace

std::string FindConfig(const std::string& flag, std::string& error) {
  if (!flag.empty()) {
    if (access(flag.c_str(), F_OK) != 0) error = flag + ": configuration file (-f) does not exist";
    return error.empty() ? flag : "";
  }
  if (const char* env = std::getenv("CHECKER_CONFIG"); env && *env) {
    if (access(env, F_OK) != 0) error = std::string(env) + ": configuration file ($CHECKER_CONFIG) does not exist";
    return error.empty() ? env : "";
  }
  for (const char* candidate : {"./settings.cfg", "/etc/checker/settings.cfg"}) {
    if (access(candidate, F_OK) == 0) return candidate;
  }
  error =
      "no configuration file: give -f FILE, set $CHECKER_CONFIG, or create ./settings.cfg or "
      "/etc/checker/settings.cfg";
  return "";
}

int RunCommand(const CommandLine& command_line) {
  Logger logger;
  logger.set_debug_to_stderr(command_line.debug);
  std::string error;
  const std::string path = FindConfig(command_line.config_path, error);
  if (path.empty()) {
    logger.Error(error);
    return kExitConfigError;
  }
  auto loaded = Load(path, logger, command_line);
  Config& config = loaded->config;
  const std::string& mode = command_line.mode;

  if (mode == "validate") {
    for (const auto& warning : loaded->diagnostics.warnings) std::cout << "warning: " << warning << "\n";
    for (const auto& problem : loaded->diagnostics.errors) std::cout << "error: " << problem << "\n";
    bool every_job_runnable = true;
    for (const auto& job : loaded->catalog.jobs()) every_job_runnable &= job.refusal.empty();
    const bool ok = loaded->diagnostics.ok() && every_job_runnable;
    std::size_t refused = 0;
    for (const auto& job : loaded->catalog.jobs()) refused += job.plugin == "plugin";
    std::cout << path << ": " << (ok ? "OK" : "NOT OK") << " (" << loaded->catalog.jobs().size() << " jobs, "
              << loaded->plugins.loaded.size() + loaded->plugins.refused.size() - refused << " plugins loaded, "
              << refused << " refused, " << loaded->diagnostics.errors.size() << " errors, "
              << loaded->diagnostics.warnings.size() << " warnings)\n";
    return ok ? kExitOk : kExitConfigError;
  }
  PrintDiagnostics(loaded->diagnostics, logger);
  if (!loaded->diagnostics.ok()) {
    logger.Error(path + ": configuration has errors; nothing was run (checker -m validate lists them)");
    return kExitConfigError;
  }
  if (mode == "list") return ListJobs(loaded->catalog);
  if (mode == "status") return ShowStatus(*loaded, command_line.json, logger);
  if (mode == "daemon") {
    try {
      return NetworkModule::Get().RunStatusServer(config, loaded->catalog, logger);
    } catch (const std::runtime_error& error) {
      logger.Error(error.what());
      return kExitConfigError;
    }
  }

  const bool nomail = command_line.nomail || config.email.nomail;
  ForkingJobRunner job_runner(config.general.parallelism, command_line.debug);
  try {
    if (mode == "run") {
      const Job* job = FindJob(loaded->catalog, command_line.job);
      if (!job) {
        logger.Error("no job named '" + command_line.job + "' (see checker -m list)");
        return kExitConfigError;
      }
      if (!command_line.notify) {
        std::vector<StoredJob> stored;
        if (access(config.general.statefile.c_str(), F_OK) == 0) {
          stored = StateStore::Open(config.general.statefile, StateStore::Mode::kReadOnly)->LoadAllJobs();
        }
        JobResult result = job_runner.RunAll({job}, MakeContexts({job}, stored, SystemClock().Now()))[0].result;
        PrintResult(*job, result);
        return result.success ? kExitOk : kExitJobFailed;
      }
      auto store = StateStore::Open(config.general.statefile, StateStore::Mode::kReadWrite);
      Engine engine(config, *store, job_runner, nomail, logger);
      JobResult result;
      int status = engine.runner.RunOneAndRecord(*job, result);
      PrintResult(*job, result);
      return status;
    }
    if (mode == "cron") {
      const auto tick = ParseFrequency(command_line.cron);
      LockFile lock(config.general.statefile + "." + command_line.cron + ".lock");
      if (!lock.held()) {
        if (!lock.error().empty()) {
          logger.Error(lock.error());
          return kExitConfigError;
        }
        logger.Info("a " + command_line.cron + " tick is still running; this one exits");
        return kExitOk;
      }
      auto store = StateStore::Open(config.general.statefile, StateStore::Mode::kCreate);
      Engine engine(config, *store, job_runner, nomail, logger);
      return engine.runner.RunTick(loaded->catalog, *tick);
    }
    if (mode == "pause" || mode == "unpause") return Pause(*loaded, command_line, logger);
    if (mode == "ping") return Ping(*loaded, command_line, logger);
  } catch (const StateError& state_error) {
    logger.Error(config.file.Where("general", "statefile") + ": " + state_error.what());
    return kExitConfigError;
  }
  logger.Error("mode '" + mode + "' is not available in this build");
  return kExitConfigError;
}

}  // namespace checker
