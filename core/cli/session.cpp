#include "cli/session.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "model/exit_status.h"

namespace checker {

namespace {

// What OpenFile would say about `logfile`, without creating or opening it.
Status CheckLogfile(const std::string& logfile) {
  if (logfile.empty() || logfile == Logger::kSyslog) return Status::Ok();
  struct stat info {};
  if (lstat(logfile.c_str(), &info) == 0) {
    if (S_ISLNK(info.st_mode)) return Status::Error("is a symbolic link (give the file it leads to)");
    if (!S_ISREG(info.st_mode)) return Status::Error("not a regular file");
    return access(logfile.c_str(), W_OK) == 0 ? Status::Ok() : Status::Error(std::strerror(errno));
  }
  const std::string directory = std::filesystem::path(logfile).parent_path().string();
  if (access(directory.empty() ? "." : directory.c_str(), W_OK) != 0) return Status::Error(std::strerror(errno));
  return Status::Ok();
}

}  // namespace

Result<std::string> FindConfig(const std::string& flag) {
  if (!flag.empty()) {
    if (access(flag.c_str(), F_OK) != 0) return Status::Error(flag + ": configuration file (-f) does not exist");
    return flag;
  }
  if (const char* env = std::getenv("CHECKER_CONFIG"); env && *env) {
    if (access(env, F_OK) != 0) {
      return Status::Error(std::string(env) + ": configuration file ($CHECKER_CONFIG) does not exist");
    }
    return std::string(env);
  }
  for (const char* candidate : {"./settings.cfg", "/etc/checker/settings.cfg"}) {
    if (access(candidate, F_OK) == 0) return std::string(candidate);
  }
  return Status::Error(
      "no configuration file: give -f FILE, set $CHECKER_CONFIG, or create ./settings.cfg or "
      "/etc/checker/settings.cfg");
}

Session::Session(const CommandLine& command_line) : command_line_(command_line) {
  logger_.set_debug_to_stderr(command_line.debug);
}

std::shared_ptr<LoadedConfiguration> Session::Load(bool open_logfile, const WhileProbing& meanwhile) {
  Result<std::string> path = FindConfig(command_line_.config_path);
  if (!path.ok()) {
    logger_.Error(path.error());
    return nullptr;
  }
  path_ = *path;
  std::shared_ptr<LoadedConfiguration> loaded = LoadConfiguration(path_, !open_logfile, meanwhile);
  const std::string& logfile = loaded->config.general.logfile;
  // validate changes nothing, so it only checks that the logfile could be written.
  const Status writable = !open_logfile ? CheckLogfile(logfile) : logger_.OpenFile(logfile);
  if (!writable.ok()) {
    loaded->diagnostics.Error(loaded->config.file.Where("general", "logfile") + ": cannot open '" + logfile +
                              "' for appending: " + writable.message());
  }
  if (command_line_.verbose && logfile.empty()) {
    loaded->diagnostics.Warning("-v writes debug lines to the logfile, and [general] logfile is not set");
  }
  logger_.set_debug_to_file(command_line_.verbose);
  return loaded;
}

std::shared_ptr<const LoadedConfiguration> Session::LastGood(const LoadedConfiguration& broken) {
  const std::string& statefile = broken.config.general.statefile;
  if (access(statefile.c_str(), R_OK) != 0) return nullptr;
  std::optional<std::string> text;
  try {
    text = StateStore::Open(statefile, StateStore::Mode::kReadOnly)->LastGoodConfiguration();
  } catch (const StateError& error) {
    logger_.Error(error.what());
    return nullptr;
  }
  if (!text) return nullptr;
  std::vector<std::string> errors;
  SettingsFile file = SettingsFile::ParseText(broken.config.path, *text, errors);
  std::shared_ptr<const LoadedConfiguration> last_good = LoadConfiguration(std::move(file), std::move(errors));
  return last_good->diagnostics.ok() ? last_good : nullptr;
}

Runnable Session::LoadToRun(Fallback fallback, bool open_logfile, const WhileProbing& meanwhile) {
  std::shared_ptr<LoadedConfiguration> loaded = Load(open_logfile, meanwhile);
  if (!loaded) return {};
  for (const auto& warning : loaded->diagnostics.warnings) logger_.Warning(warning);
  for (const auto& error : loaded->diagnostics.errors) logger_.Error(error);
  if (loaded->diagnostics.ok()) {
    loaded_ = loaded;
    return {loaded, nullptr};
  }
  if (fallback == Fallback::kLastGood) {
    if (auto last_good = LastGood(*loaded)) {
      logger_.Error(path_ +
                    ": configuration has errors; using the last configuration that loaded without errors "
                    "until it is fixed (checker -m validate lists them)");
      loaded_ = last_good;
      return {last_good, loaded};
    }
  }
  logger_.Error(path_ + ": configuration has errors; nothing was run (checker -m validate lists them)");
  return {};
}

Runnable Session::LoadForCheckin() {
  std::shared_ptr<LoadedConfiguration> loaded = Load(true);
  if (!loaded) return {};
  loaded_ = loaded;
  if (loaded->diagnostics.ok()) return {loaded, nullptr};
  logger_.Warning(path_ +
                  ": configuration has errors (the next tick reports them); recording the check-in all the same");
  return {LastGood(*loaded), loaded};
}

std::shared_ptr<LoadedConfiguration> Session::LoadToValidate() { return Load(false); }

int Session::StateFileFailed(const StateError& error) {
  const std::string where = loaded_ ? loaded_->config.file.Where("general", "statefile") + ": " : "";
  logger_.Error(where + error.what());
  return kExitConfigError;
}

}  // namespace checker
