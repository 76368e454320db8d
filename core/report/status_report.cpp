#include "report/status_report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "engine/gates.h"
#include "model/frequency.h"
#include "util/text.h"

namespace checker {

namespace {

std::string TableTime(const std::optional<UnixTime>& time) { return time ? FormatIsoUtc(*time) : "-"; }

}  // namespace

std::vector<JobStatus> CollectStatus(const JobCatalog& catalog, const std::vector<StoredJob>& stored, UnixTime now) {
  std::map<std::string, const StoredJob*> by_key;
  for (const auto& job : stored) by_key[job.key] = &job;
  std::vector<JobStatus> statuses;
  for (const auto& job : catalog.jobs()) {
    JobStatus status;
    status.name = job.name;
    status.plugin = job.plugin;
    status.frequency = FrequencyName(job.frequency);
    status.state = "never_run";
    auto found = by_key.find(job.key);
    if (found != by_key.end()) {
      const StoredJob& row = *found->second;
      const auto& history = row.history;
      status.failures = history.failures_in_a_row;
      status.last_run = history.last_run;
      status.first_failure = history.first_failure;
      status.last_notify = history.last_notify;
      status.message = history.last_message;
      if (history.last_run) status.state = history.failing ? "failing" : "succeeding";
      if (history.failing && history.successes_in_a_row > 0) {
        status.recovering = std::to_string(history.successes_in_a_row) + " of " +
                            std::to_string(job.policy.successes_before_recovery) + " successes";
      }
      if (row.paused && (!row.paused_until || *row.paused_until > now)) {
        status.state = "paused";
        status.paused_until = row.paused_until;
      }
    }
    if (auto window = MaintenanceAt(job, now)) {
      status.maintenance_until = window->end;
      if (status.state != "paused") status.state = "maintenance";
    }
    if (auto next = NextMaintenance(job, now)) status.next_maintenance = next->start;
    statuses.push_back(status);
  }
  return statuses;
}

std::string StatusJson(const std::string& server, const std::vector<JobStatus>& jobs) {
  std::ostringstream out;
  out << "{\"server\": " << JsonString(server) << ", \"jobs\": [";
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& job = jobs[i];
    out << (i ? ", " : "") << "{\"name\": " << JsonString(job.name) << ", \"plugin\": " << JsonString(job.plugin)
        << ", \"frequency\": " << JsonString(job.frequency) << ", \"state\": " << JsonString(job.state)
        << ", \"failures\": " << job.failures << ", \"last_run\": " << JsonTime(job.last_run)
        << ", \"first_failure\": " << JsonTime(job.first_failure) << ", \"last_notify\": " << JsonTime(job.last_notify)
        << ", \"paused_until\": " << JsonTime(job.paused_until)
        << ", \"maintenance_until\": " << JsonTime(job.maintenance_until)
        << ", \"next_maintenance\": " << JsonTime(job.next_maintenance)
        << ", \"recovering\": " << (job.recovering.empty() ? "null" : JsonString(job.recovering))
        << ", \"message\": " << JsonString(job.message) << "}";
  }
  out << "]}\n";
  return out.str();
}

namespace {

// When the state began or ends: "since TIME" for a failing job, "until TIME"
// for a paused one or one in maintenance.
std::string SinceOrUntil(const JobStatus& job) {
  if (job.state == "paused") return job.paused_until ? "until " + FormatIsoUtc(*job.paused_until) : "until unpaused";
  if (job.state == "maintenance") return "until " + FormatIsoUtc(*job.maintenance_until);
  if (job.state == "failing" && job.first_failure) return "since " + FormatIsoUtc(*job.first_failure);
  return "-";
}

std::string Padded(const std::string& text, std::size_t width) {
  const std::size_t shown = DisplayWidth(text);
  return text + std::string(width > shown ? width - shown : 0, ' ');
}

}  // namespace

std::string StatusTable(const std::vector<JobStatus>& jobs) {
  std::size_t name_width = 3;
  for (const auto& job : jobs) name_width = std::max(name_width, DisplayWidth(job.name));
  std::ostringstream out;
  out << Padded("JOB", name_width) << "  " << Padded("STATE", 11) << "  " << Padded("FAILURES", 8) << "  "
      << Padded("LAST RUN", 20) << "  " << Padded("SINCE / UNTIL", 26) << "  MESSAGE\n";
  for (const auto& job : jobs) {
    // One row per job, whatever the job said.
    const std::string message =
        (job.recovering.empty() ? "" : "recovering: " + job.recovering + "; ") + Shorten(OneLine(job.message), 80);
    out << Padded(job.name, name_width) << "  " << Padded(job.state, 11) << "  "
        << Padded(std::to_string(job.failures), 8) << "  " << Padded(TableTime(job.last_run), 20) << "  "
        << Padded(SinceOrUntil(job), 26) << "  " << message << "\n";
  }
  if (jobs.empty()) out << "(no jobs configured)\n";
  return out.str();
}

}  // namespace checker
