// AlertmanagerPoster: the real AlertPoster. POSTs a JSON array of alerts to
// an instance's /api/v2/alerts through libcurl, within [alertmanager]
// timeout, reading at most a few KiB of its answer; any answer but 2xx is a
// failure.
#pragma once

#include <string>

#include "config/config.h"
#include "notify/alert_poster.h"

namespace checker {

class AlertmanagerPoster : public AlertPoster {
 public:
  explicit AlertmanagerPoster(const Config& config) : timeout_seconds_(config.alertmanager.timeout) {}
  Status Post(const std::string& base_url, const std::string& alerts_json) override;

 private:
  int timeout_seconds_;
};

}  // namespace checker
