// The entry points of network.so (see network_module.h).
#include <boost/dll/alias.hpp>

#include "network_module.h"
#include "smtp_notifier.h"
#include "status_server.h"
#include "webhook_notifier.h"

namespace checker::network_entry_points {

std::unique_ptr<Notifier> MakeSmtp(const EmailConfig& email, const std::string& servername) {
  return std::make_unique<SmtpNotifier>(email, servername);
}

std::unique_ptr<Notifier> MakeWebhook(const WebhookConfig& webhook, const std::string& servername) {
  return std::make_unique<WebhookNotifier>(webhook, servername);
}

}  // namespace checker::network_entry_points

BOOST_DLL_ALIAS(checker::network_entry_points::MakeSmtp, checker_make_smtp_notifier)
BOOST_DLL_ALIAS(checker::network_entry_points::MakeWebhook, checker_make_webhook_notifier)
BOOST_DLL_ALIAS(checker::RunStatusServer, checker_run_status_server)
