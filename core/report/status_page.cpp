#include "report/status_page.h"

#include <algorithm>
#include <array>
#include <map>

#include "model/notification.h"
#include "report/health.h"
#include "util/text.h"

namespace checker {
namespace {

// The longest message a row shows, and a run's tooltip.
constexpr std::size_t kMessageBytes = 1000;
constexpr std::size_t kTooltipMessageBytes = 100;

// Each state in the order the page lists them, with its words.
struct StateLabel {
  const char* state;
  const char* words;
};
constexpr std::array<StateLabel, 5> kStates{{{"failing", "failing"},
                                             {"maintenance", "in maintenance"},
                                             {"paused", "paused"},
                                             {"never_run", "never run"},
                                             {"succeeding", "succeeding"}}};

std::size_t StateRank(const std::string& state) {
  for (std::size_t rank = 0; rank < kStates.size(); ++rank) {
    if (state == kStates[rank].state) return rank;
  }
  return kStates.size();
}

std::string StateWords(const std::string& state) {
  const std::size_t rank = StateRank(state);
  return rank < kStates.size() ? kStates[rank].words : state;
}

std::string HealthWords(const std::string& health) {
  if (health == "True") return "ticks run and notifications are delivered";
  if (health == "JobProblem") return "no tick finished in the last 2 min";
  if (health == "MailProblem") return "a notification or the mail round trip failed";
  return "";
}

// "2026-12-02 14:05 UTC"
std::string DateTimeUtc(UnixTime time) { return FormatIsoUtc(time).substr(0, 10) + " " + ClockTimeUtc(time, time); }

// "<time ...>14:05 UTC</time> <small>12 min ago</small>"; empty without a time.
std::string TimeHtml(const std::optional<UnixTime>& time, UnixTime now) {
  if (!time) return "";
  return "<time datetime=\"" + FormatIsoUtc(*time) + "\">" + ClockTimeUtc(*time, now) + "</time> <small>" +
         Relative(*time, now) + "</small>";
}

std::string Cell(const char* label, const std::string& html) {
  return std::string("<td data-label=\"") + label + "\">" + html + "</td>";
}

std::string NameHtml(const JobStatus& job) {
  return "<b>" + HtmlEscape(job.name) + "</b> <small>" + HtmlEscape(job.plugin) + ", " + HtmlEscape(job.frequency) +
         "</small>";
}

std::string StateHtml(const JobStatus& job) {
  std::string html = "<span class=\"state\">" + HtmlEscape(StateWords(job.state)) + "</span>";
  if (job.failures > 0) {
    html += " <small>" + std::to_string(job.failures) + (job.failures == 1 ? " failure" : " failures") + "</small>";
  }
  if (!job.recovering.empty()) html += " <small>recovering: " + HtmlEscape(job.recovering) + "</small>";
  return html;
}

// When a pause or a maintenance window ends, and when the next window starts.
std::string EndsHtml(const JobStatus& job, UnixTime now) {
  std::string html;
  if (job.state == "paused") {
    html = job.paused_until ? "pause ends " + TimeHtml(job.paused_until, now) : "paused until unpaused";
  }
  if (job.maintenance_until) {
    html += (html.empty() ? "" : "<br>") + std::string("maintenance ends ") + TimeHtml(job.maintenance_until, now);
  }
  if (job.next_maintenance) {
    html += (html.empty() ? "" : "<br>") + std::string("next maintenance ") + TimeHtml(job.next_maintenance, now);
  }
  return html;
}

// One mark per run, oldest first, each with its time and message as a
// tooltip; a failure is a tall red mark, a success a short green one. The
// page holds thousands of them: they are appended, not concatenated.
std::string StripHtml(const std::vector<RunRecord>& runs, UnixTime now) {
  if (runs.empty()) return "";
  const auto failed = std::count_if(runs.begin(), runs.end(), [](const RunRecord& run) { return !run.success; });
  const std::string words = std::to_string(failed) + " of the last " + std::to_string(runs.size()) + " runs failed";
  std::string html = "<div class=\"strip\" role=\"img\" aria-label=\"" + words + "\">";
  for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
    html += run->success ? "<i class=\"s\" title=\"" : "<i class=\"f\" title=\"";
    html += ClockTimeUtc(run->time, now);
    html += run->success ? " ok: " : " failed: ";
    html += HtmlEscape(Shorten(OneLine(run->message), kTooltipMessageBytes));
    html += "\"></i>";
  }
  html += "</div><small>" + words + "</small>";
  return html;
}

std::string RowHtml(const StatusPageJob& job, UnixTime now) {
  const JobStatus& status = job.status;
  return "<tr class=\"" + HtmlEscape(status.state) + "\">" + Cell("Job", NameHtml(status)) +
         Cell("State", StateHtml(status)) +
         Cell("Message", HtmlEscape(Shorten(OneLine(status.message), kMessageBytes))) +
         Cell("Last run", TimeHtml(status.last_run, now)) + Cell("Failing since", TimeHtml(status.first_failure, now)) +
         Cell("Ends", EndsHtml(status, now)) + Cell("Last runs", StripHtml(job.runs, now)) + "</tr>\n";
}

// "12 jobs: 2 failing, 1 paused, 9 succeeding"
std::string SummaryWords(const std::vector<StatusPageJob>& jobs) {
  std::string words = std::to_string(jobs.size()) + (jobs.size() == 1 ? " job" : " jobs");
  const char* separator = ": ";
  for (const auto& label : kStates) {
    const auto count = std::count_if(jobs.begin(), jobs.end(),
                                     [&](const StatusPageJob& job) { return job.status.state == label.state; });
    if (count == 0) continue;
    words += separator + std::to_string(count) + " " + label.words;
    separator = ", ";
  }
  return words;
}

// The page's style: a table on a wide screen, one card per job on a narrow one.
constexpr const char* kStyle = R"css(
:root { --ok: #1a7f37; --fail: #cf222e; --maintenance: #0969da; --paused: #6e7781; --never: #8250df;
        --text: #1f2328; --muted: #59636e; --line: #d0d7de; --back: #ffffff; }
@media (prefers-color-scheme: dark) {
  :root { --text: #e6edf3; --muted: #9198a1; --line: #3d444d; --back: #0d1117; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem; font: 15px/1.4 system-ui, sans-serif; color: var(--text); background: var(--back); }
h1 { font-size: 1.4rem; margin: 0 0 .4rem; overflow-wrap: anywhere; }
p { margin: .2rem 0; }
small, .muted { color: var(--muted); }
.health { font-weight: 600; padding: .05rem .45rem; border-radius: .3rem; color: #fff; background: var(--fail); }
.health.True { background: var(--ok); }
table { width: 100%; border-collapse: collapse; margin-top: 1rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--muted); }
tr.failing { --state: var(--fail); }
tr.succeeding { --state: var(--ok); }
tr.maintenance { --state: var(--maintenance); }
tr.paused { --state: var(--paused); }
tr.never_run { --state: var(--never); }
td:first-child { border-left: .35rem solid var(--state); overflow-wrap: anywhere; }
.state { font-weight: 600; color: #fff; background: var(--state); padding: .05rem .45rem; border-radius: .3rem;
         white-space: nowrap; }
td[data-label="Message"] { overflow-wrap: anywhere; max-width: 40rem; }
.strip { display: flex; align-items: flex-end; gap: 1px; height: 1.1rem; min-width: 0; }
.strip i { flex: 0 1 6px; min-width: 2px; height: 55%; background: var(--ok); }
.strip i.f { height: 100%; background: var(--fail); }
@media (max-width: 600px) {
  body { padding: .6rem; }
  thead { display: none; }
  table, tbody, tr, td { display: block; width: 100%; }
  tr { border: 1px solid var(--line); border-left: .35rem solid var(--state); border-radius: .4rem;
       margin-bottom: .6rem; padding: .3rem .6rem; }
  td, td:first-child { border: 0; padding: .15rem 0; }
  td:empty { display: none; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .85rem; }
  td:first-child::before { content: none; }
}
)css";

constexpr const char* kTableHead =
    "<thead><tr><th>Job</th><th>State</th><th>Message</th><th>Last run</th><th>Failing since</th><th>Ends</th>"
    "<th>Last runs</th></tr></thead>\n";

std::string HeaderHtml(const StatusPageInput& input, const std::string& summary) {
  const std::string health = HtmlEscape(input.health);
  return "<h1>checker on " + HtmlEscape(input.server) + "</h1>\n<p>Health (<code>GET /</code>): <span class=\"health " +
         health + "\">" + health + "</span> " + HtmlEscape(HealthWords(input.health)) + "</p>\n<p>" +
         HtmlEscape(summary) + "</p>\n<p class=\"muted\">As of <time datetime=\"" + FormatIsoUtc(input.now) + "\">" +
         DateTimeUtc(input.now) + "</time>; this page refreshes every 30 s.</p>\n";
}

}  // namespace

StatusPageInput CollectStatusPage(const std::string& server, const JobCatalog& catalog, StateStore* store,
                                  UnixTime now) {
  StatusPageInput input;
  input.server = server;
  input.health = HealthAnswer(ReadHealthFacts(store, catalog), now);
  input.now = now;
  const auto stored = store ? store->LoadAllJobs() : std::vector<StoredJob>{};
  auto runs = store ? store->RecentRuns(kStatusPageRuns) : std::map<std::string, std::vector<RunRecord>>{};
  // One status per job of the catalog, in its order.
  const std::vector<JobStatus> statuses = CollectStatus(catalog, stored, now);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    StatusPageJob job{statuses[i], {}};
    if (auto found = runs.find(catalog.jobs()[i].key); found != runs.end()) job.runs = std::move(found->second);
    input.jobs.push_back(std::move(job));
  }
  return input;
}

std::string StatusPageHtml(const StatusPageInput& input) {
  std::vector<const StatusPageJob*> jobs;
  for (const auto& job : input.jobs) jobs.push_back(&job);
  std::stable_sort(jobs.begin(), jobs.end(), [](const StatusPageJob* a, const StatusPageJob* b) {
    return StateRank(a->status.state) < StateRank(b->status.state);
  });
  const std::string summary = SummaryWords(input.jobs);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"refresh\" content=\"30\">\n<title>" +
      HtmlEscape(input.server + ": " + summary) + " - checker</title>\n<style>" + kStyle +
      "</style>\n</head>\n<body>\n" + HeaderHtml(input, summary);
  html += "<table>\n" + std::string(kTableHead) + "<tbody>\n";
  for (const StatusPageJob* job : jobs) html += RowHtml(*job, input.now);
  if (jobs.empty()) html += "<tr><td colspan=\"7\">No jobs are configured.</td></tr>\n";
  html += "</tbody>\n</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace checker
