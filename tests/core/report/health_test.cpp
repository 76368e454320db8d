// The health answer to peers: JobProblem, MailProblem or True.
#include "report/health.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"

using namespace checker;

namespace {

constexpr UnixTime kNow = 1767323045;

HealthFacts TickFinishedAgo(UnixTime seconds) {
  HealthFacts facts;
  facts.last_tick_finished = kNow - seconds;
  return facts;
}

}  // namespace

TEST_CASE("a tick that finished within the last 120 s and no mail trouble is True") {
  CHECK(HealthAnswer(TickFinishedAgo(0), kNow) == "True");
  CHECK(HealthAnswer(TickFinishedAgo(120), kNow) == "True");
}

TEST_CASE("no tick finished in the last 120 s, or none ever, is JobProblem") {
  CHECK(HealthAnswer(TickFinishedAgo(121), kNow) == "JobProblem");
  CHECK(HealthAnswer(HealthFacts{}, kNow) == "JobProblem");
}

TEST_CASE("a failed delivery, a refused notification waiting or a failing mail check is MailProblem") {
  HealthFacts delivery = TickFinishedAgo(60);
  delivery.last_delivery_failed = true;
  HealthFacts refused = TickFinishedAgo(60);
  refused.refused_waiting = true;
  HealthFacts mail_check = TickFinishedAgo(60);
  mail_check.mail_check_failing = true;

  CHECK(HealthAnswer(delivery, kNow) == "MailProblem");
  CHECK(HealthAnswer(refused, kNow) == "MailProblem");
  CHECK(HealthAnswer(mail_check, kNow) == "MailProblem");
}

TEST_CASE("when both problems apply, JobProblem wins") {
  HealthFacts both = TickFinishedAgo(121);
  both.last_delivery_failed = true;
  both.mail_check_failing = true;

  CHECK(HealthAnswer(both, kNow) == "JobProblem");
}

TEST_CASE("without a state file no tick ever finished") {
  const HealthFacts facts = ReadHealthFacts(nullptr, JobCatalog::FromJobs({}));

  CHECK_FALSE(facts.last_tick_finished);
  CHECK_FALSE(facts.last_delivery_failed);
  CHECK_FALSE(facts.mail_check_failing);
}

TEST_CASE("the facts come from the state file: the last tick, the last delivery and the jobs that watch mail") {
  TempDir dir;
  auto store = StateStore::Open(dir.File("state.db"), StateStore::Mode::kCreate);
  store->RecordTickStart("minute", kNow - 30);
  store->RecordTickFinish("minute", kNow - 20);
  store->SetMeta("mail_delivery_ok", "0");
  StoredJob round_trip = store->EnsureJob("email:round_trip", "email:round_trip", kNow - 3600);
  round_trip.history.failing = true;
  store->SaveJob(round_trip);
  StoredJob other = store->EnsureJob("tcp:dns", "tcp:dns", kNow - 3600);
  other.history.failing = true;
  store->SaveJob(other);
  Job watches_mail;
  watches_mail.name = watches_mail.key = "email:round_trip";
  watches_mail.traits.watches_mail = true;
  Job ordinary;
  ordinary.name = ordinary.key = "tcp:dns";

  const HealthFacts with_mail_job = ReadHealthFacts(store.get(), JobCatalog::FromJobs({watches_mail, ordinary}));
  const HealthFacts without = ReadHealthFacts(store.get(), JobCatalog::FromJobs({ordinary}));

  CHECK(with_mail_job.last_tick_finished == kNow - 20);
  CHECK(with_mail_job.last_delivery_failed);
  CHECK(with_mail_job.mail_check_failing);
  CHECK_FALSE(without.mail_check_failing);
}
