#include "report/explanation.h"

#include <sstream>

#include "engine/gates.h"
#include "engine/notification_policy.h"
#include "model/frequency.h"
#include "model/notification.h"
#include "util/text.h"

namespace checker {
namespace {

// "2026-12-02 10:03 UTC (12 min ago)"
std::string When(UnixTime time, UnixTime now) { return ClockTimeUtc(time, now) + " (" + Relative(time, now) + ")"; }

std::string Plural(int count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

Gates GatesOf(const ExplainInput& input) {
  const Job& job = *input.job;
  return GatesAt(
      job,
      [&](const std::string& key) -> const StoredJob* {
        if (key == job.key) return input.row ? &*input.row : nullptr;
        for (std::size_t i = 0; i < job.depends_on.size() && i < input.dependencies.size(); ++i) {
          if (job.depends_on[i].key == key && input.dependencies[i]) return &*input.dependencies[i];
        }
        return nullptr;
      },
      input.now);
}

std::string PolicySentence(const Job& job) {
  const JobPolicy& policy = job.policy;
  return std::string("notify = ") + NotifyEveryName(policy.notify) +
         ", failures_before_notify = " + std::to_string(policy.failures_before_notify) +
         ", successes_before_recovery = " + std::to_string(policy.successes_before_recovery) +
         ", notify_recovery = " + (policy.notify_recovery ? "true" : "false") + "; it runs every " +
         FrequencyName(job.frequency) + " tick, timeout " + std::to_string(job.timeout_seconds) + " s" +
         (job.enabled ? "" : "; it is disabled (enabled = false)");
}

std::string StateSentence(const ExplainInput& input) {
  if (!input.row || !input.row->history.last_run) return "it has not run yet";
  const JobHistory& history = input.row->history;
  if (!history.failing) return "succeeding";
  std::string sentence = "failing";
  if (history.first_failure) sentence += " since " + When(*history.first_failure, input.now);
  sentence += ": " + Plural(history.failures_in_a_row, "failure", "failures") + " in a row";
  if (history.successes_in_a_row > 0) {
    sentence += "; recovering: " + std::to_string(history.successes_in_a_row) + " of " +
                std::to_string(input.job->policy.successes_before_recovery) + " successes";
  }
  return sentence;
}

std::string DependencySentence(const ExplainInput& input) {
  std::string sentence;
  const Job& job = *input.job;
  for (std::size_t i = 0; i < job.depends_on.size(); ++i) {
    const auto& row = i < input.dependencies.size() ? input.dependencies[i] : std::nullopt;
    std::string state = "has not run yet";
    if (row && row->history.failing) {
      state = "failing" +
              (row->history.first_failure ? " since " + When(*row->history.first_failure, input.now) : std::string());
    } else if (row && row->history.last_run) {
      state = "succeeding";
    }
    sentence += (sentence.empty() ? "" : "; ") + job.depends_on[i].name + " is " + state;
  }
  return sentence + "; while one fails, this job sends nothing";
}

std::string MaintenanceSentence(const Job& job, const Gates& gates, UnixTime now) {
  std::string sentence = "windows " + job.maintenance_text + " (UTC); ";
  sentence += gates.maintenance ? "in maintenance until " + When(gates.maintenance->end, now) : "not in a window now";
  if (auto next = NextMaintenance(job, now)) sentence += "; the next starts " + When(next->start, now);
  return sentence;
}

std::string OutboxSentence(const std::vector<OutboxItem>& items) {
  if (items.empty()) return "nothing waits to be delivered";
  std::string sentence = Plural(static_cast<int>(items.size()), "notification", "notifications") + " not delivered: ";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const OutboxItem& item = items[i];
    sentence += (i ? "; " : "") + std::string("#") + std::to_string(item.id) + " " + KindName(item.kind) + " by " +
                item.channel + ", " + OutboxStateName(item.state) + " after " +
                Plural(item.attempts, "attempt", "attempts") +
                (item.last_error.empty() ? "" : ", last error: " + OneLine(item.last_error));
  }
  return sentence + " (checker -m outbox shows them)";
}

}  // namespace

std::vector<ExplanationLine> Explain(const ExplainInput& input) {
  const Job& job = *input.job;
  const Gates gates = GatesOf(input);
  const JobHistory history = input.row ? input.row->history : JobHistory{};
  std::vector<ExplanationLine> lines;
  lines.push_back({"policy", PolicySentence(job)});
  if (!job.depends_on.empty()) lines.push_back({"depends on", DependencySentence(input)});
  if (!job.maintenance.empty()) lines.push_back({"maintenance", MaintenanceSentence(job, gates, input.now)});
  if (gates.paused) {
    lines.push_back({"now", gates.paused_until ? "paused until " + When(*gates.paused_until, input.now)
                                               : "paused until unpaused (checker -m unpause --job " + job.name + ")"});
  }
  lines.push_back({"state", StateSentence(input)});
  if (input.last_run) {
    const RunRecord& run = *input.last_run;
    lines.push_back({"last run", When(run.time, input.now) + ": " + (run.success ? "ok: " : "FAILED: ") +
                                     Shorten(OneLine(run.message), 200)});
    if (!run.decision.empty()) lines.push_back({"it decided", run.decision});
  }
  lines.push_back({"last notification", history.last_notify ? When(*history.last_notify, input.now) : "none yet"});
  if (const std::string hold = HoldReason(gates, input.now); !hold.empty()) {
    lines.push_back({"now", "suppressed: " + hold});
  }
  lines.push_back({"next notification", NextNotification(job.policy, history, gates, input.now)});
  lines.push_back({"outbox", OutboxSentence(input.undelivered)});
  return lines;
}

std::string ExplanationText(const std::string& job, const std::vector<ExplanationLine>& lines) {
  std::size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.topic.size());
  std::ostringstream out;
  out << job << "\n";
  for (const auto& line : lines) {
    out << "  " << line.topic << ":" << std::string(width - line.topic.size() + 1, ' ') << line.sentence << "\n";
  }
  return out.str();
}

std::string ExplanationJson(const ExplainInput& input, const std::vector<ExplanationLine>& lines) {
  const Job& job = *input.job;
  const Gates gates = GatesOf(input);
  const JobHistory history = input.row ? input.row->history : JobHistory{};
  std::ostringstream out;
  out << "{\"job\": " << JsonString(job.name) << ", \"explanation\": [";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out << (i ? ", " : "") << "{\"topic\": " << JsonString(lines[i].topic)
        << ", \"sentence\": " << JsonString(lines[i].sentence) << "}";
  }
  const char* state = !history.last_run ? "never_run" : history.failing ? "failing" : "succeeding";
  out << "], \"state\": " << JsonString(state) << ", \"failures\": " << history.failures_in_a_row
      << ", \"successes_in_a_row\": " << history.successes_in_a_row
      << ", \"first_failure\": " << JsonTime(history.first_failure) << ", \"last_run\": " << JsonTime(history.last_run)
      << ", \"last_notify\": " << JsonTime(history.last_notify)
      << ", \"last_decision\": " << (input.last_run ? JsonString(input.last_run->decision) : "null")
      << ", \"next_notification\": " << JsonString(NextNotification(job.policy, history, gates, input.now))
      << ", \"paused\": " << (gates.paused ? "true" : "false") << ", \"paused_until\": " << JsonTime(gates.paused_until)
      << ", \"maintenance_until\": "
      << JsonTime(gates.maintenance ? std::optional<UnixTime>(gates.maintenance->end) : std::nullopt)
      << ", \"failing_dependencies\": [";
  for (std::size_t i = 0; i < gates.failing_dependencies.size(); ++i) {
    out << (i ? ", " : "") << JsonString(gates.failing_dependencies[i]);
  }
  out << "], \"outbox\": [";
  for (std::size_t i = 0; i < input.undelivered.size(); ++i) {
    const OutboxItem& item = input.undelivered[i];
    out << (i ? ", " : "") << "{\"id\": " << item.id << ", \"kind\": " << JsonString(KindName(item.kind))
        << ", \"channel\": " << JsonString(item.channel) << ", \"state\": " << JsonString(OutboxStateName(item.state))
        << ", \"attempts\": " << item.attempts << ", \"last_error\": " << JsonString(item.last_error) << "}";
  }
  out << "]}\n";
  return out.str();
}

}  // namespace checker
