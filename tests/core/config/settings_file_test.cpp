// settings.cfg as inih reads it: lines, continuations, comments and errors.
#include "config/settings_file.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>

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

TEST_CASE("a part after a line that ends in a backslash joins without a space") {
  std::vector<std::string> errors;
  auto file = SettingsFile::ParseText(
      "settings.cfg", "[http:x]\nurl = https://example.com/a\\\n  very/long\\\n  /path\nother = a\\\n", errors);
  REQUIRE(errors.empty());
  CHECK(file.Get("http:x", "url") == "https://example.com/avery/long/path");
  CHECK(file.Get("http:x", "other") == "a\\");
}

TEST_CASE("a section name of 50 characters or more is an error at its line, and its keys stay in it") {
  const std::string name = "heartbeat:" + std::string(45, 'n');
  std::vector<std::string> errors;
  auto file = SettingsFile::ParseText("settings.cfg", "[general]\nx = 1\n[" + name + "]\nperiod = 5m\n", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "settings.cfg:3: section names are at most 49 characters; [" + name + "] has 55");
  CHECK(file.Get(name, "period") == "5m");
}

TEST_CASE("a NUL byte in a line is an error naming the line") {
  std::vector<std::string> errors;
  SettingsFile::ParseText("settings.cfg", std::string("[a]\nx = se\0cret\n", 15), errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "settings.cfg:2: the line holds a NUL byte");
}

TEST_CASE("key: value is read as key = value, with a warning naming the line") {
  std::vector<std::string> errors;
  auto file = SettingsFile::ParseText("settings.cfg", "[a]\nhost: example.com\nurl = http://x:80/\n", errors);
  REQUIRE(errors.empty());
  CHECK(file.Get("a", "host") == "example.com");
  REQUIRE(file.warnings().size() == 1);
  CHECK(file.warnings()[0].find("settings.cfg:2: read as 'key = value'") == 0);
}

TEST_CASE("a section name that is not valid UTF-8 is an error") {
  std::vector<std::string> errors;
  SettingsFile::ParseText("settings.cfg", "[tcp:caf\xC3]\nhost = x\n", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "settings.cfg:1: the section name is not valid UTF-8");
}

TEST_CASE("a settings file that is a FIFO or larger than 16 MiB is refused without reading it") {
  TempDir dir;
  const std::string fifo = dir.path() + "/fifo.cfg";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::vector<std::string> errors;
  SettingsFile::Parse(fifo, errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == fifo + ": is not a regular file (a FIFO or a device cannot be a settings file)");
  errors.clear();
  auto big = dir.Write("big.cfg", "[a]\n" + std::string(SettingsFile::kMaxBytes, ';'));
  SettingsFile::Parse(big, errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == big + ": is larger than 16 MiB, the most checker reads as a settings file");
}

TEST_CASE("duplicate sections among 100,000 are found in linear time") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "[tcp:n" + std::to_string(i) + "]\nhost = x\n";
  text += "[tcp:n7]\n";
  std::vector<std::string> errors;
  const auto start = std::chrono::steady_clock::now();
  SettingsFile::ParseText("settings.cfg", text, errors);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "settings.cfg:200001: section [tcp:n7] appears twice (first on line 15)");
  CHECK(seconds < 5.0);  // the quadratic check took 12 s (release build)
}
