#include "outbox.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "lock_file.h"

namespace checker {

std::string OneLine(const std::string& text) {
  std::string line = text;
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return line;
}

// A subject stays readable, and short enough for one header line.
constexpr std::size_t kMaxSubjectBytes = 250;

std::vector<std::int64_t> Outbox::Enqueue(const NotificationRequest& request, UnixTime now) {
  std::vector<std::int64_t> ids;
  std::string subject = request.subject;
  if (subject.find(request.job) == std::string::npos) subject = request.job + ": " + subject;
  OutboxItem item;
  item.created = now;
  item.job = OneLine(request.job);
  item.kind = request.kind;
  std::string recipients;
  for (const auto& recipient : request.recipients) recipients += (recipients.empty() ? "" : ", ") + OneLine(recipient);
  item.recipients = recipients;
  item.subject = OneLine("[" + servername_ + "] " + subject);
  if (item.subject.size() > kMaxSubjectBytes) item.subject = item.subject.substr(0, kMaxSubjectBytes - 3) + "...";
  item.body = request.body;
  for (Notifier* notifier : notifiers_) {
    item.channel = notifier->channel();
    ids.push_back(store_.Enqueue(item));
  }
  return ids;
}

Notifier* Outbox::NotifierFor(const std::string& channel) const {
  for (Notifier* notifier : notifiers_) {
    if (notifier->channel() == channel) return notifier;
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
  std::unique_ptr<LockFile> lock;
  for (int attempt = 0; attempt < kLockAttempts; ++attempt) {
    lock = std::make_unique<LockFile>(store_.path() + ".outbox.lock");
    if (lock->held() || !lock->error().empty()) break;
    std::this_thread::sleep_for(kLockRetryDelay);
  }
  if (!lock->held()) {
    if (!lock->error().empty())
      logger_.Warning(lock->error());
    else
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
  Notifier* notifier = NotifierFor(item.channel);
  if (!notifier) {
    logger_.Warning("notification " + std::to_string(item.id) + " waits for channel '" + item.channel +
                    "', which is not configured now");
    ++report.failed;
    return;
  }
  store_.SetOutboxState(item.id, OutboxState::kSending);
  std::string error = notifier->Deliver(item, [&] { store_.SetOutboxState(item.id, OutboxState::kCommitting); });
  if (error.empty()) {
    store_.SetOutboxState(item.id, OutboxState::kDelivered);
    ++report.delivered;
    logger_.Info("delivered " + item.kind + " notification for " + item.job + " by " + item.channel);
  } else if (notifier->MayHaveArrived()) {
    store_.SetOutboxState(item.id, OutboxState::kUncertain, error);
    logger_.Warning("notification " + std::to_string(item.id) + " for " + item.job + " by " + item.channel +
                    " may or may not have been delivered (" + error + "); not sending it again");
  } else {
    store_.SetOutboxState(item.id, OutboxState::kQueued, error);
    ++report.failed;
    logger_.Error("could not deliver " + item.kind + " notification for " + item.job + " by " + item.channel +
                  " (attempt " + std::to_string(item.attempts + 1) + ", stays queued): " + error);
  }
  if (item.channel == "email") store_.SetMeta("mail_delivery_ok", error.empty() ? "1" : "0");
}

}  // namespace checker
