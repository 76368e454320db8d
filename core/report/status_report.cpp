#include "report/status_report.h"

#include <cstdio>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "engine/gates.h"
#include "model/frequency.h"
#include "util/text.h"

namespace checker {

namespace {

std::string TableTime(const std::optional<UnixTime>& time) { return time ? FormatIsoUtc(*time) : "-"; }

}  // namespace

std::vector<JobStatus> CollectStatus(const JobCatalog& catalog, const std::vector<StoredJob>& stored, UnixTime now) {
  std::unordered_map<std::string, const StoredJob*> by_key;
  by_key.reserve(stored.size());
  for (const auto& job : stored) by_key[job.key] = &job;
  std::vector<JobStatus> statuses;
  statuses.reserve(catalog.jobs().size());
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
    statuses.push_back(std::move(status));
  }
  return statuses;
}

std::string StatusJson(const std::string& server, const std::vector<JobStatus>& jobs) {
  // Appended piece by piece: ten thousand jobs make a document of some 4 MB.
  std::string out = "{\"server\": ";
  out.reserve(64 + jobs.size() * 400);
  AppendJsonString(out, server);
  out += ", \"jobs\": [";
  const auto field = [&out](const char* name) {
    out += ", \"";
    out += name;
    out += "\": ";
  };
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& job = jobs[i];
    out += i ? ", {\"name\": " : "{\"name\": ";
    AppendJsonString(out, job.name);
    for (const auto& [name, text] :
         {std::pair{"plugin", &job.plugin}, {"frequency", &job.frequency}, {"state", &job.state}}) {
      field(name);
      AppendJsonString(out, *text);
    }
    field("failures");
    out += std::to_string(job.failures);
    for (const auto& [name, time] : {std::pair{"last_run", &job.last_run},
                                     {"first_failure", &job.first_failure},
                                     {"last_notify", &job.last_notify},
                                     {"paused_until", &job.paused_until},
                                     {"maintenance_until", &job.maintenance_until},
                                     {"next_maintenance", &job.next_maintenance}}) {
      field(name);
      AppendJsonTime(out, *time);
    }
    field("recovering");
    if (job.recovering.empty())
      out += "null";
    else
      AppendJsonString(out, job.recovering);
    field("message");
    AppendJsonString(out, job.message);
    out += "}";
  }
  out += "]}\n";
  return out;
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
