// FormatIsoUtc against gmtime_r and strftime, the calendar it replaces.
#include "util/clock.h"

#include <catch2/catch.hpp>
#include <ctime>

using namespace checker;

namespace {

std::string ByGmtime(UnixTime time) {
  const std::time_t t = static_cast<std::time_t>(time);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

TEST_CASE("ISO times match gmtime's calendar: leap years, centuries, before 1970 and far ahead") {
  CHECK(FormatIsoUtc(0) == "1970-01-01T00:00:00Z");
  CHECK(FormatIsoUtc(-1) == "1969-12-31T23:59:59Z");
  CHECK(FormatIsoUtc(951782400) == "2000-02-29T00:00:00Z");
  CHECK(FormatIsoUtc(4107542400) == "2100-03-01T00:00:00Z");
  // Every day from 1900 to 2400, at a time that moves through the day.
  for (UnixTime time = -2208988800; time < 13569465600; time += 86400 + 3607) {
    REQUIRE(FormatIsoUtc(time) == ByGmtime(time));
  }
}
