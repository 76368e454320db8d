// OutboxItem: one notification for one channel, as the state file keeps it
// until it is delivered.
#pragma once

#include <cstdint>
#include <string>

#include "model/notification.h"
#include "util/clock.h"

namespace checker {

// queued -> sending -> committing -> delivered, or back to queued when a try
// fails; uncertain when a try may or may not have reached the recipient;
// refused when the channel refused it for good (it waits for an operator);
// dropped when an operator gave up on it.
enum class OutboxState { kQueued, kSending, kCommitting, kDelivered, kUncertain, kRefused, kDropped };

const char* OutboxStateName(OutboxState state);

struct OutboxItem {
  std::int64_t id = 0;
  UnixTime created = 0;
  std::string job;
  NotificationKind kind = NotificationKind::kFailure;
  std::string channel;  // "email", "webhook", ...
  std::string recipients;
  std::string subject;  // complete, "[servername] ..."
  std::string body;
  int attempts = 0;
  std::string last_error;
  OutboxState state = OutboxState::kQueued;
};

}  // namespace checker
