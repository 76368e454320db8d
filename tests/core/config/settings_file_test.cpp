// settings.cfg as inih reads it: lines, continuations, comments and errors.
#include "config/settings_file.h"

#include <catch2/catch.hpp>

#include "config/key_usage.h"
#include "temp_dir.h"

using namespace checker;

TEST_CASE("values keep the line they were written on") {
  TempDir dir;
  auto path = dir.Write("settings.cfg", "[general]\nservername = web1\n\n[tcp:dns]\nhost = 192.0.2.1\n");
  std::vector<std::string> errors;
  auto file = SettingsFile::Parse(path, errors);
  REQUIRE(errors.empty());
  CHECK(file.Get("general", "servername") == "web1");
  CHECK(file.Where("tcp:dns", "host") == path + ":5: [tcp:dns] host");
}

TEST_CASE("an inline comment after a space ends the value; a semicolon inside a value stays") {
  TempDir dir;
  auto path = dir.Write("settings.cfg", "[a]\nx = 1 ; comment\ny = a;b\n");
  std::vector<std::string> errors;
  auto file = SettingsFile::Parse(path, errors);
  CHECK(file.Get("a", "x") == "1");
  CHECK(file.Get("a", "y") == "a;b");
}

TEST_CASE("an indented line continues the value, joined with one space") {
  TempDir dir;
  auto path = dir.Write("settings.cfg", "[heartbeat:x]\nperiod = * * * * sat,sun 300;\n  * 0-12 * * mon-fri 300\n");
  std::vector<std::string> errors;
  auto file = SettingsFile::Parse(path, errors);
  REQUIRE(errors.empty());
  CHECK(file.Get("heartbeat:x", "period") == "* * * * sat,sun 300; * 0-12 * * mon-fri 300");
}

TEST_CASE("a line longer than 199 characters is an error naming its line") {
  TempDir dir;
  auto path = dir.Write("settings.cfg", "[a]\nx = 1\ny = " + std::string(200, 'v') + "\nz = 2\n");
  std::vector<std::string> errors;
  auto file = SettingsFile::Parse(path, errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find(path + ":3:") == 0);
  CHECK(file.Get("a", "z") == "2");
}

TEST_CASE("a line of exactly 199 characters is read whole") {
  TempDir dir;
  std::string line = "y = " + std::string(195, 'v');
  REQUIRE(line.size() == 199);
  auto path = dir.Write("settings.cfg", "[a]\n" + line + "\n");
  std::vector<std::string> errors;
  auto file = SettingsFile::Parse(path, errors);
  CHECK(errors.empty());
  CHECK(file.Get("a", "y") == std::string(195, 'v'));
}

TEST_CASE("syntax errors and repeated keys name the line") {
  TempDir dir;
  auto path = dir.Write("settings.cfg", "[a]\nx = 1\nnonsense\nx = 2\n");
  std::vector<std::string> errors;
  SettingsFile::Parse(path, errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find(path + ":4: [a] x: set twice (first on line 2)") == 0);
  CHECK(errors[1].find(path + ":3:") == 0);
}

TEST_CASE("a section given twice is an error") {
  TempDir dir;
  auto path = dir.Write("settings.cfg", "[a]\nx = 1\n[a]\ny = 2\n");
  std::vector<std::string> errors;
  SettingsFile::Parse(path, errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find(path + ":3: section [a] appears twice") == 0);
}

TEST_CASE("sections and keys nobody read are reported as unknown") {
  TempDir dir;
  auto path = dir.Write("settings.cfg", "[general]\nservername = a\nservrname = b\n[mystery]\nk = v\n");
  std::vector<std::string> errors;
  auto file = SettingsFile::Parse(path, errors);
  KeyUsage usage;
  usage.MarkKey("general", "servername");
  auto unknown = usage.UnknownEntries(file);
  REQUIRE(unknown.size() == 2);
  CHECK(unknown[0] == path + ":3: [general] unknown key 'servrname'; did you mean 'servername'?");
  CHECK(unknown[1] == path + ":4: unknown section [mystery]");
}

TEST_CASE("a missing file is an error naming it") {
  std::vector<std::string> errors;
  SettingsFile::Parse("/nonexistent/settings.cfg", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("/nonexistent/settings.cfg") == 0);
}
