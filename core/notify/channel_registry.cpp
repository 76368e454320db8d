#include "notify/channel_registry.h"

#include "hosting/network_module.h"
#include "notify/log_channel.h"

namespace checker {
namespace {

struct ChannelRegistration {
  const char* name;
  bool (*configured)(const Config& config);
};

const ChannelRegistration kChannels[] = {
    {"email", [](const Config& config) { return !config.email.smtp.host.empty(); }},
    {"webhook", [](const Config& config) { return !config.webhook.url.empty(); }},
};

// A channel whose real implementation is made, and network.so loaded, on
// the first delivery.
class LazyChannel : public Channel {
 public:
  LazyChannel(std::string name, const Config& config) : name_(std::move(name)), config_(config) {}
  std::string name() const override { return name_; }
  Status Deliver(const OutboxItem& item, const std::function<void()>& committing) override {
    if (!real_) {
      Result<NetworkModule*> module = NetworkModule::Get();
      if (!module.ok()) return module.status();  // stays queued; the next tick tries again
      try {
        real_ = (*module)->Entry<ChannelFactory>(("checker_channel_" + name_).c_str())(config_);
      } catch (const std::exception& error) {
        return Status::Error(name_ + ": " + error.what());
      }
    }
    return real_->Deliver(item, committing);
  }
  bool MayHaveArrived() const override { return real_ && real_->MayHaveArrived(); }
  bool RefusedForGood() const override { return real_ && real_->RefusedForGood(); }

 private:
  std::string name_;
  const Config& config_;
  std::unique_ptr<Channel> real_;
};

}  // namespace

std::vector<std::unique_ptr<Channel>> MakeChannels(const Config& config, bool nomail, Logger& logger) {
  std::vector<std::unique_ptr<Channel>> channels;
  for (const auto& registration : kChannels) {
    if (!registration.configured(config)) continue;
    if (nomail) {
      channels.push_back(std::make_unique<LogChannel>(registration.name, "nomail", logger));
    } else {
      channels.push_back(std::make_unique<LazyChannel>(registration.name, config));
    }
  }
  // Logging notifications is what nomail asks for when no channel is set up;
  // they are never dropped unseen.
  if (channels.empty()) channels.push_back(std::make_unique<LogChannel>("email", "nomail", logger));
  return channels;
}

std::vector<std::string> ChannelNames(const Config& config) {
  std::vector<std::string> names;
  for (const auto& registration : kChannels) {
    if (registration.configured(config)) names.push_back(registration.name);
  }
  if (names.empty()) names.push_back("email");  // logged, as MakeChannels() does
  if (!config.alertmanager.urls.empty()) names.push_back("alertmanager");
  return names;
}

}  // namespace checker
