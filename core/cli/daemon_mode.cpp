#include "cli/mode_handlers.h"
#include "hosting/network_module.h"
#include "model/exit_status.h"
#include "network/status_server.h"

namespace checker {

int Daemon(Session& session) {
  Runnable runnable = session.LoadToRun(Fallback::kLastGood);
  if (!runnable.configuration) return kExitConfigError;
  const auto& loaded = runnable.configuration;
  Result<NetworkModule*> module = NetworkModule::Get();
  if (!module.ok()) {
    session.logger().Error(module.error());
    return kExitConfigError;
  }
  const std::string path = loaded->config.path;
  const ConfigurationLoader reload = [path] { return LoadConfiguration(path); };
  return (*module)->Entry<StatusServerEntry>("checker_run_status_server")(loaded, reload, session.logger());
}

}  // namespace checker
