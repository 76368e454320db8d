#include "report/health.h"

namespace checker {
namespace {

constexpr UnixTime kTickFreshSeconds = 120;

}  // namespace

HealthFacts ReadHealthFacts(StateStore* store, const JobCatalog& catalog) {
  HealthFacts facts;
  if (!store) return facts;
  facts.last_tick_finished = store->LastTickFinish();
  facts.last_delivery_failed = store->GetMeta("mail_delivery_ok") == std::optional<std::string>("0");
  facts.refused_waiting = store->CountRefused() > 0;
  for (const auto& job : catalog.jobs()) {
    if (!job.traits.watches_mail) continue;
    auto row = store->LoadJob(job.key);
    facts.mail_check_failing |= row && row->history.failing;
  }
  return facts;
}

std::string HealthAnswer(const HealthFacts& facts, UnixTime now) {
  if (!facts.last_tick_finished || now - *facts.last_tick_finished > kTickFreshSeconds) return "JobProblem";
  // A tick that finished "in the future" ran before the clock went back; it
  // says nothing about whether ticks run now.
  if (*facts.last_tick_finished > now + kTickFreshSeconds) return "JobProblem";
  if (facts.last_delivery_failed || facts.mail_check_failing || facts.refused_waiting) return "MailProblem";
  return "True";
}

}  // namespace checker
