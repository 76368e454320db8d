// Schedules: crontab-style directives of five fields and a duration each, as
// a heartbeat's period and maintenance windows are written:
//
//   * * * * sat,sun 300; * 0-12 * * mon-fri 5m
//
// The fields are MINUTE HOUR DAY MONTH WEEKDAY, read in UTC. Each is `*`, a
// number, a range (`1-5`), a step over either (`*/15`, `0-30/10`) or a list of
// those (`1,15,30`); months and weekdays may be named in any case (`jan`,
// `mon-fri`), and weekday 7 is Sunday as 0 is. A time matches a directive
// only when all five fields match (unlike cron, a day and a weekday that are
// both given must both hold). The sixth word is a duration longer than zero,
// as ParseDuration reads it. Directives are separated by `;`, or simply follow
// one another, as the continued lines of a value in settings.cfg arrive.
#pragma once

#include <checker/values.h>

#include <algorithm>
#include <bitset>
#include <cctype>
#include <cstdint>
#include <ctime>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace checker {

struct ScheduleDirective {
  // Each field as the set of values it matches (weekday 0 is Sunday).
  std::bitset<60> minute, hour, day, month, weekday;
  std::int64_t seconds = 0;  // the duration

  // A directive that matches every minute.
  static ScheduleDirective AtAnyTime(std::int64_t seconds) {
    ScheduleDirective directive;
    directive.minute.set();
    directive.hour.set();
    directive.day.set();
    directive.month.set();
    directive.weekday.set();
    directive.seconds = seconds;
    return directive;
  }

  // Whether the minute that holds `unix_time` matches all five fields.
  bool Matches(std::int64_t unix_time) const {
    const std::tm parts = Utc(unix_time);
    return DateMatches(parts) && hour[parts.tm_hour] && minute[parts.tm_min];
  }

  // A window starts at each minute that matches and lasts `seconds`; `t` is
  // inside one that started at s when t - seconds < s <= t. Returns the latest
  // such start (whose window ends last), looking back minute by minute, and
  // skipping hours and days that cannot match, for at most kLongestWindow.
  std::optional<std::int64_t> WindowStartAt(std::int64_t t) const {
    static constexpr std::int64_t kLongestWindow = 366 * 86400;
    const std::int64_t before = t - std::min(seconds, kLongestWindow);
    for (std::int64_t start = FloorTo(t, 60); start > before;) {
      const std::tm parts = Utc(start);
      if (!DateMatches(parts)) {
        start = FloorTo(start, 86400) - 60;
      } else if (!hour[parts.tm_hour]) {
        start = FloorTo(start, 3600) - 60;
      } else if (!minute[parts.tm_min]) {
        start -= 60;
      } else {
        return start;
      }
    }
    return std::nullopt;
  }

  // The first minute at or after `t` that matches, so starts a window;
  // looking ahead at most a year, skipping days and hours that cannot match.
  std::optional<std::int64_t> NextStartFrom(std::int64_t t) const {
    static constexpr std::int64_t kLookahead = 366 * 86400;
    const std::int64_t last = t + kLookahead;
    for (std::int64_t start = FloorTo(t + 59, 60); start <= last;) {
      const std::tm parts = Utc(start);
      if (!DateMatches(parts)) {
        start = FloorTo(start, 86400) + 86400;
      } else if (!hour[parts.tm_hour]) {
        start = FloorTo(start, 3600) + 3600;
      } else if (!minute[parts.tm_min]) {
        start += 60;
      } else {
        return start;
      }
    }
    return std::nullopt;
  }

 private:
  static std::tm Utc(std::int64_t unix_time) {
    const std::time_t time = static_cast<std::time_t>(unix_time);
    std::tm parts{};
    gmtime_r(&time, &parts);
    return parts;
  }
  static std::int64_t FloorTo(std::int64_t value, std::int64_t unit) {
    return value / unit * unit - (value % unit < 0 ? unit : 0);
  }
  bool DateMatches(const std::tm& parts) const {
    return day[parts.tm_mday] && month[parts.tm_mon + 1] && weekday[parts.tm_wday];
  }
};

// A window in force: from `start` until `end` (exclusive).
struct ScheduleWindow {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

// The window in force at `t` among `directives`; when several are, the one
// that ends last.
inline std::optional<ScheduleWindow> WindowAt(const std::vector<ScheduleDirective>& directives, std::int64_t t) {
  std::optional<ScheduleWindow> found;
  for (const auto& directive : directives) {
    if (auto start = directive.WindowStartAt(t)) {
      const ScheduleWindow window{*start, *start + directive.seconds};
      if (!found || window.end > found->end) found = window;
    }
  }
  return found;
}

// The next window to start after `t` among `directives` (the earliest).
inline std::optional<ScheduleWindow> NextWindowAfter(const std::vector<ScheduleDirective>& directives, std::int64_t t) {
  std::optional<ScheduleWindow> found;
  for (const auto& directive : directives) {
    if (auto start = directive.NextStartFrom(t + 1)) {
      if (!found || *start < found->start) found = ScheduleWindow{*start, *start + directive.seconds};
    }
  }
  return found;
}

// The directives of a schedule's text, or what is wrong with it.
struct ParsedSchedule {
  std::vector<ScheduleDirective> directives;
  std::optional<std::string> error;  // set when the text is no schedule; directives is empty then

  bool ok() const { return !error; }
};

namespace schedule_detail {

struct FieldKind {
  const char* what;   // "a minute"
  const char* range;  // "0-59"
  int low, high;
  const char* const* names;  // the names of low, low + 1, ... or nullptr
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                                       "aug", "sep", "oct", "nov", "dec", nullptr};
constexpr const char* kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};
constexpr FieldKind kFields[] = {{"a minute", "0-59", 0, 59, nullptr},
                                 {"an hour", "0-23", 0, 23, nullptr},
                                 {"a day of the month", "1-31", 1, 31, nullptr},
                                 {"a month", "1-12 or jan-dec", 1, 12, kMonthNames},
                                 {"a weekday", "0-7 or sun-sat", 0, 7, kWeekdayNames}};

// A whole number of at most 9 digits.
inline std::optional<int> Number(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(text);
}

// A number or a name of `kind`.
inline std::optional<int> ValueOf(const std::string& text, const FieldKind& kind) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; kind.names && kind.names[i]; ++i) {
    if (lower == kind.names[i]) return kind.low + i;
  }
  return Number(text);
}

// One field ("*", "5", "1-5", "*/15", "mon-fri", "sat,sun"); an error or "".
inline std::string ParseField(const std::string& text, const FieldKind& kind, std::bitset<60>& field) {
  const std::string not_one = "' is not " + std::string(kind.what) + " (" + kind.range + ")";
  std::size_t item_start = 0;
  while (item_start <= text.size()) {
    std::size_t item_end = text.find(',', item_start);
    if (item_end == std::string::npos) item_end = text.size();
    std::string item = text.substr(item_start, item_end - item_start);
    item_start = item_end + 1;
    if (item.empty()) return "'" + text + "' has an empty item in its list";
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string::npos) {
      const std::string step_text = item.substr(slash + 1);
      const std::optional<int> value = Number(step_text);
      if (!value || *value < 1) return "'" + step_text + "' in '" + item + "' is not a step (a whole number from 1)";
      step = *value;
      item = item.substr(0, slash);
      if (item != "*" && item.find('-') == std::string::npos) {
        return "'" + item + "/" + step_text + "': a step follows '*' or a range, such as " + item + "-" +
               std::to_string(kind.high) + "/" + step_text;
      }
    }
    int from = kind.low, to = kind.high;
    if (item != "*") {
      const auto dash = item.find('-');
      const std::string first = item.substr(0, dash);
      const std::optional<int> low = ValueOf(first, kind);
      if (!low || *low < kind.low || *low > kind.high) return "'" + (first.empty() ? item : first) + not_one;
      from = to = *low;
      if (dash != std::string::npos) {
        const std::string last = item.substr(dash + 1);
        const std::optional<int> high = ValueOf(last, kind);
        if (!high || *high < kind.low || *high > kind.high) return "'" + last + not_one;
        if (*high < *low) return "'" + item + "' is a range that runs backwards";
        to = *high;
      }
    }
    for (int value = from; value <= to; value += step) field.set(static_cast<std::size_t>(value));
  }
  return "";
}

// The directives among `words`, six words each; an error or "".
inline std::string ParseDirectives(const std::vector<std::string>& words, std::vector<ScheduleDirective>& directives) {
  for (std::size_t at = 0; at + 6 <= words.size(); at += 6) {
    ScheduleDirective directive;
    std::bitset<60>* fields[] = {&directive.minute, &directive.hour, &directive.day, &directive.month,
                                 &directive.weekday};
    for (int i = 0; i < 5; ++i) {
      if (std::string error = ParseField(words[at + i], kFields[i], *fields[i]); !error.empty()) return error;
    }
    if (directive.weekday[7]) directive.weekday.set(0);
    const std::optional<std::int64_t> seconds = ParseDuration(words[at + 5]);
    if (!seconds || *seconds <= 0) {
      return "'" + words[at + 5] + "' is not a duration longer than zero (such as 300, 15m or 3h)";
    }
    directive.seconds = *seconds;
    directives.push_back(directive);
  }
  return "";
}

}  // namespace schedule_detail

// Reads directives separated by `;` (see the top of this file).
inline ParsedSchedule ParseSchedule(const std::string& text) {
  ParsedSchedule parsed;
  std::string error;
  for (const std::string& piece : SplitList(text, ';')) {
    std::istringstream stream(piece);
    std::vector<std::string> words;
    for (std::string word; stream >> word;) words.push_back(word);
    if (words.size() % 6 != 0) {
      error = "each directive is 5 crontab fields and a duration, " + std::to_string(words.size()) +
              " words given in '" + piece + "'";
    } else {
      error = schedule_detail::ParseDirectives(words, parsed.directives);
    }
    if (!error.empty()) break;
  }
  if (error.empty() && parsed.directives.empty()) error = "no directive given";
  if (!error.empty()) return ParsedSchedule{{}, error};
  return parsed;
}

}  // namespace checker
