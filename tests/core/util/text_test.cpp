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
