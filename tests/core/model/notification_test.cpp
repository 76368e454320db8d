// Every text checker composes for a notification.
#include "model/notification.h"

#include <catch2/catch.hpp>

using namespace checker;

namespace {

Job TcpJob() {
  Job job;
  job.name = job.key = "tcp:dns";
  job.plugin = "tcp";
  job.recipients = {"dns@example.com"};
  return job;
}

}  // namespace

TEST_CASE("a failure without a plugin's own text says the job failed and why, with the streak in the footer") {
  JobHistory history;
  history.failures_in_a_row = 3;
  history.first_failure = 1'800'000'000;
  const auto request = FailureNotification(TcpJob(), {}, {false, "connection refused"}, history);
  CHECK(request.subject == "tcp:dns failed: connection refused");
  CHECK(request.kind == NotificationKind::kFailure);
  CHECK(request.recipients == std::vector<std::string>{"dns@example.com"});
  CHECK(request.body.find("failures in a row: 3") != std::string::npos);
  CHECK(request.body.find("failing since: 2027-01-15T08:00:00Z") != std::string::npos);
}

TEST_CASE("a plugin's own text is kept, and a job that watches a peer notifies as kind peer") {
  Job job = TcpJob();
  job.traits.watches_peer = true;
  const auto request = FailureNotification(job, {"the other checker is unwell", "details"}, {false, "x"}, {});
  CHECK(request.subject == "the other checker is unwell");
  CHECK(request.body.rfind("details", 0) == 0);
  CHECK(request.kind == NotificationKind::kPeer);
}

TEST_CASE("a recovery says how long the job was failing and how often") {
  JobHistory streak;
  streak.failures_in_a_row = 134;
  streak.first_failure = 1000;
  const auto request = RecoveryNotification(TcpJob(), {}, {true, "ok"}, streak, 1000 + 2 * 3600 + 13 * 60);
  CHECK(request.subject == "tcp:dns recovered after 2 h 13 min, 134 failures");
  CHECK(request.kind == NotificationKind::kRecovery);
}

TEST_CASE("the complete subject has the server, the job's name, one line and at most 250 bytes") {
  CHECK(CompleteSubject("web1", "tcp:dns", "tcp:dns failed") == "[web1] tcp:dns failed");
  CHECK(CompleteSubject("web1", "tcp:dns", "down\r\nBcc: x") == "[web1] tcp:dns: down  Bcc: x");
  const std::string subject = CompleteSubject("web1", "tcp:dns", std::string(400, 'a'));
  CHECK(subject.size() == 250);
  CHECK(subject.substr(247) == "...");
}

TEST_CASE("a configuration error names the first error and how many more") {
  const auto request = ConfigErrorNotification({"ops@example.com"}, "/etc/checker/settings.cfg",
                                               {"settings.cfg:3: [tcp:a] port: bad", "settings.cfg:9: [x] y: bad"});
  CHECK(request.job == "checker:config");
  CHECK(request.kind == NotificationKind::kConfigError);
  CHECK(request.subject == "checker:config: configuration error: settings.cfg:3: [tcp:a] port: bad (and 1 more)");
  CHECK(request.body.find("settings.cfg:9: [x] y: bad") != std::string::npos);
}

TEST_CASE("kinds read back as themselves, and spans read as a person would say them") {
  for (auto kind : {NotificationKind::kFailure, NotificationKind::kRecovery, NotificationKind::kMissedTicks,
                    NotificationKind::kPeer, NotificationKind::kConfigError, NotificationKind::kTest}) {
    CHECK(ParseKind(KindName(kind)) == kind);
  }
  CHECK_FALSE(ParseKind("Failure"));
  CHECK(Span(45) == "45 s");
  CHECK(Span(12 * 60 + 5) == "12 min");
  CHECK(Span(2 * 3600) == "2 h");
  CHECK(Span(3 * 86400 + 4 * 3600 + 5) == "3 d 4 h");
}

TEST_CASE("a complete subject cut to 250 bytes never ends inside a UTF-8 character") {
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "\xc3\xa9";

  const std::string subject = CompleteSubject("web1", "tcp:dns", accents);

  CHECK(subject.size() <= 250);
  CHECK(subject.substr(subject.size() - 5) == "\xc3\xa9...");
  CHECK(CompleteSubject("web1", "tcp:dns", std::string(234, 'a')).size() == 250);
}

TEST_CASE("a complete subject keeps no control character, DEL and tab included") {
  CHECK(CompleteSubject("web1", "tcp:dns", "down\t\x7f\x01") == "[web1] tcp:dns: down   ");
}

TEST_CASE("a failure streak without a known start leaves the failing-since line out") {
  JobHistory history;
  history.failures_in_a_row = 1;

  const NotificationRequest request = FailureNotification(TcpJob(), {}, {false, "x"}, history);

  CHECK(request.body.find("failures in a row: 1") != std::string::npos);
  CHECK(request.body.find("failing since") == std::string::npos);
}
