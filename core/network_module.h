// NetworkModule: the parts of checker that talk to mail servers, webhooks and
// peers' HTTP clients (SMTP and webhook delivery through libcurl, the daemon's
// HTTP server through cpp-httplib) live in lib/checker/network.so, loaded only
// when one of them is needed. libcurl's dependency chain costs about 8 ms at
// every process start; a tick with nothing to deliver never loads it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config.h"
#include "job_catalog.h"
#include "logger.h"
#include "notifier.h"

namespace checker {

// What network.so exports (through Boost.DLL), and what the core calls.
namespace network_exports {
using MakeSmtpNotifier = std::unique_ptr<Notifier>(const EmailConfig& email, const std::string& servername);
using MakeWebhookNotifier = std::unique_ptr<Notifier>(const WebhookConfig& webhook, const std::string& servername);
using RunStatusServer = int(const Config& config, const JobCatalog& catalog, Logger& logger);
}  // namespace network_exports

class NetworkModule {
 public:
  // Loads network.so beside the plugin directory on first use, and keeps it
  // loaded for the life of the process. Throws std::runtime_error naming the
  // file when it cannot.
  static NetworkModule& Get();

  std::unique_ptr<Notifier> MakeSmtpNotifier(const EmailConfig& email, const std::string& servername);
  std::unique_ptr<Notifier> MakeWebhookNotifier(const WebhookConfig& webhook, const std::string& servername);
  int RunStatusServer(const Config& config, const JobCatalog& catalog, Logger& logger);

 private:
  NetworkModule();
  struct Library;
  std::shared_ptr<Library> library_;
};

// A channel whose real notifier is made, and network.so loaded, on the first
// delivery.
class LazyNotifier : public Notifier {
 public:
  using Factory = std::function<std::unique_ptr<Notifier>()>;
  LazyNotifier(std::string channel, Factory factory) : channel_(std::move(channel)), factory_(std::move(factory)) {}
  std::string channel() const override { return channel_; }
  std::string Deliver(const OutboxItem& item, const std::function<void()>& committing) override;
  bool MayHaveArrived() const override { return real_ && real_->MayHaveArrived(); }

 private:
  std::string channel_;
  Factory factory_;
  std::unique_ptr<Notifier> real_;
};

}  // namespace checker
