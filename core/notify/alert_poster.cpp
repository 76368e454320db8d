#include "notify/alert_poster.h"

#include <iostream>

#include "hosting/network_module.h"

namespace checker {
namespace {

class LoggingAlertPoster : public AlertPoster {
 public:
  explicit LoggingAlertPoster(Logger& logger) : logger_(logger) {}
  Status Post(const std::string& base_url, const std::string& alerts_json) override {
    std::cout << "NOT SENT (nomail, alertmanager): POST " << base_url << "/api/v2/alerts\n"
              << alerts_json << std::flush;
    logger_.Info("nomail: not posted to " + base_url + "/api/v2/alerts: " + alerts_json);
    return Status::Ok();
  }
  bool logs_only() const override { return true; }

 private:
  Logger& logger_;
};

class LazyAlertPoster : public AlertPoster {
 public:
  explicit LazyAlertPoster(const Config& config) : config_(config) {}
  Status Post(const std::string& base_url, const std::string& alerts_json) override {
    if (!real_) {
      Result<NetworkModule*> module = NetworkModule::Get();
      if (!module.ok()) return module.status();
      try {
        real_ = (*module)->Entry<AlertPosterFactory>("checker_alert_poster")(config_);
      } catch (const std::exception& error) {
        return Status::Error(std::string("alertmanager: ") + error.what());
      }
    }
    return real_->Post(base_url, alerts_json);
  }

 private:
  const Config& config_;
  std::unique_ptr<AlertPoster> real_;
};

}  // namespace

std::unique_ptr<AlertPoster> MakeAlertPoster(const Config& config, bool nomail, Logger& logger) {
  if (config.alertmanager.urls.empty()) return nullptr;
  if (nomail) return std::make_unique<LoggingAlertPoster>(logger);
  return std::make_unique<LazyAlertPoster>(config);
}

}  // namespace checker
