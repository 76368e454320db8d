// Taking a Nagios plugin's output apart: the summary line and its performance data.
#include "nagios/plugin_output.h"

#include <catch2/catch.hpp>

using nagios::SplitPluginOutput;

TEST_CASE("the summary is the first line before |, trimmed") {
  auto output = SplitPluginOutput("  DISK OK - free space: / 81263MiB | /=17533239296B;1;2;0;3\n", false);
  CHECK(output.summary == "DISK OK - free space: / 81263MiB");
  CHECK(output.perfdata == " /=17533239296B;1;2;0;3");
}

TEST_CASE("a summary without | has no performance data") {
  auto output = SplitPluginOutput("PROCS OK\nlong text\nmore\n", false);
  CHECK(output.summary == "PROCS OK");
  CHECK(output.perfdata.empty());
}

TEST_CASE("after the first | in the long text, everything is performance data") {
  auto output = SplitPluginOutput("OK - summary | a=1\nline two\nline three | b=2\nc=3\nd=4\n", false);
  CHECK(output.summary == "OK - summary");
  CHECK(output.perfdata == " a=1  b=2\nc=3\nd=4\n");
}

TEST_CASE("empty and blank output have an empty summary") {
  CHECK(SplitPluginOutput("", false).summary.empty());
  CHECK(SplitPluginOutput(" \n\n", false).summary.empty());
}

TEST_CASE("a line with CRLF ending is trimmed") { CHECK(SplitPluginOutput("OK\r\n", false).summary == "OK"); }

TEST_CASE("in cut output the incomplete last line gives no performance data") {
  auto output = SplitPluginOutput("OK | a=1\nlong | b=2\nc=12345", true);
  CHECK(output.perfdata == " a=1  b=2\n");
  auto single_line = SplitPluginOutput("OK | a=1 b=1234", true);
  CHECK(single_line.summary == "OK");
  CHECK(single_line.perfdata.empty());
}
