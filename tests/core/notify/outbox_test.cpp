// The outbox: one row per channel, delivered oldest first, never lost, never twice.
#include "notify/outbox.h"

#include <catch2/catch.hpp>

#include "recording_channel.h"
#include "temp_dir.h"

using namespace checker;

namespace {

// A channel whose connection breaks after the point of no return.
class BreaksAfterCommitting : public Channel {
 public:
  std::string name() const override { return "email"; }
  Status Deliver(const OutboxItem&, const std::function<void()>& committing) override {
    committing();
    return Status::Error("connection reset");
  }
  bool MayHaveArrived() const override { return true; }
};

// A channel that refuses everything for good.
class RefusesForGood : public RecordingChannel {
 public:
  RefusesForGood() { failure = "550 no such user"; }
  bool RefusedForGood() const override { return true; }
};

struct Fixture {
  TempDir dir;
  Logger logger;
  std::unique_ptr<StateStore> store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);

  std::vector<std::int64_t> Queue(Outbox& outbox, const std::string& subject, UnixTime now) {
    StateStore::Transaction transaction(*store);
    auto ids = outbox.Enqueue({"tcp:a", NotificationKind::kFailure, {"ops@example.com"}, subject, "body"}, now);
    transaction.Commit();
    return ids;
  }
};

}  // namespace

TEST_CASE("a notification is queued once per channel and delivered oldest first") {
  Fixture f;
  RecordingChannel mail("email"), hook("webhook");
  Outbox outbox(*f.store, {&mail, &hook}, f.logger, "web1");
  CHECK(f.Queue(outbox, "first", 1).size() == 2);
  f.Queue(outbox, "second", 2);
  const DeliveryReport report = outbox.DeliverQueued();
  CHECK(report.delivered == 4);
  REQUIRE(mail.delivered.size() == 2);
  CHECK(mail.delivered[0].subject == "[web1] tcp:a: first");
  CHECK(mail.delivered[1].subject == "[web1] tcp:a: second");
  CHECK(hook.delivered.size() == 2);
  CHECK(f.store->CountQueued() == 0);
}

TEST_CASE("a failed delivery stays queued with its error and goes out at a later call") {
  Fixture f;
  RecordingChannel mail;
  mail.failure = "connection refused";
  Outbox outbox(*f.store, {&mail}, f.logger, "web1");
  f.Queue(outbox, "down", 1);
  CHECK(outbox.DeliverQueued().failed == 1);
  auto queued = f.store->Queued();
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].last_error == "connection refused");
  CHECK(queued[0].attempts == 1);
  mail.failure.clear();
  CHECK(outbox.DeliverQueued().delivered == 1);
  CHECK(outbox.DeliverQueued().delivered == 0);  // never twice
}

TEST_CASE("a message that may have arrived is marked uncertain and not sent again") {
  Fixture f;
  BreaksAfterCommitting mail;
  Outbox outbox(*f.store, {&mail}, f.logger, "web1");
  f.Queue(outbox, "down", 1);
  outbox.DeliverQueued();
  CHECK(f.store->Queued().empty());
  REQUIRE(f.store->Items(OutboxState::kUncertain).size() == 1);
}

TEST_CASE("a refusal for good is kept as refused, not retried, until dropped") {
  Fixture f;
  RefusesForGood mail;
  Outbox outbox(*f.store, {&mail}, f.logger, "web1");
  const auto ids = f.Queue(outbox, "down", 1);
  CHECK(outbox.DeliverQueued().failed == 1);
  CHECK(f.store->CountRefused() == 1);
  CHECK(outbox.DeliverQueued().failed == 0);
  CHECK(f.store->Drop(ids[0]));
  CHECK(f.store->CountRefused() == 0);
  CHECK(f.store->Undelivered().empty());
}

TEST_CASE("rows a dead deliverer left sending are queued again; committing ones become uncertain") {
  Fixture f;
  RecordingChannel mail;
  Outbox outbox(*f.store, {&mail}, f.logger, "web1");
  const auto sending = f.Queue(outbox, "one", 1);
  const auto committing = f.Queue(outbox, "two", 2);
  f.store->SetOutboxState(sending[0], OutboxState::kSending);
  f.store->SetOutboxState(committing[0], OutboxState::kCommitting);
  outbox.DeliverQueued();
  REQUIRE(mail.delivered.size() == 1);
  CHECK(mail.delivered[0].subject == "[web1] tcp:a: one");
  CHECK(f.store->Items(OutboxState::kUncertain).size() == 1);
}

TEST_CASE("only the rows asked for are delivered, and a row for a channel not configured waits") {
  Fixture f;
  RecordingChannel mail("email"), hook("webhook");
  Outbox both(*f.store, {&mail, &hook}, f.logger, "web1");
  f.Queue(both, "old", 1);
  Outbox mail_only(*f.store, {&mail}, f.logger, "web1");
  const auto ids = f.Queue(mail_only, "new", 2);
  mail_only.DeliverQueued(&ids);
  REQUIRE(mail.delivered.size() == 1);
  CHECK(mail.delivered[0].subject == "[web1] tcp:a: new");
  CHECK(mail_only.DeliverQueued().failed == 1);  // the webhook row of "old" waits for its channel
}

TEST_CASE("an email delivery records whether mail goes out from this host, for the health answer") {
  Fixture f;
  RecordingChannel mail;
  Outbox outbox(*f.store, {&mail}, f.logger, "web1");
  f.Queue(outbox, "down", 100);
  mail.failure = "connection refused";

  outbox.DeliverQueued();
  const auto after_failure = f.store->GetMeta("mail_delivery_ok");
  mail.failure.clear();
  outbox.DeliverQueued();
  const auto after_success = f.store->GetMeta("mail_delivery_ok");

  CHECK(after_failure == "0");
  CHECK(after_success == "1");
}
