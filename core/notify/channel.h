// Channel: one way notifications leave this host ("email", "webhook", ...).
//
// The outbox hands a channel one queued item at a time. Deliver() is given a
// `committing` callback, which it calls at the last moment before the
// message may reach its recipient (for SMTP, before the final end-of-data),
// so that the outbox knows a crash after that point must not send the
// message again.
#pragma once

#include <functional>
#include <string>

#include "model/outbox_item.h"
#include "util/status.h"

namespace checker {

class Channel {
 public:
  virtual ~Channel() = default;
  // The name rows of the outbox are queued under.
  virtual std::string name() const = 0;
  // Ok when delivered, else why not (never a password).
  virtual Status Deliver(const OutboxItem& item, const std::function<void()>& committing) = 0;
  // After a failed Deliver(): whether the message may have arrived all the
  // same (the connection broke or timed out after `committing`, before the
  // server answered). The outbox then marks it uncertain, not queued.
  virtual bool MayHaveArrived() const { return false; }
  // After a failed Deliver(): whether the channel refused the message for
  // good (an SMTP 5xx reply, a webhook's 4xx), so that trying again is
  // pointless. The outbox then marks it refused, for an operator to see.
  virtual bool RefusedForGood() const { return false; }
  // False for a channel that only logs what it would send (nomail).
  virtual bool Sends() const { return true; }
};

}  // namespace checker
