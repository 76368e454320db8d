#include "report/metrics.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "model/frequency.h"
#include "model/notification.h"
#include "util/text.h"

namespace checker {
namespace {

// A label value: valid UTF-8 (invalid bytes become U+FFFD), with \, " and
// line feeds escaped as the text format wants.
std::string LabelValue(const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    const std::size_t length = Utf8SequenceLength(value, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const char c = value[i];
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.append(value, i, length);
    }
    i += length;
  }
  return out;
}

std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

using Labels = std::vector<std::pair<std::string, std::string>>;

// One metric family: its HELP and TYPE lines, then its samples.
class Family {
 public:
  Family(std::ostringstream& out, const char* name, const char* type, const char* help) : out_(out), name_(name) {
    out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  }
  void Sample(const Labels& labels, double value) {
    out_ << name_;
    if (!labels.empty()) {
      out_ << "{";
      for (std::size_t i = 0; i < labels.size(); ++i) {
        out_ << (i ? "," : "") << labels[i].first << "=\"" << LabelValue(labels[i].second) << "\"";
      }
      out_ << "}";
    }
    out_ << " " << Number(value) << "\n";
  }

 private:
  std::ostringstream& out_;
  const char* name_;
};

const char* const kHealthAnswers[] = {"True", "MailProblem", "JobProblem"};
const Frequency kFrequencies[] = {Frequency::kMinute, Frequency::kHour, Frequency::kDay, Frequency::kDayNoon};
const NotificationKind kKinds[] = {NotificationKind::kFailure,     NotificationKind::kRecovery,
                                   NotificationKind::kMissedTicks, NotificationKind::kPeer,
                                   NotificationKind::kConfigError, NotificationKind::kTest};

void CheckSeries(std::ostringstream& out, const std::vector<CheckMetrics>& checks) {
  {
    Family up(out, "checker_check_up", "gauge", "1 when the check's last run succeeded, 0 when it failed.");
    for (const auto& check : checks) {
      if (check.up) up.Sample({{"check", check.name}, {"plugin", check.plugin}}, *check.up);
    }
  }
  {
    Family state(out, "checker_check_state", "gauge", "1 for the state the check is in, 0 for the others.");
    for (const auto& check : checks) {
      for (const auto& name : CheckStates())
        state.Sample({{"check", check.name}, {"state", name}}, check.state == name);
    }
  }
  {
    Family failures(out, "checker_check_failures_in_a_row", "gauge", "Failed runs of the check in a row.");
    for (const auto& check : checks) failures.Sample({{"check", check.name}}, check.failures_in_a_row);
  }
  {
    Family last_run(out, "checker_check_last_run_timestamp_seconds", "gauge", "When the check last ran.");
    for (const auto& check : checks) {
      if (check.last_run) last_run.Sample({{"check", check.name}}, static_cast<double>(*check.last_run));
    }
  }
  {
    Family duration(out, "checker_check_duration_seconds", "gauge", "How long the check's last run took.");
    for (const auto& check : checks) {
      if (check.last_duration_seconds) duration.Sample({{"check", check.name}}, *check.last_duration_seconds);
    }
  }
  {
    Family checkin(out, "checker_check_last_checkin_timestamp_seconds", "gauge", "When the heartbeat last checked in.");
    for (const auto& check : checks) {
      if (check.last_checkin) checkin.Sample({{"check", check.name}}, static_cast<double>(*check.last_checkin));
    }
  }
  {
    Family runs(out, "checker_check_runs_total", "counter", "Runs of the check.");
    for (const auto& check : checks) runs.Sample({{"check", check.name}}, static_cast<double>(check.runs_total));
  }
  {
    Family failures(out, "checker_check_failures_total", "counter", "Failed runs of the check.");
    for (const auto& check : checks) {
      failures.Sample({{"check", check.name}}, static_cast<double>(check.failures_total));
    }
  }
  {
    Family perfdata(out, "checker_perfdata", "gauge",
                    "Performance data of the check's last run, in base units (seconds, bytes).");
    for (const auto& check : checks) {
      std::set<std::pair<std::string, std::string>> seen;  // a label given twice is kept once
      for (const auto& measurement : check.measurements) {
        if (!seen.insert({measurement.label, measurement.unit}).second) continue;
        perfdata.Sample({{"check", check.name}, {"label", measurement.label}, {"unit", measurement.unit}},
                        measurement.value);
      }
    }
  }
}

void DeliverySeries(std::ostringstream& out, const MetricsInput& input) {
  std::set<std::string> channels(input.channels.begin(), input.channels.end());
  for (const auto& backlog : input.backlog) channels.insert(backlog.channel);
  std::map<std::pair<std::string, std::string>, std::int64_t> delivered;
  for (const auto& channel : input.channels) {
    for (NotificationKind kind : kKinds) delivered[{channel, KindName(kind)}] = 0;
  }
  for (const auto& count : input.deliveries) delivered[{count.channel, count.kind}] += count.delivered;
  {
    Family total(out, "checker_notifications_total", "counter", "Notifications delivered, by channel and kind.");
    for (const auto& [key, count] : delivered) {
      total.Sample({{"channel", key.first}, {"kind", key.second}}, static_cast<double>(count));
    }
  }
  std::map<std::string, ChannelBacklog> backlog;
  for (const auto& channel : channels) backlog[channel].channel = channel;
  for (const auto& row : input.backlog) {
    backlog[row.channel].queued += row.queued;
    backlog[row.channel].refused += row.refused;
  }
  {
    Family queued(out, "checker_outbox_queued", "gauge", "Notifications waiting to be delivered, by channel.");
    for (const auto& [channel, row] : backlog) queued.Sample({{"channel", channel}}, static_cast<double>(row.queued));
  }
  {
    Family refused(out, "checker_outbox_refused", "gauge", "Notifications a channel refused for good, by channel.");
    for (const auto& [channel, row] : backlog) refused.Sample({{"channel", channel}}, static_cast<double>(row.refused));
  }
}

void TickSeries(std::ostringstream& out, const std::vector<TickRecord>& ticks) {
  std::map<std::string, const TickRecord*> by_frequency;
  for (const auto& tick : ticks) by_frequency[tick.frequency] = &tick;
  auto find = [&](Frequency frequency) -> const TickRecord* {
    auto found = by_frequency.find(FrequencyName(frequency));
    return found == by_frequency.end() ? nullptr : found->second;
  };
  {
    Family last(out, "checker_tick_last_timestamp_seconds", "gauge",
                "When the last tick of this frequency finished; 0 before the first one.");
    for (Frequency frequency : kFrequencies) {
      const TickRecord* tick = find(frequency);
      last.Sample({{"frequency", FrequencyName(frequency)}},
                  tick && tick->finished ? static_cast<double>(*tick->finished) : 0);
    }
  }
  {
    Family duration(out, "checker_tick_duration_seconds", "gauge",
                    "How long the last tick of this frequency took; 0 before the first one.");
    for (Frequency frequency : kFrequencies) {
      const TickRecord* tick = find(frequency);
      duration.Sample({{"frequency", FrequencyName(frequency)}},
                      tick && tick->duration_seconds ? *tick->duration_seconds : 0);
    }
  }
}

}  // namespace

const std::vector<std::string>& CheckStates() {
  static const std::vector<std::string> states{"succeeding", "failing",     "recovering",
                                               "paused",     "maintenance", "never_run"};
  return states;
}

std::string MetricsText(const MetricsInput& input) {
  std::ostringstream out;
  CheckSeries(out, input.checks);
  DeliverySeries(out, input);
  TickSeries(out, input.ticks);
  {
    Family health(out, "checker_health", "gauge",
                  "1 for this checker's answer to its peers (GET /), 0 for the others.");
    for (const char* answer : kHealthAnswers) health.Sample({{"answer", answer}}, input.health == answer);
  }
  {
    Family build(out, "checker_build_info", "gauge", "This checker's version and plugin ABI; always 1.");
    build.Sample({{"version", input.version}, {"abi", std::to_string(input.abi)}}, 1);
  }
  return out.str();
}

}  // namespace checker
