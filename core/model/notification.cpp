#include "model/notification.h"

#include <algorithm>

#include "model/frequency.h"
#include "model/outbox_item.h"
#include "util/text.h"

namespace checker {
namespace {

// A subject stays readable, and short enough for one header line.
constexpr std::size_t kMaxSubjectBytes = 250;

const char* const kKindNames[] = {"failure", "recovery", "missed_ticks", "peer", "config_error", "test"};

std::string Footer(const Job& job, const JobHistory& history, bool failure) {
  std::string footer = "\n\n--\njob: " + job.name + " (plugin " + job.plugin + ", " + FrequencyName(job.frequency) +
                       ", notify " + NotifyEveryName(job.policy.notify) + ")\n";
  if (failure) {
    footer += "failures in a row: " + std::to_string(history.failures_in_a_row) + "\n";
    if (history.first_failure) footer += "failing since: " + FormatIsoUtc(*history.first_failure) + "\n";
  }
  return footer;
}

}  // namespace

const char* OutboxStateName(OutboxState state) {
  static const char* const kNames[] = {"queued",    "sending", "committing", "delivered",
                                       "uncertain", "refused", "dropped"};
  return kNames[static_cast<int>(state)];
}

const char* KindName(NotificationKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<NotificationKind> ParseKind(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kKindNames)); ++i) {
    if (name == kKindNames[i]) return static_cast<NotificationKind>(i);
  }
  return std::nullopt;
}

NotificationRequest FailureNotification(const Job& job, const Notification& described, const JobResult& result,
                                        const JobHistory& history) {
  Notification note = described;
  if (note.subject.empty()) note = {job.name + " failed: " + result.message, result.message};
  // A peer's failure is its own kind, so a webhook consumer can tell "the other checker is unwell".
  const auto kind = job.traits.watches_peer ? NotificationKind::kPeer : NotificationKind::kFailure;
  return {job.name, kind, job.recipients, note.subject, note.body + Footer(job, history, true)};
}

namespace {

// "recovered after 2 h 13 min, 134 failures"
std::string RecoveredAfter(const JobHistory& streak, UnixTime now) {
  const UnixTime since = streak.first_failure.value_or(now);
  const int failures = streak.failures_in_a_row;
  return "recovered after " + Span(std::max<UnixTime>(0, now - since)) + ", " + std::to_string(failures) +
         (failures == 1 ? " failure" : " failures");
}

}  // namespace

NotificationRequest RecoveryNotification(const Job& job, const Notification& described, const JobResult& result,
                                         const JobHistory& streak, UnixTime now) {
  const std::string recovered = RecoveredAfter(streak, now);
  Notification note = described;
  if (note.subject.empty()) note = {job.name + " " + recovered, result.message};
  std::string footer = Footer(job, streak, false);
  if (streak.first_failure) footer += "failing since: " + FormatIsoUtc(*streak.first_failure) + "\n";
  footer += recovered + "\n";
  return {job.name, NotificationKind::kRecovery, job.recipients, note.subject, note.body + footer};
}

NotificationRequest ConfigErrorNotification(const std::vector<std::string>& recipients, const std::string& path,
                                            const std::vector<std::string>& errors) {
  std::string body = path +
                     " has errors, so checker runs the last configuration that loaded without errors until it is "
                     "fixed (checker -m validate lists them):\n\n";
  for (const auto& error : errors) body += error + "\n";
  const std::string first = errors.empty() ? path : errors.front();
  const std::string more = errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more)" : "";
  return {kConfigJobName, NotificationKind::kConfigError, recipients,
          std::string(kConfigJobName) + ": configuration error: " + first + more, body};
}

NotificationRequest ConfigFixedNotification(const std::vector<std::string>& recipients, const std::string& path,
                                            const JobHistory& streak, UnixTime now) {
  return {kConfigJobName, NotificationKind::kRecovery, recipients,
          std::string(kConfigJobName) + ": " + path + " loads without errors again",
          path + " loads without errors again, and checker runs it; " + RecoveredAfter(streak, now) + ".\n"};
}

NotificationRequest MissedTicksNotification(const std::vector<std::string>& recipients, UnixTime last_tick,
                                            UnixTime now) {
  const std::string gap = Minutes(now - last_tick);
  return {"checker:ticks", NotificationKind::kMissedTicks, recipients, "checker:ticks: no tick ran for " + gap,
          "No cron tick of checker ran between " + FormatIsoUtc(last_tick) + " and " + FormatIsoUtc(now) + " (" + gap +
              "). Was the machine off, or cron stopped? Jobs due in that time did not run."};
}

std::string CompleteSubject(const std::string& servername, const std::string& job, const std::string& subject) {
  const std::string named = subject.find(job) == std::string::npos ? job + ": " + subject : subject;
  return Shorten(OneLine("[" + servername + "] " + named), kMaxSubjectBytes);
}

std::string Span(UnixTime seconds) {
  if (seconds < 60) return std::to_string(seconds) + " s";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min";
  if (seconds < 86400) {
    const UnixTime minutes = seconds % 3600 / 60;
    return std::to_string(seconds / 3600) + " h" + (minutes ? " " + std::to_string(minutes) + " min" : "");
  }
  const UnixTime hours = seconds % 86400 / 3600;
  return std::to_string(seconds / 86400) + " d" + (hours ? " " + std::to_string(hours) + " h" : "");
}

std::string Ordinal(int n) {
  const int tens = n % 100, ones = n % 10;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : ones == 1                ? "st"
                       : ones == 2                ? "nd"
                       : ones == 3                ? "rd"
                                                  : "th";
  return std::to_string(n) + suffix;
}

std::string ClockTimeUtc(UnixTime time, UnixTime now) {
  const std::string iso = FormatIsoUtc(time), today = FormatIsoUtc(now);  // "2026-12-06T04:00:00Z"
  const std::string clock = iso.substr(11, 5) + " UTC";
  return iso.compare(0, 10, today, 0, 10) == 0 ? clock : iso.substr(0, 10) + " " + clock;
}

std::string Relative(UnixTime time, UnixTime now) {
  if (time == now) return "now";
  return time < now ? Span(now - time) + " ago" : "in " + Span(time - now);
}

std::string Minutes(UnixTime seconds) {
  return std::to_string(seconds / 60) + " min" + (seconds % 60 ? " " + std::to_string(seconds % 60) + " s" : "");
}

}  // namespace checker
