// RecordingNotifier: a delivery channel that keeps what it was given, and
// can be told to fail, for tests of the outbox and the runner.
#pragma once

#include "notifier.h"

#include <string>
#include <vector>

namespace checker {

class RecordingNotifier : public Notifier {
 public:
  explicit RecordingNotifier(std::string channel = "email") : channel_(std::move(channel)) {}
  std::string channel() const override { return channel_; }
  std::string Deliver(const OutboxItem& item, const std::function<void()>& committing) override {
    if (!failure.empty()) return failure;
    committing();
    delivered.push_back(item);
    return "";
  }

  std::vector<OutboxItem> delivered;
  std::string failure;  // when set, every delivery fails with it

 private:
  std::string channel_;
};

}  // namespace checker
