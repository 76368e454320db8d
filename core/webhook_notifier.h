// WebhookNotifier: the "webhook" channel. POSTs each outbox item as the JSON
// object of SPEC section 10 to [webhook] url; any answer but 2xx, or none
// within [webhook] timeout, is a failure and the outbox retries the item.
#pragma once

#include <string>

#include "config.h"
#include "notifier.h"

namespace checker {

class WebhookNotifier : public Notifier {
 public:
  WebhookNotifier(const WebhookConfig& webhook, std::string servername)
      : url_(webhook.url), timeout_seconds_(webhook.timeout), servername_(std::move(servername)) {}
  std::string channel() const override { return "webhook"; }
  std::string Deliver(const OutboxItem& item, const std::function<void()>& committing) override;
  bool MayHaveArrived() const override { return may_have_arrived_; }

  // {"server", "job", "kind", "subject", "body", "time"}
  static std::string Json(const OutboxItem& item, const std::string& servername);

 private:
  std::string url_;  // may hold a secret token: kept out of messages
  int timeout_seconds_;
  std::string servername_;
  std::string unreachable_;        // set once the URL could not be reached or timed out
  bool may_have_arrived_ = false;  // the last request was sent whole but never answered
};

}  // namespace checker
