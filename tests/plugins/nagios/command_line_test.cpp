// How a `command` value becomes a program's argv: shell word splitting, no shell.
#include "nagios/command_line.h"

#include <catch2/catch.hpp>

using nagios::SplitCommandLine;
using Words = std::vector<std::string>;

TEST_CASE("words are separated by runs of spaces, tabs and newlines") {
  auto line = SplitCommandLine("  /usr/lib/nagios/plugins/check_disk\t-w 10%   -c 5%\n-p / ");
  REQUIRE(line.ok());
  CHECK(line.words == Words{"/usr/lib/nagios/plugins/check_disk", "-w", "10%", "-c", "5%", "-p", "/"});
}

TEST_CASE("single quotes keep everything literally, backslashes and double quotes included") {
  auto line = SplitCommandLine(R"(/bin/x 'a b' 'back\slash' 'say "hi"')");
  REQUIRE(line.ok());
  CHECK(line.words == Words{"/bin/x", "a b", R"(back\slash)", R"(say "hi")"});
}

TEST_CASE("double quotes keep spaces and single quotes; a backslash escapes only \" \\ $ and `") {
  auto line = SplitCommandLine(R"(/bin/x "a b" "it's" "\"q\"" "\\" "\$HOME" "\n")");
  REQUIRE(line.ok());
  CHECK(line.words == Words{"/bin/x", "a b", "it's", R"("q")", R"(\)", "$HOME", R"(\n)"});
}

TEST_CASE("outside quotes a backslash keeps the next character") {
  auto line = SplitCommandLine(R"(/bin/x a\ b \'q\' \\ \")");
  REQUIRE(line.ok());
  CHECK(line.words == Words{"/bin/x", "a b", "'q'", R"(\)", R"(")"});
}

TEST_CASE("a backslash-newline joins lines, inside double quotes too") {
  auto line = SplitCommandLine("/bin/x ab\\\ncd \"ef\\\ngh\"");
  REQUIRE(line.ok());
  CHECK(line.words == Words{"/bin/x", "abcd", "efgh"});
}

TEST_CASE("quoted parts and plain parts next to each other make one word") {
  auto line = SplitCommandLine(R"(/bin/x --label='disk usage'"!" pre"fix"post)");
  REQUIRE(line.ok());
  CHECK(line.words == Words{"/bin/x", "--label=disk usage!", "prefixpost"});
}

TEST_CASE("empty quotes are an empty word") {
  auto line = SplitCommandLine(R"(/bin/x '' "" -s)");
  REQUIRE(line.ok());
  CHECK(line.words == Words{"/bin/x", "", "", "-s"});
}

TEST_CASE("nothing is expanded: variables, globs, tildes and operators stay as written") {
  auto line = SplitCommandLine("/bin/x $HOME * ~ `id` $(id) | grep ; rm > out && y");
  REQUIRE(line.ok());
  CHECK(line.words ==
        Words{"/bin/x", "$HOME", "*", "~", "`id`", "$(id)", "|", "grep", ";", "rm", ">", "out", "&&", "y"});
}

TEST_CASE("an unterminated single quote is an error") {
  auto line = SplitCommandLine("/bin/x 'open");
  CHECK_FALSE(line.ok());
  CHECK(line.error == "has an unterminated single quote");
}

TEST_CASE("an unterminated double quote is an error, even after an escaped quote") {
  auto line = SplitCommandLine(R"(/bin/x "open \")");
  CHECK_FALSE(line.ok());
  CHECK(line.error == "has an unterminated double quote");
}

TEST_CASE("a trailing lone backslash is an error") {
  CHECK(SplitCommandLine(R"(/bin/x \)").error == "ends with a lone backslash");
}

TEST_CASE("blank text has no words") {
  auto line = SplitCommandLine(" \t ");
  REQUIRE(line.ok());
  CHECK(line.words.empty());
}
