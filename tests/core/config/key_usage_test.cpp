// What nothing read is reported, with the nearest known name.
#include "config/key_usage.h"

#include <catch2/catch.hpp>

using namespace checker;

TEST_CASE("an unread key names the nearest key read in its section, and an unread section the nearest known one") {
  std::vector<std::string> errors;
  const auto file = SettingsFile::ParseText("s.cfg", "[tcp:db]\nhost = a\nprot = 5\n[emial]\nx = 1\n[zzz]\n", errors);
  KeyUsage usage;
  usage.MarkKey("tcp:db", "host");
  usage.MarkKey("tcp:db", "port");
  const auto unknown = usage.UnknownEntries(file, {"email", "general"});
  REQUIRE(unknown.size() == 3);
  CHECK(unknown[0] == "s.cfg:3: [tcp:db] unknown key 'prot'; did you mean 'port'?");
  CHECK(unknown[1] == "s.cfg:4: unknown section [emial]; did you mean [email]?");
  CHECK(unknown[2] == "s.cfg:6: unknown section [zzz]");
}

TEST_CASE("a section marked whole reports none of its keys") {
  std::vector<std::string> errors;
  const auto file = SettingsFile::ParseText("s.cfg", "[tpc:x]\nanything = 1\n", errors);
  KeyUsage usage;
  usage.MarkWholeSection("tpc:x");
  CHECK(usage.UnknownEntries(file).empty());
}

TEST_CASE("an unread section is reported once, by its line, without its keys") {
  std::vector<std::string> errors;
  const auto file = SettingsFile::ParseText("s.cfg", "[general]\nservername = web1\n[old]\nx = 1\ny = 2\n", errors);
  KeyUsage usage;
  usage.MarkKey("general", "servername");

  CHECK(usage.UnknownEntries(file) == std::vector<std::string>{"s.cfg:3: unknown section [old]"});
}

TEST_CASE("a key read in a section that is not in the file is no problem") {
  std::vector<std::string> errors;
  const auto file = SettingsFile::ParseText("s.cfg", "[general]\nservername = web1\n", errors);
  KeyUsage usage;
  usage.MarkKey("general", "servername");
  usage.MarkKey("email", "smtpserver");

  CHECK(usage.UnknownEntries(file).empty());
}
