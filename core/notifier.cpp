#include "notifier.h"

#include "logger.h"

#include <iostream>

namespace checker {

std::string LogNotifier::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
  committing();
  std::cout << "NOT SENT (nomail): " << item.kind << " notification for " << item.job << "\n"
            << "  To: " << item.recipients << "\n"
            << "  Subject: " << item.subject << "\n";
  std::string indented = item.body;
  for (std::size_t at = 0; (at = indented.find('\n', at)) != std::string::npos; at += 3) indented.replace(at, 1, "\n  ");
  std::cout << "  " << indented << "\n" << std::flush;
  logger_.Info("nomail: not sent: " + item.kind + " for " + item.job + " to " + item.recipients + ": " + item.subject);
  return "";
}

}  // namespace checker
