#include "notify/log_channel.h"

#include <iostream>
#include <sstream>

namespace checker {

Status LogChannel::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
  committing();
  std::cout << "NOT SENT (" << why_ << (name_ == "email" ? "" : ", " + name_) << "): " << KindName(item.kind)
            << " notification for " << item.job << "\n"
            << "  To: " << item.recipients << "\n"
            << "  Subject: " << item.subject << "\n";
  std::istringstream body(item.body);
  for (std::string line; std::getline(body, line);) std::cout << (line.empty() ? "" : "  ") << line << "\n";
  std::cout << std::flush;
  logger_.Info(why_ + ": not sent by " + name_ + ": " + KindName(item.kind) + " for " + item.job + " to " +
               item.recipients + ": " + item.subject);
  return Status::Ok();
}

}  // namespace checker
