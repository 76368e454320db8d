// Outbox: durable delivery of notifications.
//
// A notification is first written to the state file, one row per channel, in
// the same transaction as the job state that caused it; Outbox then delivers
// what is queued, oldest first, at this and every later tick until it goes
// through. One process delivers at a time (a lock beside the state file).
//
// The guarantee: at most once, and never lost unless a crash hits the narrow
// window between handing the message over and recording it. A row is marked
// "sending" before delivery starts and "committing" right before the point of
// no return (SMTP's end of data); a crash before "committing" means the
// message cannot have arrived, so it is queued again; a crash after it leaves
// the row "uncertain", which is logged and not sent again. So does a
// connection that breaks after that point before the server answered
// (Channel::MayHaveArrived).
#pragma once

#include <string>
#include <vector>

#include "model/notification.h"
#include "notify/channel.h"
#include "state/state_store.h"
#include "util/clock.h"
#include "util/logger.h"

namespace checker {

struct DeliveryReport {
  int delivered = 0;
  int failed = 0;  // still queued
};

class Outbox {
 public:
  Outbox(StateStore& store, std::vector<Channel*> channels, Logger& logger, std::string servername)
      : store_(store), channels_(std::move(channels)), logger_(logger), servername_(std::move(servername)) {}

  // Queues one row per channel. Call inside the transaction that records the
  // job's state. The subject is completed by CompleteSubject().
  // Returns the ids of the new rows.
  std::vector<std::int64_t> Enqueue(const NotificationRequest& request, UnixTime now);

  // Delivers everything queued, or only the rows `only` names when given,
  // looking again for rows other ticks queue meanwhile. When another process
  // holds the delivery lock for more than about 2 s, returns without
  // delivering: that process looks again before it lets go, so it delivers
  // ours too.
  DeliveryReport DeliverQueued(const std::vector<std::int64_t>* only = nullptr);

 private:
  Channel* ChannelNamed(const std::string& name) const;
  void DeliverOne(const OutboxItem& item, DeliveryReport& report);

  StateStore& store_;
  std::vector<Channel*> channels_;
  Logger& logger_;
  std::string servername_;
};

}  // namespace checker
