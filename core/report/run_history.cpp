#include "report/run_history.h"

#include <cstdio>
#include <sstream>

#include "model/job.h"
#include "util/text.h"

namespace checker {

std::vector<HistoryEntry> MergeHistory(const std::vector<RunRecord>& runs, const std::vector<Checkin>& checkins,
                                       std::size_t limit) {
  std::vector<HistoryEntry> entries;
  auto run = runs.begin();
  auto checkin = checkins.begin();
  while (entries.size() < limit && (run != runs.end() || checkin != checkins.end())) {
    HistoryEntry entry;
    if (checkin == checkins.end() || (run != runs.end() && run->time >= checkin->time)) {
      entry.run = *run++;
    } else {
      entry.is_run = false;
      entry.checkin = *checkin++;
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

namespace {

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string PerfdataJson(const std::vector<Measurement>& measurements) {
  std::string json = "[";
  for (const auto& measurement : measurements) {
    json += (json.size() > 1 ? ", " : "") + std::string("{\"label\": ") + JsonString(measurement.label) +
            ", \"value\": " + Number(measurement.value) + ", \"unit\": " + JsonString(measurement.unit) + "}";
  }
  return json + "]";
}

// "time=0.012 seconds, size=512 bytes"
std::string PerfdataText(const std::vector<Measurement>& measurements) {
  std::string text;
  for (const auto& measurement : measurements) {
    text += (text.empty() ? "" : ", ") + measurement.label + "=" + Number(measurement.value) +
            (measurement.unit.empty() ? "" : " " + measurement.unit);
  }
  return text;
}

// "0.14 ms", "2.31 s"
std::string Duration(double seconds) {
  char text[32];
  if (seconds < 1)
    std::snprintf(text, sizeof text, "%.2f ms", seconds * 1000);
  else
    std::snprintf(text, sizeof text, "%.2f s", seconds);
  return text;
}

std::string Padded(const std::string& text, std::size_t width) {
  const std::size_t shown = DisplayWidth(text);
  return text + std::string(width > shown ? width - shown : 0, ' ');
}

}  // namespace

std::string HistoryJson(const std::string& job, const std::vector<HistoryEntry>& entries) {
  std::ostringstream out;
  out << "{\"job\": " << JsonString(job) << ", \"entries\": [";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const HistoryEntry& entry = entries[i];
    out << (i ? ", " : "") << "{\"type\": " << (entry.is_run ? "\"run\"" : "\"checkin\"")
        << ", \"time\": " << JsonString(FormatIsoUtc(entry.time()));
    if (entry.is_run) {
      const RunRecord& run = entry.run;
      out << ", \"success\": " << (run.success ? "true" : "false") << ", \"message\": " << JsonString(run.message)
          << ", \"duration\": " << Number(run.duration_seconds) << ", \"perfdata\": " << PerfdataJson(run.measurements)
          << ", \"decision\": " << JsonString(run.decision);
    } else {
      const Checkin& checkin = entry.checkin;
      out << ", \"kind\": " << JsonString(CheckinKindName(checkin.kind))
          << ", \"exit_status\": " << (checkin.exit_status < 0 ? "null" : std::to_string(checkin.exit_status))
          << ", \"message\": " << JsonString(checkin.message);
    }
    out << "}";
  }
  out << "]}\n";
  return out.str();
}

std::string HistoryTable(const std::vector<HistoryEntry>& entries) {
  std::ostringstream out;
  out << Padded("TIME", 20) << "  " << Padded("WHAT", 8) << "  " << Padded("RESULT", 11) << "  "
      << Padded("DURATION", 9) << "  MESSAGE\n";
  for (const auto& entry : entries) {
    out << Padded(FormatIsoUtc(entry.time()), 20) << "  ";
    if (entry.is_run) {
      const RunRecord& run = entry.run;
      std::string detail = Shorten(OneLine(run.message), 80);
      if (!run.measurements.empty()) detail += " [" + PerfdataText(run.measurements) + "]";
      if (!run.decision.empty()) detail += " -- " + run.decision;
      out << Padded("run", 8) << "  " << Padded(run.success ? "ok" : "FAILED", 11) << "  "
          << Padded(Duration(run.duration_seconds), 9) << "  " << detail << "\n";
    } else {
      const Checkin& checkin = entry.checkin;
      std::string result = CheckinKindName(checkin.kind);
      if (checkin.exit_status >= 0) result += " (" + std::to_string(checkin.exit_status) + ")";
      out << Padded("check-in", 8) << "  " << Padded(result, 11) << "  " << Padded("-", 9) << "  "
          << Shorten(OneLine(checkin.message), 80) << "\n";
    }
  }
  if (entries.empty()) out << "(no runs or check-ins recorded yet)\n";
  return out.str();
}

}  // namespace checker
