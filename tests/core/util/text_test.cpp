// The text helpers every layer shares.
#include "util/text.h"

#include <catch2/catch.hpp>

using namespace checker;

TEST_CASE("HtmlEscape turns each of & < > \" ' into a character reference and keeps other text") {
  CHECK(HtmlEscape("a & b < c > d \" e ' f") == "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  CHECK(HtmlEscape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(HtmlEscape("<img src=x onerror=alert(2)>") == "&lt;img src=x onerror=alert(2)&gt;");
  CHECK(HtmlEscape("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");
  CHECK(HtmlEscape("&amp;") == "&amp;amp;");
}

TEST_CASE("HtmlEscape replaces invalid UTF-8 by U+FFFD") {
  CHECK(HtmlEscape("a\xff<") == "a\xef\xbf\xbd&lt;");
  CHECK(HtmlEscape("\xc3") == "\xef\xbf\xbd");
}

TEST_CASE("JsonString escapes quotes, backslashes and control characters, and keeps other text as it is") {
  CHECK(JsonString("") == "\"\"");
  CHECK(JsonString("plain text") == "\"plain text\"");
  CHECK(JsonString("say \"hi\" \\ bye") == "\"say \\\"hi\\\" \\\\ bye\"");
  CHECK(JsonString("a\nb\rc\td") == "\"a\\nb\\rc\\td\"");
  CHECK(JsonString(std::string("\x01x\x1f", 3)) == "\"\\u0001x\\u001f\"");
  CHECK(JsonString("caf\xc3\xa9 \xe2\x9c\x93\x7f") == "\"caf\xc3\xa9 \xe2\x9c\x93\x7f\"");
}

TEST_CASE("JsonString replaces invalid UTF-8 by U+FFFD, so the document stays valid") {
  CHECK(JsonString("a\xff"
                   "b") ==
        "\"a\xef\xbf\xbd"
        "b\"");
  CHECK(JsonString("cut \xe2\x9c") == "\"cut \xef\xbf\xbd\xef\xbf\xbd\"");
}

TEST_CASE("AppendJsonString and AppendJsonTime append to what is there") {
  std::string out = "[";
  AppendJsonString(out, "x\"");
  out += ", ";
  AppendJsonTime(out, std::nullopt);
  out += ", ";
  AppendJsonTime(out, UnixTime{0});
  CHECK(out == "[\"x\\\"\", null, \"1970-01-01T00:00:00Z\"");
  CHECK(JsonTime(std::nullopt) == "null");
}
