// AlertPoster: how alerts reach Alertmanager. Unlike a Channel, which the
// outbox hands one notification at a time, a poster sends each tick's whole
// set of firing alerts to every instance of [alertmanager] url (as
// Prometheus does with an HA pair); AlertPublisher decides what to post.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "util/logger.h"
#include "util/status.h"

namespace checker {

class AlertPoster {
 public:
  virtual ~AlertPoster() = default;
  // POSTs `alerts_json` (a JSON array) to `base_url`/api/v2/alerts. Ok when
  // the instance accepted it, else why not.
  virtual Status Post(const std::string& base_url, const std::string& alerts_json) = 0;
  // Whether a post only pretends (nomail): what it would send is printed.
  virtual bool logs_only() const { return false; }
};

// What network.so exports as "checker_alert_poster".
using AlertPosterFactory = std::unique_ptr<AlertPoster>(const Config& config);

// The poster of `config`: null without [alertmanager] url; with `nomail`
// one that prints what it would post; else one that loads network.so (and
// so libcurl) at its first post. `config` must outlive it.
std::unique_ptr<AlertPoster> MakeAlertPoster(const Config& config, bool nomail, Logger& logger);

}  // namespace checker
