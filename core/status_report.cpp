#include "status_report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "config.h"

namespace checker {

namespace {

// The length of the valid UTF-8 sequence at text[at], or 0 if there is none.
std::size_t Utf8Length(const std::string& text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
  if (length == 0 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xc0) != 0x80) return 0;
  }
  return length;
}

}  // namespace

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (std::size_t at = 0; at < text.size(); ++at) {
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (c >= 0x80) {
      // Valid UTF-8 passes through; a stray byte becomes U+FFFD, so the JSON stays valid.
      const std::size_t length = Utf8Length(text, at);
      out += length ? text.substr(at, length) : "\ufffd";
      at += length ? length - 1 : 0;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

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
