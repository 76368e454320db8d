// WebhookChannel: the "webhook" channel. POSTs each outbox item as a JSON
// object {"server", "job", "kind", "subject", "body", "time"} to [webhook]
// url; any answer but 2xx, or none within [webhook] timeout, is a failure
// and the outbox retries the item.
#pragma once

#include <string>

#include "config/config.h"
#include "notify/channel.h"

namespace checker {

class WebhookChannel : public Channel {
 public:
  explicit WebhookChannel(const Config& config)
      : url_(config.webhook.url), timeout_seconds_(config.webhook.timeout), servername_(config.general.servername) {}
  std::string name() const override { return "webhook"; }
  Status Deliver(const OutboxItem& item, const std::function<void()>& committing) override;
  bool MayHaveArrived() const override { return may_have_arrived_; }
  bool RefusedForGood() const override { return refused_for_good_; }

  // {"server", "job", "kind", "subject", "body", "time"}
  static std::string Json(const OutboxItem& item, const std::string& servername);

 private:
  std::string url_;  // may hold a secret token: kept out of messages
  int timeout_seconds_;
  std::string servername_;
  std::string unreachable_;        // set once the URL could not be reached or timed out
  bool may_have_arrived_ = false;  // the last request was sent whole but never answered
  bool refused_for_good_ = false;  // the last answer was a 4xx other than 408 and 429
};

}  // namespace checker
