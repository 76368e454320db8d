// Notifier: one delivery channel for outbox items ("email", "webhook").
//
// Deliver() is handed a `committing` callback: it calls it at the last moment
// before the message may reach its recipient (for SMTP, before the final
// end-of-data), so that the outbox knows a crash after that point must not
// send the message again.
#pragma once

#include <functional>
#include <string>

#include "state_store.h"

namespace checker {

class Logger;

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual std::string channel() const = 0;
  // Returns "" when delivered, else a reason for the log (never a password).
  virtual std::string Deliver(const OutboxItem& item, const std::function<void()>& committing) = 0;
  // After a failed Deliver(): whether the message may have arrived all the
  // same (the connection broke or timed out after `committing`, before the
  // server answered). The outbox then marks it uncertain, not queued.
  virtual bool MayHaveArrived() const { return false; }
};

// nomail (or no smtpserver): writes what would be sent to stdout and the log,
// marked as not sent.
class LogNotifier : public Notifier {
 public:
  // `why` says why nothing is sent, e.g. "nomail" or "no smtpserver".
  LogNotifier(std::string channel, std::string why, Logger& logger)
      : channel_(std::move(channel)), why_(std::move(why)), logger_(logger) {}
  std::string channel() const override { return channel_; }
  std::string Deliver(const OutboxItem& item, const std::function<void()>& committing) override;

 private:
  std::string channel_;
  std::string why_;
  Logger& logger_;
};

}  // namespace checker
