#include "network_module.h"

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <stdexcept>

#include "plugin_loader.h"

namespace checker {

struct NetworkModule::Library {
  boost::dll::shared_library library;
};

NetworkModule::NetworkModule() : library_(std::make_shared<Library>()) {
  // network.so sits in lib/checker/, beside the plugins/ directory.
  const auto path = std::filesystem::path(PluginLoader::DefaultDirectory()).parent_path() / "network.so";
  boost::dll::fs::error_code error;
  library_->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
  if (error) throw std::runtime_error(path.string() + ": cannot load checker's network module: " + error.message());
}

NetworkModule& NetworkModule::Get() {
  static NetworkModule module;
  return module;
}

std::unique_ptr<Notifier> NetworkModule::MakeSmtpNotifier(const EmailConfig& email, const std::string& servername) {
  return library_->library.get_alias<network_exports::MakeSmtpNotifier>("checker_make_smtp_notifier")(email,
                                                                                                      servername);
}

std::unique_ptr<Notifier> NetworkModule::MakeWebhookNotifier(const WebhookConfig& webhook,
                                                             const std::string& servername) {
  return library_->library.get_alias<network_exports::MakeWebhookNotifier>("checker_make_webhook_notifier")(webhook,
                                                                                                            servername);
}

int NetworkModule::RunStatusServer(const Config& config, const JobCatalog& catalog, Logger& logger) {
  return library_->library.get_alias<network_exports::RunStatusServer>("checker_run_status_server")(config, catalog,
                                                                                                    logger);
}

std::string LazyNotifier::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
  if (!real_) {
    try {
      real_ = factory_();
    } catch (const std::exception& error) {
      return error.what();  // stays queued; the next tick tries again
    }
  }
  return real_->Deliver(item, committing);
}

}  // namespace checker
