// Schedules: crontab-style directives with a duration, and their windows.
#include <checker/schedule.h>

#include <catch2/catch.hpp>
#include <ctime>

using namespace checker;

namespace {

// Seconds since the epoch of a UTC time.
std::int64_t Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&parts));
}

// The one directive of `text`, which must parse.
ScheduleDirective Directive(const std::string& text) {
  ParsedSchedule parsed = ParseSchedule(text);
  INFO(parsed.error.value_or(""));
  REQUIRE(parsed.ok());
  REQUIRE(parsed.directives.size() == 1);
  return parsed.directives[0];
}

std::string ErrorOf(const std::string& text) {
  ParsedSchedule parsed = ParseSchedule(text);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.directives.empty());
  return *parsed.error;
}

// 2024-01-07 was a Sunday.
const std::int64_t kSundayMidnight = Utc(2024, 1, 7);

}  // namespace

TEST_CASE("a star matches every value of its field") {
  const ScheduleDirective directive = Directive("* * * * * 300");

  CHECK(directive.minute.count() == 60);
  CHECK(directive.hour.count() == 24);
  CHECK(directive.Matches(kSundayMidnight));
  CHECK(directive.Matches(Utc(2024, 7, 19, 13, 47)));
  CHECK(directive.seconds == 300);
}

TEST_CASE("a number, a list, a range and steps match exactly the values they name") {
  const ScheduleDirective directive = Directive("5,10-12,*/20,30-40/5 * * * * 1m");

  std::vector<int> minutes;
  for (int minute = 0; minute < 60; ++minute) {
    if (directive.minute[minute]) minutes.push_back(minute);
  }
  CHECK(minutes == std::vector<int>{0, 5, 10, 11, 12, 20, 30, 35, 40});
}

TEST_CASE("each field reads the time in UTC: minute, hour, day of the month, month and weekday") {
  const ScheduleDirective directive = Directive("30 2 7 1 0 3h");

  CHECK(directive.Matches(Utc(2024, 1, 7, 2, 30)));
  CHECK(directive.Matches(Utc(2024, 1, 7, 2, 30, 59)));
  CHECK_FALSE(directive.Matches(Utc(2024, 1, 7, 2, 31)));
  CHECK_FALSE(directive.Matches(Utc(2024, 1, 7, 3, 30)));
  CHECK_FALSE(directive.Matches(Utc(2024, 2, 7, 2, 30)));
  CHECK_FALSE(directive.Matches(Utc(2030, 1, 7, 2, 30)));  // a Monday
}

TEST_CASE("a day and a weekday that are both given must both hold") {
  const ScheduleDirective first_sunday_of_a_month = Directive("0 0 1-7 * sun 1h");

  CHECK(first_sunday_of_a_month.Matches(kSundayMidnight));
  CHECK_FALSE(first_sunday_of_a_month.Matches(Utc(2024, 1, 14)));  // a later Sunday
  CHECK_FALSE(first_sunday_of_a_month.Matches(Utc(2024, 1, 1)));   // a Monday in the first week
}

TEST_CASE("months and weekdays may be named in any case, in lists and ranges") {
  const ScheduleDirective directive = Directive("* * * Jan,mar-MAY MON-fri 90");

  std::vector<int> months, weekdays;
  for (int month = 1; month <= 12; ++month) {
    if (directive.month[month]) months.push_back(month);
  }
  for (int weekday = 0; weekday <= 7; ++weekday) {
    if (directive.weekday[weekday]) weekdays.push_back(weekday);
  }
  CHECK(months == std::vector<int>{1, 3, 4, 5});
  CHECK(weekdays == std::vector<int>{1, 2, 3, 4, 5});
}

TEST_CASE("weekday 7 is Sunday, as 0 is") {
  CHECK(Directive("* * * * 7 1h").Matches(kSundayMidnight));
  CHECK(Directive("* * * * 5-7 1h").Matches(kSundayMidnight));
  CHECK(Directive("* * * * 0 1h").Matches(kSundayMidnight));
  CHECK_FALSE(Directive("* * * * 1-6 1h").Matches(kSundayMidnight));
}

TEST_CASE("directives are separated by semicolons or follow one another as continued lines arrive") {
  const ParsedSchedule by_semicolons = ParseSchedule("* * * * sat,sun 300;* 0-12 * * mon-fri 300; * 13-23 * * * 90;");
  const ParsedSchedule continued = ParseSchedule("* * * * sat,sun 300; * 0-12 * * mon-fri 300 * 13-23 * * * 90");

  REQUIRE(by_semicolons.ok());
  REQUIRE(continued.ok());
  CHECK(by_semicolons.directives.size() == 3);
  CHECK(continued.directives.size() == 3);
  CHECK(continued.directives[2].seconds == 90);
  CHECK(continued.directives[2].hour[13]);
}

TEST_CASE("the sixth word is a duration with an optional unit") {
  CHECK(Directive("* * * * * 300").seconds == 300);
  CHECK(Directive("* * * * * 45m").seconds == 45 * 60);
  CHECK(Directive("* * * * * 3h").seconds == 3 * 3600);
  CHECK(Directive("* * * * * 2d").seconds == 2 * 86400);
}

TEST_CASE("a value outside its field's range is an error naming the value and the range") {
  CHECK(ErrorOf("61 * * * * 1h") == "'61' is not a minute (0-59)");
  CHECK(ErrorOf("* 24 * * * 1h") == "'24' is not an hour (0-23)");
  CHECK(ErrorOf("* * 0 * * 1h") == "'0' is not a day of the month (1-31)");
  CHECK(ErrorOf("* * * 13 * 1h") == "'13' is not a month (1-12 or jan-dec)");
  CHECK(ErrorOf("* * * * 8 1h") == "'8' is not a weekday (0-7 or sun-sat)");
  CHECK(ErrorOf("* * * * funday 300") == "'funday' is not a weekday (0-7 or sun-sat)");
  CHECK(ErrorOf("* * * * mon-8 1h") == "'8' is not a weekday (0-7 or sun-sat)");
  CHECK(ErrorOf("* mon * * * 1h") == "'mon' is not an hour (0-23)");
  CHECK(ErrorOf("99999999999 * * * * 1h") == "'99999999999' is not a minute (0-59)");
  CHECK(ErrorOf("-5 * * * * 1h") == "'-5' is not a minute (0-59)");
}

TEST_CASE("a malformed field is an error that says what is wrong with it") {
  CHECK(ErrorOf("1,,2 * * * * 1h") == "'1,,2' has an empty item in its list");
  CHECK(ErrorOf("30-10 * * * * 1h") == "'30-10' is a range that runs backwards");
  CHECK(ErrorOf("fri-sun * * * * 1h") == "'fri' is not a minute (0-59)");
  CHECK(ErrorOf("* * * * fri-sun 1h") == "'fri-sun' is a range that runs backwards");
  CHECK(ErrorOf("*/0 * * * * 1h") == "'0' in '*/0' is not a step (a whole number from 1)");
  CHECK(ErrorOf("*/x * * * * 1h") == "'x' in '*/x' is not a step (a whole number from 1)");
  CHECK(ErrorOf("5/15 * * * * 1h") == "'5/15': a step follows '*' or a range, such as 5-59/15");
}

TEST_CASE("a wrong number of words or a bad duration is an error, never a default") {
  CHECK(ErrorOf("0 2 * * 3h") == "each directive is 5 crontab fields and a duration, 5 words given in '0 2 * * 3h'");
  CHECK(ErrorOf("0 2 * * sun 3h; 30 23 * *") ==
        "each directive is 5 crontab fields and a duration, 4 words given in '30 23 * *'");
  CHECK(ErrorOf("* * * * * 0") == "'0' is not a duration longer than zero (such as 300, 15m or 3h)");
  CHECK(ErrorOf("* * * * * 3x") == "'3x' is not a duration longer than zero (such as 300, 15m or 3h)");
  CHECK(ErrorOf("") == "no directive given");
  CHECK(ErrorOf(" ; ;") == "no directive given");
}

TEST_CASE("a directive for every minute matches any time") {
  const ScheduleDirective always = ScheduleDirective::AtAnyTime(90);

  CHECK(always.Matches(kSundayMidnight));
  CHECK(always.Matches(Utc(1999, 12, 31, 23, 59, 59)));
  CHECK(always.seconds == 90);
}

TEST_CASE("a window lasts its duration from a matching minute, its end excluded") {
  const ScheduleDirective sunday_night = Directive("0 2 * * sun 3h");
  const std::int64_t start = Utc(2024, 1, 7, 2, 0);

  CHECK_FALSE(sunday_night.WindowStartAt(start - 1));
  CHECK(sunday_night.WindowStartAt(start) == start);
  CHECK(sunday_night.WindowStartAt(start + 59) == start);
  CHECK(sunday_night.WindowStartAt(start + 3 * 3600 - 1) == start);
  CHECK_FALSE(sunday_night.WindowStartAt(start + 3 * 3600));
  CHECK_FALSE(sunday_night.WindowStartAt(start + 86400));  // a Monday
}

TEST_CASE("a window that started yesterday is found across midnight, month and year") {
  const ScheduleDirective late = Directive("30 23 31 12 * 45m");
  const std::int64_t start = Utc(2023, 12, 31, 23, 30);

  CHECK(late.WindowStartAt(Utc(2024, 1, 1, 0, 14, 59)) == start);
  CHECK_FALSE(late.WindowStartAt(Utc(2024, 1, 1, 0, 15)));
}

TEST_CASE("where windows overlap, the latest start is the one in force") {
  const ScheduleDirective every_minute_of_two_oclock = Directive("* 2 * * * 1h");

  CHECK(every_minute_of_two_oclock.WindowStartAt(Utc(2024, 1, 7, 2, 10, 30)) == Utc(2024, 1, 7, 2, 10));
  CHECK(every_minute_of_two_oclock.WindowStartAt(Utc(2024, 1, 7, 3, 30)) == Utc(2024, 1, 7, 2, 59));
  CHECK_FALSE(every_minute_of_two_oclock.WindowStartAt(Utc(2024, 1, 7, 3, 59)));
}

TEST_CASE("a date that never comes opens no window, and looking for one ends") {
  const ScheduleDirective never = Directive("0 0 31 2 * 3650d");

  CHECK_FALSE(never.WindowStartAt(Utc(2024, 3, 1)));
}

TEST_CASE("windows before 1970 are found as well") {
  const ScheduleDirective hourly = Directive("0 * * * * 10m");

  CHECK(hourly.WindowStartAt(Utc(1969, 12, 31, 23, 5)) == Utc(1969, 12, 31, 23, 0));
  CHECK_FALSE(hourly.WindowStartAt(Utc(1969, 12, 31, 23, 10)));
}

TEST_CASE("of several directives, the window in force is the one that ends last") {
  const ParsedSchedule maintenance = ParseSchedule("0 2 * * sun 3h; 30 23 * * * 45m; 0 3 * * * 30m");
  REQUIRE(maintenance.ok());

  const auto sunday = WindowAt(maintenance.directives, Utc(2024, 1, 7, 3, 10));
  const auto late_evening = WindowAt(maintenance.directives, Utc(2024, 1, 8, 0, 5));
  const auto monday_morning = WindowAt(maintenance.directives, Utc(2024, 1, 8, 2, 30));

  REQUIRE(sunday);
  CHECK(sunday->start == Utc(2024, 1, 7, 2, 0));
  CHECK(sunday->end == Utc(2024, 1, 7, 5, 0));
  REQUIRE(late_evening);
  CHECK(late_evening->start == Utc(2024, 1, 7, 23, 30));
  CHECK(late_evening->end == Utc(2024, 1, 8, 0, 15));
  CHECK_FALSE(monday_morning);
}

TEST_CASE("the next window is the earliest to start after a time, looking ahead at most a year") {
  const ParsedSchedule maintenance = ParseSchedule("0 2 * * sun 3h; 30 23 1 * * 45m");
  REQUIRE(maintenance.ok());
  // Monday 2024-01-08: the next Sunday 02:00 is the 14th; 23:30 on the 1st is next month.
  auto next = NextWindowAfter(maintenance.directives, Utc(2024, 1, 8, 10, 0));
  REQUIRE(next);
  CHECK(next->start == Utc(2024, 1, 14, 2, 0));
  CHECK(next->end == Utc(2024, 1, 14, 5, 0));
  // From inside a window, the next one is the one after it.
  next = NextWindowAfter(maintenance.directives, Utc(2024, 1, 28, 2, 0));
  REQUIRE(next);
  CHECK(next->start == Utc(2024, 2, 1, 23, 30));
  // A time between two minutes starts from the next whole minute.
  CHECK(maintenance.directives[0].NextStartFrom(Utc(2024, 1, 14, 1, 59) + 30) == Utc(2024, 1, 14, 2, 0));
  // February 30th never comes.
  const ParsedSchedule never = ParseSchedule("0 0 30 feb * 1h");
  REQUIRE(never.ok());
  CHECK_FALSE(NextWindowAfter(never.directives, Utc(2024, 1, 1, 0, 0)));
}
