#include "notifier.h"

#include <iostream>
#include <sstream>

#include "logger.h"

namespace checker {

std::string LogNotifier::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
  committing();
  std::cout << "NOT SENT (" << why_ << (channel_ == "email" ? "" : ", " + channel_) << "): " << item.kind
            << " notification for " << item.job << "\n"
            << "  To: " << item.recipients << "\n"
            << "  Subject: " << item.subject << "\n";
  std::istringstream body(item.body);
  for (std::string line; std::getline(body, line);) std::cout << (line.empty() ? "" : "  ") << line << "\n";
  std::cout << std::flush;
  logger_.Info(why_ + ": not sent by " + channel_ + ": " + item.kind + " for " + item.job + " to " + item.recipients +
               ": " + item.subject);
  return "";
}

}  // namespace checker
