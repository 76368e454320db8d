// The value parsers that every section of settings.cfg shares.
#include <checker/values.h>

#include <catch2/catch.hpp>

using namespace checker;

TEST_CASE("Trim removes spaces, tabs, CR and LF at both ends only") {
  CHECK(Trim("  a b\t\r\n") == "a b");
  CHECK(Trim("\t\n") == "");
  CHECK(Trim("") == "");
  CHECK(Trim("x") == "x");
}

TEST_CASE("SplitList trims each item and drops empty ones") {
  CHECK(SplitList("a, b,c", ',') == std::vector<std::string>{"a", "b", "c"});
  CHECK(SplitList(" , a,,b , ", ',') == std::vector<std::string>{"a", "b"});
  CHECK(SplitList("one;two", ';') == std::vector<std::string>{"one", "two"});
  CHECK(SplitList("", ',').empty());
  CHECK(SplitList("a b", ',') == std::vector<std::string>{"a b"});
}

TEST_CASE("ParseBool reads the usual words in any case and nothing else") {
  for (const char* yes : {"true", "YES", "On", "1"}) CHECK(ParseBool(yes) == true);
  for (const char* no : {"false", "No", "OFF", "0"}) CHECK(ParseBool(no) == false);
  for (const char* neither : {"", "2", "y", "true ", "enabled"}) CHECK_FALSE(ParseBool(neither));
}

TEST_CASE("ParseDuration reads seconds with an optional unit of s, m, h or d in any case") {
  CHECK(ParseDuration("90") == 90);
  CHECK(ParseDuration("90s") == 90);
  CHECK(ParseDuration("15m") == 15 * 60);
  CHECK(ParseDuration("25H") == 25 * 3600);
  CHECK(ParseDuration("2d") == 2 * 86400);
  CHECK(ParseDuration("0") == 0);
  CHECK(ParseDuration("007") == 7);
}

TEST_CASE("ParseDuration refuses signs, blanks, fractions, unknown or repeated units and empty text") {
  for (const char* odd : {"", "m", "-5", "+5", " 5", "5 ", "1.5h", "5w", "5mm", "5ms", "h5"}) {
    INFO(odd);
    CHECK_FALSE(ParseDuration(odd));
  }
}

TEST_CASE("ParseDuration refuses a number too large for 64 bits, with or without its unit") {
  CHECK(ParseDuration("9223372036854775800") == 9223372036854775800);
  CHECK_FALSE(ParseDuration("9223372036854775808"));
  CHECK_FALSE(ParseDuration("99999999999999999999999"));
  CHECK_FALSE(ParseDuration("9223372036854775800d"));
  CHECK(ParseDuration("106751991167300d") == 106751991167300 * 86400);
  CHECK_FALSE(ParseDuration("106751991167301d"));
}

TEST_CASE("ParseByteSize reads bytes with an optional binary K, M or G") {
  CHECK(ParseByteSize("65536") == 65536);
  CHECK(ParseByteSize("64K") == 64 * 1024);
  CHECK(ParseByteSize("1m") == 1024 * 1024);
  CHECK(ParseByteSize("2G") == std::int64_t{2} * 1024 * 1024 * 1024);
  CHECK_FALSE(ParseByteSize("1KB"));
  CHECK_FALSE(ParseByteSize("1T"));
  CHECK_FALSE(ParseByteSize("1s"));
  CHECK_FALSE(ParseByteSize("-1"));
  CHECK_FALSE(ParseByteSize("9999999999999G"));
}
