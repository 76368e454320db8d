#include "notify/outbox.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "util/lock_file.h"
#include "util/text.h"

namespace checker {

std::vector<std::int64_t> Outbox::Enqueue(const NotificationRequest& request, UnixTime now) {
  std::vector<std::int64_t> ids;
  OutboxItem item;
  item.created = now;
  item.job = OneLine(request.job);
  item.kind = request.kind;
  std::string recipients;
  for (const auto& recipient : request.recipients) recipients += (recipients.empty() ? "" : ", ") + OneLine(recipient);
  item.recipients = recipients;
  item.subject = CompleteSubject(servername_, request.job, request.subject);
  item.body = request.body;
  for (Channel* channel : channels_) {
    item.channel = channel->name();
    ids.push_back(store_.Enqueue(item));
  }
  return ids;
}

Channel* Outbox::ChannelNamed(const std::string& name) const {
  for (Channel* channel : channels_) {
    if (channel->name() == name) return channel;
  }
  return nullptr;
}

namespace {

// Another tick may hold the delivery lock for a moment after it looked for
// rows for the last time; waiting this long lets us deliver ours ourselves.
constexpr int kLockAttempts = 40;
constexpr auto kLockRetryDelay = std::chrono::milliseconds(50);
// Rows committed by other ticks while we deliver are picked up by looking
// again, a bounded number of times.
constexpr int kMaxPasses = 100;

}  // namespace

DeliveryReport Outbox::DeliverQueued(const std::vector<std::int64_t>* only) {
  DeliveryReport report;
  Result<std::unique_ptr<LockFile>> lock = LockFile::TryAcquire(store_.path() + ".outbox.lock");
  for (int attempt = 1; attempt < kLockAttempts && lock.ok() && !*lock; ++attempt) {
    std::this_thread::sleep_for(kLockRetryDelay);
    lock = LockFile::TryAcquire(store_.path() + ".outbox.lock");
  }
  if (!lock.ok()) {
    logger_.Warning(lock.error());
    return report;
  }
  if (!*lock) {
    logger_.Debug("another checker is delivering the outbox; it will deliver ours too");
    return report;
  }
  {
    // Rows a dead deliverer left behind (we hold the lock, so it is dead).
    StateStore::Transaction transaction(store_);
    for (const auto& item : store_.Items(OutboxState::kSending)) {
      store_.SetOutboxState(item.id, OutboxState::kQueued);
    }
    for (const auto& item : store_.Items(OutboxState::kCommitting)) {
      logger_.Warning("notification " + std::to_string(item.id) + " for " + item.job +
                      " may or may not have been delivered (a checker died while sending it); not sending it again");
      store_.SetOutboxState(item.id, OutboxState::kUncertain);
    }
    transaction.Commit();
  }
  std::set<std::int64_t> attempted;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    bool found_new = false;
    for (const auto& item : store_.Queued()) {
      if (only && std::find(only->begin(), only->end(), item.id) == only->end()) continue;
      if (!attempted.insert(item.id).second) continue;
      found_new = true;
      DeliverOne(item, report);
    }
    if (!found_new) break;
  }
  return report;
}

void Outbox::DeliverOne(const OutboxItem& item, DeliveryReport& report) {
  Channel* channel = ChannelNamed(item.channel);
  if (!channel) {
    logger_.Warning("notification " + std::to_string(item.id) + " waits for channel '" + item.channel +
                    "', which is not configured now");
    ++report.failed;
    return;
  }
  store_.SetOutboxState(item.id, OutboxState::kSending);
  const Status delivered = channel->Deliver(item, [&] { store_.SetOutboxState(item.id, OutboxState::kCommitting); });
  const std::string& error = delivered.message();
  if (delivered.ok()) {
    store_.SetOutboxState(item.id, OutboxState::kDelivered);
    ++report.delivered;
    // A channel that only logs has said so itself; "delivered" would be a lie.
    if (channel->Sends()) {
      logger_.Info("delivered " + std::string(KindName(item.kind)) + " notification for " + item.job + " by " +
                   item.channel);
    }
  } else if (channel->RefusedForGood()) {
    store_.SetOutboxState(item.id, OutboxState::kRefused, error);
    ++report.failed;
    logger_.Error("the " + item.channel + " channel refused the " + std::string(KindName(item.kind)) +
                  " notification " + std::to_string(item.id) + " for " + item.job + " for good: " + error +
                  "; it is kept, not tried again (checker -m outbox shows it; --drop " + std::to_string(item.id) +
                  " gives up on it)");
  } else if (channel->MayHaveArrived()) {
    store_.SetOutboxState(item.id, OutboxState::kUncertain, error);
    logger_.Warning("notification " + std::to_string(item.id) + " for " + item.job + " by " + item.channel +
                    " may or may not have been delivered (" + error + "); not sending it again");
  } else {
    store_.SetOutboxState(item.id, OutboxState::kQueued, error);
    ++report.failed;
    logger_.Error("could not deliver " + std::string(KindName(item.kind)) + " notification for " + item.job + " by " +
                  item.channel + " (attempt " + std::to_string(item.attempts + 1) + ", stays queued): " + error);
  }
  if (item.channel == "email") store_.SetMeta("mail_delivery_ok", delivered.ok() ? "1" : "0");
}

}  // namespace checker
