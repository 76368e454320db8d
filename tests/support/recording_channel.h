// RecordingChannel: a delivery channel that keeps what it was given, and
// can be told to fail, for tests of the outbox and the runner.
#pragma once

#include <string>
#include <vector>

#include "notify/channel.h"

namespace checker {

class RecordingChannel : public Channel {
 public:
  explicit RecordingChannel(std::string name = "email") : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  Status Deliver(const OutboxItem& item, const std::function<void()>& committing) override {
    if (!failure.empty()) return Status::Error(failure);
    committing();
    delivered.push_back(item);
    return Status::Ok();
  }

  std::vector<OutboxItem> delivered;
  std::string failure;  // when set, every delivery fails with it

 private:
  std::string name_;
};

}  // namespace checker
