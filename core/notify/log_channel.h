// LogChannel: what stands in for a channel that must not send (nomail, or no
// smtpserver): it writes what would be sent to stdout and the log, marked as
// not sent.
#pragma once

#include <string>

#include "notify/channel.h"
#include "util/logger.h"

namespace checker {

class LogChannel : public Channel {
 public:
  // `why` says why nothing is sent, e.g. "nomail" or "no smtpserver".
  LogChannel(std::string name, std::string why, Logger& logger)
      : name_(std::move(name)), why_(std::move(why)), logger_(logger) {}
  std::string name() const override { return name_; }
  Status Deliver(const OutboxItem& item, const std::function<void()>& committing) override;
  bool Sends() const override { return false; }

 private:
  std::string name_;
  std::string why_;
  Logger& logger_;
};

}  // namespace checker
