#include "report/status_report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "model/frequency.h"
#include "util/text.h"

namespace checker {

namespace {

std::string JsonTime(const std::optional<UnixTime>& time) { return time ? JsonString(FormatIsoUtc(*time)) : "null"; }

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
      if (row.paused && (!row.paused_until || *row.paused_until > now)) status.state = "paused";
    }
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
        << ", \"message\": " << JsonString(job.message) << "}";
  }
  out << "]}\n";
  return out.str();
}

std::string StatusTable(const std::vector<JobStatus>& jobs) {
  std::size_t name_width = 4;
  for (const auto& job : jobs) name_width = std::max(name_width, job.name.size());
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %-10s  %-8s  %-20s  %s\n", static_cast<int>(name_width), "JOB", "STATE",
                "FAILURES", "LAST RUN", "MESSAGE");
  out << line;
  for (const auto& job : jobs) {
    std::string message = job.message.size() > 80 ? job.message.substr(0, 77) + "..." : job.message;
    for (char& c : message) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';  // one row per job, whatever the job said
    }
    std::snprintf(line, sizeof line, "%-*s  %-10s  %-8d  %-20s  ", static_cast<int>(name_width), job.name.c_str(),
                  job.state.c_str(), job.failures, TableTime(job.last_run).c_str());
    out << line << message << "\n";
  }
  if (jobs.empty()) out << "(no jobs configured)\n";
  return out.str();
}

}  // namespace checker
