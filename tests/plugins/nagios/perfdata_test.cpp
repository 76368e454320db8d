// Performance data, in every form the Nagios plugin guidelines allow, and what
// becomes of the forms they do not.
#include "nagios/perfdata.h"

#include <catch2/catch.hpp>

using nagios::ParsePerfdata;

TEST_CASE("a full item keeps its label, value and the thresholds and bounds as printed") {
  auto items = ParsePerfdata("load1=2.880;5.000;10.000;0;16");
  REQUIRE(items.size() == 1);
  CHECK(items[0].label == "load1");
  CHECK(items[0].value == Approx(2.88));
  CHECK(items[0].unit == "");
  CHECK(items[0].warning == "5.000");
  CHECK(items[0].critical == "10.000");
  CHECK(items[0].min == "0");
  CHECK(items[0].max == "16");
}

TEST_CASE("trailing fields may be empty or left out") {
  auto items = ParsePerfdata("procs=81;;;0; users=3 time=1s;;");
  REQUIRE(items.size() == 3);
  CHECK(items[0].value == 81);
  CHECK(items[0].warning == "");
  CHECK(items[0].critical == "");
  CHECK(items[0].min == "0");
  CHECK(items[0].max == "");
  CHECK(items[1].label == "users");
  CHECK(items[1].value == 3);
  CHECK(items[2].unit == "seconds");
}

TEST_CASE("a quoted label may hold spaces and '' stands for one quote") {
  auto items = ParsePerfdata("'disk usage /var'=42% 'it''s'=1 '/'=10B");
  REQUIRE(items.size() == 3);
  CHECK(items[0].label == "disk usage /var");
  CHECK(items[0].value == 42);
  CHECK(items[0].unit == "percent");
  CHECK(items[1].label == "it's");
  CHECK(items[2].label == "/");
}

TEST_CASE("ranges are accepted in every form: plain, open-ended, negative infinity, inside") {
  auto items = ParsePerfdata("a=1;10;20 b=1;10:;~:5 c=1;10:20;@10:20 d=1;@5;-1:-0.5");
  REQUIRE(items.size() == 4);
  CHECK(items[1].warning == "10:");
  CHECK(items[1].critical == "~:5");
  CHECK(items[2].warning == "10:20");
  CHECK(items[2].critical == "@10:20");
  CHECK(items[3].warning == "@5");
  CHECK(items[3].critical == "-1:-0.5");
}

TEST_CASE("time units become seconds") {
  auto items = ParsePerfdata("a=2s b=250ms c=1500us");
  REQUIRE(items.size() == 3);
  for (const auto& item : items) CHECK(item.unit == "seconds");
  CHECK(items[0].value == 2);
  CHECK(items[1].value == Approx(0.25));
  CHECK(items[2].value == Approx(0.0015));
}

TEST_CASE("byte units become bytes, in multiples of 1024") {
  auto items = ParsePerfdata("a=3B b=2KB c=2kB d=1.5MB e=2GB f=1TB g=1KiB h=1MiB i=1GiB j=1TiB");
  REQUIRE(items.size() == 10);
  for (const auto& item : items) CHECK(item.unit == "bytes");
  CHECK(items[0].value == 3);
  CHECK(items[1].value == 2048);
  CHECK(items[2].value == 2048);
  CHECK(items[3].value == 1.5 * 1024 * 1024);
  CHECK(items[4].value == 2.0 * 1024 * 1024 * 1024);
  CHECK(items[5].value == 1024.0 * 1024 * 1024 * 1024);
  CHECK(items[6].value == 1024);
  CHECK(items[7].value == 1024 * 1024);
  CHECK(items[8].value == 1024.0 * 1024 * 1024);
  CHECK(items[9].value == 1024.0 * 1024 * 1024 * 1024);
}

TEST_CASE("% is percent and c is a counter") {
  auto items = ParsePerfdata("pl=0% packets=123456c");
  REQUIRE(items.size() == 2);
  CHECK(items[0].unit == "percent");
  CHECK(items[1].unit == "counter");
  CHECK(items[1].value == 123456);
}

TEST_CASE("thresholds stay in the plugin's unit while the value is converted") {
  auto items = ParsePerfdata("rta=12.5ms;100;200;0");
  REQUIRE(items.size() == 1);
  CHECK(items[0].value == Approx(0.0125));
  CHECK(items[0].warning == "100");
  CHECK(items[0].critical == "200");
}

TEST_CASE("values may be negative, signed, fractional or in exponent form") {
  auto items = ParsePerfdata("offset=-0.25s a=+3 b=.5 c=1e-3s d=2.5E2");
  REQUIRE(items.size() == 5);
  CHECK(items[0].value == Approx(-0.25));
  CHECK(items[1].value == 3);
  CHECK(items[2].value == 0.5);
  CHECK(items[3].value == Approx(0.001));
  CHECK(items[4].value == 250);
}

TEST_CASE("items may be separated by several spaces, tabs and newlines") {
  auto items = ParsePerfdata("  a=1 \t b=2\n\nc=3\r\n");
  REQUIRE(items.size() == 3);
  CHECK(items[2].label == "c");
}

TEST_CASE("a malformed item is skipped and the others still count") {
  auto items = ParsePerfdata(
      "good1=1 noequals =5 ''=3 value=abc undetermined=U bad_unit=5parsecs comma=0,5 "
      "too_many=1;2;3;4;5;6 bad_range=1;5:x bad_min=1;;;zero @=1;@ good2=2");
  REQUIRE(items.size() == 2);
  CHECK(items[0].label == "good1");
  CHECK(items[1].label == "good2");
}

TEST_CASE("an unterminated quoted label spoils only its own item") {
  auto items = ParsePerfdata("'open=1 next=2");
  REQUIRE(items.size() == 1);
  CHECK(items[0].label == "next");
}

TEST_CASE("text that is not perfdata at all yields nothing and no error") {
  CHECK(ParsePerfdata("").empty());
  CHECK(ParsePerfdata("this is just a sentence").empty());
  CHECK(ParsePerfdata("= ; '' ;;;").empty());
}
