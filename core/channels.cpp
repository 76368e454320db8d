#include "channels.h"

#include "network_module.h"

namespace checker {

std::vector<std::unique_ptr<Notifier>> MakeChannels(const Config& config, bool nomail, Logger& logger) {
  std::vector<std::unique_ptr<Notifier>> channels;
  const std::string& servername = config.general.servername;
  if (nomail || config.email.smtpserver.empty()) {
    channels.push_back(std::make_unique<LogNotifier>("email", nomail ? "nomail" : "no smtpserver", logger));
  } else {
    channels.push_back(std::make_unique<LazyNotifier>("email", [email = config.email, servername] {
      return NetworkModule::Get().MakeSmtpNotifier(email, servername);
    }));
  }
  if (!config.webhook.url.empty()) {
    if (nomail) {
      channels.push_back(std::make_unique<LogNotifier>("webhook", "nomail", logger));
    } else {
      channels.push_back(std::make_unique<LazyNotifier>("webhook", [webhook = config.webhook, servername] {
        return NetworkModule::Get().MakeWebhookNotifier(webhook, servername);
      }));
    }
  }
  return channels;
}

}  // namespace checker
