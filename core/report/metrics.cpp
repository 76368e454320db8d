#include "report/metrics.h"

#include <sstream>

namespace checker {
namespace {

std::string PrometheusLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string MetricsText(const MetricsInput& input) {
  std::ostringstream out;
  out << "# HELP checker_job_failing 1 while the job's last run failed.\n# TYPE checker_job_failing gauge\n";
  for (const auto& job : input.jobs) {
    out << "checker_job_failing{job=\"" << PrometheusLabel(job.name) << "\"} " << (job.state == "failing") << "\n";
  }
  out << "# HELP checker_job_failures_in_a_row Failures in a row of the job.\n"
         "# TYPE checker_job_failures_in_a_row gauge\n";
  for (const auto& job : input.jobs) {
    out << "checker_job_failures_in_a_row{job=\"" << PrometheusLabel(job.name) << "\"} " << job.failures << "\n";
  }
  out << "# HELP checker_job_last_run_timestamp_seconds When the job last ran.\n"
         "# TYPE checker_job_last_run_timestamp_seconds gauge\n";
  for (const auto& job : input.jobs) {
    if (job.last_run) {
      out << "checker_job_last_run_timestamp_seconds{job=\"" << PrometheusLabel(job.name) << "\"} " << *job.last_run
          << "\n";
    }
  }
  if (input.last_tick_finished) {
    out << "# HELP checker_last_tick_timestamp_seconds When the last cron tick finished.\n"
           "# TYPE checker_last_tick_timestamp_seconds gauge\n"
        << "checker_last_tick_timestamp_seconds " << *input.last_tick_finished << "\n";
  }
  if (input.outbox_queued) {
    out << "# HELP checker_outbox_queued Notifications waiting to be delivered.\n"
           "# TYPE checker_outbox_queued gauge\nchecker_outbox_queued "
        << *input.outbox_queued << "\n";
  }
  return out.str();
}

}  // namespace checker
