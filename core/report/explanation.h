// Explanation: `-m explain`: what checker knows of one job and will do, in
// sentences: its policy, its state and counters with times, what its last
// run decided and why, the gates in force (pause, maintenance, failing
// dependencies), when a failing run could next notify, and its queued or
// refused notifications. A pure function of what the state file holds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/job.h"
#include "model/outbox_item.h"
#include "state/state_store.h"
#include "util/clock.h"

namespace checker {

struct ExplainInput {
  const Job* job = nullptr;
  std::optional<StoredJob> row;                        // unset: it never ran
  std::vector<std::optional<StoredJob>> dependencies;  // of job->depends_on[i]
  std::optional<RunRecord> last_run;                   // from the history
  std::vector<OutboxItem> undelivered;                 // the job's notifications not delivered
  UnixTime now = 0;
};

// One topic ("policy", "state", "last run", ...) and what is said of it.
struct ExplanationLine {
  std::string topic;
  std::string sentence;
};

std::vector<ExplanationLine> Explain(const ExplainInput& input);

// "TOPIC: sentence" lines, for people.
std::string ExplanationText(const std::string& job, const std::vector<ExplanationLine>& lines);
// {"job", "explanation": [{"topic", "sentence"}], plus the facts: "state",
// "failures", "successes_in_a_row", "first_failure", "last_run",
// "last_notify", "last_decision", "next_notification", "paused",
// "paused_until", "maintenance_until", "failing_dependencies", "outbox"}.
std::string ExplanationJson(const ExplainInput& input, const std::vector<ExplanationLine>& lines);

}  // namespace checker
